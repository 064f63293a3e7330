"""The learned part of the router: TF-IDF over words and character n-grams, then a linear model.

Why this and nothing heavier: a few thousand labelled mails plus the agents' re-routes are far too
few for anything deep, a linear model over sparse n-grams trains in seconds (so `retrain` can run
on every schedule tick), scores one message well under a millisecond, and its weights name the
words that decided, which the console shows as the routing reason. Character n-grams (within
words) carry typos, inflections and German compounds ("Rücksendeetikett") that words alone miss.
The quoted history and signature are a third block, read with the same word vocabulary but weighed
down (`QUOTED_WEIGHT`), so the customer's own words decide and a forwarded thread still counts.

The probabilities are calibrated (calibration.py): after training, one temperature is fitted on
the hand-written calibration set, so the router's unsure threshold means what it says.

The model file holds only scikit-learn objects and plain values, stamped with a format version,
the scikit-learn version and a hash of the training data. Anything else (missing, stale format,
another scikit-learn, unreadable) is a `ModelFileError`, and the router falls back (classify.py).
The file is a pickle: like the database, it must live where only the helpdesk can write.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from scipy.sparse import csr_matrix, diags, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing import calibration, mailsets
from routing.corpus import AUTO, Parse, shipped_examples
from routing.features import Document, Example, document
from routing.scorer import Scorer
from routing.stopwords import STOP_WORDS
from routing.textnorm import WORD_PATTERN, letters
from tickets.config import Config
from tickets.errors import ConfigError, HelpdeskError
from tickets.models import RouteCorrection

FORMAT_VERSION = 3
EXPLAIN_WORDS = 3
# Regularisation of the linear model; it matters little here (2 to 30 route the calibration set alike).
C_VALUE = 10.0
# Signal tokens are binary while TF-IDF rows are unit length: scaled down so that the mailbox
# tilts the decision instead of making it (a return sent to press@ is still a return).
SIGNAL_WEIGHT = 0.05
# The sender's earlier tickets weigh more: for "any news?" they are all there is to go on.
HISTORY_WEIGHT = 0.5
# Quoted history, forwarded mail and the signature count, but less than what the customer wrote now.
QUOTED_WEIGHT = 0.4
# An agent's re-route is a verified label from the shop's own mail: it outweighs a shipped example.
CORRECTION_WEIGHT = 3.0
SIGNALS_BLOCK = 3  # the scorer's blocks: words, character n-grams, quoted words, signals, history

logger = logging.getLogger(__name__)


class ModelFileError(HelpdeskError):
    """The model file is missing, of another format or scikit-learn version, or unreadable."""


@dataclass(frozen=True)
class Scored:
    """The model's verdict on one message: a probability per queue, the words behind the best, and the
    best queue by the message's own content alone, without the mailbox it came to."""

    scores: dict[str, float]
    best: str
    words: tuple[str, ...]
    by_content: str = ""


