"""Router benchmark: quality on hand-written mail, calibration, and classification speed.

Run: python benchmarks/routing.py [--seconds S]

1. The router is trained on the generated training set (routing/data, split "train") and its
   probabilities calibrated on the hand-written calibration set. It then decides the hand-written
   evaluation sets (routing/data/evaluation: English with mixed languages; German, French and
   Spanish), which no training or tuning code reads. Printed per set: accuracy (auto mail as auto,
   mail that fits no queue as unsure, the rest by the router's choice of queue), order numbers,
   human mail marked auto, auto mail missed, unsure decisions and how many of them would have been
   wrong, precision and recall per queue, the confusion matrix. Baselines from the same run: every
   mail to its mailbox's default queue, and a keyword lookup. Also the generator's own held-out
   split, which only says how well the model learned the generator.
2. The calibration table: per confidence bin, how confident the router was and how often right,
   on the calibration set and on the evaluation sets; then the effect of the unsure threshold.
3. Messages per second for `Router.decide` on already-parsed mail (parsing excluded), on one core
   (target >= 2000/s), next to the keyword lookup and to scikit-learn's own per-message
   `transform` of the same two TF-IDF vectorizers, measured in the same run. Wall-clock and CPU
   time are both shown: on a busy machine the CPU figure is the one-core rate. Before every pass
   the scorer's per-word memo is reset to what reading the training split leaves in it, as in a
   router that has seen the shop's mail before: held-out words (names, typos, numbers) are new.
"""
from __future__ import annotations

import argparse
import dataclasses
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
from routing import evaluation, mailsets, model  # noqa: E402
from routing.classify import Router  # noqa: E402
from routing.corpus import labelled, shipped_examples  # noqa: E402
from routing.features import Example, document  # noqa: E402
from tickets.config import Config  # noqa: E402
from tickets.mail import ParsedMessage  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
QUEUES = ("presales.general", "presales.complex", "wholesale", "order.tracking", "returns", "refunds",
          "complaint.simple", "complaint.complex", "privacy", "none", "auto")
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
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


def print_confusion(truth: Sequence[str], answers: Sequence[str]) -> None:
    labels = [q for q in QUEUES if q in truth or q in answers]
    precision, recall, _, support = precision_recall_fscore_support(truth, answers, labels=labels, zero_division=0)
    print(f"\n  {'queue':20s} {'precision':>9s} {'recall':>7s} {'mails':>6s}")
    for queue, p, r, n in zip(labels, precision, recall, support):
        print(f"  {queue:20s} {p:9.3f} {r:7.3f} {n:6d}")
    print("\n  confusion matrix (rows: true queue, columns: the router's answer)")
    short = [q.replace("presales.", "pre.").replace("complaint.", "cmp.").replace("order.", "") for q in labels]
    print("  " + " " * 20 + "".join(f"{s[:8]:>9s}" for s in short))
    for queue, row in zip(labels, confusion_matrix(truth, answers, labels=labels)):
        print(f"  {queue:20s}" + "".join(f"{n:9d}" for n in row))


def bench_quality(name: str, report: evaluation.Report, config: Config,
                  parsed: dict[str, ParsedMessage]) -> None:
    judged = report.judged
    print(f"\n== {name}: {len(judged)} hand-written mails ==")
    print(f"accuracy: {report.accuracy:.3f} ({sum(j.right for j in judged)}/{len(judged)})")
    truth = [j.sample.queue for j in judged]
    default = [("auto" if parsed[j.sample.name].auto else config.mailbox(j.sample.mailbox).default_queue)
               for j in judged]
    keywords = [keyword_queue(config, parsed[j.sample.name], j.sample.mailbox) for j in judged]
    for label, answers in (("mailbox default queue", default), ("keyword lookup", keywords)):
        print(f"  baseline {label}: {sum(t == a for t, a in zip(truth, answers)) / len(truth):.3f}")
    print(f"order numbers right: {report.orders_accuracy:.3f}; human mail marked auto: {report.human_marked_auto}; "
          f"auto mail missed: {report.auto_missed}")
    print(f"unsure: {report.unsure} of {len(judged) - truth.count('auto')} human mails ({report.unsure_share:.1%}): "
          f"{report.unsure_of_no_queue} fit no queue, {report.unsure_would_be_wrong} would have been misrouted; "
          f"sure but wrong: {report.sure_but_wrong}")
    print_confusion(truth, [j.answer for j in judged])


