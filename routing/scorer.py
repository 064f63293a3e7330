"""Scoring one message without scikit-learn's per-call overhead.

`transform` and `predict_proba` validate their input and build sparse matrices on every call:
for a single mail that costs about four times the arithmetic, capping the router near 500
messages a second. This computes the same numbers directly from the fitted vectorizers
(analyzer, vocabulary, idf, sublinear tf, l2 norm) and the classifier's weights: a few dictionary
lookups and one small matrix product. Neither character n-grams (`char_wb`) nor word tokens ever
cross a space, so each whitespace-separated word's n-gram columns (or its normalised tokens) are
worked out once and remembered: mail reuses its words. Signal tokens are split on spaces as the
signal vectorizer does. tests/routing/test_model_file.py checks all of it against
scikit-learn's own transform and decision function on shipped and hand-written mail.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from routing.textnorm import CLINGING, WORD_PATTERN, letters

WORD_MEMO_SIZE = 50_000
_NO_COLUMNS, _NO_VALUES = np.zeros(0, dtype=np.intp), np.zeros(0)


def _kind(vectorizer: CountVectorizer) -> str:
    """How a block reads text: n-grams per word, word tokens per word, plain space-split tokens, or the analyzer."""
    if vectorizer.analyzer == "char_wb" and vectorizer.input == "content":
        return "chars"
    plain = vectorizer.preprocessor is None and vectorizer.tokenizer is None and vectorizer.input == "content"
    if vectorizer.analyzer == "word" and plain:
        if vectorizer.token_pattern == r"\S+" and not vectorizer.lowercase and vectorizer.ngram_range == (1, 1) \
                and vectorizer.strip_accents is None and not vectorizer.get_stop_words():
            return "tokens"
        return "words"
    return "other"


@dataclass(frozen=True)
class Block:
    """One vectorizer's share of the feature vector, starting at column `offset`."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray | None
    sublinear: bool
    normalize: bool
    binary: bool
    offset: int
    scale: float
    kind: str = "other"
    preprocess: Callable[[str], str] | None = None
    tokenize: Callable[[str], list[str]] | None = None
    stop_words: frozenset[str] = frozenset()
    ngram_range: tuple[int, int] = (1, 1)
    strip: str = ""  # characters that may be stripped from a word's ends without changing its features
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, vectorizer: CountVectorizer, offset: int, scale: float = 1.0) -> Block:
        tfidf = isinstance(vectorizer, TfidfVectorizer)
        if tfidf and vectorizer.norm not in ("l2", None):
            raise ValueError(f"unsupported TF-IDF norm {vectorizer.norm!r}")
        kind = _kind(vectorizer)
        return cls(analyzer=vectorizer.build_analyzer(), vocabulary=vectorizer.vocabulary_,
                   idf=vectorizer.idf_ if tfidf and vectorizer.use_idf else None,
                   sublinear=tfidf and vectorizer.sublinear_tf, normalize=tfidf and vectorizer.norm == "l2",
                   binary=vectorizer.binary, offset=offset, scale=scale, kind=kind,
                   preprocess=vectorizer.build_preprocessor() if kind in ("words", "chars") else None,
                   tokenize=vectorizer.build_tokenizer() if kind == "words" else None,
                   stop_words=frozenset(vectorizer.get_stop_words() or ()), ngram_range=vectorizer.ngram_range,
                   strip=CLINGING if (kind == "chars" and vectorizer.preprocessor is letters) or
                   (kind == "words" and vectorizer.token_pattern in (WORD_PATTERN, r"(?u)\b\w\w+\b")) else "")

    def _remember(self, word: str, value: Any) -> Any:
        if len(self.memo) >= WORD_MEMO_SIZE:  # emptied when it grows large: bounded memory
            self.memo.clear()
        self.memo[word] = value
        return value

    def _char_grams(self, word: str) -> list[str]:
        """The `char_wb` n-grams of one whitespace-free word, as scikit-learn's analyzer makes them
        (a padded word no longer than n is taken whole, once, and ends the larger sizes)."""
        assert self.preprocess is not None
        grams: list[str] = []
        low, high = self.ngram_range
        for part in self.preprocess(word).split():
            padded = f" {part} "
            size = len(padded)
            if size > high:  # the usual case: every size fits
                grams += [padded[i:i + n] for n in range(low, high + 1) for i in range(size - n + 1)]
                continue
            for n in range(low, high + 1):
                if size <= n:
                    grams.append(padded)
                    break
                grams += [padded[i:i + n] for i in range(size - n + 1)]
        return grams

    def _char_columns(self, word: str) -> np.ndarray:
        """The known n-gram columns of one word."""
        columns = self.memo.get(word)
        if columns is None:
            lookup = self.vocabulary.get
            known = [c for c in (lookup(gram, -1) for gram in self._char_grams(word)) if c >= 0]
            columns = self._remember(word, np.array(known, dtype=np.intp))
        return columns

    def _tokens(self, word: str) -> tuple[str, ...]:
        """One whitespace-separated word's tokens, normalised and without stop words."""
        tokens = self.memo.get(word)
        if tokens is None:
            assert self.preprocess is not None and self.tokenize is not None
            tokens = self._remember(word, tuple(t for t in self.tokenize(self.preprocess(word))
                                                if t not in self.stop_words))
        return tokens

    def _terms(self, text: str) -> list[str]:
        """The terms the vectorizer would count in `text`."""
        if self.kind == "tokens":
            return text.split()
        if self.kind != "words":
            return self.analyzer(text)
        memo, tokens = self.memo, list[str]()
        for word in text.split():
            word = word.strip(self.strip)
            known = memo.get(word)
            tokens.extend(self._tokens(word) if known is None else known)
        low, high = self.ngram_range
        terms = tokens if low == 1 else []
        if low <= 2 <= high:
            terms += [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
        for n in range(max(low, 3), high + 1):
            terms += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
        return terms

    def _found(self, text: str) -> np.ndarray:
        """The known column of every term occurrence in `text`, repeats included."""
        if self.kind == "chars":
            arrays = [self._char_columns(word.strip(self.strip)) for word in text.split()]
            return np.concatenate(arrays) if arrays else _NO_COLUMNS
        lookup = self.vocabulary.get
        return np.array([c for c in (lookup(term, -1) for term in self._terms(text)) if c >= 0], dtype=np.intp)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column numbers and values of this block for `text`, as the vectorizer would give them."""
        if self.kind == "tokens" and self.binary and self.idf is None and not self.normalize:  # the signals
            lookup = self.vocabulary.get
            known = sorted({c for c in (lookup(token, -1) for token in text.split()) if c >= 0})
            return np.array(known, dtype=np.intp) + self.offset, np.full(len(known), self.scale)
        found = self._found(text) if text else _NO_COLUMNS  # most mail quotes nothing
        if not found.size:
            return _NO_COLUMNS, _NO_VALUES
        columns, values = _counted(found)
        if self.binary:
            values = np.ones(columns.size)
        if self.sublinear:
            values = 1.0 + np.log(values)
        if self.idf is not None:
            values *= self.idf.take(columns)
        if self.normalize:
            values *= self.scale / np.sqrt(values @ values)
        elif self.scale != 1.0:
            values *= self.scale
        return columns + self.offset, values


def _counted(found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of a non-empty `found`, sorted, and how often each occurs (np.unique, minus
    its generality: a third of the time)."""
    found = np.sort(found)
    starts = np.flatnonzero(np.concatenate(([True], found[1:] != found[:-1])))
    return found.take(starts), np.diff(np.append(starts, found.size)).astype(np.float64)


@dataclass(frozen=True)
class Scorer:
    """Each class's score for one document, equal to the fitted classifier's decision function over the
    same features, divided by the calibration temperature.

    The weights are kept one row per feature (`weights[column, class]`), so a mail's few hundred
    columns are read as contiguous rows.
    """

    blocks: tuple[Block, ...]
    weights: np.ndarray
    intercept: np.ndarray

    @classmethod
    def of(cls, vectorizers: list[tuple[CountVectorizer, float]], classifier: LogisticRegression,
           temperature: float = 1.0) -> Scorer:
        """Blocks in the order of the feature matrix; every score divided by the calibration temperature."""
        blocks, offset = [], 0
        for vectorizer, scale in vectorizers:
            blocks.append(Block.of(vectorizer, offset, scale))
            offset += len(vectorizer.vocabulary_)
        coef, intercept = classifier.coef_, classifier.intercept_
        if coef.shape[0] == 1:  # two classes: a sigmoid, which is the softmax of (-z/2, z/2)
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
        return cls(blocks=tuple(blocks), weights=np.ascontiguousarray(coef.T / temperature),
                   intercept=intercept / temperature)

    def rows(self, texts: tuple[str, ...]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each block's sparse row for its own text (texts[i] feeds blocks[i])."""
        return [block.row(text) for block, text in zip(self.blocks, texts)]

    def logits(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The calibrated score of each class (before the softmax)."""
        columns = np.concatenate([c for c, _ in rows])
        values = np.concatenate([v for _, v in rows])
        return values @ self.weights.take(columns, axis=0) + self.intercept

    def term_weights(self, block: int, term: str) -> np.ndarray:
        """What one present binary term of block number `block` adds to each class's score (zeros if unknown)."""
        found = self.blocks[block]
        column = found.vocabulary.get(term)
        return np.zeros(self.intercept.shape) if column is None else self.weights[column + found.offset] * found.scale