@dataclass(frozen=True)
class TextModel:
    """Fitted vectorizers and classifier, plus the stamp that is stored with them."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    signals: CountVectorizer
    history: CountVectorizer
    classifier: LogisticRegression
    stamp: dict[str, Any]

    @cached_property
    def queues(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.classifier.classes_)

    def features(self, documents: Sequence[Document]) -> csr_matrix:
        """The feature matrix: each text block's rows scaled by the document's evidence."""
        texts = [d.text for d in documents]
        evidence = diags([d.evidence for d in documents])
        quoted = self.words.transform([d.quoted for d in documents]) * self.stamp["quoted_weight"]
        signals = self.signals.transform([d.signals for d in documents]) * self.stamp["signal_weight"]
        history = self.history.transform([d.history for d in documents]) * self.stamp["history_weight"]
        return hstack([evidence @ self.words.transform(texts), evidence @ self.chars.transform(texts), quoted,
                       signals, history], format="csr")

    @cached_property
    def scorer(self) -> Scorer:
        weighted = [(self.words, 1.0), (self.chars, 1.0), (self.words, self.stamp["quoted_weight"]),
                    (self.signals, self.stamp["signal_weight"]), (self.history, self.stamp["history_weight"])]
        return Scorer.of(weighted, self.classifier, self.stamp["temperature"])

    def rows(self, doc: Document) -> list[tuple[np.ndarray, np.ndarray]]:
        """The document's sparse feature rows, one per scorer block, as `features` builds them."""
        rows = self.scorer.rows((doc.text, doc.text, doc.quoted, doc.signals, doc.history))
        for block in (0, 1):
            rows[block] = (rows[block][0], rows[block][1] * doc.evidence)
        return rows

    @cached_property
    def _word_names(self) -> np.ndarray:
        return self.words.get_feature_names_out()

    def score(self, doc: Document, allowed: frozenset[str] | None = None) -> Scored:
        """Calibrated probabilities for one features.document; queues outside `allowed` are never best."""
        rows = self.rows(doc)
        logits = self.scorer.logits(rows)
        scores = dict(zip(self.queues, calibration.softmax(logits).tolist()))
        candidates = [i for i, q in enumerate(self.queues) if allowed is None or q in allowed] or \
            list(range(len(self.queues)))
        best = max(candidates, key=logits.__getitem__)
        content = logits - self.scorer.term_weights(SIGNALS_BLOCK, doc.signals.split(" ", 1)[0])  # the mailbox first
        return Scored(scores=scores, best=self.queues[best], words=self._top_words(rows[0], best),
                      by_content=self.queues[max(candidates, key=content.__getitem__)])

    def _top_words(self, row: tuple[np.ndarray, np.ndarray], queue: int) -> tuple[str, ...]:
        """The words of this message that pushed hardest towards queue number `queue`."""
        columns, values = row
        weights = self.scorer.weights[columns, queue] * values
        order = np.argsort(-weights)[:EXPLAIN_WORDS]
        return tuple(str(self._word_names[columns[i]]) for i in order if weights[i] > 0)


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer, CountVectorizer, CountVectorizer]:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", stop_words=STOP_WORDS,
                            token_pattern=WORD_PATTERN)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, preprocessor=letters, min_df=2)
    signals = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True)
    history = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True)
    return words, chars, signals, history


def data_hash(examples: Sequence[Example], weights: Sequence[float]) -> str:
    """A digest of the training data, so two model files say whether they learned the same thing."""
    digest = hashlib.sha256()
    for example, weight in zip(examples, weights):
        digest.update(f"{example.queue}\0{weight}\0{document(example)}\0".encode())
    return digest.hexdigest()


def fit(examples: Sequence[Example], weights: Sequence[float], stamp: dict[str, Any],
        held_out: Sequence[Example] = ()) -> TextModel:
    """Train on labelled examples, each weighted (agents' corrections count more than the set), then
    calibrate the probabilities on `held_out` labelled mail the model did not train on."""
    if len({e.queue for e in examples}) < 2:
        raise HelpdeskError("the router needs labelled mail from at least two queues to learn")
    documents = [document(e) for e in examples]
    words, chars, signals, history = _vectorizers()
    texts = [d.text for d in documents]
    words.fit(texts)
    chars.fit(texts)
    signals.fit([d.signals for d in documents])
    history.fit([d.history or "__none" for d in documents])  # a vocabulary even when nobody has a history
    classifier = LogisticRegression(C=C_VALUE, solver="newton-cg", class_weight="balanced", max_iter=1000)
    full_stamp = {"format": FORMAT_VERSION, "sklearn": sklearn.__version__, "signal_weight": SIGNAL_WEIGHT,
                  "quoted_weight": QUOTED_WEIGHT, "history_weight": HISTORY_WEIGHT, "temperature": 1.0,
                  "data_hash": data_hash(examples, weights), **stamp}
    model = TextModel(words=words, chars=chars, signals=signals, history=history, classifier=classifier,
                      stamp=full_stamp)
    classifier.fit(model.features(documents), [e.queue for e in examples], sample_weight=np.asarray(weights))
    full_stamp.update(_calibrate(model, held_out))
    return model


def logits(model: TextModel, documents: Sequence[Document]) -> np.ndarray:
    """The classifier's raw scores, one row per document and a column per queue (two for two queues)."""
    raw = model.classifier.decision_function(model.features(documents))
    return np.column_stack([-raw / 2, raw / 2]) if raw.ndim == 1 else raw


def _calibrate(model: TextModel, held_out: Sequence[Example]) -> dict[str, Any]:
    """The temperature fitted on held-out mail of known queues, with the log-loss before and after."""
    known = [e for e in held_out if e.queue in model.queues]
    if not known:
        return {"temperature": 1.0, "calibration_mails": 0}
    raw = logits(model, [document(e) for e in known])
    truth = np.array([model.queues.index(e.queue) for e in known])
    temperature = calibration.fit_temperature(raw, truth)
    return {"temperature": temperature, "calibration_mails": len(known),
            "log_loss_uncalibrated": calibration.log_loss(raw, truth),
            "log_loss": calibration.log_loss(raw, truth, temperature)}


