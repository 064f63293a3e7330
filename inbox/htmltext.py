"""HTML-only mail to plain text, for search, routing and quote separation.

Keeps paragraphs and line breaks, drops scripts and styles, and writes each `<blockquote>` as
'> ' quoted lines, so the quote separator handles HTML mail the way it handles text mail. An
`<hr>` becomes the underscore line Outlook writes in its text form above a quoted header block.

The structures clients wrap quoted history in are read the same way, whatever language the
attribution is in: Gmail's attribution (`gmail_attr`), Thunderbird's (`moz-cite-prefix`) and Yahoo's
quoted mail (`yahoo_quoted`) are quoted lines; Outlook's header block (`divRplyFwdMsg`,
`OutlookMessageHeader`, or the div with a top border it draws above it) gets the underscore rule.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_HTML_CHARS = 1_000_000  # beyond this (newsletters, pasted pages) the rest is not converted

_SKIPPED = frozenset({"script", "style", "title", "template", "noscript", "xml", "head"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "dl", "blockquote"})
_LINE = frozenset({"div", "li", "tr", "dt", "dd", "address", "section", "article", "header", "footer",
                   "center", "form", "fieldset", "figure", "caption", "main", "nav", "aside", "body"})
_SPACE = re.compile(r"[ \t\r\n\f\u200b]+")
HR_LINE = "_" * 32
_QUOTED_CLASSES = ("gmail_attr", "moz-cite-prefix", "yahoo_quoted")
_HEADER_IDS = ("divRplyFwdMsg", "OutlookMessageHeader", "mail-editor-reference-message-container")
_TOP_BORDER = re.compile(r"border-top:\s*solid", re.IGNORECASE)


class _TextBuilder(HTMLParser):
    """Collects text lines; `depth` counts the blockquotes around the current line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0
        self.skipping = 0
        self.pre = 0
        self.outlook_lines: list[bool] = []  # per open <p>: is it one of Outlook's zero-margin lines?
        self.div_quotes: list[bool] = []  # per open <div>: does it quote (a client's quote structure)?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "body":
            self.skipping = 0  # a <head> that was never closed ends here
        elif tag == "br":
            self.newline(force=True)
        elif tag == "p" and "MsoNormal" in (dict(attrs).get("class") or ""):
            self.newline()  # Outlook writes each line, blank ones too, as a zero-margin paragraph
            self.outlook_lines.append(True)
        elif tag in _PARAGRAPH:
            if tag == "p":
                self.outlook_lines.append(False)
            self.paragraph()
            self.depth += tag == "blockquote"
            self.pre += tag == "pre"
        elif tag == "div":
            self.newline()
            self.div(dict(attrs))
        elif tag in _LINE:
            self.newline()
            if tag == "li":
                self.current.append("- ")
        elif tag == "hr":
            self.newline()
            self.rule()
        elif tag in ("td", "th") and self.current:
            self.current.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "p" and self.outlook_lines and self.outlook_lines.pop():
            self.newline(force=True)
        elif tag in _PARAGRAPH:
            self.newline()
            self.depth = max(0, self.depth - (tag == "blockquote"))
            self.pre = max(0, self.pre - (tag == "pre"))
            self.paragraph()
        elif tag == "div":
            self.newline()
            if self.div_quotes and self.div_quotes.pop():
                self.depth = max(0, self.depth - 1)
        elif tag in _LINE:
            self.newline()

    def div(self, attrs: dict[str, str | None]) -> None:
        """A client's quote structure: its attribution or quoted mail as quoted lines, its header block
        under a rule."""
        classes, ident = attrs.get("class") or "", attrs.get("id") or ""
        quotes = any(name in classes for name in _QUOTED_CLASSES) or ident.startswith("yahoo_quoted")
        self.div_quotes.append(quotes)
        self.depth += quotes
        if ident.startswith(_HEADER_IDS) or "OutlookMessageHeader" in classes or _TOP_BORDER.search(
                attrs.get("style") or ""):
            self.rule()

    def rule(self) -> None:
        if not (self.lines and self.lines[-1][1] == HR_LINE):
            self.lines.append((self.depth, HR_LINE))

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.current.append(first)
            for line in rest:
                self.newline(force=True)
                self.current.append(line)
            return
        text = _SPACE.sub(" ", data.replace("\xa0", " "))
        if not self.current or self.current[-1].endswith(" "):
            text = text.lstrip(" ")
        if text:
            self.current.append(text)

    def newline(self, force: bool = False) -> None:
        line = "".join(self.current).rstrip()
        if line or force:
            self.lines.append((self.depth, line))
        self.current = []

    def paragraph(self) -> None:
        self.newline()
        if self.lines and self.lines[-1][1]:
            self.lines.append((self.depth, ""))


def _read(html: str) -> _TextBuilder:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    builder.newline()
    return builder


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail body; blockquoted lines are prefixed with '> '."""
    html = html[:MAX_HTML_CHARS]
    try:
        builder = _read(html)
    except AssertionError:  # html.parser asserts on malformed '<![...' sections: read them as text
        builder = _read(html.replace("<![", "&lt;!["))
    out: list[str] = []
    following = 0  # the depth of the next line with text: a blank line is quoted only inside a quote
    for depth, line in reversed(builder.lines):
        if line:
            following = depth
            out.append(("> " * depth + line).rstrip())
        elif out and out[-1]:
            out.append(">" * min(depth, following))
    return "\n".join(reversed(out)).strip("\n")
