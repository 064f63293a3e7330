"""Which of our messages a bounce returns, so the reply can be marked undelivered (docs/architecture.md).

A delivery status notification (RFC 3464, multipart/report) carries the returned mail as a
message/rfc822 or text/rfc822-headers part; older MTAs (Exim, qmail: 'X-Failed-Recipients')
quote the returned headers in the plain text instead.
"""
from __future__ import annotations

import re
from email.message import Message

from inbox.charsets import unescape_raw
from inbox.threadkeys import id_list

_ID_HEADERS = ("message-id", "in-reply-to", "references")
_QUOTED_ID_LINE = re.compile(r"^[ \t>]*(?:Message-ID|In-Reply-To|References)[ \t]*:[ \t]*(.*(?:\n[ \t]+.*)*)",
                             re.IGNORECASE | re.MULTILINE)
_DAEMON = re.compile(r"(?:^|[\s<\"])(?:mailer-daemon|postmaster)@", re.IGNORECASE)


def bounced_ids(returned: list[Message], text: str, headers: dict[str, str]) -> tuple[str, ...]:
    """Message-ID, then In-Reply-To and References, of the mail a bounce returns; () otherwise.

    `headers` maps lower-cased names to the bounce's own first header values. The plain-text
    fallback runs only for mail that is evidently a bounce, so an auto-reply quoting a
    conversation is not mistaken for one.
    """
    ids: list[str] = []
    for original in returned:
        found = {key.lower(): unescape_raw(value) for key, value in reversed(list(original.raw_items()))}
        for name in _ID_HEADERS:
            ids.extend(id_list(found.get(name, "")))
    if not ids and ("x-failed-recipients" in headers or _DAEMON.search(headers.get("from", ""))):
        for quoted in _QUOTED_ID_LINE.finditer(text):
            ids.extend(id_list(quoted.group(1)))
    return tuple(dict.fromkeys(ids))
