"""The model file: versioned, written atomically, and never a reason for routing to fail."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn
from routekit import NOW, with_routing

from routing import calibration, mailsets, model
from routing.classify import Router
from routing.corpus import Parse, shipped_examples
from routing.features import document
from tickets.config import Config, RoutingRule
from tickets.mail import ParsedMessage

RETURN = "I'd like to return the AeroPress Go from order AP-381204. It is unused and still in its box."


def test_the_model_file_carries_format_sklearn_version_data_hash_and_calibration(shipped_model_file: Path) -> None:
    # A model file says what wrote it, what it learned and how its probabilities were calibrated.
    stamp = model.load(shipped_model_file).stamp
    assert stamp["format"] == model.FORMAT_VERSION
    assert stamp["sklearn"] == sklearn.__version__
    assert len(stamp["data_hash"]) == 64 and stamp["trained_at"].startswith("2026-11-24T15:00")
    assert stamp["calibration_mails"] > 100 and stamp["log_loss"] < stamp["log_loss_uncalibrated"]
    assert 0.05 < stamp["temperature"] < 20


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00not a pickle at all")


def _truncated(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes()[:2000])


def _old_format(path: Path, source: Path) -> None:
    joblib.dump({**joblib.load(source), "format": model.FORMAT_VERSION - 1}, path)


def _other_sklearn(path: Path, source: Path) -> None:
    joblib.dump({**joblib.load(source), "sklearn": "0.24.2"}, path)


@pytest.mark.parametrize(("spoil", "message"), [
    (None, "no model file yet"),
    (_garbage, "unreadable model file"),
    (_truncated, "unreadable model file"),
    (_old_format, f"model file format is not version {model.FORMAT_VERSION}"),
    (_other_sklearn, f"trained with scikit-learn 0.24.2, this is {sklearn.__version__}"),
])
def test_a_missing_broken_or_stale_model_file_is_refused_with_the_reason(
        tmp_path: Path, shipped_model_file: Path, spoil: Callable[..., None] | None, message: str) -> None:
    # Each unusable file is refused with a reason the log can show, never half-loaded.
    path = tmp_path / "router.joblib"
    if spoil is _garbage:
        spoil(path)
    elif spoil is not None:
        spoil(path, shipped_model_file)
    with pytest.raises(model.ModelFileError, match=message):
        model.load(path)


@pytest.mark.slow
def test_a_broken_model_file_falls_back_to_the_shipped_set(tmp_path: Path, parse: Parse,
                                                          mail: Callable[..., ParsedMessage]) -> None:
    # The router rebuilds its model from the shipped mail, keeps routing by content, and replaces the
    # broken file with the rebuilt model so the next start loads it.
    path = tmp_path / "router.joblib"
    _garbage(path)
    router = Router.load(with_routing(Config(), model_path=path), parse, NOW)
    assert router.source == f"shipped training set (saved to {path})"
    assert router.decide(mail(RETURN, subject="Return"), "press").queue == "returns"
    assert Router.load(with_routing(Config(), model_path=path), parse, NOW).source == f"model file {path}"


def test_without_a_model_rules_and_mailbox_defaults_still_route(tmp_path: Path,
                                                                 mail: Callable[..., ParsedMessage]) -> None:
    # No model file and no parser to rebuild one: rules apply, everything else goes to the mailbox's default queue.
    rules = (RoutingRule(queue="privacy", name="gdpr", subject="gdpr"),)
    router = Router.load(with_routing(Config(), model_path=tmp_path / "none.joblib", rules=rules), None, NOW)
    decision = router.decide(mail(RETURN, subject="Return"), "press")
    assert (decision.queue, decision.unsure) == ("presales.general", True)
    assert decision.reasons == ("default queue of mailbox press (no model: no parser to read the shipped training "
                                "set)",)
    by_rule = router.decide(mail(RETURN, subject="GDPR"), "press")
    assert (by_rule.queue, by_rule.unsure) == ("privacy", False)


def test_a_parser_that_fails_on_the_shipped_set_leaves_rules_and_defaults(tmp_path: Path,
                                                                           mail: Callable[..., ParsedMessage]) -> None:
    # Even when the shipped set cannot be read, loading the router does not fail.
    def broken_parse(raw: bytes) -> ParsedMessage:
        raise ValueError("parser exploded")

    router = Router.load(with_routing(Config(), model_path=tmp_path / "none.joblib"), broken_parse, NOW)
    assert router.source == "no model: training on the shipped set failed"
    assert router.decide(mail(RETURN), "support").queue == "order.tracking"


def test_saving_replaces_the_file_atomically(tmp_path: Path, shipped_model_file: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A save that fails halfway leaves the previous model file whole and no stray temporary file.
    path = tmp_path / "router.joblib"
    trained = model.load(shipped_model_file)
    model.save(trained, path)
    before = path.read_bytes()

    def fail_halfway(payload: object, handle: object) -> None:
        handle.write(b"partial")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(model.joblib, "dump", fail_halfway)
    with pytest.raises(OSError, match="disk full"):
        model.save(trained, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["router.joblib"]


def test_fast_scoring_equals_scikit_learn(shipped_model_file: Path, parse: Parse) -> None:
    # The single-message scorer gives the same calibrated probabilities as scikit-learn's transform and
    # decision function, on generated and hand-written mail (quoted history and punctuation included).
    trained = model.load(shipped_model_file)
    examples = shipped_examples(parse, "eval") + mailsets.examples(mailsets.load(mailsets.CALIBRATION_DIR), parse)
    documents = [document(example) for example in examples]
    assert sum(bool(d.quoted) for d in documents) >= 10 and sum(d.evidence < 1 for d in documents) >= 5
    expected = calibration.softmax(model.logits(trained, documents), trained.stamp["temperature"])
    fast = calibration.softmax(np.array([trained.scorer.logits(trained.rows(d)) for d in documents]))
    np.testing.assert_allclose(fast, expected, rtol=1e-9, atol=1e-12)
    uncalibrated = trained.classifier.predict_proba(trained.features(documents))
    assert (uncalibrated.argmax(axis=1) == fast.argmax(axis=1)).all()
