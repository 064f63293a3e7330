"""Write the router's labelled training set: mail/*.eml and labels.tsv (run from anywhere).

    python routing/data/make_training_set.py [OUTPUT_DIR]

Deterministic: every message draws from its own seeded random generator, so re-running rewrites
the same bytes. Two kinds of human mail:

- template mail: each (language, queue) has its own list of distinct body templates and subjects
  (phrases_*.py); every eighth template and subject (index 1, 9, 17...) belongs to the held-out
  `eval` split only, a check of how well the model learned the generator.
- composed mail (composer.py, voices_*.py): short, rambling, several questions, forwarded threads,
  replies above quoted history, mixed languages, business signatures and disclaimers, follow-ups
  that only the sender's earlier ticket explains; and mail that fits no queue at all (`none`).

Around the body each message varies: greeting, closing, signature, typos, casing, the mailbox it
was sent to (sometimes the wrong one), HTML-only or multipart bodies, attachments, charsets. Auto
mail (out-of-office, bounces, newsletters, notifications) comes from auto_mail.py. The router is
judged on hand-written mail (routing/data/evaluation) that this generator never reads.
"""
from __future__ import annotations

import csv
import random
import sys
import unicodedata
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).parent))

import auto_mail  # noqa: E402
import composer  # noqa: E402
import mimebits  # noqa: E402
import phrases_de  # noqa: E402
import phrases_en  # noqa: E402
import phrases_es  # noqa: E402
import phrases_fr  # noqa: E402
import voices_de  # noqa: E402
import voices_en  # noqa: E402
import voices_es  # noqa: E402
import voices_fr  # noqa: E402

HERE = Path(__file__).parent
LANGUAGES: dict[str, ModuleType] = {"en": phrases_en, "de": phrases_de, "es": phrases_es, "fr": phrases_fr}
VOICES: dict[str, ModuleType] = {"en": voices_en, "de": voices_de, "es": voices_es, "fr": voices_fr}
# Messages per queue and language: English about 40%, the others about 20% each.
PER_QUEUE = {"en": 26, "de": 13, "es": 13, "fr": 13}
COMPOSED_PER_QUEUE = {"en": 100, "de": 40, "es": 40, "fr": 40}
NO_QUEUE_MAILS = {"en": 50, "de": 18, "es": 18, "fr": 18}
NO_QUEUE = "none"
USUAL_MAILBOX = {"presales.general": "press", "presales.complex": "press", "wholesale": "wholesale",
                 "order.tracking": "support", "returns": "support", "refunds": "support",
                 "complaint.simple": "support", "complaint.complex": "support", "privacy": "support"}
MAILBOXES = ("press", "support", "wholesale")
WRONG_MAILBOX_SHARE = 0.18
ATTACH_SHARE = {"complaint.simple": 0.35, "complaint.complex": 0.3, "returns": 0.3, "refunds": 0.2,
                "wholesale": 0.25, "order.tracking": 0.15}
PRODUCTS = ["AeroPress Original", "AeroPress Go", "AeroPress Clear", "AeroPress XL", "AeroPress Premium"]
PLACES = {
    "en": (["Canada", "Australia", "the UK", "Ireland", "New Zealand", "Singapore", "India"],
           ["Toronto", "Leeds", "Austin", "Melbourne", "Dublin", "Portland", "Cape Town"],
           ["USPS", "UPS", "FedEx", "DHL", "Royal Mail", "Canada Post"]),
    "de": (["Österreich", "Italien", "Polen", "Dänemark"], ["Berlin", "Hamburg", "Wien", "Köln", "Leipzig"],
           ["DHL", "Hermes", "DPD", "GLS", "die Post"]),
    "es": (["México", "Argentina", "Chile", "Colombia", "Perú"], ["Madrid", "Sevilla", "Valencia", "Bogotá"],
           ["Correos", "SEUR", "DHL", "MRW"]),
    "fr": (["Belgique", "Suisse", "France", "Espagne"], ["Lyon", "Lille", "Bordeaux", "Genève", "Nantes"],
           ["La Poste", "Colissimo", "Chronopost", "DPD"]),
}
BUSINESSES = ["Bean There Coffee Co.", "Café Lumen", "Kaffeehaus Nord", "Roast & Co", "La Taza Feliz",
              "Brew Lab Ltd", "Maison du Café", "Northside Espresso", "Grano de Oro SL", "Kitchen Plus GmbH"]
