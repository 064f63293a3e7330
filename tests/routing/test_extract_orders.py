"""Order numbers as customers write them, normalised to AP-123456, by the shop's pattern from the config."""
from __future__ import annotations

import dataclasses

import pytest
from routekit import NOW

from routing.classify import Router, order_pattern
from routing.extract import OrderPattern, order_numbers
from tickets.config import Config
from tickets.errors import ConfigError


@pytest.mark.parametrize(("text", "expected"), [
    ("Where is AP-123456?", ("AP-123456",)),
    ("ap 123456 and ap654321", ("AP-123456", "AP-654321")),
    ("my order #445566 still hasn't shipped", ("AP-445566",)),
    ("order 123456", ("AP-123456",)),
    ("Order No. 223344 and order number: 334455", ("AP-223344", "AP-334455")),
    ("Bestellung 123456, Bestellnummer: 111222, Bestell-Nr. 121212", ("AP-123456", "AP-111222", "AP-121212")),
    ("commande n° 998877 / numéro de commande 121212", ("AP-998877", "AP-121212")),
    ("pedido nº 556677 y número de pedido 112233", ("AP-556677", "AP-112233")),
    ("my orders 111111 and 222222", ("AP-111111", "AP-222222")),
    ("Bestellungen 111111, 222222 und #333333", ("AP-111111", "AP-222222", "AP-333333")),
    ("#AP-12345 still not here", ("AP-12345",)),
    ("AP 123456", ("AP-123456",)),
    ("Order: 123456, order AP123456", ("AP-123456",)),
    ("n° de commande : 654321", ("AP-654321",)),
    ("Bestell-Nr.: 112233 / Auftragsnummer 445566", ("AP-112233", "AP-445566")),
    ("my order is AP–123456 (sorry, my phone adds long dashes)", ("AP-123456",)),
    ("Orders 130559 & 131004", ("AP-130559", "AP-131004")),
])
def test_order_numbers_in_every_form_and_language_are_found(text: str, expected: tuple[str, ...]) -> None:
    # Every way customers write an order number comes out as AP-123456, in order of mention.
    assert order_numbers(text) == expected


@pytest.mark.parametrize("text", [
    "Re: Where is my parcel? [#HD-12]",
    "Re: your ticket [#123456]",
    "call me on +49 176 123456 or 0176-123456",
    "I paid $123456.00 by mistake",
    "order total 123456,50 USD",
    "tracking 1Z999AA10123456784, postcode 123456",
    "order 1234567 has seven digits",
    "we would like to order 50000 filters and 12000 units",
    "Bestellung 12000 Stück bitte",
    "AP 2026 annual report",
    "Invoice INV-2026-0042 and RA-20931",
])
def test_tags_phones_prices_and_other_numbers_are_not_orders(text: str) -> None:
    # Ticket tags, phone numbers, prices, tracking numbers and bare digits are never taken for orders.
    assert order_numbers(text) == ()


def test_repeats_are_reported_once_in_first_mention_order() -> None:
    # The same order written three ways is one order, listed where it was first named.
    assert order_numbers("#654321, then AP-123456, then order 654321 again, ap-123456") == ("AP-654321", "AP-123456")


def test_the_shops_pattern_comes_from_the_config() -> None:
    # A shop whose orders look like SH-1234567 gets them found in all the same forms; AP numbers are not its own.
    pattern = OrderPattern("SH", (7,))
    assert order_numbers("Where is #SH-1234567? Also order 7654321 and AP-123456.", pattern) == (
        "SH-1234567", "SH-7654321")


@pytest.mark.parametrize(("prefix", "digits"), [("", (6,)), ("A-P", (6,)), ("AP", ()), ("AP", (0,))])
def test_a_bad_order_pattern_is_a_config_error_naming_the_keys(prefix: str, digits: tuple[int, ...]) -> None:
    # A typo in the pattern stops the router from loading, with the keys to fix.
    config = Config()
    config = dataclasses.replace(config, routing=dataclasses.replace(config.routing, order_prefix=prefix,
                                                                     order_digits=digits))
    with pytest.raises(ConfigError, match=r"routing.order_prefix / routing.order_digits"):
        Router.load(config, None, NOW)
    with pytest.raises(ConfigError):
        order_pattern(config)
