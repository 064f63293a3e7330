"""Threading keys: Message-IDs as mailers really write them, the ticket tag, synthetic IDs."""
from __future__ import annotations

from inbox.threadkeys import add_tag, find_tags, id_list, normalize_id, synthetic_message_id


def test_message_ids_compare_equal_whatever_the_mailer_did_to_them() -> None:
    # A reply threads even when a mailer re-cased the domain, dropped the brackets or folded it.
    assert normalize_id("<CAJx2K9f@Mail.Gmail.COM>") == "<CAJx2K9f@mail.gmail.com>"
    assert normalize_id("  CAJx2K9f@mail.gmail.com ") == "<CAJx2K9f@mail.gmail.com>"
    assert normalize_id("<CAJx2K9f@\r\n mail.gmail.com>") == "<CAJx2K9f@mail.gmail.com>"
    assert normalize_id("") == "" and normalize_id("<>") == ""


def test_the_local_part_keeps_its_case() -> None:
    # Gmail's IDs are base64: 'AbC' and 'abc' are different messages.
    assert normalize_id("<AbC@x.example>") != normalize_id("<abc@x.example>")


def test_references_are_read_in_order_from_every_real_world_shape() -> None:
    # Commas, missing brackets, folding and comments all occur in References and In-Reply-To.
    value = "<a@x.example>,<b@X.example>\r\n\t c@x.example (Emily's message of Tue) <a@x.example>"
    assert id_list(value) == ("<a@x.example>", "<b@x.example>", "<c@x.example>")
    assert id_list("") == ()


def test_the_same_mail_in_two_mailboxes_gets_one_synthetic_id() -> None:
    # Transport headers and line endings differ per delivery; the ID must not.
    mail = (b"From: a@x.example\r\nTo: support@aeropressmall.com\r\nSubject: Hi\r\n"
            b"Date: Tue, 10 Mar 2026\r\n\r\nBody\r\n")
    other_box = (b"Return-Path: <a@x.example>\nDelivered-To: press@aeropressmall.com\nReceived: by mx2; Tue\n"
                 + mail.replace(b"\r\n", b"\n"))
    assert synthetic_message_id(mail) == synthetic_message_id(other_box)
    assert synthetic_message_id(mail).endswith("@synthetic.helpdesk>")


def test_different_mails_get_different_synthetic_ids() -> None:
    # Two customers' messages without IDs must never be taken for duplicates.
    first = b"From: a@x.example\r\nSubject: Hi\r\n\r\nBody one\r\n"
    assert synthetic_message_id(first) != synthetic_message_id(first.replace(b"one", b"two"))
    assert synthetic_message_id(first) != synthetic_message_id(first.replace(b"a@x", b"b@x"))


def test_ticket_tags_are_found_and_order_numbers_are_not() -> None:
    # '[#HD-12]' threads a reply; an order number, even bracketed, is not a ticket.
    assert find_tags("Re: Where is my order AP-123456? [#HD-10042]", "HD") == ["HD-10042"]
    assert find_tags("Re: [#hd-7] and [#HD-7] and [#HD-8]", "HD") == ["HD-7", "HD-8"]
    assert find_tags("Order AP-123456 [#AP-123] HD-10042 [HD-10042]", "HD") == []
    assert find_tags("Re: [#TKT-5]", "TKT") == ["TKT-5"]


def test_the_tag_is_added_once() -> None:
    # Replying to a reply must not grow the subject with a second tag.
    tagged = add_tag("Where is my order AP-123456?", "HD-10042")
    assert tagged == "Where is my order AP-123456? [#HD-10042]"
    assert add_tag("RE: " + tagged, "HD-10042") == "RE: " + tagged
    assert add_tag("", "HD-10042") == "[#HD-10042]"
