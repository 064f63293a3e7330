"""English customer voices for the training-set generator: the pieces a composed mail is made of.

ASKS are what a customer wants, as one or two sentences; CONTEXT is the story around it; MORE are
further questions or details about the same matter; CHATTER says nothing about any queue. The
generator (make_training_set.py) combines them in the shapes real mail takes: a one-liner from a
phone, a rambling story, several questions, a forwarded thread, a reply above quoted history.
OTHER is mail that belongs in no queue. Slots in braces are filled per message.
"""

ASKS = {
    "presales.general": [
        "does the {product} come with a carrying bag?",
        "Is the {product} heavy? I want to take it hiking.",
        "what's the difference in taste between paper and metal filters?",
        "Can I order the {product} and have it delivered to a PO box?",
        "Do you charge sales tax for orders shipped to {country}?",
        "Is the {product} safe to use with boiling water straight from the kettle?",
        "Are your AeroPress products brand new and official, or refurbished?",
        "How do I clean the {product}? I'd like to know before buying if it's a hassle.",
        "Can you use the {product} for tea as well?",
        "Is there a cheaper shipping option or is it always free?",
        "Does your shop accept Apple Pay or Google Pay?",
        "How long does the rubber seal last before it needs replacing?",
        "Which grind size do you recommend for the {product}?",
        "Is the {accessory} made of stainless steel or plastic?",
        "Will the price of the {product} drop for the holidays? I'd rather wait if so.",
        "I'm thinking of buying my first AeroPress. Which model is best for a beginner who drinks one cup a day?",
        "Can the {product} go in a suitcase without breaking?",
        "Do you have a size chart or dimensions for the {product}? I have a small kitchen.",
        "My checkout page froze after I entered my card. Did anything go through? I haven't got a confirmation.",
        "Is there a newsletter discount for first orders?",
        "Does the {product} make enough coffee for a big travel mug?",
        "Where are your products shipped from?",
        "What's included in the box of the {product}?",
        "Do I need a scale to use the AeroPress properly?",
        "Can I change the delivery country at checkout? It only shows the US.",
        "Is the {product} in {color} the same as the other colours apart from the look?",
        "How is the {product} different from a French press?",
        "Do you sell spare plungers? Thinking of getting the {product} and want to know parts are available.",
    ],
    "presales.complex": [
        "I want to buy the {product}, the {product2} and a {accessory} for each of them. Do the discounts add up?",
        "Could you work out the total for two presses and three packs of filters with code {coupon}?",
        "Which accessories fit both the {product} and the {product2}? I'd order them together.",
        "Can I use {coupon} together with the {percent}% sale and the free shipping on a basket of three presses?",
        "I'm putting together presents for {few} people, a mix of the {product} and the {product2}. What would the "
        "whole order cost with your current offers?",
        "Is the {accessory} compatible with every model, or only some? I'm buying a couple of different presses.",
        "Would the bundle or separate items be cheaper for the {product} plus {product2} plus spares?",
        "Please calculate: {product} x1, {product2} x1, {accessory} x2, minus my gift card of {amount} and the "
        "{percent}% promo.",
        "We're a family of {few} and each wants a different press. Can you recommend a combination and tell me the "
        "price for all of them together?",
        "If I order the {product} and the {product2} in one go, can the seals and filters be shared between them?",
        "Do the student discount and the bundle deal stack if I buy two presses?",
        "I'd like matching accessories for my three presses ({product}, {product2} and XL). What fits what?",
        "Does the buy-two offer apply when the two presses are different models?",
        "Can you quote a set of {few} presses in different models, each with a metal filter, and tell me which "
        "filters fit which?",
        "My partner has the {product2}, I'm getting the {product}. Which spare parts can we share, and is there a "
        "deal if I order spares for both?",
        "How do your discounts combine on a big family order: loyalty points, the {coupon} code and the sale?",
    ],
    "wholesale": [
        "We'd like to stock AeroPress at our shop. What are your trade prices?",
        "Could you quote {qty} units of the {product} for resale?",
        "What's your minimum order for wholesale prices?",
        "Do you work with distributors in {country}?",
        "I need {qty} presses for our company's client gifts. Is there a volume price?",
        "Can we open a B2B account with invoice payment?",
        "We run a café chain and want to sell presses at the counter. Please send your wholesale terms.",
        "Is there a reseller discount for online shops?",
        "Please send a price list for bulk orders of presses and filters.",
        "We're a roastery and want to bundle the {product} with our beans, about {qty} a month.",
        "Our hotel would like a {product} in every room, {qty} in total. Can you make an offer?",
        "Can you ship a pallet of {qty} presses to our warehouse in {city}?",
        "Do you offer drop-shipping for retailers?",
        "What discount do you give on {qty} presses and {qty2} packs of filters?",
        "We'd like to become a stockist in {city}. Who handles trade accounts?",
        "Do you provide pro forma invoices for bulk purchases? Our purchasing department needs one for {qty} units.",
        "I'm buying {qty} presses for our office kitchens across the company. Could you quote and invoice us?",
        "We're an importer and would like container prices.",
    ],
    "order.tracking": [
        "where is my order {order}?",
        "The tracking for {order} hasn't moved in {days} days.",
        "My parcel says delivered but I never got it. Order {order}.",
        "When will order {order} be shipped?",
        "Can you give me the tracking number for {order}?",
        "The courier says my address is wrong for order {order}. It isn't. Can you check?",
        "My package is stuck at customs. Order {order}.",
        "Can I change the delivery address on order {order}? It hasn't arrived yet.",
        "The tracking link doesn't work. Where's my parcel? {order}",
        "Order {order} was supposed to arrive on {date}. Still nothing.",
        "Has {order} left the warehouse yet?",
        "The {carrier} tracking says 'exception'. What does that mean for {order}?",
        "Only half of my order {order} arrived. Is the rest coming separately?",
        "I paid for order {order} but never got a shipping email.",
        "My neighbour might have my parcel, the tracking says left at a 'safe place'. Which one? {order}",
        "Could you ask {carrier} to hold my parcel at the depot? I'm away. Order {order}.",
        "the parcel went back to your warehouse, can you send it again? {order}",
        "Is my order {order} lost? It's been {weeks} weeks.",
        "I need {order} before {date}. Will it make it?",
        "Tracking {tracking} shows no update since it left {city}.",
    ],
    "returns": [
        "I'd like to return order {order}.",
        "How do I send back the {product}? It's unused.",
        "Can I exchange the {product} for the {product2}? Order {order}.",
        "Please send a return label for {order}.",
        "The {accessory} doesn't fit, I want to return it. {order}",
        "I received the wrong item and want to send it back. Order {order}.",
        "Is the {product} still returnable after {weeks} weeks?",
        "Can I return an opened box?",
        "I'd like to return just one item from order {order}.",
        "What address do I post the return to?",
        "Do I need a return authorization number before sending it back?",
        "I bought two by mistake and want to return one. {order}",
        "The {product} is too small for my needs, can I swap it for a bigger one?",
        "My {product} has a faulty plunger, I'd like to return it for a new one. Order {order}.",
        "Can I return a gift without the order number?",
        "I changed my mind about the {product}, still sealed. How does the return work?",
        "Does the return have to be in the original packaging?",
        "Who pays the postage for a return from {country}?",
    ],
    "refunds": [
        "When will I get my refund for {order}?",
        "You received my return on {date}, but I haven't been refunded.",
        "My refund for {order} was less than I paid.",
        "Why was my refund rejected? Order {order}.",
        "Has the refund for {order} been processed yet?",
        "The refund went to a card I no longer have. What now?",
        "Can you send me proof of the refund for {order}? My bank can't find it.",
        "I was refunded twice for {order}, how do I pay it back?",
        "Will the refund include the return postage I paid?",
        "I got store credit but asked for my money back. {order}",
        "How many days after inspection does the refund arrive?",
        "The inspection result for my return {order} still hasn't come. When is the refund?",
        "My refund was in a different currency and I lost money on the exchange.",
        "Was a restocking fee taken from my refund? It's short by {amount}.",
        "The cancelled order {order} still shows a charge. When is the money back?",
        "Could you refund the missing {accessory} from order {order} instead of resending it?",
        "my refund for the returned press, where is it",
    ],
    "complaint.simple": [
        "I'm really unhappy: the {product} arrived damaged. Order {order}.",
        "I want to complain about how I was treated by your support.",
        "The box was soaked and the filters ruined. Not acceptable.",
        "Your listing promised {accessory} included and there was none. I feel misled.",
        "The press I received was clearly used before. Disgusting.",
        "I've waited {days} days for an answer and got nothing. Poor service.",
        "The courier threw my parcel over the fence. Please do something about your delivery partner.",
        "My {product} cracked the first time I used it. Very disappointed with the quality.",
        "You charged me a handling fee although shipping is supposed to be free. I want it refunded.",
        "The discount code was advertised but not honoured. That's misleading.",
        "I'm fed up with your emails being ignored. Nobody answers.",
        "The {product} leaks and smells of plastic. I expected much better for {amount}.",
        "The packaging was terrible, the {accessory} arrived bent.",
        "Your agent hung up on me. I'd like to make a complaint.",
        "Delivery took a month instead of 6-12 days and nobody told me. I'd like some compensation.",
        "The replacement you sent is also scratched. I'm losing patience.",
    ],
    "complaint.complex": [
        "Orders {order} and {order2} both went wrong and nobody is fixing either. This is a formal complaint.",
        "Refund me by Friday or I'll do a chargeback.",
        "I'm talking to my lawyer about order {order}.",
        "Your warehouse, your billing team and your support all blame each other. I want one person to fix this.",
        "Three orders, three problems: {order}, {order2}, {order3}. I want them all reviewed.",
        "I've opened a dispute with my credit card company over {order}.",
        "I will report you to consumer protection if this isn't solved this week.",
        "The parcel was lost, the refund refused and your agent was rude. I'm escalating this.",
        "If I don't get my money back I'll take this to the small claims court.",
        "Both of my orders were charged twice and one never arrived. I'll ask my bank to reverse the payments.",
        "Delivery late, wrong item, refund short, support useless. I want compensation for all of it.",
        "I've written to shipping, returns and accounting and each sends me to the other. Unacceptable.",
        "This is my final warning before I file a PayPal dispute for {order}.",
        "Every order I've placed this year had a problem. I want a manager to look at my account.",
    ],
    "privacy": [
        "Please delete my account.",
        "Unsubscribe me from your newsletter.",
        "I want a copy of all my personal data.",
        "Please correct my name on my account.",
        "Remove my phone number from your records.",
        "What personal data do you keep about me?",
        "Please erase all my data under GDPR.",
        "Stop sending me marketing emails.",
        "Update my postal address on my profile, please.",
        "Change the email address on my account to this one.",
        "Don't share my data with third parties.",
        "How long do you keep my order history?",
        "Please delete my saved payment details.",
        "Where did you get my email address from?",
        "I'd like to withdraw my consent to marketing.",
        "Close my customer account and confirm my data is gone.",
    ],
}

