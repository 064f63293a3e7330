"""Auto mail for the training set: out-of-office replies, bounces, newsletters, noreply notices.

Each carries the headers the parser detects (docs/architecture.md): Auto-Submitted, X-Autoreply,
X-Autorespond, Precedence, List-Id/List-Unsubscribe, an empty Return-Path, multipart/report,
MAILER-DAEMON/postmaster/noreply senders. Their words are chosen to tempt a text classifier
(a carrier's "your parcel is delayed", a payment provider's "chargeback"): the router must follow
the parser's verdict, not the words.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime

import mimebits

OUT_OF_OFFICE = [
    ("en", "Automatic reply: {subject}", [("Auto-Submitted", "auto-replied")],
     "Thank you for your email. I am out of the office until {date} with limited access to email.\n\n"
     "For anything urgent about orders or refunds please contact my colleague at purchasing@{domain}."),
    ("en", "Out of Office: {subject}", [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")],
     "I'm currently on parental leave and will not be reading email. Your message will not be forwarded."),
    ("en", "Re: {subject}", [("X-Autoreply", "yes")],
     "Hi! I'm travelling until {date}. I'll reply when I'm back. If it's about the shop delivery, call the store."),
    ("en", "Away: {subject}", [("Precedence", "junk"), ("X-Autorespond", "vacation")],
     "This is an automatic response. I am on vacation and will answer your message about the return when I "
     "return on {date}."),
    ("de", "Abwesenheitsnotiz: {subject}", [("Auto-Submitted", "auto-replied")],
     "Vielen Dank für Ihre Nachricht. Ich bin bis zum {date} nicht im Büro und habe keinen Zugriff auf meine "
     "E-Mails. In dringenden Fällen wenden Sie sich bitte an einkauf@{domain}."),
    ("de", "Automatische Antwort: {subject}", [("X-Autoreply", "yes"), ("Auto-Submitted", "auto-replied")],
     "Ich bin im Urlaub. Ihre E-Mail wird nicht weitergeleitet. Bei Fragen zu Bestellungen bitte an "
     "info@{domain}."),
    ("es", "Respuesta automática: {subject}", [("Auto-Submitted", "auto-replied")],
     "Gracias por su mensaje. Estaré fuera de la oficina hasta el {date}. Para pedidos urgentes escriba a "
     "compras@{domain}."),
    ("es", "Fuera de la oficina: {subject}", [("X-Autorespond", "yes")],
     "Estoy de vacaciones con acceso limitado al correo. Responderé a su consulta sobre el reembolso a mi "
     "vuelta."),
    ("fr", "Réponse automatique : {subject}", [("Auto-Submitted", "auto-replied")],
     "Merci pour votre message. Je suis absent jusqu'au {date} inclus. Pour toute urgence concernant une "
     "commande, contactez achats@{domain}."),
    ("fr", "Absence du bureau : {subject}", [("X-Autoreply", "yes")],
     "Je suis en congés et ne consulte pas mes e-mails. Votre message ne sera pas transféré."),
]

NEWSLETTERS = [
    ("Coffee Weekly <news@coffeeweekly.example>", "This week: 5 AeroPress recipes and 20% off grinders",
     "Hello coffee lover,\n\nThis week we tested five inverted AeroPress recipes. Plus: 20% off all hand "
     "grinders until Sunday, free shipping on orders over $40.\n\nHappy brewing!"),
    ("BrewMaster Deals <deals@brewmaster.example>", "Last chance: bulk filter packs",
     "Stock up now: 10 packs of paper filters for the price of 8. Cafés and resellers ask about our trade "
     "programme."),
    ("Röstwerk Newsletter <newsletter@roestwerk.example>", "Neu: Herbstblend und Gratisversand",
     "Liebe Kaffeefreunde,\n\nunser Herbstblend ist da. Bis Freitag versenden wir gratis. Jetzt bestellen!"),
    ("Café Mundo <boletin@cafemundo.example>", "Novedades de octubre: nuevos orígenes",
     "Hola,\n\neste mes llegan cafés de Etiopía y Colombia. Suscríbete al plan mensual y ahorra un 15%."),
    ("Le Petit Torréfacteur <infos@petit-torref.example>", "Vos offres de la semaine",
     "Bonjour,\n\ncette semaine, -30% sur les filtres et un guide pour réussir votre AeroPress."),
    ("Kitchen Gadget Digest <digest@gadgets.example>", "Your weekly digest: travel coffee makers compared",
     "We compared the AeroPress Go with four other travel brewers. Spoiler: the Go wins on weight. Read the "
     "full review and tell us which one you'd return."),
]

NOTIFICATIONS = [
    ("UPS <no-reply@ups.com>", "UPS Update: Package Scheduled for Delivery Tomorrow", [],
     "Your package is on its way. Tracking number 1Z{digits}. Scheduled delivery: {date}. Do not reply to "
     "this email; this mailbox is not monitored."),
    ("PayPal <service@paypal.com>", "A buyer has opened a chargeback on a payment",
     [("Auto-Submitted", "auto-generated")],
     "A chargeback has been filed for transaction {digits}. The buyer says the item was not received. "
     "Respond in the Resolution Center within 10 days."),
    ("DHL Paket <noreply@dhl.de>", "Ihre Sendung kommt heute", [],
     "Guten Tag, Ihre Sendung JJD{digits} wird heute zwischen 10:00 und 13:00 Uhr zugestellt."),
    ("Correos <no-reply@correos.es>", "Tu envío está en camino", [],
     "Tu envío con número de seguimiento PQ{digits} está en reparto. Fecha prevista de entrega: {date}."),
    ("La Poste <ne-pas-repondre@laposte.fr>", "Votre colis est en retard", [("Auto-Submitted", "auto-generated")],
     "Votre colis {digits} a pris du retard. Nous faisons le nécessaire pour le livrer au plus vite."),
    ("Shopify <no-reply@shopify.com>", "Your payout is on its way", [],
     "A payout of $1,240.50 is on its way to your bank account. Refunds issued this week were deducted."),
    ("Trustpilot <noreply.invitations@trustpilotmail.com>", "How was your experience?",
     [("Precedence", "bulk")],
     "You recently contacted a company. Tell others about it: was the support helpful? Leave a review."),
    ("Google <no-reply@accounts.google.com>", "Security alert", [],
     "A new sign-in on Windows. If this was you, you don't need to do anything. If not, we'll help you secure "
     "your account and delete the session."),
]

BOUNCES = [
    ("Mail Delivery System <MAILER-DAEMON@mx1.{domain}>", "Undelivered Mail Returned to Sender",
     "This is the mail system at host mx1.{domain}.\n\nI'm sorry to have to inform you that your message "
     "could not be delivered to one or more recipients.\n\n<{rcpt}>: host mx.{domain} said: 550 5.1.1 "
     "User unknown", "5.1.1"),
    ("Microsoft Outlook <postmaster@{domain}>", "Undeliverable: {subject}",
     "Delivery has failed to these recipients or groups:\n\n{rcpt}\nThe email address you entered couldn't be "
     "found. Please check the recipient's email address and try to resend the message.", "5.1.10"),
    ("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)",
     "Address not found\n\nYour message wasn't delivered to {rcpt} because the address couldn't be found, or "
     "is unable to receive mail.", "5.1.1"),
    ("MAILER-DAEMON <MAILER-DAEMON@mail.{domain}>", "Unzustellbar: {subject}",
     "Ihre Nachricht konnte nicht zugestellt werden.\n\nEmpfänger: {rcpt}\nGrund: Postfach voll (552 5.2.2).",
     "5.2.2"),
]

OUR_SUBJECTS = ["Re: Your refund for order AP-{digits} [#HD-1{ticket}]",
                "Re: Return authorization for your AeroPress [#HD-1{ticket}]",
                "Re: Where is my order? [#HD-1{ticket}]"]
DOMAINS = ["example-cafe.com", "gmx.de", "orange.fr", "beanbox.example", "telefonica.net", "outlook.com"]


def moment(rng: random.Random) -> dt.datetime:
    """A send time in 2025, on the generator's seed."""
    start = dt.datetime(2025, 1, 6, 8, tzinfo=dt.UTC)
    return start + dt.timedelta(minutes=rng.randrange(340 * 24 * 60))