MAIL_DOMAINS = {"en": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.co.uk"],
                "de": ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"],
                "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"],
                "fr": ["orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr"]}
NO_SUBJECT = ["", "Question", "Hello", "Help", "(no subject)", "?"]


def is_eval(index: int) -> bool:
    """Templates 1, 9, 17... are held out: an eighth of each list, for the in-distribution check."""
    return index % 8 == 1


def pick_template(items: list[str], k: int, evaluation: bool | None = None) -> tuple[int, str]:
    """The k-th template in round-robin order, optionally only from one side of the split."""
    pool = [(i, t) for i, t in enumerate(items) if evaluation is None or is_eval(i) == evaluation]
    return pool[k % len(pool)]


def order_ref(rng: random.Random, words: list[str]) -> str:
    """An order number written the way customers write them, sometimes bare after a keyword."""
    digits = f"{rng.randint(100000, 999999)}" if rng.random() < 0.85 else f"{rng.randint(10000, 99999)}"
    style = rng.random()
    if style < 0.45:
        return f"AP-{digits}"
    if style < 0.65:
        return f"#{digits}"
    if style < 0.72:
        return rng.choice([f"ap-{digits}", f"AP {digits}", f"ap{digits}"])
    return f"{rng.choice(words)} {digits}" if rng.random() < 0.3 else digits


def details(rng: random.Random, lang: str, phrases: ModuleType) -> dict[str, str]:
    """The slot values of one message."""
    countries, cities, carriers = PLACES[lang]
    first, second = rng.sample(PRODUCTS, 2)
    acc1, acc2 = rng.sample(phrases.ACCESSORIES, 2)
    date = phrases.DATE_FORMAT.format(month=rng.choice(phrases.MONTHS), day=rng.randint(1, 28))
    cents = rng.choice(["00", "95", "99", "50"])
    dollars = rng.randint(8, 140)
    amount = f"${dollars}.{cents}" if lang == "en" else rng.choice([f"{dollars},{cents} $", f"{dollars},{cents} USD"])
    tracking = rng.choice([f"1Z{rng.randint(10**15, 10**16 - 1)}",
                           " ".join(f"{rng.randint(1000, 9999)}" for _ in range(5)),
                           f"LX{rng.randint(10**8, 10**9 - 1)}DE", f"JJD{rng.randint(10**14, 10**15 - 1)}"])
    orders = [order_ref(rng, phrases.ORDER_WORDS) for _ in range(3)]
    return {
        "product": first, "product2": second, "accessory": acc1, "accessory2": acc2,
        "order": orders[0], "order2": orders[1], "order3": orders[2], "date": date,
        "days": str(rng.randint(3, 25)), "weeks": str(rng.randint(2, 7)),
        "qty": str(rng.choice([20, 24, 36, 50, 80, 100, 150, 250, 500])),
        "qty2": str(rng.choice([40, 60, 120, 300])), "amount": amount, "carrier": rng.choice(carriers),
        "tracking": tracking, "city": rng.choice(cities), "country": rng.choice(countries),
        "business": rng.choice(BUSINESSES), "coupon": rng.choice(["SPRING15", "WELCOME10", "COFFEE20", "BREW5"]),
        "percent": str(rng.choice([10, 15, 20, 25])), "color": rng.choice(phrases.COLORS),
        "ticket": str(rng.randint(10000, 19999)), "day": f"{rng.randint(10, 59)}",
        "few": str(rng.randint(2, 6)),
    }


def typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: swapped, dropped or doubled letter."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def roughen(text: str, rng: random.Random) -> str:
    """Typos in a few long words, and sometimes the all-lowercase style of a quick phone mail."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    for i in rng.sample(candidates, min(len(candidates), rng.choice([0, 0, 1, 2, 3]))):
        words[i] = typo(words[i], rng)
    text = " ".join(words)
    return text.lower() if rng.random() < 0.1 else text


def signature(rng: random.Random, phrases: ModuleType, queue: str, name: str) -> list[str]:
    style = rng.random()
    if style < 0.45:
        return [name]
    if style < 0.6:
        return ["-- ", name, f"Tel. +{rng.randint(1, 49)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"]
    if style < 0.75 and queue == "wholesale":
        return [name, "Purchasing", rng.choice(BUSINESSES), f"www.{name.split()[0].lower()}-coffee.example"]
    if style < 0.85:
        return [name, "", rng.choice(phrases.MOBILE)]
    return [name.split()[0]]


def body_blocks(rng: random.Random, phrases: ModuleType, lang: str, queue: str, body: str,
                notes: list[str], name: str) -> list[list[str]]:
    """Greeting, the request (with optional filler and notes), closing and signature, as paragraphs."""
    greeting = rng.choice(phrases.GREETINGS)
    if not greeting or lang != "de":
        body = body[0].upper() + body[1:]
    sentences = ([rng.choice(phrases.FILLERS)] if rng.random() < 0.2 else []) + [body] + notes
    if rng.random() < 0.15:
        sentences.append(rng.choice(phrases.FILLERS))
    request = [" ".join(sentences)] if rng.random() < 0.6 else sentences
    closing = rng.choice(phrases.CLOSINGS)
    sign_off = ([closing] if closing else []) + signature(rng, phrases, queue, name)
    return ([[greeting]] if greeting else []) + [[s] for s in request] + [sign_off]


def quoted_history(rng: random.Random, phrases: ModuleType, slots: dict[str, str]) -> tuple[list[str], list[str]]:
    """An earlier mail the customer replies on top of: its attribution lines and its own lines."""
    attribution = rng.choice(phrases.ATTRIBUTION).format_map(slots)
    return attribution.split("\n"), rng.choice(phrases.QUOTED).format_map(slots).split("\n")


def plain_text(blocks: list[list[str]], head: list[str], quoted: list[str]) -> str:
    """Top-posted text: "> " quoting after an attribution line, or Outlook's unquoted header block."""
    text = "\n\n".join("\n".join(block) for block in blocks) + "\n"
    if head:
        outlook = head[0].startswith("-----")
        lines = head + [""] + quoted if outlook else head + [f"> {line}" for line in quoted]
        text += "\n" + "\n".join(lines) + "\n"
    return text


def template_draft(rng: random.Random, lang: str, queue: str, k: int, slots: dict[str, str], name: str,
                   notes: list[str]) -> tuple[composer.Draft, bool]:
    """A mail from one body template (the k-th of its list), and whether that template is held out."""
    phrases = LANGUAGES[lang]
    index, template = pick_template(phrases.BODIES[queue], k)
    evaluation = is_eval(index)
    blocks = body_blocks(rng, phrases, lang, queue, roughen(template.format_map(slots), rng), notes, name)
    head, quoted = quoted_history(rng, phrases, slots) if rng.random() < 0.15 else ([], [])
    subject = (rng.choice(NO_SUBJECT) if rng.random() < 0.07 else
               pick_template(phrases.SUBJECTS[queue], rng.randrange(1000), evaluation)[1].format_map(slots))
    return composer.Draft(blocks, head, quoted, f"Re: {subject}" if head else subject), evaluation


def human_message(lang: str, queue: str, k: int, composed: bool = False) -> tuple[bytes, str, str, str]:
    """One customer mail: its bytes, the mailbox it went to, its split and its sender's earlier queues."""
    phrases = LANGUAGES[lang]
    rng = random.Random(f"{lang}/{queue}/{k}" + ("/composed" if composed else ""))
    slots = details(rng, lang, phrases)
    mailbox = USUAL_MAILBOX[queue]
    notes = []
    if rng.random() < WRONG_MAILBOX_SHARE:
        mailbox = rng.choice([m for m in MAILBOXES if m != mailbox])
        notes += [rng.choice(phrases.WRONG_ADDRESS)] if rng.random() < 0.4 else []
    attach = rng.random() < ATTACH_SHARE.get(queue, 0.04)
    notes += [rng.choice(phrases.ATTACH_NOTES)] if attach and rng.random() < 0.6 else []
    name = rng.choice(phrases.NAMES)
    if composed:
        others = [m for code, m in LANGUAGES.items() if code != lang]
        draft = composer.compose(rng, lang, VOICES[lang], phrases, others, queue, slots, name)
        draft.blocks = [[roughen(line, rng) for line in block] for block in draft.blocks]
        evaluation = False
    else:
        draft, evaluation = template_draft(rng, lang, queue, k, slots, name, notes)
    msg = mime_message(rng, lang, draft, name, mailbox, f"{lang}{k}")
    if attach:
        mimebits.add_attachment(msg, queue, rng)
    return mimebits.freeze(msg, f"{lang}{k}{'c' if composed else ''}"), mailbox, "eval" if evaluation else "train", \
        " ".join(draft.earlier)