def print_calibration(name: str, report: evaluation.Report) -> None:
    print(f"\n  {name}: {'confidence':>10s} {'mails':>6s} {'mean conf.':>11s} {'right':>6s}")
    for b in report.reliability():
        shown = f"{b.confidence:11.2f} {b.accuracy:6.2f}" if b.count else f"{'-':>11s} {'-':>6s}"
        print(f"  {'':{len(name) + 1}s} {b.low:4.1f}-{b.high:3.1f}  {b.count:6d} {shown}")


def threshold_effect(name: str, router: Router, samples: list[mailsets.Sample],
                     parsed: dict[str, ParsedMessage]) -> None:
    print(f"\n  {name}: {'unsure below':>12s} {'unsure':>7s} {'of which fit no queue':>22s} "
          f"{'would be wrong':>15s} {'sure but wrong':>15s}")
    for threshold in THRESHOLDS:
        config = dataclasses.replace(router.config, routing=dataclasses.replace(router.config.routing,
                                                                                unsure_below=threshold))
        moved = dataclasses.replace(router, config=config)
        report = evaluation.Report(tuple(evaluation.Judged(s, moved.decide(parsed[s.name], s.mailbox, s.earlier))
                                         for s in samples))
        print(f"  {'':{len(name) + 1}s} {threshold:12.2f} {report.unsure:7d} {report.unsure_of_no_queue:22d} "
              f"{report.unsure_would_be_wrong:15d} {report.sure_but_wrong:15d}")


def bench_speed(router: Router, config: Config, human: list[tuple[ParsedMessage, str]], training: list[Example],
                seconds: float) -> None:
    trained = router.model
    assert trained is not None
    texts = [f"{p.subject}\n{p.new_text or p.text}" for p, _ in human]
    for doc in map(document, training):
        trained.rows(doc)
    memos = [(block.memo, dict(block.memo)) for block in trained.scorer.blocks]

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
    trained = model.train_shipped(parse, NOW)
    training = time.perf_counter() - started
    router = Router(config=config, rules=(), model=trained, source="shipped training split")
    examples = shipped_examples(parse, "train")
    print(f"trained on {len(examples)} generated mails and calibrated on {trained.stamp['calibration_mails']} "
          f"hand-written ones in {training:.1f} s (parsing included); temperature {trained.stamp['temperature']:.3f}, "
          f"log-loss {trained.stamp['log_loss_uncalibrated']:.3f} -> {trained.stamp['log_loss']:.3f}; "
          f"unsure below {config.routing.unsure_below}")
    held_out = [(e, parse(e.path.read_bytes())) for e in labelled("eval")]
    right = sum(router.decide(p, e.mailbox).queue == e.queue for e, p in held_out)
    print(f"generator's held-out split (in-distribution): {right / len(held_out):.3f} ({right}/{len(held_out)})")

    calibration = mailsets.load(mailsets.CALIBRATION_DIR)
    evaluation_set = mailsets.load(mailsets.EVALUATION_DIR)
    sets = {"evaluation, English": [s for s in evaluation_set if s.language == "en"],
            "evaluation, German/French/Spanish": [s for s in evaluation_set if s.language != "en"]}
    parsed = {s.name: parse(s.raw) for s in calibration + evaluation_set}
    reports = {name: evaluation.Report(tuple(evaluation.Judged(s, router.decide(parsed[s.name], s.mailbox, s.earlier))
                                             for s in samples)) for name, samples in sets.items()}
    for name, report in reports.items():
        bench_quality(name, report, config, parsed)

    print("\n== calibration: how confident the router was, and how often right (human mail) ==")
    calibrated = evaluation.Report(tuple(evaluation.Judged(s, router.decide(parsed[s.name], s.mailbox, s.earlier))
                                         for s in calibration))
    print_calibration("calibration set (the temperature was fitted on it)", calibrated)
    for name, report in reports.items():
        print_calibration(name, report)
    print("\n== the unsure threshold's effect ==")
    for name, samples in (("calibration set", calibration), *sets.items()):
        threshold_effect(name, router, samples, parsed)

    human = [(parsed[s.name], s.mailbox) for s in evaluation_set if s.queue != "auto"]
    bench_speed(router, config, human, examples, args.seconds)


if __name__ == "__main__":
    main()