CONTEXT = {
    "presales.general": [
        "I've been making coffee with a cheap drip machine for years and I'm ready for something better.",
        "My sister swears by her AeroPress and I finally want to try one.",
        "I travel a lot for work and hotel coffee is awful.",
        "I only drink one cup a day, usually a light roast.",
        "I'm comparing your shop with a couple of others before I order.",
        "It would be a present for my husband who loves gadgets.",
        "My old moka pot just broke so I'm looking around.",
        "I read a few reviews but they contradict each other.",
    ],
    "presales.complex": [
        "Christmas is coming and half the family drinks coffee.",
        "We're setting up a coffee corner at home and want to do it properly in one go.",
        "I already own one press but the rest of the household wants their own.",
        "My budget is around {amount} for everything.",
        "I've tried to work out the prices myself but your cart keeps changing the discount.",
        "It's for a small group of friends, not a business.",
    ],
    "wholesale": [
        "We opened our second location in {city} last spring.",
        "Our customers keep asking us where to buy an AeroPress.",
        "We sell specialty coffee online and ship mostly within {country}.",
        "We're planning our holiday range now.",
        "I handle purchasing for {business}.",
        "Our previous supplier closed down.",
    ],
    "order.tracking": [
        "It's a present so I'm getting a bit nervous.",
        "I ordered on {date} and paid straight away.",
        "I've checked with my neighbours and the building manager.",
        "The shipping confirmation came but nothing since.",
        "I'm travelling next week and won't be home.",
        "I've never had a problem ordering from you before.",
    ],
    "returns": [
        "I've only used it once and washed it.",
        "It was a gift and I already have one.",
        "It's still in the original box with everything.",
        "I didn't realise how big it is until it arrived.",
        "My kitchen is tiny and it doesn't fit anywhere.",
        "I bought it on {date}.",
    ],
    "refunds": [
        "I sent the parcel back with tracking {tracking}.",
        "Your email said the item passed inspection.",
        "I've checked my bank statement twice.",
        "It's been over two weeks now.",
        "The return was within the 60 days.",
        "I paid {amount} in total.",
    ],
    "complaint.simple": [
        "I've been a loyal customer for years.",
        "I was really looking forward to using it this weekend.",
        "It was meant as a birthday present.",
        "I've attached photos so you can see for yourself.",
        "I told my friends about your shop, which I now regret.",
        "I don't normally write emails like this.",
    ],
    "complaint.complex": [
        "This has been going on for over a month now.",
        "I have copies of every email I've sent you.",
        "I've spent hours on this already.",
        "I've been a customer for years and never had this before.",
        "I've written to you four times already.",
        "Nobody seems to read what I write.",
    ],
    "privacy": [
        "I don't use your shop anymore.",
        "I'm cleaning up my online accounts.",
        "I've moved to a new address.",
        "I never signed up for marketing.",
        "After a data leak at another company I'm being careful.",
        "I'm getting too many emails.",
    ],
}

