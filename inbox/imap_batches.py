"""What one round of new IMAP mail is fetched as: sizes first (RFC 3501 `RFC822.SIZE`), then batches
bounded in count and bytes, so a poller's memory stays bounded whatever arrives.

A batch is at most `batch_size` mails and FETCH_BYTES of mail; a larger mail is fetched alone; a
mail over `[storage] max_message_bytes` is never fetched whole: its header and the first
OVERSIZE_PREFIX bytes of its body go to the pipeline with its whole size, which quarantines it
(`Ingestor.check_size`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from imapclient import IMAPClient

from inbox.ingest import OVERSIZE_PREFIX, RawMail

FETCH_BYTES = 16 * 1024 * 1024  # mail fetched (and held) at once; a larger mail is fetched alone
SIZE_QUERY = 500  # UIDs per size query


@dataclass(frozen=True)
class Batch:
    """UIDs fetched and stored together; `oversize` ones are fetched as header and a prefix only."""

    uids: tuple[int, ...]
    oversize: bool = False


def plan_batches(uids: Sequence[int], sizes: dict[int, int], count: int, limit: int) -> Iterator[Batch]:
    """`uids` in order, in batches of at most `count` mails and FETCH_BYTES bytes; a mail larger than
    that alone, and one over `limit` alone and marked oversize. UIDs without a size were expunged."""
    batch: list[int] = []
    held = 0
    for uid in uids:
        size = sizes.get(uid)
        if size is None:
            continue
        if batch and (len(batch) >= count or held + size > FETCH_BYTES or size > limit):
            yield Batch(tuple(batch))
            batch, held = [], 0
        if size > limit:
            yield Batch((uid,), oversize=True)
            continue
        batch.append(uid)
        held += size
    if batch:
        yield Batch(tuple(batch))


def read_sizes(client: IMAPClient, uids: Sequence[int]) -> dict[int, int]:
    """RFC822.SIZE of each UID still there, asked for SIZE_QUERY UIDs at a time (a command line
    listing more would grow past what servers accept)."""
    sizes = {}
    for start in range(0, len(uids), SIZE_QUERY):
        for uid, item in client.fetch(uids[start:start + SIZE_QUERY], ["RFC822.SIZE"]).items():
            if b"RFC822.SIZE" in item:
                sizes[uid] = int(item[b"RFC822.SIZE"])
    return sizes


def fetch_batch(client: IMAPClient, batch: Batch, sizes: dict[int, int], folder_url: str) -> list[tuple[int, RawMail]]:
    """The batch's mails with their UIDs, `BODY.PEEK[]` (flags untouched), each with the server's
    arrival time; an oversize one as its header and the start of its body, with its whole size.
    `folder_url` names the folder and its UIDVALIDITY in each mail's source."""
    if batch.oversize:
        parts = [b"BODY[HEADER]", b"BODY[TEXT]<0>"]
        data = client.fetch(batch.uids, ["BODY.PEEK[HEADER]", f"BODY.PEEK[TEXT]<0.{OVERSIZE_PREFIX}>", "INTERNALDATE"])
    else:
        parts = [b"BODY[]"]
        data = client.fetch(batch.uids, ["BODY.PEEK[]", "INTERNALDATE"])
    mails = []
    for uid in batch.uids:
        item = data.get(uid) or {}
        if parts[0] not in item:  # expunged since the search
            continue
        body = b"".join(bytes(item.get(part) or b"") for part in parts)
        size = sizes[uid] if batch.oversize else None
        mails.append((uid, RawMail(body, f"{folder_url};UID={uid}", _utc(item.get(b"INTERNALDATE")), size=size)))
    return mails


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
