"""Customer HTML made safe to show, and ticket references made into links.

Mail HTML passes an allowlist (nh3, the Rust `ammonia` sanitiser): no script, no event handler,
no `javascript:` URL, no form, no SVG, no CSS that positions or loads anything. What survives is
still shown only inside a sandboxed frame with its own Content-Security-Policy (`web.tickets`),
which also keeps remote images (tracking pixels) from loading until the agent asks.
"""
from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable

import nh3
from markupsafe import Markup

_TAGS = (nh3.ALLOWED_TAGS - {"area", "map"}) | {"font"}
_ATTRIBUTES: dict[str, set[str]] = copy.deepcopy(nh3.ALLOWED_ATTRIBUTES)
_ATTRIBUTES.setdefault("*", set()).update({"style", "dir", "lang", "title", "align"})
_ATTRIBUTES["font"] = {"color", "face", "size"}
for _cell in ("table", "td", "th", "tr"):
    _ATTRIBUTES.setdefault(_cell, set()).update({"width", "height", "bgcolor", "valign", "border", "cellpadding",
                                                 "cellspacing"})
_STYLES = {"color", "background-color", "font-family", "font-size", "font-weight", "font-style", "font-variant",
           "text-align", "text-decoration", "text-indent", "text-transform", "line-height", "letter-spacing",
           "white-space", "word-break", "vertical-align", "width", "max-width", "min-width", "height",
           "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
           "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
           "border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
           "border-style", "border-width", "border-collapse", "border-spacing", "border-radius", "list-style-type"}
_SCHEMES = {"http", "https", "mailto", "tel", "data"}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
# A serialised tag: attribute values are always double-quoted and may contain '>'.
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_LINK_OPEN = re.compile(r"<a[\s>]")
_REMOTE_IMAGE = re.compile(r'\ssrc="(?:https?:)?//', re.IGNORECASE)


def _only_image_data(tag: str, attribute: str, value: str) -> str | None:
    """A `data:` URL survives only as an inline raster image; never as a link or an SVG."""
    if value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and _DATA_IMAGE.match(value.strip()) else None
    return value


def clean_html(raw: str, relative_urls: bool = False) -> str:
    """The allowlisted HTML. Relative URLs in mail point nowhere real (and, from the console, at
    the console itself), so they are dropped unless `relative_urls` (for links we add ourselves)."""
    return nh3.clean(raw, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_only_image_data,
                     url_schemes=_SCHEMES, filter_style_properties=_STYLES, strip_comments=True,
                     url_relative="pass_through" if relative_urls else "deny",
                     link_rel="noopener noreferrer nofollow", set_tag_attribute_values={"a": {"target": "_blank"}})


def has_remote_images(clean: str) -> bool:
    return bool(_REMOTE_IMAGE.search(clean))


def reference_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(prefix)}-\d+\b")


def _linker(url_for_reference: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    return lambda m: f'<a href="{html.escape(url_for_reference(m.group(0)))}">{m.group(0)}</a>'


def link_references(text: str, pattern: re.Pattern[str], url_for_reference: Callable[[str], str]) -> Markup:
    """Plain text, escaped, with every ticket reference a link to its ticket."""
    return Markup(pattern.sub(_linker(url_for_reference), html.escape(text, quote=True)))


def safe_mail_html(raw: str, pattern: re.Pattern[str], url_for_reference: Callable[[str], str]) -> str:
    """Sanitised mail HTML with ticket references linked in its text (not inside tags or links).

    The links are added to the sanitiser's output and the result is sanitised once more, so
    nothing this step adds can open a hole.
    """
    clean, link = clean_html(raw), _linker(url_for_reference)
    parts, position, in_link = [], 0, 0
    for tag in _TAG.finditer(clean):
        text = clean[position:tag.start()]
        parts += [text if in_link else pattern.sub(link, text), tag.group(0)]
        in_link += 1 if _LINK_OPEN.match(tag.group(0)) else -1 if tag.group(0) == "</a>" else 0
        position = tag.end()
    parts.append(pattern.sub(link, clean[position:]))
    return clean_html("".join(parts), relative_urls=True)
