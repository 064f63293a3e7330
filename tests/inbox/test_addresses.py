"""Address headers: the fast path reads exactly what the standard library's header registry reads."""
from __future__ import annotations

from email.utils import formataddr

from hypothesis import example, given, settings
from hypothesis import strategies as st

from inbox.addresses import parse_addresses, registry_addresses, split_addresses

# Names as people write them: letters of several scripts, and the characters that need quoting.
NAME_CHARS = st.sampled_from(list("AnaMüllerJøKé王芳Ирина ") + list(",.'\"()-:;<>@\\"))
NAMES = st.text(NAME_CHARS, min_size=1, max_size=24).filter(lambda n: n.strip())
LOCAL = st.sampled_from(["anna", "j.doe", "info", "o'brien", "mail+tag"])
DOMAIN = st.sampled_from(["example.com", "mail.example.org", "xn--bcher-kva.example"])


def q_encoded(name: str, charset: str = "utf-8") -> str:
    """An RFC 2047 Q encoded word as sloppy mailers write it: commas and dots left as they are."""
    data = name.encode(charset, "replace")
    body = "".join(chr(b) if chr(b).isalnum() or chr(b) in ",." else "_" if b == 32 else f"={b:02X}" for b in data)
    return f"=?{charset}?Q?{body}?="


@st.composite
def address_values(draw: st.DrawFn) -> str:
    """One address header value in one of the forms mail carries."""
    name, address = draw(NAMES), f"{draw(LOCAL)}@{draw(DOMAIN)}"
    form = draw(st.sampled_from(["formataddr", "raw", "encoded", "comment", "bare", "list"]))
    if form == "formataddr":
        return formataddr((name, address), charset="utf-8")
    if form == "raw":
        return f"{name} <{address}>"
    if form == "encoded":
        return f"{q_encoded(name, draw(st.sampled_from(['utf-8', 'iso-8859-1'])))} <{address}>"
    if form == "comment":
        return f"{address} ({name.replace('(', '').replace(')', '')})"
    if form == "bare":
        return address
    return ", ".join([formataddr((name, address), charset="utf-8"), f"{draw(LOCAL)}@example.net"])


@settings(max_examples=400, deadline=None)
@given(address_values())
@example("=?iso-8859-1?Q?M=FCller,=20Anna?= <anna@example.com>")
@example("John  Smith <john@example.com>")
@example("=?utf-8?q?J=C3=B6rg?= =?utf-8?q?_M=C3=BCller?= <j@example.com>")
def test_the_fast_path_reads_what_the_header_registry_reads(value: str) -> None:
    # Whatever the form, the plain-mailbox shortcut never reads a header differently from the registry.
    assert split_addresses(value) == registry_addresses(value)


@settings(max_examples=200, deadline=None)
@given(NAMES, LOCAL, DOMAIN)
def test_a_composed_name_and_address_come_back_as_written(name: str, local: str, domain: str) -> None:
    # What a correct mailer writes (quoted or encoded as needed) reads back as the same name and address.
    [(read_name, read_address)] = split_addresses(formataddr((name, f"{local}@{domain}"), charset="utf-8"))
    assert (read_name, read_address) == (" ".join(name.split()), f"{local}@{domain}")


def test_an_encoded_name_with_a_comma_is_one_sender() -> None:
    # The comma inside an encoded word does not split the mailbox (the old reader made two senders of it).
    defects: list[str] = []
    [sender] = parse_addresses("=?iso-8859-1?Q?M=FCller,=20Anna?= <anna@example.com>", defects)
    assert (sender.email, sender.name, sender.valid, defects) == ("anna@example.com", "Müller, Anna", True, [])


def test_idn_domains_and_unicode_local_parts_are_kept_in_unicode() -> None:
    # One customer is one address whether their mailer writes the domain in punycode or not.
    punycode, = parse_addresses("info@xn--bcher-kva.example", [])
    unicode, = parse_addresses("Jörg <jdöe@mächine.example>", [])
    assert punycode.email == "info@bücher.example" and punycode.valid
    assert (unicode.email, unicode.name, unicode.valid) == ("jdöe@mächine.example", "Jörg", True)
