"""Which queue wins when a message fits several: small explicit rules over the model's verdict.

Customer Service Policy section 5: a complaint is a complaint even when the remedy it asks for is
a refund, and a dispute about several orders, threatening a chargeback or legal action, or
involving three or more departments is a complex complaint (5 working days, not 3). Section 2: a
pre-sales question about several products together, matching accessories across models, or
stacking discounts is a complex consultation (3 working days, not 2), while choosing one model
among several is a general one. The model sees these cases rarely; these rules make them certain
and say why, quoting the customer's own words, in English, German, French and Spanish.

Each rule only moves a mail between neighbouring queues (its `family`): the router's confidence
in the result is the model's probability for the whole family, since the rule settles the choice
inside it. A mail that becomes a complaint becomes a simple one; the rules after it (a threat,
several orders, three departments) make it complex when the policy says so.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

SIMPLE = "complaint.simple"
COMPLEX = "complaint.complex"
COMPLAINTS = (SIMPLE, COMPLEX)
GENERAL = "presales.general"
PRESALES_COMPLEX = "presales.complex"
# Queues where a chargeback or legal threat turns up: the customer is fighting over money or a parcel.
MONEY_QUEUES = ("refunds", "returns", "order.tracking", *COMPLAINTS)
# Queues whose mail becomes a complaint when the customer says it is one.
COMPLAINABLE = ("refunds", "returns", "order.tracking", GENERAL, PRESALES_COMPLEX)


def _words(*alternatives: str) -> re.Pattern[str]:
    """Any of the (lower-case) alternatives as whole words, searched in the lower-cased text: matching
    with re.IGNORECASE costs three times as much."""
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# Dissatisfaction: with a refund or return request, it makes the mail a complaint.
COMPLAINT = _words(
    r"(?<!no )complaints?", r"complain(?:ing)?", r"unacceptable", r"outrageous", r"disgraceful", r"ridiculous",
    r"formal(?:ly)? complain\w*", r"very disappointed", r"fed up",
    r"beschwerden?", r"beschwere", r"reklamation", r"inakzeptabel", r"unversch[äa]mt\w*", r"frechheit",
    r"r[ée]clamation", r"plainte", r"inacceptable", r"inadmissible", r"scandaleu\w+", r"honteu\w+",
    r"quejas?", r"reclamaci[óo]n", r"inaceptable", r"vergonzos\w+", r"indignad\w+",
)
# The customer says in so many words that this is a complaint: whatever it is about, it is one.
DECLARED_COMPLAINT = _words(
    r"(?:make|file|lodge|raise|submit|register) an? (?:formal |official )?complaint", r"formal complaint",
    r"official complaint", r"this is (?:a|my) (?:formal |official )?complaint",
    r"i (?:want|wish|would like) to complain",
    r"(?:i am|i'm) (?:writing to )?complain(?:ing)?", r"complaint (?:about|regarding|concerning)",
    r"(?:möchte|will|muss) mich (?:\w+ ){0,4}beschweren", r"offizielle beschwerde", r"beschwerde (?:über|wegen|zu)",
    r"je (?:souhaite|veux|voudrais) (?:me plaindre|faire une r[ée]clamation|d[ée]poser une (?:plainte|r[ée]clamation))",
    r"r[ée]clamation officielle", r"quiero (?:poner|presentar) una (?:queja|reclamaci[óo]n)",
    r"quiero quejarme", r"reclamaci[óo]n formal", r"queja formal",
)
THREAT = _words(
    r"charge ?backs?", r"charge (?:it |this |both payments )?back", r"lawyers?", r"attorney", r"solicitors?",
    r"legal (?:action|steps|department)", r"small claims", r"court", r"consumer protection", r"trading standards",
    r"better business bureau",
    r"dispute (?:it |this |the charge |the payment |both charges )?"
    r"with my (?:bank|card issuer|credit card(?: company)?)",
    r"(?:open|file|raise)(?:ing)? a (?:paypal |payment |bank )?dispute", r"(?:opened|filed) a dispute",
    r"reverse the (?:charge|payment)", r"dispute both charges",
    r"r[üu]ckbuchung\w*", r"zur[üu]ckbuch\w*", r"zahlungen? (?:von meiner bank )?zur[üu]ckholen",
    r"anwalt\w*", r"rechtliche schritte", r"rechtlich vor", r"verbraucherzentrale", r"gericht\w*",
    r"r[ée]trofacturation", r"opposition (?:bancaire|sur (?:le|mon) paiement)", r"fais opposition",
    r"faire opposition", r"annuler les (?:deux )?paiements", r"avocat\w*", r"action en justice",
    r"association de consommateurs", r"tribunal",
    r"contracargos?", r"disputa con mi banco", r"anule los (?:dos )?cargos", r"abogad\w*",
    r"acciones legales", r"medidas legales", r"asociaci[óo]n de consumidores", r"juzgado",
)
# "both orders", "my last three orders": several orders named without their numbers.
SEVERAL_ORDERS = _words(
    r"(?:both|two|three|four|several|multiple|all) (?:of )?(?:my |these |the |your )?(?:\w+ )?orders",
    r"(?:2|3|4) orders", r"every (?:single )?order", r"orders? (?:\d+ )?(?:and|&) (?:\d+)",
    r"beide[n]? bestellungen", r"(?:zwei|drei|mehrere|alle) (?:meine[n]? )?bestellungen",
    r"(?:les )?deux commandes", r"plusieurs commandes", r"(?:trois|toutes mes) commandes",
    r"(?:los )?dos pedidos", r"(?:varios|ambos|tres) pedidos",
)
DEPARTMENTS = {
    "delivery": _words(r"deliver\w*", r"shipping", r"courier", r"parcel", r"\w*liefer\w*", r"versand\w*",
                       r"paket\w*", r"zusteller", r"paketdienst", r"env[ií]os?", r"entrega", r"paquete",
                       r"transportista", r"livraison", r"colis", r"livreur", r"transporteur"),
    "returns/refunds": _words(r"refund\w*", r"returns?", r"r[üu]ckerstattung", r"r[üu]cksend\w*", r"\w*erstattung",
                              r"retoure\w*", r"reembolsos?", r"devoluci[óo]n\w*", r"devoluciones", r"rembours\w*",
                              r"retours?", r"warehouse", r"lager", r"entrep[ôo]t", r"almac[ée]n"),
    "customer service": _words(r"customer service", r"support team", r"your (?:support )?agents?", r"kundenservice",
                               r"kundendienst", r"ihr support", r"atenci[óo]n al cliente", r"su soporte",
                               r"service client", r"votre support", r"your support"),
    "billing/discounts": _words(r"coupons?", r"discount code", r"promo code", r"charged (?:my card )?twice",
                                r"double charge", r"billing", r"finance", r"accounting", r"gutschein\w*", r"rabatt\w*",
                                r"doppelt (?:abgebucht|belastet)", r"doppelte abbuchung", r"buchhaltung",
                                r"cup[óo]n", r"c[óo]digo de descuento", r"doble cargo", r"cobr\w+ dos veces",
                                r"contabilidad", r"code promo", r"double d[ée]bit", r"d[ée]bit[ée]e? deux fois",
                                r"comptabilit[ée]"),
}
MIN_DEPARTMENTS = 3

# AeroPress models as customers name them; the plain words ("go", "clear") only with a capital or the brand.
MODELS = {
    "Original": re.compile(r"(?i:aero ?press\s+original)|(?<!\w)Originals?(?!\w)"),
    "Go": re.compile(r"(?i:aero ?press\s+go)(?!\w)|(?<!\w)Gos?(?!\w)"),
    "Clear": re.compile(r"(?i:aero ?press\s+clear)|(?<!\w)Clears?(?!\w)"),
    "XL": re.compile(r"(?<!\w)(?i:xl)(?!\w)"),
    "Premium": re.compile(r"(?i:aero ?press\s+premium)|(?<!\w)Premium(?!\w)"),
}
# Buying or fitting several things together, rather than choosing one.
TOGETHER = _words(
    r"both", r"together", r"each", r"all (?:three|four|of them)", r"(?:two|three|four|2|3|4) (?:presses|aeropress\w*)",
    r"bundle", r"fits?", r"compatible", r"interchangeable", r"work with", r"the same (?:filters?|seals?|caps?|size)",
    r"beide[n]?", r"zusammen", r"jeweils", r"f[üu]r jede", r"passen", r"passt", r"kompatibel", r"austauschbar",
    r"les deux", r"ensemble", r"chacune?", r"compatibles?", r"interchangeables?", r"va(?:-t-il)? sur",
    r"los dos", r"las dos", r"juntos", r"cada una?", r"ambos", r"sirven? para", r"intercambiables?",
    r"se pueden intercambiar",
)
STACKED_DISCOUNT = _words(
    r"stack(?:ing|ed)?", r"on top of (?:the )?(?:sale|discount|bundle|offer)",
    r"(?:both|two) (?:codes|coupons|discounts)",
    r"combine (?:the |my |both |two )?(?:codes?|coupons?|discounts?|vouchers?)",
    r"(?:codes?|coupons?) (?:still )?work on top",
    r"kombinieren", r"verrechnen", r"mit dem (?:\w+ )?(?:angebot|rabatt) kombinieren", r"cumuler",
    r"combinar (?:el|los|mi) (?:cup[óo]n|descuento|c[óo]digo)", r"acumular",
)


@dataclass(frozen=True)
class Evidence:
    """What the post-rules look at: the new text and subject, its order numbers, the model's scores."""

    text: str
    orders: tuple[str, ...]
    scores: dict[str, float]

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    def find(self, pattern: re.Pattern[str]) -> str:
        """The customer's own words that `pattern` (lower-case) finds in the text, or ''."""
        found = pattern.search(self.lowered)
        if not found:
            return ""
        same_length = len(self.lowered) == len(self.text)  # lower() keeps positions but for a few letters
        return self.text[found.start():found.end()] if same_length else found.group()


