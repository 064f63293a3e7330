"""The letters of a text, as the character n-gram features read them.

Lower-cased, accents stripped (as scikit-learn's `strip_accents_unicode` does), and everything
that is not a letter (digits, punctuation, symbols) turned into a space: order numbers, prices and
trailing full stops say nothing about a queue, and a word followed by a comma is the same word. It
also lets the scorer remember each word once, whatever punctuation clings to it (scorer.py).
"""
from __future__ import annotations

import re

from sklearn.feature_extraction.text import strip_accents_unicode

_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Word tokens of two or more letters: digits (order numbers, prices, dates) are noise to the word features;
# the order-number signal carries what they mean.
WORD_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
# What may cling to a word without changing its letters or its word tokens: non-word characters only
# (a digit or underscore next to letters would change the word-boundary tokenization).
CLINGING = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~“”‘’«»–—…¿¡"


def letters(text: str) -> str:
    """`text` lower-cased, without accents, with every run of non-letters replaced by a space."""
    return _NOT_LETTERS.sub(" ", strip_accents_unicode(text.lower()))
