"""Order numbers named in a customer's mail, normalised to the shop's form (`AP-123456`).

The shop's pattern is its prefix and the digit counts its numbers have (`[routing] order_prefix`,
`order_digits`: `AP` with 5 or 6 digits by default). Customers write them many ways: `AP-123456`,
`#AP-12345`, `AP 123456`, `ap123456`, `#123456`, "order 123456", "order no. 123456",
"Bestellung 123456", "commande n° 123456", "pedido nº 123456". A bare number is taken only next to
the word for order: phone numbers, postcodes, prices, quantities ("order 50000 filters") and
tracking numbers are full of digit runs, and a ticket tag such as `[#HD-12]` (or any bracketed
`[#...]`) is ours, not an order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Looked at only this far into a text: order numbers come early, and a huge mail must cost no more.
SCAN_CHARS = 20_000

# Words that introduce an order number, then an optional "no." / "number" / "#" / ":" filler.
_KEYWORDS = (
    r"orders?|order[- ]?(?:no|nr|number|id|ref(?:erence)?)|"
    r"bestell(?:ungen|ung|nummer|nr|-nr)?|auftrag(?:snummer|snr)?|"
    r"commandes?|num[ée]ro de commande|n[°º] de commande|"
    r"pedidos?|orden|n[uú]mero de pedido|n[°º] de pedido"
)
_FILLER = r"(?:\s*(?:no\.?|nr\.?|number|n°|nº|n\.º|num(?:ber|ero|éro)?\.?|#|:|-))*\s*"
# A list after one keyword: "orders 123456, 123457 and 123458".
_AND = r"(?:\s*[,/&]\s*|\s+(?:and|und|et|y|or|oder|ou|o)\s+)"
# What makes a number after "order" a quantity, not an order: "order 50000 units".
_QUANTITY = (r"\s*(?:x\b|units?\b|pcs\b|pieces?\b|items?\b|filters?\b|presses?\b|st[üu]ck\b|stk\b|"
             r"unit[ée]s\b|pi[èe]ces\b|unidades\b|piezas\b)")
_DIGIT_RUN = re.compile(r"\d+")  # a match holds only its order numbers' digits, prefixes and separators


@dataclass(frozen=True)
class OrderPattern:
    """The shop's order numbers: a prefix and the digit counts they come in."""

    prefix: str = "AP"
    digits: tuple[int, ...] = (5, 6)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        counts = sorted(set(self.digits))
        if not re.fullmatch(r"[A-Za-z]{1,10}", self.prefix) or not counts or not all(1 <= n <= 20 for n in counts):
            raise ValueError("an order pattern needs a prefix of 1-10 letters and digit counts between 1 and 20")
        run = "|".join(rf"\d{{{n}}}" for n in reversed(counts))
        number = rf"(?:{run})(?![\d.,]\d|\d)"  # not part of a longer number, a decimal price or a phone number
        prefix = re.escape(self.prefix.lower())  # matched in the lower-cased text: IGNORECASE is slow
        with_prefix = rf"{prefix}\s?[-\u2010-\u2015_.#:]?\s?"
        regex = re.compile("|".join((
            rf"(?<![\w-]){with_prefix}(?P<prefixed>{number})",  # AP-123456, #AP-12345, AP 123456, ap123456
            rf"(?<!\[)(?<![\w#])#\s?(?P<hash>{number})",  # #123456, but never a [#tag]
            # orders 123456 and AP-123457, but not "order 50000 units"
            rf"(?<!\w)(?:{_KEYWORDS}){_FILLER}(?P<word>(?:{with_prefix})?{number}(?!{_QUANTITY})"
            rf"(?:{_AND}#?(?:{with_prefix})?{number}(?!{_QUANTITY}))*)",
        )))
        object.__setattr__(self, "_regex", regex)

    def find(self, text: str) -> tuple[str, ...]:
        """Every order number in `text`, as `PREFIX-digits`, in order of first mention, without repeats."""
        found = (digits for match in self._regex.finditer(text[:SCAN_CHARS].lower())
                 for digits in _DIGIT_RUN.findall(next(g for g in match.groups() if g)))
        return tuple(dict.fromkeys(f"{self.prefix.upper()}-{digits}" for digits in found))


DEFAULT = OrderPattern()


def order_numbers(text: str, pattern: OrderPattern = DEFAULT) -> tuple[str, ...]:
    """Every order number in `text` by the shop's pattern (the default one unless given)."""
    return pattern.find(text)
