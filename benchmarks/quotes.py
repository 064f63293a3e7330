"""Quote splitter speed: time per mail of `inbox.quotes.separate`, next to a bare line scan.

    python benchmarks/quotes.py [--count 1000] [--rounds 5]

The mails: every fixture under tests/mail/ (replies from each client and language, charsets,
bounces) and `--count` mails of the shared corpus (../shared/bench/make_mail_corpus.py; a fifth
of them replies with quoted history). Each is parsed once, outside the timing; the splitter is
then timed on the body text parse hands it (HTML-only mail converted to text first, as parse
does). The baseline, in the same run over the same texts, is the least any splitter must do: split
the text into lines and match the '>' quote marker on each. The HTML-to-text conversion, which
writes blockquotes as '>' lines for the splitter, is timed on the mails that have HTML, next to
the standard library's bare HTML tokenizer. Machines here are shared and noisy, so the ratios are
the figures to compare between runs; the best of `--rounds` rounds counts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html.parser
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import make_corpus  # noqa: E402
from inbox.htmltext import html_to_text  # noqa: E402
from inbox.parse import parse_message  # noqa: E402
from inbox.quotes import separate  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "mail"
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
_QUOTE_MARK = re.compile(r"^[ \t]{0,3}>")


def bodies(count: int) -> tuple[list[str], list[str]]:
    """The body text of every fixture and of `count` corpus mails, as parse hands it to the splitter,
    and the HTML bodies among them."""
    paths = sorted(FIXTURES.rglob("*.eml"))
    with tempfile.TemporaryDirectory() as folder:
        paths += make_corpus(Path(folder), count)
        parsed = [parse_message(path.read_bytes(), now=NOW) for path in paths]
    return [p.text for p in parsed], [p.html for p in parsed if p.html]


def line_scan(text: str) -> object:
    """The baseline: every line of the text matched against the '>' marker."""
    return [line for line in text.replace("\r\n", "\n").split("\n") if _QUOTE_MARK.match(line)]


def tokenize(markup: str) -> object:
    """The HTML baseline: the standard library's tokenizer over the markup, doing nothing with it."""
    tokenizer = html.parser.HTMLParser()
    tokenizer.feed(markup)
    tokenizer.close()
    return tokenizer


def best_seconds(work: Callable[[str], object], texts: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="corpus mails besides the fixtures")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts, markup = bodies(args.count)
    rows = [("baseline: line scan for >", best_seconds(line_scan, texts, args.rounds), len(texts)),
            ("quote splitter (separate)", best_seconds(separate, texts, args.rounds), len(texts)),
            ("baseline: bare HTML tokenizer", best_seconds(tokenize, markup, args.rounds), len(markup)),
            ("HTML to text (html_to_text)", best_seconds(html_to_text, markup, args.rounds), len(markup))]
    print(f"{len(texts)} mails ({sum(map(len, texts)) // len(texts)} characters of body text on average), "
          f"{len(markup)} of them with HTML; best of {args.rounds} rounds")
    print(f"{'':36}{'µs per mail':>12}{'ratio':>8}")
    for index, (label, seconds, mails) in enumerate(rows):
        baseline = rows[index - index % 2][1]
        print(f"{label:36}{seconds * 1e6 / mails:12.1f}{seconds / baseline:8.2f}")


if __name__ == "__main__":
    main()