@dataclass(frozen=True)
class Verdict:
    """A rule's move: the new queue, why, and the neighbouring queues it chose among."""

    queue: str
    reason: str
    family: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    """Where the rules leave a mail, the reasons they gave, and the family of queues they chose within."""

    queue: str
    reasons: tuple[str, ...] = ()
    family: frozenset[str] = field(default_factory=frozenset)


PostRule = Callable[[str, Evidence], Verdict | None]


def declared_complaint(queue: str, evidence: Evidence) -> Verdict | None:
    """"This is a formal complaint": a complaint, whatever it is about."""
    found = queue in COMPLAINABLE and evidence.find(DECLARED_COMPLAINT)
    if not found:
        return None
    return Verdict(SIMPLE, f"precedence: the customer makes a complaint (\"{found}\")",
                   frozenset({queue, *COMPLAINTS}))


def complaint_asking_refund(queue: str, evidence: Evidence) -> Verdict | None:
    """A refund or return request worded as a complaint is a complaint."""
    found = queue in ("refunds", "returns") and evidence.find(COMPLAINT)
    if not found:
        return None
    return Verdict(SIMPLE, f"precedence: a complaint asking for a refund is a complaint (\"{found}\")",
                   frozenset({"refunds", "returns", *COMPLAINTS}))


