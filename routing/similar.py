"""Suggested answers: the solved tickets of a queue most like a given one, by TF-IDF.

Why TF-IDF and a persisted index: the words a customer uses ("label", "stuck", "refund", an order's
model name) say what a ticket is about well enough to find the tickets that were solved before, with
the library the router already uses and no outside service. Vectorising every solved ticket for
each page would read and decrypt the whole queue; instead the scheduler's `suggestions-index` job
(and `helpdesk suggestions rebuild`) fits one vectoriser per queue and stores it with the unit-length
rows of that queue's solved tickets. A page then vectorises one ticket and takes one sparse product:
a few milliseconds at 100,000 tickets (docs/benchmarks.md).

What goes in: solved or closed tickets that are neither automatic mail, merged away nor anonymised,
whose customer was not erased, with an agent's reply before they were solved; each represented by
its subject and the customer's first message (already card-masked, as everything stored). The index
holds terms and numbers derived from customer text, so each file is sealed with the store's keyring,
like the raw mail beside it. The page checks every hit against the database again (still in the
queue, still solved, not anonymised since), so a stale index never shows what it should not.
"""
from __future__ import annotations

import io
import logging
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from routing.stopwords import STOP_WORDS
from routing.textnorm import WORD_PATTERN
from tickets import crypto
from tickets.models import Customer, Direction, Message, Status, Ticket

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
TEXT_CHARS = 4000      # a ticket's words beyond this say little more about what it is about
# In a large queue a word or pair in one solved ticket only is mostly noise, and a large vocabulary
# slows loading the index; in a small queue it may be the one word that matters.
MIN_DF, LARGE_QUEUE = 2, 1000
MIN_SCORE = 0.05       # below this cosine two tickets share a stray word, not a problem
FOLDER = "suggestions"
CHUNK = 5000


@dataclass(frozen=True)
class Hit:
    """A solved ticket like the one asked about, the reply that solved it, and how alike (cosine)."""

    ticket_id: int
    reply_id: int
    score: float


@dataclass(frozen=True)
class QueueIndex:
    """One queue's fitted vectoriser and its solved tickets as unit-length rows."""

    vectorizer: TfidfVectorizer
    rows: csr_matrix
    ticket_ids: np.ndarray
    reply_ids: np.ndarray

    def nearest(self, text: str, exclude: int, count: int) -> list[Hit]:
        """The `count` best hits for `text` (cosine similarity), without the ticket `exclude`."""
        if not self.ticket_ids.size:
            return []
        scores = (self.rows @ self.vectorizer.transform([text]).T).toarray().ravel()
        wanted = min(count + 1, scores.size)
        best = np.argpartition(-scores, wanted - 1)[:wanted]
        ranked = sorted(best, key=lambda i: -scores[i])
        return [Hit(int(self.ticket_ids[i]), int(self.reply_ids[i]), float(scores[i])) for i in ranked
                if scores[i] >= MIN_SCORE and int(self.ticket_ids[i]) != exclude][:count]


def ticket_text(subject: str, bodies: list[str]) -> str:
    return " ".join([subject, *bodies])[:TEXT_CHARS]


def _vectorizer(documents: int) -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=WORD_PATTERN, lowercase=True, strip_accents="unicode",
                           stop_words=sorted(STOP_WORDS), ngram_range=(1, 2), sublinear_tf=True,
                           min_df=MIN_DF if documents >= LARGE_QUEUE else 1, max_df=0.5,
                           dtype=np.float32)