MORE = {
    "presales.general": [
        "Also, do you ship on weekends?", "And is the warranty valid in {country}?",
        "Does it come with instructions in English?", "Is the plastic BPA free?",
        "How fast would it arrive in {city}?", "Could I pay in instalments?",
        "Do you sell replacement filters too?", "Is there a colour other than black?",
    ],
    "presales.complex": [
        "Can all of it ship in one parcel?", "Could the presses go to two different addresses?",
        "Would gift wrapping each one cost extra?", "Is there a limit on how many discount codes I can use?",
        "Which filters would I need for each press?", "Do the spare seals fit all the models?",
    ],
    "wholesale": [
        "What are your payment terms?", "What's the lead time?", "Do you offer display material?",
        "Can you deliver to {city}?", "Do you need our VAT number?", "Is there a discount for repeat orders?",
        "Can we get samples first?", "Do you invoice in USD only?",
    ],
    "order.tracking": [
        "Could you check with the courier?", "Is there a phone number for the carrier?",
        "Can you resend it if it's lost?", "Please let me know the expected delivery date.",
        "Do I need to be home to sign for it?", "Should I wait a few more days?",
    ],
    "returns": [
        "Do you send a prepaid label?", "How long does the exchange take?", "Where is your return warehouse?",
        "Should I include the invoice?", "Can I drop it at a post office?", "What happens to the free filters?",
    ],
    "refunds": [
        "Can you send me the transaction reference?", "Will it go back to PayPal or to my card?",
        "How long will it take to show?", "Was anything deducted?", "Please confirm the amount.",
        "Can you check with your finance team?",
    ],
    "complaint.simple": [
        "I expect a replacement.", "Please sort this out.", "I'd like an apology at least.",
        "What are you going to do about it?", "I want this fixed quickly.", "I'd like some compensation.",
    ],
    "complaint.complex": [
        "I expect a written answer covering everything.", "I want to speak to a manager.",
        "Please don't send me another template reply.", "I want compensation for my time.",
        "I'm keeping records of all of this.", "This needs to be sorted out this week.",
    ],
    "privacy": [
        "Please confirm when it's done.", "I don't need the account anymore.", "Thank you for handling this.",
        "I still want my order confirmations.", "Please do it within the legal deadline.",
        "And remove me from any partner lists.",
    ],
}