def writable(path: Path) -> None:
    """Raise OSError unless a model file can be written at `path` (its folder made if need be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    os.unlink(probe)


def save(model: TextModel, path: Path) -> None:
    """Write the model file atomically: readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**model.stamp, "words": model.words, "chars": model.chars, "signals": model.signals,
               "history": model.history, "classifier": model.classifier}
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            joblib.dump(payload, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path) -> TextModel:
    """The model stored at `path`, or ModelFileError saying why it cannot be used."""
    if not path.exists():
        raise ModelFileError(f"{path}: no model file yet")
    try:
        payload = joblib.load(path)
    except Exception as exc:  # unpickling fails in many ways; every one means "rebuild"
        raise ModelFileError(f"{path}: unreadable model file ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION or "temperature" not in payload:
        raise ModelFileError(f"{path}: model file format is not version {FORMAT_VERSION}")
    if payload.get("sklearn") != sklearn.__version__:
        raise ModelFileError(f"{path}: trained with scikit-learn {payload.get('sklearn')}, "
                             f"this is {sklearn.__version__}")
    parts = {key: payload.pop(key, None) for key in ("words", "chars", "signals", "history", "classifier")}
    if not (isinstance(parts["words"], TfidfVectorizer) and isinstance(parts["chars"], TfidfVectorizer)
            and isinstance(parts["signals"], CountVectorizer) and isinstance(parts["history"], CountVectorizer)
            and isinstance(parts["classifier"], LogisticRegression)):
        raise ModelFileError(f"{path}: model file lacks its vectorizers or classifier")
    return TextModel(stamp=payload, **parts)


def correction_examples(session: Session, config: Config) -> list[Example]:
    """Agents' re-routes as labelled examples: the last re-route of each ticket is its true queue.

    Re-routes to `auto` or to a queue the config no longer has are left out: auto is the parser's
    verdict from headers, never the model's.
    """
    latest: dict[object, RouteCorrection] = {}
    for row in session.scalars(select(RouteCorrection).order_by(RouteCorrection.id)):
        latest[row.ticket_id if row.ticket_id is not None else ("row", row.id)] = row
    return [Example(mailbox=row.mailbox, subject=row.subject, text=row.text, queue=row.to_queue)
            for row in latest.values()
            if row.to_queue in config.queues and row.to_queue != AUTO and (row.subject or row.text)]


def calibration_examples(parse: Parse) -> list[Example]:
    """The hand-written calibration set, as labelled examples (routing/data/calibration)."""
    return mailsets.examples(mailsets.load(mailsets.CALIBRATION_DIR), parse)


def train_shipped(parse: Parse, now: dt.datetime) -> TextModel:
    """A model of the shipped training split alone: the fallback when no model file can be used."""
    examples = shipped_examples(parse)
    return fit(examples, [1.0] * len(examples), {"trained_at": now.isoformat(), "corrections": 0},
               calibration_examples(parse))


def retrain(session: Session, config: Config, parse: Parse, now: dt.datetime) -> dict[str, Any]:
    """Learn from the shipped set plus every re-route, and replace the model file.

    `parse` reads the shipped .eml files (routing must not import inbox). Returns the summary the
    scheduler logs and `helpdesk route --retrain` prints. A model file that cannot be written is
    refused before the training, not after it.
    """
    path = Path(config.routing.model_path)
    try:
        writable(path)
    except OSError as exc:
        raise ConfigError(f"routing.model_path: cannot write the model file {path}: {exc}") from None
    shipped = shipped_examples(parse)
    corrections = correction_examples(session, config)
    examples = shipped + corrections
    weights = [1.0] * len(shipped) + [CORRECTION_WEIGHT] * len(corrections)
    trained_at = now
    model = fit(examples, weights, {"trained_at": trained_at.isoformat(), "corrections": len(corrections)},
                calibration_examples(parse))
    try:
        save(model, path)
    except OSError as exc:
        raise ConfigError(f"routing.model_path: cannot write the model file {path}: {exc}") from None
    version = f"{FORMAT_VERSION}.{model.stamp['data_hash'][:12]}"
    logger.info("router retrained: %d examples (%d corrections), version %s", len(examples), len(corrections),
                version)
    return {"examples": len(examples), "corrections": len(corrections), "version": version,
            "path": str(path), "trained_at": trained_at.isoformat(), "sklearn": sklearn.__version__,
            "temperature": round(model.stamp["temperature"], 3)}