def threat(queue: str, evidence: Evidence) -> Verdict | None:
    """A chargeback or legal threat over an order, a return or a refund is a complex complaint."""
    found = queue in MONEY_QUEUES and queue != COMPLEX and evidence.find(THREAT)
    if not found:
        return None
    return Verdict(COMPLEX, f"precedence: chargeback or legal threat (\"{found}\")", frozenset(MONEY_QUEUES))


def several_orders(queue: str, evidence: Evidence) -> Verdict | None:
    if queue != SIMPLE:
        return None
    if len(evidence.orders) >= 2:
        why = f"{len(evidence.orders)} orders ({', '.join(evidence.orders)})"
    else:
        found = evidence.find(SEVERAL_ORDERS)
        if not found:
            return None
        why = f"several orders (\"{found}\")"
    return Verdict(COMPLEX, f"precedence: complaint about {why}", frozenset(COMPLAINTS))


def across_departments(queue: str, evidence: Evidence) -> Verdict | None:
    if queue != SIMPLE:
        return None
    named = [name for name, pattern in DEPARTMENTS.items() if evidence.find(pattern)]
    if len(named) < MIN_DEPARTMENTS:
        return None
    return Verdict(COMPLEX, f"precedence: complaint across departments ({', '.join(named)})", frozenset(COMPLAINTS))


def several_products(queue: str, evidence: Evidence) -> Verdict | None:
    """Several models bought or fitted together, or discounts stacked: a complex pre-sales question."""
    if queue != GENERAL:
        return None
    family = frozenset({GENERAL, PRESALES_COMPLEX})
    stacked = evidence.find(STACKED_DISCOUNT)
    if stacked:
        return Verdict(PRESALES_COMPLEX, f"precedence: discounts combined (\"{stacked}\")", family)
    models = [name for name, pattern in MODELS.items() if pattern.search(evidence.text)]  # capitals matter
    together = evidence.find(TOGETHER) if len(models) >= 2 else ""
    if not together:
        return None
    return Verdict(PRESALES_COMPLEX, f"precedence: several models together ({', '.join(models)}; \"{together}\")",
                   family)


POST_RULES: tuple[PostRule, ...] = (declared_complaint, complaint_asking_refund, threat, several_orders,
                                    across_departments, several_products)


def apply(queue: str, evidence: Evidence, queues: frozenset[str]) -> Outcome:
    """Run the post-rules in order; each may move the queue (to a configured one) and says why."""
    reasons: list[str] = []
    family: frozenset[str] = frozenset()
    for rule in POST_RULES:
        verdict = rule(queue, evidence)
        if verdict and verdict.queue in queues:
            queue, family = verdict.queue, family | verdict.family
            reasons.append(verdict.reason)
    return Outcome(queue, tuple(reasons), family)
