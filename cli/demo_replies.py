"""What the demo's agents and customers write in its six weeks of history (`cli.demo_history`).

Agents answer each queue's kind of mail as the shop's policy says (returns within 60 days, refunds
5-10 working days after inspection, complaints classified and resolved); customers sometimes write
back. `{name}` is the customer's first name, `{agent}` the agent's.
"""
from __future__ import annotations

REPLIES: dict[str, tuple[str, ...]] = {
    "presales.general": (
        "Hi {name},\n\nthe AeroPress Original makes up to 3 cups at once and the Go packs into its own mug for "
        "travel; both use the same paper filters. Shipping is free worldwide.\n\nBest regards,\n{agent}",
        "Hi {name},\n\nyes, the metal filter fits every AeroPress except the XL. Discount codes cannot be "
        "combined, but the bundle price already includes 10% off.\n\nBest regards,\n{agent}",
    ),
    "presales.complex": (
        "Hi {name},\n\nfor a café counter we suggest two AeroPress XL with the flow control cap and a pack of "
        "stainless filters; the bundle discount and your coupon cannot stack, so the bundle is the better "
        "price. I attached the comparison to this reply.\n\nBest regards,\n{agent}",
    ),
    "wholesale": (
        "Hi {name},\n\nthank you for your interest in stocking AeroPress. Our wholesale price list starts at 24 "
        "units per model; I have added you to our reseller programme and our team will send the terms "
        "today.\n\nKind regards,\n{agent}",
    ),
    "order.tracking": (
        "Hi {name},\n\nyour parcel was held at the carrier's hub for a day and is moving again; the tracking "
        "now shows delivery within two working days.\n\nBest regards,\n{agent}",
        "Hi {name},\n\nthe carrier confirmed the parcel is in customs; it is usually released within three "
        "working days. We will resend it free of charge if it has not arrived by next week.\n\nBest "
        "regards,\n{agent}",
    ),
    "returns": (
        "Hi {name},\n\nyour return is approved. Please send the item in its original packaging to our return "
        "warehouse, with the return authorisation number on the parcel. The refund follows within 5-10 "
        "working days of the inspection.\n\nBest regards,\n{agent}",
    ),
    "refunds": (
        "Hi {name},\n\nyour returned AeroPress passed inspection and the refund was issued today to your "
        "original payment method; banks take 3-5 days to show it.\n\nBest regards,\n{agent}",
    ),
    "complaint.simple": (
        "Hi {name},\n\nI am sorry the plunger seal arrived damaged. A replacement seal is on its way at no "
        "cost, and you can keep the old one.\n\nBest regards,\n{agent}",
        "Hi {name},\n\nI am sorry about the late delivery. We refunded the shipping upgrade and added a "
        "pack of filters to your next order.\n\nBest regards,\n{agent}",
    ),
    "complaint.complex": (
        "Hi {name},\n\nI have gone through both orders with our warehouse and payments teams: the double "
        "charge is refunded and the missing chamber ships today. There is no need for a chargeback; the "
        "refund shows within 5 working days.\n\nBest regards,\n{agent}",
    ),
    "privacy": (
        "Hi {name},\n\nwe have deleted your account and the personal data we hold, except what tax law "
        "requires us to keep for orders. You will get no further marketing mail.\n\nBest regards,\n{agent}",
    ),
}

FOLLOW_UPS = (
    "Thanks, that helps. One more question: how long does it usually take?",
    "Thank you! It has not changed yet, could you check again?",
    "Thanks for the quick answer. Can you confirm the address once more?",
)

CLOSING_REPLIES = (
    "Hi {name},\n\nit usually takes two to three working days; we are keeping an eye on it for you.\n\n"
    "Best regards,\n{agent}",
    "Hi {name},\n\nI checked again: it is on its way and should reach you this week.\n\nBest regards,\n{agent}",
)