CHATTER = [
    "Hope you're all having a good week.", "It's raining again here, perfect coffee weather.",
    "Sorry, I'm typing this on my phone.", "My dog just knocked my mug over while I was writing this.",
    "I love your shop by the way.", "Sorry for rambling, it's early.", "Long time listener, first time caller, ha.",
    "I've had three coffees already today.", "Anyway, back to my question.", "Thanks for being patient with me.",
    "I hope this makes sense.", "Happy holidays in advance!", "Greetings from {city}!",
    "I'm not great with computers so bear with me.", "My kids are shouting so I'll keep this quick.",
]

FORWARD_INTROS = [
    "See below.", "Forwarding this, can you help?", "Please see the email below.", "fyi",
    "My wife asked me to send this on.", "Can someone look at this? Details below.",
    "Sending this again as nobody replied.", "Please read the message below from my husband.",
]
# Fresh mail that only says "any news?": its queue is the queue of the sender's earlier ticket.
FOLLOWUPS = [
    "Hi again, any news on this?", "Just checking in on my request from last week.", "Any update please?",
    "Still waiting to hear back from you.", "Hello, following up on my previous email.",
    "Did you get my last message? Nobody has replied.", "Me again. Is there any progress?",
    "Could you give me an update on my case?",
]
BUSINESS_SIGNATURES = [
    ["{name}", "Office Manager", "{business}", "Tel. +1 555 {day}0 {day}{day}"],
    ["{name}", "Head of Purchasing | {business}", "{city}, {country}"],
    ["Best,", "{name}", "Operations", "{business}"],
    ["{name}", "Sent from my work phone, please excuse typos"],
    ["{name} | Senior Accountant", "{business}", "www.example-{day}.com"],
]
DISCLAIMERS = [
    "This email and any attachments are confidential and may be legally privileged. If you are not the intended "
    "recipient, please delete it.",
    "CONFIDENTIALITY NOTICE: The contents of this email are intended only for the named recipient.",
    "Please consider the environment before printing this email.",
    "Our offices are closed on public holidays.",
]