def no_queue_message(lang: str, k: int) -> tuple[bytes, str]:
    """Mail that belongs in no queue (press, job applications, vendors' pitches): bytes and mailbox."""
    phrases, voices = LANGUAGES[lang], VOICES[lang]
    rng = random.Random(f"{lang}/none/{k}")
    slots = details(rng, lang, phrases)
    subject, body = voices.OTHER[k % len(voices.OTHER)]
    name = rng.choice(phrases.NAMES)
    greeting, closing = rng.choice(phrases.GREETINGS), rng.choice(phrases.CLOSINGS)
    signature = ([line.format_map({**slots, "name": name}) for line in rng.choice(voices.BUSINESS_SIGNATURES)]
                 if rng.random() < 0.5 else [name])
    blocks = ([[greeting]] if greeting else []) + [[roughen(body.format_map(slots), rng)]] + \
        [([closing] if closing else []) + signature]
    draft = composer.Draft(blocks, subject=subject.format_map(slots) if rng.random() < 0.85 else "")
    mailbox = rng.choices(MAILBOXES, (0.5, 0.3, 0.2))[0]
    return mimebits.freeze(mime_message(rng, lang, draft, name, mailbox, f"{lang}n{k}"), f"{lang}n{k}"), mailbox


def mime_message(rng: random.Random, lang: str, draft: composer.Draft, name: str, mailbox: str,
                 seed: str) -> EmailMessage:
    """The draft as a mail: sender, headers, and a plain, HTML-only or multipart body in some charset."""
    msg = EmailMessage()
    local = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    local = local.replace(" ", rng.choice([".", "_", ""])).replace("'", "")
    msg["From"] = f"{name} <{local}{rng.randint(1, 99)}@{rng.choice(MAIL_DOMAINS[lang])}>"
    msg["To"] = f"{mailbox}@aeropressmall.com"
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(auto_mail.moment(rng))
    msg["Message-ID"] = f"<{rng.getrandbits(64):016x}.{seed}@mail.{rng.choice(MAIL_DOMAINS[lang])}>"
    text = plain_text(draft.blocks, draft.head, draft.quoted)
    charset = "iso-8859-1" if lang != "en" and rng.random() < 0.2 and _latin1(text) else "utf-8"
    style = rng.random()
    if style < 0.15:
        msg.set_content(mimebits.to_html(draft.blocks, draft.head, draft.quoted, rng), subtype="html",
                        charset="utf-8")
    else:
        msg.set_content(text, charset=charset)
        if style < 0.4:
            msg.add_alternative(mimebits.to_html(draft.blocks, draft.head, draft.quoted, rng), subtype="html")
    return msg


def _latin1(text: str) -> bool:
    try:
        text.encode("iso-8859-1")
    except UnicodeEncodeError:
        return False
    return True


def main(out: Path = HERE) -> None:
    """Write out/mail/*.eml and out/labels.tsv (the repository's own copy by default)."""
    mail_dir = out / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    for old in mail_dir.glob("*.eml"):
        old.unlink()
    rows = []
    for queue in USUAL_MAILBOX:
        for lang, count in PER_QUEUE.items():
            for k in range(count):
                raw, mailbox, split, earlier = human_message(lang, queue, k)
                name = f"{queue}-{lang}-{k:02d}.eml"
                (mail_dir / name).write_bytes(raw)
                rows.append((name, mailbox, queue, split, earlier))
            for k in range(COMPOSED_PER_QUEUE[lang]):
                raw, mailbox, split, earlier = human_message(lang, queue, k, composed=True)
                name = f"{queue}-{lang}-c{k:02d}.eml"
                (mail_dir / name).write_bytes(raw)
                rows.append((name, mailbox, queue, split, earlier))
    for lang, count in NO_QUEUE_MAILS.items():
        for k in range(count):
            raw, mailbox = no_queue_message(lang, k)
            name = f"{NO_QUEUE}-{lang}-{k:02d}.eml"
            (mail_dir / name).write_bytes(raw)
            rows.append((name, mailbox, NO_QUEUE, "train", ""))
    for name, raw, mailbox, split in auto_mail.messages():
        (mail_dir / name).write_bytes(raw)
        rows.append((name, mailbox, "auto", split, ""))
    with (out / "labels.tsv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("file", "mailbox", "queue", "split", "earlier"))
        writer.writerows(rows)
    print(f"wrote {len(rows)} messages to {mail_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
