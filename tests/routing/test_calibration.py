"""Calibrated confidence: a fitted temperature, the reliability table, and the unsure threshold from the config."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from routekit import NOW

from routing import calibration, model
from routing.classify import Router
from routing.corpus import Parse
from routing.features import document
from tickets import config as config_module
from tickets.errors import ConfigError


def test_the_fitted_temperature_is_the_one_that_made_the_labels() -> None:
    # Labels drawn from softmax(z / 2.5) are fitted back to a temperature near 2.5, and it lowers the log-loss.
    rng = np.random.default_rng(7)
    logits = rng.normal(0, 4, size=(4000, 5))
    probabilities = calibration.softmax(logits, 2.5)
    truth = np.array([rng.choice(5, p=row) for row in probabilities])
    temperature = calibration.fit_temperature(logits, truth)
    assert 2.2 < temperature < 2.8
    assert calibration.log_loss(logits, truth, temperature) < calibration.log_loss(logits, truth)
    assert calibration.fit_temperature(logits[:0], truth[:0]) == 1.0


def test_the_reliability_table_puts_each_decision_in_its_bin() -> None:
    # Mean confidence next to the share right, per bin; 1.0 falls in the last bin, empty bins show zero mails.
    bins = calibration.reliability([0.35, 0.95, 1.0, 0.92], [False, True, True, False])
    by_range = {(b.low, b.high): b for b in bins}
    assert by_range[(0.3, 0.4)].count == 1 and by_range[(0.3, 0.4)].accuracy == 0.0
    last = by_range[(0.9, 1.0)]
    assert (last.count, round(last.confidence, 3), round(last.accuracy, 3)) == (3, 0.957, 0.667)
    assert sum(b.count for b in bins) == 4 and by_range[(0.5, 0.6)].count == 0


def test_the_stored_temperature_is_fitted_on_the_hand_written_calibration_set(shipped_model_file: Path,
                                                                             parse: Parse) -> None:
    # Refitting on the calibration set's mail gives the model file's temperature, and it beats no calibration.
    trained = model.load(shipped_model_file)
    held_out = [e for e in model.calibration_examples(parse) if e.queue in trained.queues]
    raw = model.logits(trained, [document(e) for e in held_out])
    truth = np.array([trained.queues.index(e.queue) for e in held_out])
    assert calibration.fit_temperature(raw, truth) == pytest.approx(trained.stamp["temperature"])
    assert calibration.log_loss(raw, truth, trained.stamp["temperature"]) < calibration.log_loss(raw, truth)


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5])
def test_an_unsure_threshold_outside_zero_to_one_is_a_config_error(tmp_path: Path, value: float) -> None:
    # The threshold is a probability; anything else stops the router with the key and the file named.
    path = tmp_path / "config.toml"
    path.write_text(f"[routing]\nunsure_below = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}: routing.unsure_below must be at least 0 and below 1"):
        Router.load(config_module.load(path), None, NOW)


def test_the_threshold_is_read_from_the_config(tmp_path: Path) -> None:
    # `[routing] unsure_below` reaches the router; the default is the calibrated 0.8.
    path = tmp_path / "config.toml"
    path.write_text("[routing]\nunsure_below = 0.55\norder_prefix = \"SH\"\norder_digits = [7]\n", encoding="utf-8")
    loaded = config_module.load(path)
    assert (loaded.routing.unsure_below, loaded.routing.order_prefix, loaded.routing.order_digits) == (0.55, "SH", (7,))
    assert dataclasses.replace(loaded, routing=config_module.RoutingConfig()).routing.unsure_below == 0.8
