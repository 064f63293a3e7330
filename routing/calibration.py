"""How far the model's probabilities can be trusted, measured on mail it never trained on.

A logistic regression trained on a few thousand generated mails is over-confident on real mail:
it says 0.95 where it is right four times in five. Temperature scaling (Guo et al., "On
Calibration of Modern Neural Networks", 2017) fixes that with one number fitted on held-out
labelled mail, the hand-written calibration set (routing/mailsets.py): every score is divided by
the temperature before the softmax, which keeps the ranking of the queues and makes "0.8" mean
right about 80% of the time. The router's unsure threshold (`[routing] unsure_below`) is chosen on
these calibrated probabilities; `reliability` is the table behind that choice, which
`benchmarks/routing.py` prints.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

BIN_EDGES = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of `logits / temperature`."""
    scaled = logits / temperature
    exp = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def log_loss(logits: np.ndarray, truth: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of the true classes (indices `truth`) at this temperature."""
    probabilities = softmax(logits, temperature)[np.arange(len(truth)), truth]
    return float(-np.log(np.clip(probabilities, 1e-12, 1.0)).mean())


def fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that makes the held-out mail's true queues most likely (1.0 with no mail)."""
    if len(truth) == 0:
        return 1.0
    found = minimize_scalar(lambda log_t: log_loss(logits, truth, float(np.exp(log_t))),
                            bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(found.x))


@dataclass(frozen=True)
class Bin:
    """Decisions whose confidence fell in [low, high): how many, how confident, how often right."""

    low: float
    high: float
    count: int
    confidence: float
    accuracy: float


def reliability(confidence: Sequence[float], correct: Sequence[bool],
                edges: Sequence[float] = BIN_EDGES) -> list[Bin]:
    """The reliability table: per confidence bin, the mean confidence next to the share right."""
    values, right = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    bins = []
    for low, high in zip(edges, edges[1:]):
        inside = (values >= low) & ((values < high) if high < edges[-1] else (values <= high))
        count = int(inside.sum())
        bins.append(Bin(low, high, count, float(values[inside].mean()) if count else 0.0,
                        float(right[inside].mean()) if count else 0.0))
    return bins