OTHER = [
    ("Press enquiry", "I'm a journalist writing about online coffee shops for {business} and would love to ask you a "
     "few questions about your customers and best sellers. Would you have 15 minutes for a call?"),
    ("Interview request", "Hi, I'm preparing a piece on budget coffee gear for a national newspaper. Could someone "
     "from your team comment on how prices have changed this year?"),
    ("Podcast invitation", "We host a weekly coffee podcast and would like to invite your founder as a guest to talk "
     "about running an online shop."),
    ("Job application", "Hello, I'd like to apply for a job in your warehouse or customer service team. I have two years "
     "of experience in retail. My CV is attached."),
    ("Internship", "I'm a student looking for a marketing internship this summer. Do you take interns?"),
    ("Boost your sales", "Our agency helps online shops grow their traffic with SEO and paid ads. Can we send you a free "
     "audit of your website?"),
    ("Partnership proposal", "I run a coffee channel with {qty}k subscribers and would like to do a paid sponsorship "
     "with your shop. Here are my rates."),
    ("Cheaper shipping for your shop", "We are a logistics company offering discounted international parcel rates for "
     "e-commerce businesses. May I send you an offer?"),
    ("Survey for our research", "I'm a university researcher studying small online retailers. Would you fill in a "
     "10-minute anonymous questionnaire?"),
    ("Invoice overdue", "Dear customer, our invoice for the printing services delivered last month is still unpaid. "
     "Please arrange the transfer."),
    ("Website redesign", "I design online stores and think your checkout could convert better. Interested in a quick "
     "call?"),
    ("Packaging samples", "We manufacture recyclable shipping boxes and would like to send you free samples for your "
     "products. Who should I contact in purchasing?"),
    ("Guest post", "I'd like to write a guest article for your blog about coffee brewing, in exchange for a link to my "
     "site."),
    ("Event invitation", "You're invited to exhibit at the Coffee Expo in {city} next spring. Stand prices attached."),
    ("Software demo", "Our helpdesk software could save your support team hours every week. Can I book a demo with "
     "you?"),
    ("Charity raffle", "Our school is holding a raffle for charity. Would your shop donate a small prize?"),
    ("Photo licensing", "We noticed a photo on your website that we hold the rights to. Please contact us about a "
     "licence."),
    ("Affiliate programme", "Do you have an affiliate programme? I write a coffee blog and would like to link to your "
     "products for a commission."),
    ("Media kit request", "I'm the editor of a lifestyle magazine preparing a gift guide. Could you send product "
     "images and a short statement for publication?"),
    ("Translation services", "We offer professional translation of online shops into 20 languages. May I send our "
     "price list?"),
]