def _slots(rng: random.Random) -> dict[str, str]:
    domain = rng.choice(DOMAINS)
    slots = {"digits": str(rng.randint(100000, 999999)), "ticket": str(rng.randint(1000, 9999)), "domain": domain,
             "date": moment(rng).strftime("%d.%m."), "rcpt": f"customer{rng.randint(1, 99)}@{domain}"}
    slots["subject"] = rng.choice(OUR_SUBJECTS).format_map(slots)
    return slots


def _envelope(rng: random.Random, sender: str, subject: str, mailbox: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"{mailbox}@aeropressmall.com"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(moment(rng))
    msg["Message-ID"] = f"<{rng.getrandbits(64):016x}@auto.{rng.choice(DOMAINS)}>"
    return msg


def out_of_office(index: int, rng: random.Random, mailbox: str) -> bytes:
    lang, subject, headers, body = OUT_OF_OFFICE[index]
    slots = _slots(rng)
    msg = _envelope(rng, f"Customer {rng.randint(1, 99)} <{slots['rcpt']}>", subject.format_map(slots), mailbox)
    for name, value in headers:
        msg[name] = value
    msg.set_content(body.format_map(slots) + "\n")
    return mimebits.freeze(msg, f"ooo{index}")


def newsletter(index: int, rng: random.Random, mailbox: str) -> bytes:
    sender, subject, body = NEWSLETTERS[index]
    msg = _envelope(rng, sender, subject, mailbox)
    host = sender.rpartition("@")[2].rstrip(">")
    msg["List-Unsubscribe"] = f"<mailto:unsubscribe@{host}>, <https://{host}/u/{rng.getrandbits(32):x}>"
    if rng.random() < 0.5:
        msg["List-Id"] = f"Newsletter <news.{host}>"
        msg["Precedence"] = "bulk"
    msg.set_content(body + "\n\nUnsubscribe: https://" + host + "/u\n")
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    msg.add_alternative(f"<html><body><table><tr><td>{paragraphs}</td></tr></table></body></html>\n",
                        subtype="html")
    return mimebits.freeze(msg, f"news{index}")


def notification(index: int, rng: random.Random, mailbox: str) -> bytes:
    sender, subject, headers, body = NOTIFICATIONS[index]
    msg = _envelope(rng, sender, subject, mailbox)
    for name, value in headers:
        msg[name] = value
    msg.set_content(body.format_map(_slots(rng)) + "\n")
    return mimebits.freeze(msg, f"note{index}")


def bounce(index: int, rng: random.Random, mailbox: str) -> bytes:
    """A multipart/report delivery status notification returning one of our replies (RFC 3464)."""
    sender, subject, text, status = BOUNCES[index]
    slots = _slots(rng)
    boundary = f"=_dsn_{index}_{rng.getrandbits(32):x}"
    original_id = f"<{rng.getrandbits(48):x}@aeropressmall.com>"
    date = format_datetime(moment(rng))
    lines = [
        "Return-Path: <>", f"From: {sender.format_map(slots)}", f"To: {mailbox}@aeropressmall.com",
        f"Subject: {subject.format_map(slots)}", f"Date: {date}", "Auto-Submitted: auto-replied",
        f"Message-ID: <{rng.getrandbits(64):016x}@dsn.{slots['domain']}>", "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"', "",
        f"--{boundary}", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
        text.format_map(slots), "", f"--{boundary}", "Content-Type: message/delivery-status", "",
        f"Reporting-MTA: dns; mx1.{slots['domain']}", "", f"Final-Recipient: rfc822; {slots['rcpt']}",
        "Action: failed", f"Status: {status}", "", f"--{boundary}", "Content-Type: text/rfc822-headers", "",
        f"From: aeropressmall.com <{mailbox}@aeropressmall.com>", f"To: {slots['rcpt']}",
        f"Subject: {slots['subject']}", f"Message-ID: {original_id}", f"X-Loop: {mailbox}@aeropressmall.com", "",
        f"--{boundary}--", "",
    ]
    return "\n".join(lines).encode("utf-8")


KINDS = (("ooo", OUT_OF_OFFICE, out_of_office, 2), ("bounce", BOUNCES, bounce, 2),
         ("newsletter", NEWSLETTERS, newsletter, 2), ("notice", NOTIFICATIONS, notification, 1))


def messages() -> Iterator[tuple[str, bytes, str, str]]:
    """(file name, bytes, mailbox, split) for every auto mail; templates 1, 5, 9... are eval only."""
    for kind, templates, build, copies in KINDS:
        for index in range(len(templates)):
            for copy in range(copies):
                rng = random.Random(f"auto/{kind}/{index}/{copy}")
                mailbox = rng.choice(("press", "support", "support", "wholesale"))
                split = "eval" if index % 4 == 1 else "train"
                yield f"auto-{kind}-{index:02d}-{copy}.eml", build(index, rng, mailbox), mailbox, split