def solved_sources(session: Session) -> dict[str, list[tuple[int, int, str]]]:
    """Per queue: (ticket id, id of the last agent reply before it was solved, its text), read in
    two statements: the tickets with their solving reply, then their first customer messages."""
    solved_at = func.coalesce(Ticket.solved_at, Ticket.closed_at, Ticket.updated_at)
    reply = (select(Message.id).where(Message.ticket_id == Ticket.id, Message.direction == Direction.OUTBOUND.value,
                                      Message.author_id.is_not(None), Message.received_at <= solved_at)
             .order_by(Message.received_at.desc(), Message.id.desc()).limit(1).correlate(Ticket).scalar_subquery())
    rows = session.execute(
        select(Ticket.id, Ticket.queue, Ticket.subject, reply.label("reply_id"))
        .outerjoin(Customer, Customer.id == Ticket.customer_id)
        .where(Ticket.status.in_((Status.SOLVED.value, Status.CLOSED.value)), Ticket.auto.is_(False),
               Ticket.merged_into_id.is_(None), Ticket.anonymised_at.is_(None), Customer.erased_at.is_(None))).all()
    heads = {r.id: r for r in rows if r.reply_id is not None}
    inbound = aliased(Message)
    bodies: dict[int, str] = {}
    ids = sorted(heads)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        first = (select(func.min(inbound.id)).where(inbound.direction == Direction.INBOUND.value,
                                                    inbound.ticket_id.in_(chunk)).group_by(inbound.ticket_id))
        for ticket_id, new_text, whole in session.execute(
                select(Message.ticket_id, Message.new_text, Message.text).where(Message.id.in_(first))):
            bodies[ticket_id] = new_text or whole
    sources: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ticket_id, head in heads.items():
        sources[head.queue].append((ticket_id, head.reply_id, ticket_text(head.subject, [bodies.get(ticket_id, "")])))
    return sources


def fit(sources: list[tuple[int, int, str]]) -> QueueIndex:
    vectorizer = _vectorizer(len(sources))
    texts = [text for _, _, text in sources]
    try:
        rows = csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # no word survives (too few or too alike tickets): try again keeping every word
        vectorizer.set_params(min_df=1, max_df=1.0)
        rows = csr_matrix(vectorizer.fit_transform(texts))
    return QueueIndex(vectorizer, rows, np.array([s[0] for s in sources], dtype=np.int64),
                      np.array([s[1] for s in sources], dtype=np.int64))


class SuggestionIndex:
    """The sealed per-queue index files under the file store, each loaded once per process and
    again only after a rebuild replaced it (its modification time changed)."""

    def __init__(self, root: str | os.PathLike[str], keyring: crypto.Keyring) -> None:
        self.folder = Path(root) / FOLDER
        self.keyring = keyring
        self._loaded: dict[str, tuple[int, QueueIndex]] = {}

    def _path(self, queue: str) -> Path:
        return self.folder / f"{queue}.idx"

    def rebuild(self, session: Session) -> dict[str, int]:
        """Fit every queue's index from the database; queues with no solved ticket lose theirs."""
        sources = solved_sources(session)
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("*.idx"):
            if stale.stem not in sources:
                stale.unlink()
        for queue, items in sources.items():
            self._write(queue, fit(items))
        return {"queues": len(sources), "tickets": sum(len(items) for items in sources.values())}

    def _write(self, queue: str, index: QueueIndex) -> None:
        buffer = io.BytesIO()
        joblib.dump({"format": FORMAT_VERSION, "sklearn": sklearn.__version__, "index": index}, buffer)
        handle, temporary = tempfile.mkstemp(prefix=f".{queue}.", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(self.keyring.seal(buffer.getvalue()))
            os.replace(temporary, self._path(queue))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, queue: str) -> QueueIndex | None:
        """The queue's index, or None when none was built yet (or it was built by another version)."""
        path = self._path(queue)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return None
        cached = self._loaded.get(queue)
        if cached and cached[0] == stamp:
            return cached[1]
        try:  # sealed by us, so authenticated: unpickling it runs nothing a stranger wrote
            payload = joblib.load(io.BytesIO(self.keyring.open(path.read_bytes())))
        except Exception as exc:  # another key, a torn copy: no suggestions until the next rebuild
            log.warning("suggestions index %s unusable (%s): rebuild it", path.name, type(exc).__name__)
            return None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION \
                or payload.get("sklearn") != sklearn.__version__:
            return None
        self._loaded[queue] = (stamp, payload["index"])
        return payload["index"]
