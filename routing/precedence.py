"""Which queue wins when a message fits several: small explicit rules over the model's verdict.

Customer Service Policy section 5: a complaint is a complaint even when the remedy it asks for is
a refund, and a dispute across departments, about several orders, or threatening a chargeback is
a complex complaint (5 working days, not 3); so is a threat of legal action, which escalates the
same way. The model sees these cases rarely; these rules make them certain and say why, quoting
the customer's own word, in English, German, French and Spanish.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

SIMPLE = "complaint.simple"
COMPLEX = "complaint.complex"
COMPLAINTS = (SIMPLE, COMPLEX)
# Queues where a chargeback or legal threat turns up: the customer is fighting over money or a parcel.
MONEY_QUEUES = ("refunds", "returns", "order.tracking", *COMPLAINTS)


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


COMPLAINT = _words(
    r"(?<!no )complaints?", r"complain(?:ing)?", r"unacceptable", r"outrageous", r"disgraceful", r"ridiculous",
    r"formal(?:ly)? complain\w*", r"very disappointed", r"fed up",
    r"beschwerden?", r"beschwere", r"reklamation", r"inakzeptabel", r"unversch[äa]mt\w*", r"frechheit",
    r"r[ée]clamation", r"plainte", r"inacceptable", r"inadmissible", r"scandaleu\w+", r"honteu\w+",
    r"quejas?", r"reclamaci[óo]n", r"inaceptable", r"vergonzos\w+", r"indignad\w+",
)
THREAT = _words(
    r"charge ?backs?", r"charge (?:it |this |both payments )?back", r"lawyers?", r"legal (?:action|steps)",
    r"consumer protection", r"dispute (?:it |this |the charge )?with my (?:bank|card issuer|credit card)",
    r"(?:open|file|raise)(?:ing)? a (?:paypal |payment )?dispute", r"reverse the (?:charge|payment)",
    r"r[üu]ckbuchung\w*", r"zur[üu]ckbuch\w*", r"zahlungen? (?:von meiner bank )?zur[üu]ckholen",
    r"anwalt\w*", r"rechtliche schritte", r"rechtlich vor", r"verbraucherzentrale",
    r"r[ée]trofacturation", r"opposition (?:bancaire|sur (?:le|mon) paiement)", r"annuler les (?:deux )?paiements",
    r"avocat\w*", r"action en justice", r"association de consommateurs",
    r"contracargos?", r"disputa con mi banco", r"anule los (?:dos )?cargos", r"abogad\w*",
    r"acciones legales", r"medidas legales",
)
DEPARTMENTS = {
    "delivery": _words(r"deliver\w*", r"shipping", r"courier", r"parcel", r"\w*liefer\w*", r"versand\w*",
                       r"paket\w*", r"zusteller", r"env[ií]os?", r"entrega", r"paquete", r"transportista",
                       r"livraison", r"colis", r"livreur", r"transporteur"),
    "returns/refunds": _words(r"refund\w*", r"returns?", r"r[üu]ckerstattung", r"r[üu]cksend\w*", r"\w*erstattung",
                              r"retoure\w*", r"reembolsos?", r"devoluci[óo]n\w*", r"rembours\w*", r"retours?"),
    "customer service": _words(r"customer service", r"support team", r"your (?:support )?agents?", r"kundenservice",
                               r"kundendienst", r"ihr support", r"atenci[óo]n al cliente", r"su soporte",
                               r"service client", r"votre support"),
    "billing/discounts": _words(r"coupons?", r"discount code", r"promo code", r"charged (?:my card )?twice",
                                r"double charge", r"gutschein\w*", r"rabatt\w*", r"doppelt (?:abgebucht|belastet)",
                                r"doppelte abbuchung", r"cup[óo]n", r"c[óo]digo de descuento", r"doble cargo",
                                r"cobr\w+ dos veces", r"code promo", r"double d[ée]bit", r"d[ée]bit[ée]e? deux fois"),
}
MIN_DEPARTMENTS = 3


@dataclass(frozen=True)
class Evidence:
    """What the post-rules look at: the new text and subject, its order numbers, the model's scores."""

    text: str
    orders: tuple[str, ...]
    scores: dict[str, float]


Verdict = tuple[str, str] | None
PostRule = Callable[[str, Evidence], Verdict]


def complaint_asking_refund(queue: str, evidence: Evidence) -> Verdict:
    """A refund or return request worded as a complaint is a complaint."""
    found = queue in ("refunds", "returns") and COMPLAINT.search(evidence.text)
    if not found:
        return None
    target = COMPLEX if evidence.scores.get(COMPLEX, 0) > evidence.scores.get(SIMPLE, 0) else SIMPLE
    return target, f"precedence: a complaint asking for a refund is a complaint (\"{found.group()}\")"


def threat(queue: str, evidence: Evidence) -> Verdict:
    """A chargeback or legal threat over an order, a return or a refund is a complex complaint."""
    found = queue in MONEY_QUEUES and queue != COMPLEX and THREAT.search(evidence.text)
    if not found:
        return None
    return COMPLEX, f"precedence: chargeback or legal threat (\"{found.group()}\")"


def several_orders(queue: str, evidence: Evidence) -> Verdict:
    if queue != SIMPLE or len(evidence.orders) < 2:
        return None
    return COMPLEX, f"precedence: complaint about {len(evidence.orders)} orders ({', '.join(evidence.orders)})"


def across_departments(queue: str, evidence: Evidence) -> Verdict:
    if queue != SIMPLE:
        return None
    named = [name for name, pattern in DEPARTMENTS.items() if pattern.search(evidence.text)]
    if len(named) < MIN_DEPARTMENTS:
        return None
    return COMPLEX, f"precedence: complaint across departments ({', '.join(named)})"


POST_RULES: tuple[PostRule, ...] = (complaint_asking_refund, threat, several_orders, across_departments)


def apply(queue: str, evidence: Evidence, queues: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """Run the post-rules in order; each may move the queue (to a configured one) and says why."""
    reasons: list[str] = []
    for rule in POST_RULES:
        verdict = rule(queue, evidence)
        if verdict and verdict[0] in queues:
            queue = verdict[0]
            reasons.append(verdict[1])
    return queue, tuple(reasons)
