"""Order numbers named in a customer's mail, normalised to the shop's form `AP-123456`.

Customers write them many ways: `AP-123456`, `ap 123456`, `#123456`, "order 123456", "order
no. 123456", "Bestellung 123456", "commande n° 123456", "pedido nº 123456". A bare six-digit run
is not taken: phone numbers, postcodes, prices and tracking numbers are full of them, and a ticket
tag such as `[#HD-12]` (or any bracketed `[#...]`) is ours, not an order.
"""
from __future__ import annotations

import re

# Words that introduce an order number, then an optional "no." / "number" / "#" / ":" filler.
_KEYWORDS = (
    r"orders?|order[- ]?(?:no|nr|number|id|ref(?:erence)?)|"
    r"bestell(?:ungen|ung|nummer|nr)?|auftrag(?:snummer)?|"
    r"commandes?|num[ée]ro de commande|"
    r"pedidos?|orden|n[uú]mero de pedido"
)
_FILLER = r"(?:\s*(?:no\.?|nr\.?|number|n°|nº|n\.º|num(?:ber|ero|éro)?\.?|#|:|-))*\s*"

# Six digits that are not part of a longer number, a decimal price or a phone number.
_NUMBER = r"\d{6}(?![\d.,]\d|\d)"
# A list after one keyword: "orders 123456, 123457 and 123458".
_AND = r"(?:\s*[,/&]\s*|\s+(?:and|und|et|y|or|oder|ou|o)\s+)"

_PATTERN = re.compile(
    "|".join((
        r"(?<![\w-])AP[- ]?(?P<ap>\d{6})(?!\d)",  # AP-123456, AP 123456, ap123456
        r"(?<!\[)(?<![\w#])# ?(?P<hash>\d{6})(?!\d)",  # #123456, but never a [#tag]
        rf"(?<!\w)(?:{_KEYWORDS}){_FILLER}(?P<word>{_NUMBER}(?:{_AND}#?{_NUMBER})*)",  # orders 123456 and 123457
    )),
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d{6}")


def order_numbers(text: str) -> tuple[str, ...]:
    """Every order number in `text`, as `AP-123456`, in order of first mention, without repeats."""
    found = (digits for match in _PATTERN.finditer(text)
             for digits in _DIGITS.findall(next(g for g in match.groups() if g)))
    return tuple(dict.fromkeys(f"AP-{digits}" for digits in found))
