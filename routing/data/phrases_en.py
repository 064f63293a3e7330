"""English phrasings for the training-set generator: many distinct ways customers write, per queue.

Slots in braces are filled per message by make_training_set.py (products, order numbers, dates...).
Some bodies are written as non-native English on purpose.
"""

GREETINGS = ["Hi,", "Hello,", "Hi there,", "Dear Sir or Madam,", "Hello support team,", "Good morning,",
             "Hey,", "Dear aeropressmall team,", "", "To whom it may concern,", "Hi team,", "Hello!"]
CLOSINGS = ["Thanks,", "Thank you,", "Best regards,", "Cheers,", "Kind regards,", "Thanks in advance,",
            "Regards,", "", "Many thanks,", "Best,", "Thx"]
NAMES = ["John Miller", "Sarah O'Connor", "Mike", "Jenny Park", "David Nguyen", "Emily Clarke", "Tom",
         "Rajesh Kumar", "Olga Petrova", "Chen Wei", "Laura Bianchi", "Kwame Mensah", "Aisha Rahman",
         "Pieter de Vries", "Hannah Lee", "Marcus Johnson", "Yuki Tanaka", "Liam Murphy"]
MOBILE = ["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android", "Sent from Mail for Windows"]
ACCESSORIES = ["paper filters", "stainless steel filter", "Flow Control filter cap", "filter holder",
               "tote bag", "spare seal", "travel case", "funnel", "350 pack of micro-filters", "scoop"]
