"""MIME building blocks for the training-set generator: HTML bodies, attachments, stable bytes."""
from __future__ import annotations

import html
import random
from email.message import EmailMessage

ATTACHMENTS = {
    "photo": ("image", "jpeg", "IMG_{n}.jpg"),
    "screenshot": ("image", "png", "Screenshot {n}.png"),
    "pdf": ("application", "pdf", "document_{n}.pdf"),
    "csv": ("text", "csv", "order_request_{n}.csv"),
}
KIND_BY_QUEUE = {"complaint.simple": ["photo", "photo", "screenshot"], "complaint.complex": ["photo", "pdf"],
                 "returns": ["photo", "pdf"], "refunds": ["screenshot", "pdf"], "wholesale": ["pdf", "csv"],
                 "order.tracking": ["screenshot"]}


def attachment_bytes(kind: str, rng: random.Random) -> bytes:
    """Small stand-ins with the right magic numbers; the router only sees that a file is there."""
    noise = bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 600)))
    if kind == "photo":
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + noise + b"\xff\xd9"
    if kind == "screenshot":
        return b"\x89PNG\r\n\x1a\n" + noise
    if kind == "pdf":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + noise.hex().encode() + b"\n%%EOF\n"
    return b"product,quantity\nAeroPress Original,120\nAeroPress Go,80\nPaper filters 350,400\n"


def add_attachment(msg: EmailMessage, queue: str, rng: random.Random) -> None:
    kind = rng.choice(KIND_BY_QUEUE.get(queue, ["pdf"]))
    maintype, subtype, name = ATTACHMENTS[kind]
    filename = name.format(n=rng.randint(1000, 9999))
    msg.add_attachment(attachment_bytes(kind, rng), maintype=maintype, subtype=subtype, filename=filename)


def to_html(blocks: list[list[str]], head: list[str], quoted: list[str], rng: random.Random) -> str:
    """The HTML a webmail or Outlook would send for these paragraphs (lists of lines)."""
    def para(lines: list[str]) -> str:
        return "<br>\n".join(html.escape(line) for line in lines)

    outlook = rng.random() < 0.4
    if outlook:
        body = "\n".join(f'<p class="MsoNormal">{para(b)}<o:p></o:p></p>' for b in blocks)
        body = f'<div class="WordSection1">\n{body}\n</div>'
    else:
        body = "\n".join(f"<div>{para(b)}</div><div><br></div>" for b in blocks)
        body = f'<div dir="ltr">\n{body}\n</div>'
    if head:
        inner = "<br>\n".join(html.escape(line) for line in quoted)
        body += (f'\n<div class="gmail_quote"><div>{para(head)}</div>\n'
                 f'<blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">'
                 f"{inner}</blockquote></div>")
    style = "<style>p.MsoNormal{margin:0cm;font-family:Calibri}</style>" if outlook else ""
    return f"<html><head><meta charset=\"utf-8\">{style}</head><body>\n{body}\n</body></html>\n"


def freeze(msg: EmailMessage, seed: str) -> bytes:
    """The message's bytes with deterministic MIME boundaries (the library would pick random ones)."""
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_{seed}_{number}")
    return msg.as_bytes()
