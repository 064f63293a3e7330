"""Router benchmark: accuracy on the held-out split, and classification speed.

Run: python benchmarks/routing.py [--seconds S]

1. The router is trained on the shipped training split only (routing/data, split "train") and
   decides every mail of the evaluation split, whose phrasings it never saw. Printed: accuracy,
   precision and recall per queue, the confusion matrix, human mail marked auto, auto mail missed.
   Baselines from the same run: every mail to its mailbox's default queue, and a keyword lookup.
2. Messages per second for `Router.decide` on already-parsed mail (parsing excluded), on one core
   (target >= 2000/s), next to the keyword lookup and to scikit-learn's own per-message
   `transform` of the same two TF-IDF vectorizers, measured in the same run. Wall-clock and CPU
   time are both shown: on a busy machine the CPU figure is the one-core rate. Before every pass
   the scorer's per-word memo is reset to what reading the training split leaves in it, as in a
   router that has seen the shop's mail before: held-out words (names, typos, numbers) are new.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

# This script shares its name with the package it measures: keep its own folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # noqa: E402

from inbox.parse import parse_message  # noqa: E402
from routing import model  # noqa: E402
from routing.classify import Router  # noqa: E402
from routing.corpus import Labelled, labelled, shipped_examples  # noqa: E402
from routing.features import Example, document, example_from_parsed  # noqa: E402
from tickets.config import Config  # noqa: E402
from tickets.mail import ParsedMessage  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
QUEUES = ("presales.general", "presales.complex", "wholesale", "order.tracking", "returns", "refunds",
          "complaint.simple", "complaint.complex", "privacy", "auto")
# The keyword baseline: the first word found decides, in this order; else the mailbox default.
KEYWORDS = (
    ("privacy", ("delete my", "gdpr", "unsubscribe", "personal data", "dsgvo", "löschen", "rgpd", "datos",
                 "données")),
    ("complaint.complex", ("chargeback", "lawyer", "rückbuchung", "contracargo", "rétrofacturation")),
    ("complaint.simple", ("complain", "disappointed", "unacceptable", "beschwerde", "queja", "réclamation")),
    ("wholesale", ("wholesale", "bulk", "reseller", "großhandel", "mayorista", "grossiste", "revendeur")),
    ("refunds", ("refund", "erstattung", "reembolso", "rembours")),
    ("returns", ("return", "rücksend", "zurückschicken", "devolver", "devolución", "retourner")),
    ("order.tracking", ("tracking", "parcel", "sendungsverfolgung", "paket", "seguimiento", "colis")),
    ("presales.complex", ("bundle", "combine", "kombinieren", "combinar", "cumuler")),
)


def keyword_queue(config: Config, parsed: ParsedMessage, mailbox: str) -> str:
    if parsed.auto:
        return "auto"
    text = f"{parsed.subject}\n{parsed.new_text or parsed.text}".lower()
    return next((queue for queue, words in KEYWORDS if any(w in text for w in words)),
                config.mailbox(mailbox).default_queue)


def rate(work: Callable[[], int], seconds: float) -> tuple[float, float]:
    """(wall, cpu) items per second of repeating `work` (which returns how many it did) for `seconds`."""
    work()
    wall, cpu, done = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - wall < seconds:
        done += work()
    return done / (time.perf_counter() - wall), done / (time.process_time() - cpu)


def print_quality(truth: Sequence[str], predicted: Sequence[str], baselines: dict[str, Sequence[str]]) -> None:
    right = sum(t == p for t, p in zip(truth, predicted))
    print(f"accuracy: {right / len(truth):.3f} ({right}/{len(truth)} held-out mails)")
    for name, guesses in baselines.items():
        print(f"  baseline {name}: {sum(t == g for t, g in zip(truth, guesses)) / len(truth):.3f}")
    labels = [q for q in QUEUES if q in truth or q in predicted]
    precision, recall, _, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    print(f"\n{'queue':20s} {'precision':>9s} {'recall':>7s} {'mails':>6s}")
    for queue, p, r, n in zip(labels, precision, recall, support):
        print(f"{queue:20s} {p:9.3f} {r:7.3f} {n:6d}")
    print("\nconfusion matrix (rows: true queue, columns: routed to)")
    short = [q.replace("presales.", "pre.").replace("complaint.", "cmp.").replace("order.", "") for q in labels]
    print(" " * 20 + "".join(f"{s[:8]:>9s}" for s in short))
    for queue, row in zip(labels, confusion_matrix(truth, predicted, labels=labels)):
        print(f"{queue:20s}" + "".join(f"{n:9d}" for n in row))


def bench_quality(router: Router, config: Config, held_out: list[tuple[Labelled, ParsedMessage]]) -> None:
    decisions = [router.decide(parsed, entry.mailbox) for entry, parsed in held_out]
    truth = [entry.queue for entry, _ in held_out]
    print_quality(truth, [d.queue for d in decisions], {
        "mailbox default queue": [config.mailbox(e.mailbox).default_queue if not p.auto else "auto"
                                  for e, p in held_out],
        "keyword lookup": [keyword_queue(config, p, e.mailbox) for e, p in held_out]})
    human_auto = sum(d.auto for (e, _), d in zip(held_out, decisions) if e.queue != "auto")
    missed = sum(not d.auto for (e, _), d in zip(held_out, decisions) if e.queue == "auto")
    print(f"\nhuman mail marked auto: {human_auto}; auto mail missed: {missed}")


def bench_speed(router: Router, config: Config, held_out: list[tuple[Labelled, ParsedMessage]],
                training: list[Example], seconds: float) -> None:
    human = [(parsed, entry.mailbox) for entry, parsed in held_out if entry.queue != "auto"]
    texts = [document(example_from_parsed(parsed, mailbox))[0] for parsed, mailbox in human]
    trained = router.model
    assert trained is not None
    for text, signals in map(document, training):
        trained.scorer.rows((text, text, signals))
    memos = [(block.word_columns, dict(block.word_columns)) for block in trained.scorer.blocks]

    def decide() -> int:
        for memo, seen_in_training in memos:
            memo.clear()
            memo.update(seen_in_training)
        for parsed, mailbox in human:
            router.decide(parsed, mailbox)
        return len(human)

    def keywords() -> int:
        for parsed, mailbox in human:
            keyword_queue(config, parsed, mailbox)
        return len(human)

    def sklearn_transform() -> int:
        for text in texts:
            trained.words.transform([text])
            trained.chars.transform([text])
        return len(texts)

    print(f"\nclassification speed, one message at a time, {len(human)} parsed human mails (parsing excluded)")
    print(f"{'':42s} {'wall msg/s':>11s} {'cpu msg/s':>10s}")
    for name, work in (("Router.decide (rules, model, post-rules)", decide),
                       ("baseline: keyword lookup", keywords),
                       ("baseline: scikit-learn TF-IDF transform", sklearn_transform)):
        wall, cpu = rate(work, seconds)
        print(f"{name:42s} {wall:11.0f} {cpu:10.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to time each speed figure")
    args = parser.parse_args()
    config = Config()
    parse = partial(parse_message, now=NOW, our_addresses=config.our_addresses())
    started = time.perf_counter()
    held_out = [(entry, parse(entry.path.read_bytes())) for entry in labelled("eval")]
    parsing = time.perf_counter() - started
    started = time.perf_counter()
    trained = model.train_shipped(parse, NOW)
    training = time.perf_counter() - started
    router = Router(config=config, rules=(), model=trained, source="shipped training split")
    examples = shipped_examples(parse, "train")
    print(f"trained on {len(examples)} mails in {training:.1f} s (parsing included); "
          f"parsed {len(held_out)} held-out mails in {parsing:.2f} s\n")
    bench_quality(router, config, held_out)
    bench_speed(router, config, held_out, examples, args.seconds)


if __name__ == "__main__":
    main()