COLORS = ["clear", "amber", "purple", "black", "blue"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DATE_FORMAT = "{month} {day}"
ORDER_WORDS = ["order", "order #", "order number", "order no."]

SUBJECTS = {
    "presales.general": [
        "Question about the {product}", "AeroPress Go vs Original?", "shipping to {country}", "Discount code",
        "quick question", "Is the {product} dishwasher safe?", "Checkout problem", "Before I order",
        "Paypal accepted?", "{accessory} compatible?", "Which one should I buy", "product question",
    ],
    "presales.complex": [
        "Several items - need advice", "Bundle + coupon calculation", "Gift set for the office",
        "Matching accessories for 3 presses", "Stacking discounts?", "Big order for the family, help",
        "Quote for a few models and filters", "Which combination is cheapest?",
    ],
    "wholesale": [
        "Wholesale enquiry", "Bulk order for our cafe", "Reseller pricing", "Distribution in {country}",
        "Trade account", "B2B inquiry - {business}", "Volume pricing for {qty} units", "Partnership",
    ],
    "order.tracking": [
        "Where is my order?", "Tracking not updating", "Order {order} status", "parcel stuck",
        "delivery date?", "No movement on tracking for {days} days", "Package not arrived yet",
        "Shipping status", "{carrier} says delivered but nothing here", "Order {order}",
    ],
    "returns": [
        "Return request", "I want to return my {product}", "Return - order {order}", "How do I send this back",
        "Return label please", "Exchange for a different model", "Return authorization", "Wrong item, return",
    ],
    "refunds": [
        "Refund status", "Where is my refund?", "Refund for order {order}", "Refund amount wrong",
        "Still no refund", "Partial refund?", "Refund rejected - why?", "Money back after return",
    ],
    "complaint.simple": [
        "Complaint", "Very disappointed", "Broken on arrival", "Bad experience", "Not happy",
        "Poor customer service", "Damaged {product}", "Unacceptable packaging",
    ],
    "complaint.complex": [
        "Formal complaint - multiple orders", "Final notice before chargeback", "Several problems with my orders",
        "Escalation", "This is a mess: orders {order} and {order2}", "Dispute", "Complaint about everything",
        "Legal action",
    ],
    "privacy": [
        "Delete my account", "GDPR request", "Data access request", "Unsubscribe", "Please remove my data",
        "Update my personal details", "Stop sending me emails", "What data do you hold about me",
    ],
}

BODIES = {
    "presales.general": [
        "I'm thinking about buying the {product}. Can I use it to make a single espresso-style shot, or is it only "
        "for regular coffee?",
        "Do you ship to {country}? And how long does delivery usually take? I'd like to have it before {date}.",
        "Is the plunger on the {product} BPA free? My wife is worried about plastic touching hot water.",
        "I tried the code {coupon} at checkout but it says it's not valid. Does it only work for certain products? "
        "I haven't placed the order yet.",
        "Quick one: does the {product} come with filters included or do I have to buy the {accessory} separately?",
        "What is the capacity of the {product} in ml? I usually brew for two people.",
        "hi, can i pay with paypal or apple pay on your site? the checkout only shows credit card for me",
        "I am interesting to buy the {product}, but I want to know if it is original product from AeroPress "
        "company or copy. Please tell me before I make order. Thank you very much.",
        "Is there a difference in taste between the {product} and the {product2}? I mostly drink light roasts.",
        "Will the {accessory} fit the {product}? I don't want to order something that doesn't fit.",
        "Hello, I live in {country}. The price on website is in USD, I will pay some customs tax when I buy? "
        "Please explain me how works the shipping.",
        "Do you have the {product} in {color}? The product page only shows one photo.",
        "My cart shows {amount} but the page said free shipping. Is there any other fee before I pay?",
        "Can I leave a gift message when ordering? It's a birthday present for my dad.",
        "Which press would you recommend for camping? Weight matters, I'm backpacking for {weeks} weeks this "
        "summer.",
        "Good day. I want ask if your discount of {percent}% is valid also for the {accessory}, or only for the "
        "coffee makers? I plan to order next week.",
    ],
    "presales.complex": [
        "I'm buying gifts for my team: {qty} presses, a mix of the {product} and the {product2}, each with a pack "
        "of {accessory}. If I use {coupon} on top of the bundle price, what would the total be?",
        "Could you help me put together a setup? I want the {product} for home, the {product2} for travel, plus the "
        "{accessory} and {accessory2} for both. Which filters fit which press, and is there a combined discount?",
        "You have {percent}% off the {product} and a separate free-accessory promo. Can both apply to the same "
        "order, and can I also use my newsletter voucher? I'd like the exact price for 2 presses and 3 filter "
        "packs.",
        "My three brothers and I want to order together: {product} x2, {product2} x2, and {accessory} for each. "
        "Does the volume discount stack with the {coupon} code? Please calculate it for us.",
        "I'm comparing the {product}, the {product2} and the XL for a small office of 12 people. Which one makes "
        "sense, how many filters per month would we need, and is there a price break if we buy a year of filters "
        "at once?",
        "Hello, I need advise for choose between several models and accessories. I have already Original, I want "
        "to add {product2} and the metal filter and maybe the cap. Which is compatible with which? And discount "
        "if I buy all together?",
        "Could you quote me the following in one order: 1x {product}, 1x {product2}, 2x {accessory}, 1x "
        "{accessory2}, with the {percent}% spring sale and the loyalty points I have? I can't get the cart to show "
        "both discounts.",
        "We are planning christmas presents: five different presses for five relatives, some with travel cases. "
        "What combination would you suggest and how do the seasonal discounts add up with the first-order coupon?",
        "Is it cheaper to buy the {product} bundle with {accessory} or to buy each piece separately with the "
        "{coupon} code? I'd take two bundles and an extra {accessory2}. The math on your site confuses me.",
        "I run coffee tastings at home and want a full kit: two presses of different sizes, the Flow Control cap "
        "for each, metal and paper filters, and a travel case. Can you work out which parts fit and the best "
        "price with current promotions?",
        "hi! need help with a combo order. {product} + {product2} + {accessory}, and my friend wants the same "
        "but in {color}. We'd use one code for both? What's the final price each?",
        "Could you check the price of this combination with all discounts applied: the {product} at {percent}% "
        "off, a second press at half price (your buy-one promo), plus {accessory}. The cart gives me {amount} "
        "and I think it's wrong before I pay.",
        "I would like to order for me and my colleagues about 6 pieces in different models, each one with "
        "different accessories. Please can you confirm which accessories fit each model and calculate total with "
        "discount codes {coupon} and student discount?",
        "Two questions in one: which of your presses pairs best with the {accessory}, and if I take three "
        "presses plus filters for a year, which discounts combine? I need the final figure for my budget.",
        "Setting up a coffee corner at home: thinking {product} for daily use, {product2} as backup, and "
        "accessories. What would you pair together, and can the bundle discount be combined with free "
        "shipping and my gift card of {amount}?",
        "Please advise on a combined order with several models and spare parts; I need compatibility for "
        "each press and a calculation of the stacked discounts before I commit.",
    ],
    "wholesale": [
        "We run a specialty coffee shop in {city} and would like to stock AeroPress makers and filters. Do you "
        "offer wholesale pricing and what is the minimum order quantity?",
        "I'm the purchasing manager at {business}. We're looking to buy around {qty} units of the {product} for "
        "resale. Could you send your wholesale price list and payment terms?",
        "Hello, we are a distributor in {country} and interested to become your partner for AeroPress products. "
        "Please send conditions for bulk purchase.",
        "Our roastery wants to include an AeroPress in our subscription boxes, roughly {qty} a month. Is there a "
        "trade discount for recurring bulk orders?",
        "Do you sell to resellers? I have an online store and would buy {qty} presses plus filters each quarter.",
        "Hi, I own two cafes ({business}) and we'd like to sell brewers at the counter. What are your B2B prices "
        "and can you invoice with net 30?",
        "We need {qty} units for corporate gifts at our company event. Is there volume pricing, and can you "
        "deliver to one address in {city} by {date}?",
        "Good afternoon, I represent a chain of kitchen stores. We would like a quotation for {qty} {product} and "
        "{qty2} packs of {accessory} for our shelves.",
        "Wholesale question: what's your price per unit at {qty} pieces, and do you provide display stands or "
        "marketing material for retailers?",
        "Hello. We are coffee shop with 3 locations, we want buy in big quantity the filters and some presses. "
        "Can you make us special price? We pay by bank transfer.",
        "Could you set up a trade account for {business}? We'd like to order in bulk for our barista training "
        "school, about {qty} presses a year.",
        "Do you work with hotels? We want to put a {product} in each of our {qty} rooms and need a quote for "
        "the brewers and a supply of filters.",
        "I'm opening a small concept store in {city} and want to resell AeroPress gear. What's the wholesale "
        "discount and the MOQ? Also, do you ship palettes?",
        "We're a nonprofit cafe and would buy {qty} units at once. Do you have reseller or bulk conditions?",
        "Hello, which are your conditions for retailers? We sell coffee equipment in {country} and look for a "
        "supplier at wholesale prices.",
        "Please send me a B2B offer for {qty} pieces of the {product}, delivered to our warehouse in {city}.",
    ],
    "order.tracking": [
        "My order {order} was shipped {days} days ago but the tracking hasn't changed since the first scan. Can "
        "you check with {carrier}?",
        "Hi, the tracking number {tracking} just says 'label created'. Has the parcel actually left your "
        "warehouse?",
        "When will my order arrive? I ordered on {date} and haven't received any shipping email yet. Order "
        "{order}.",
        "The {carrier} site says my package is held at customs in {city}. Do I need to do something?",
        "Tracking for {order} shows delivered yesterday, but there's nothing at my door or with the neighbours.",
        "hello my parcel is stuck in transit for {days} days, last update was in {city}. please check where it is",
        "Could you tell me the expected delivery date for {order}? I'm travelling from {date} and want to be home.",
        "Dear team, I made order {order} and until now I don't receive it. The tracking is not working, it says "
        "number not found. Please help me to find my package.",
        "Is there a tracking number for my order? The confirmation email didn't include one. {order}",
        "The parcel seems to be going back and forth between two depots. {tracking}. Is it lost?",
        "Hi, just checking on order {order}. Estimated delivery was {date} and it's now past that.",
        "My order status says 'processing' for {days} days. Has it shipped? Order number {order}.",
        "I think the address on my order might be incomplete (no apartment number). The parcel is with "
        "{carrier} now, can you check whether it will reach me?",
        "Where is my package? Tracking {tracking} has not updated since last week.",
        "The {carrier} driver left a notice but I can't find the parcel in their system. {order}",
        "Sorry to bother, I ordered a {product} {days} days ago and I didn't get any news. Can you tell me the "
        "status of my shipment please? My order is {order}.",
    ],
    "returns": [
        "I'd like to return the {product} from order {order}. It's unused and still in the box; I just realised "
        "I prefer the bigger model. How do I start the return?",
        "Hi, I received the wrong color. I ordered {color} and got a different one. I'd like to send it back and "
        "get the right one. Order {order}.",
        "Can I still return my {product}? I bought it {weeks} weeks ago, still within the 60 days I think.",
        "Please send me a return label for order {order}. The {accessory} doesn't fit my press.",
        "I got the {product} as a gift but already have one. Is it possible to return it? I have the order number "
        "{order}.",
        "hello i want to return my order, the product is not what i expected. what is the address to send back",
        "The seal on my {product} leaks after two weeks. I would like to return it for a replacement under your "
        "return policy. Order {order}, photo attached.",
        "Dear support, I want to make return of the {product}, because it is too big for my kitchen. It is not "
        "used, I have the original packing. Please send me instructions.",
        "Return application: order {order}, model {product}, reason: ordered two by mistake. Please issue a "
        "return authorization number.",
        "Hello! Could I exchange the {product} for the {product2}? Haven't opened it.",
        "My order arrived with a cracked chamber. I'd like to send it back. Which warehouse should I ship it "
        "to? Order {order}.",
        "I want to return part of my order {order}: the {accessory} only. The press I keep.",
        "What's the process for returns from {country}? I have an unopened {product} I don't need anymore.",
        "Hi there, I'd like to return this item please. Reason: changed my mind. Still boxed. {order}",
        "Hello, I am sorry but the {product} is not for me. I like to give it back within the return time. "
        "How I do this? I live in {country}.",
        "Please can you authorise a return for {order}? The filter cap was missing from the box so I'd "
        "rather return the whole set.",
    ],
    "refunds": [
        "I returned the {product} on {date} and the tracking shows you received it. When will the refund be "
        "processed?",
        "My refund for order {order} came through but it's {amount} less than I paid. Was the shipping "
        "deducted? I thought returns were free.",
        "Hi, it's been {days} working days since you confirmed my return was inspected. The refund still isn't "
        "on my card.",
        "You rejected my refund saying the {product} was used, but I only opened the box to check it. Can you "
        "explain which policy clause applies and reconsider?",
        "Can you confirm the refund was sent to my PayPal and not my credit card? I closed that card. Order "
        "{order}.",
        "hello, when do i get my money back? i sent back the press {weeks} weeks ago. order {order}",
        "Dear team, the return is arrived to your warehouse on {date}. I don't see the money on my bank "
        "account. How many days it takes? Thank you.",
        "The refund email says {amount} but my bank shows a different amount. Which one is correct?",
        "I was told I'd get a partial refund for the missing {accessory}. Has that been issued? {order}",
        "Just following up on my refund for {order}. The warehouse got the parcel last week.",
        "Could you check the status of my refund? Return tracking {tracking} shows delivered to you.",
        "Your inspection team refused my refund because of a scratch. The scratch was there on arrival, I "
        "have photos. Please review the decision.",
        "Hi, will the refund include the original shipping cost? And roughly when should I expect it?",
        "I received only part of the refund for my order {order}. The {accessory2} was not refunded.",
        "Hello, my refund was approved on {date} but nothing arrived yet on my card. Can you send me the "
        "transaction reference so my bank can look?",
        "How long does the refund take after you receive the return? I sent the {product} back on {date}.",
    ],
    "complaint.simple": [
        "I am very disappointed. The {product} arrived with a crack in the chamber and the box was crushed. "
        "Not what I expect from a shop I used to recommend.",
        "I want to complain about the way your agent spoke to me on the phone today. Rude and dismissive.",
        "This is unacceptable: I waited {days} days for an answer from your support and nobody replied.",
        "The {product} I received smells strongly of plastic even after washing it five times. Really not happy "
        "with the quality.",
        "Your discount code {coupon} was advertised everywhere but didn't work on my order, and I ended up paying "
        "full price. Very annoying.",
        "I'm writing to complain about the packaging. Everything was loose in a huge box, the {accessory} got "
        "bent.",
        "Honestly, the worst delivery experience I've had. {carrier} threw the parcel over the fence and the "
        "press broke. I want this fixed.",
        "i am not satisfied at all. the product look used, there are scratches and fingerprints. this is not "
        "new item like you say",
        "I'd like to file a complaint: your website said delivery in 6-12 days and it took over a month. "
        "Nobody informed me.",
        "Very poor quality control. The rubber seal on my {product} came torn out of the box.",
        "I'm fed up. The filter cap I ordered is missing from the package and the invoice says it was sent.",
        "Your newsletter promised a free tote bag with every press and I didn't get one. Feels like false "
        "advertising.",
        "The {product} I bought is making my coffee taste burnt, and the plunger is really hard to push. Not "
        "the quality I paid {amount} for.",
        "I am writing to make a complain about your service, I am very upset. The product arrived broken and "
        "nobody answer my emails.",
        "Disappointed with the {product}: the printed measurements rubbed off after a week.",
        "Complaint: I was charged for express shipping but the parcel came by standard post. Please sort this "
        "out.",
    ],
    "complaint.complex": [
        "I have two orders, {order} and {order2}. The first arrived broken, the second never arrived, and my "
        "refund request from last month was ignored. If this isn't resolved within a week I will file a "
        "chargeback with my bank.",
        "This is a formal complaint. Your delivery partner lost my parcel, your support team promised a "
        "replacement that never shipped, and billing charged my card twice. I expect a full resolution.",
        "I'm disputing the charge with my credit card company unless you refund me by Friday. Three emails, no "
        "answer, and the {product} is defective.",
        "Across my last three orders ({order}, {order2}, {order3}) something has gone wrong every time: wrong "
        "items, missing filters, and a refund that was short. I want one person to look at all of it.",
        "Your warehouse says the return was never received, {carrier} says it was delivered to you, and your "
        "refunds team says to contact the warehouse. I'm stuck between departments and out of {amount}.",
        "I will contact consumer protection and my lawyer if this is not solved. The coupon was not honoured, "
        "the delivery was a month late, and now you refuse my return.",
        "Complaint about orders {order} and {order2}: both had the wrong model, and the exchange you offered "
        "costs me shipping. I also want compensation for the time lost.",
        "Look, I've been passed from sales to support to accounting for three weeks. The price I was quoted is "
        "not what I was charged, the refund of the difference never came, and now the press is broken too.",
        "Dear customer service, I am very angry. I ordered for my shop and for me personally, two orders, both "
        "came incomplete, and the refund for the first one was rejected without reason. I will make a dispute "
        "with my bank.",
        "I'm escalating this. Order {order} damaged, replacement order {order2} delayed, support replies "
        "contradict each other. Please have a manager review the whole case.",
        "Unless I hear back today I'm opening a PayPal dispute for the full amount. The tracking is fake, the "
        "refund was promised twice and your team stopped answering.",
        "I need a single answer covering: the double charge on my card, the press that arrived cracked, and "
        "the promo code that was removed from my order {order} after payment.",
        "My complaint involves your shipping department, your returns warehouse and your billing. Nobody takes "
        "responsibility and I'm losing patience.",
        "Three separate orders, three separate problems, zero solutions. {order}, {order2}, {order3}. I'm "
        "considering legal steps.",
        "The replacement you sent for my broken {product} is also broken, the return label you gave me didn't "
        "work, and I was charged for the replacement. I want my money back or I'll reverse the payment.",
        "Complaint regarding several issues: late delivery, wrong invoice amount, and a rude reply from your "
        "refunds team. I expect compensation and a written explanation.",
    ],
    "privacy": [
        "Please delete my account and all personal data you have about me.",
        "Under the GDPR please send me every piece of personal information you keep on me, including order history and "
        "any marketing profiles.",
        "Unsubscribe me from all marketing emails please. I keep getting them even though I opted out.",
        "My address has changed. Please correct it in my customer account; I can't edit it on the website.",
        "Which details of mine do you keep on file, and who gets to see them?",
        "hi please remove my email from your list, I never signed up",
        "Right to erasure request: please erase my account linked to this email address and confirm when done.",
        "Can you export my data as a file? I'm moving to another shop and want my purchase records.",
        "Hello, please I want that you delete my data from your system, I don't use the account anymore.",
        "The name on my account is misspelled. Could you correct it? It shows on every invoice.",
        "Stop emailing me. I have unsubscribed three times already.",
        "I would like to withdraw my consent for marketing and for analytics cookies tied to my account.",
        "Could you tell me how long you keep my payment and address details, and delete anything you don't "
        "need anymore?",
        "Please close my customer account and confirm in writing that my personal information has been removed.",
        "Data subject access request: please send me all data connected to my email within the legal "
        "deadline.",
        "Remove my phone number from my profile please, I don't want to be contacted by phone.",
    ],
}

# Earlier mails the customer's message quotes: our replies and shop notifications, never the new request.
QUOTED = [
    "Thank you for contacting aeropressmall.com. We have received your message [#HD-{ticket}] and will reply "
    "within 2 working days.",
    "Your order {order2} has shipped with {carrier}. Tracking number: {tracking}. Estimated delivery: 6-12 days.",
    "Thanks for your order! Order {order2}: 1x {product2}, total {amount}. We'll let you know when it ships.",
    "Hello,\nthanks for your interest in the {product2}. It brews up to 4 cups and the filters are included.\n"
    "Best regards,\nSupport team",
    "Your return authorization number is RA-{ticket}. Please send the parcel to our return warehouse and "
    "include the number on the box.",
]
ATTRIBUTION = ["On {date}, aeropressmall.com <support@aeropressmall.com> wrote:",
               "On {date} at 10:{day} AM aeropressmall support <support@aeropressmall.com> wrote:",
               "-----Original Message-----\nFrom: aeropressmall.com <support@aeropressmall.com>\nSent: {date}\n"
               "Subject: Your aeropressmall.com order"]
# Sentences that pad a message without saying which queue it belongs to.
FILLERS = ["I hope this is the right address.", "Sorry for the long email.", "I've been a customer for years.",
           "Sorry for my English.", "Thanks for your help.", "Hope you're doing well.",
           "Please get back to me when you can.", "I couldn't find the answer in your FAQ."]
WRONG_ADDRESS = ["Sorry if this is the wrong address.", "Not sure this is the right mailbox, please forward it."]
ATTACH_NOTES = ["See the attached photo.", "I attached a picture.", "Screenshot attached.", "File attached."]

# More phrasings, appended so earlier templates keep their split.
BODIES["presales.general"] += [
    "Does the {product} work with pre-ground supermarket coffee, or do I need a special grind?",
    "yo, is there a student discount? thinking of getting the {product} before term starts",
    "Hi, how long is the warranty on the {product} if I buy it from you, and is it the official one?",
    "Before I check out: the {accessory} is listed twice with different prices. Which one is the right "
    "item?",
]
BODIES["presales.complex"] += [
    "I want to buy for my whole family: my parents get the {product}, my sister the {product2}, and each "
    "needs a year of filters. With your bundle deal and my {coupon} code, what do I actually pay?",
    "Could you recommend a complete set for a coffee club of six people, with at least two different press "
    "models and the right filters for each, and tell me how the group discount and the sale price combine?",
    "Three questions before a big order: which caps fit which models, can the {percent}% off stack with free "
    "accessories, and what's the total for 4 presses plus spares?",
    "Planning to order the {product}, {product2} and XL together with matching {accessory}. Please list what "
    "fits what and the total after every discount you can apply.",
]
BODIES["wholesale"] += [
    "Hi, we're a chain of bookshop cafes and want to carry AeroPress brewers at the till. Minimum order and "
    "trade price please?",
    "Our company buys coffee equipment for {qty} office kitchens. Can we get a wholesale account with "
    "monthly invoicing?",
    "Dear team, I am importer in {country}. We want container quantity of presses and filters. Please give "
    "me your best wholesale prices and delivery terms.",
    "Looking for a supplier for our online coffee shop: {qty} units to start, more every quarter if they "
    "sell. What margins do resellers get?",
]
BODIES["order.tracking"] += [
    "The tracking link in your email leads to an error page. Where can I see where my parcel is? {order}",
    "hi where's my stuff?? ordered {weeks} weeks ago, order {order}, nothing yet",
    "{carrier} returned my parcel to sender because of a wrong postcode. Can you resend it? Order {order}.",
    "Could you let me know when order {order} will be dispatched? It's been {days} days.",
]
BODIES["returns"] += [
    "I bought the {product} for my son but he already got one for his birthday. It's sealed. Can I send it "
    "back? {order}",
    "Hello, the size of the {product} is bigger than I thought and doesn't fit in my bag. I want to send it "
    "back please, order {order}.",
    "Need to return a faulty {accessory}, it cracked on the first use. How do I get a return number?",
    "Returning the whole order {order}, I picked the wrong model. Please tell me where to ship it.",
]
BODIES["refunds"] += [
    "I got an email that my return passed inspection on {date}. When will the amount reach my "
    "Visa again?",
    "Why was my refund only {amount}? I paid more than that for order {order}.",
    "My refund was declined and the email doesn't say why. Could you list the reasons so I understand?",
    "hi, any news on the refund for my returned {product}? order {order}",
]
BODIES["complaint.simple"] += [
    "Honestly I'm really unhappy. The {product} I got leaks from the bottom every single time.",
    "Your courier was rude and refused to carry the parcel upstairs. I don't expect that from a shop like "
    "yours.",
    "The colour of my {product} is nothing like the photos on your website. Very misleading and "
    "disappointing.",
    "Not happy at all: the box arrived opened and taped back together, and the {accessory} was missing.",
]
BODIES["complaint.complex"] += [
    "I am raising a formal dispute. Order {order} was charged twice, order {order2} is missing an item, and "
    "your support agents keep closing my tickets. I want a manager to call me.",
    "If my money isn't back by Monday I'll ask my bank to charge back both payments. The parcel never came "
    "and the refund team says it's a delivery problem.",
    "Your shipping team, your returns warehouse and your customer service all blame each other, and I still "
    "have a broken press and no refund after six weeks.",
    "This concerns orders {order}, {order2} and the exchange order {order3}: wrong items, a lost parcel and "
    "a refund that bounced. I expect compensation for all of it.",
]
BODIES["privacy"] += [
    "I don't want you to keep my address and phone number anymore. Please delete them.",
    "please send me a copy of everything you have stored on me, in a machine readable format.",
    "Hello, my email address changed. Please update it in your records and remove the old one.",
    "I never agreed to receive SMS offers. Remove my number from your marketing lists and tell me where you "
    "got it.",
]
