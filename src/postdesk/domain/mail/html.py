"""HTML mail bodies: readable text for agents and triage, and sanitised HTML for display.

Text comes from inscriptis (it lays out tables and lists the way a reader sees them; it is
Apache-2.0 and fast because lxml parses). Sanitising is nh3 (ammonia): formatting survives,
scripts, styles, event handlers, forms and frames do not. Images survive only as ``cid:``
references to the message's own inline parts (or small ``data:`` images): a remote ``src`` is a
tracking pixel or worse, so it is removed rather than rewritten.
"""

from __future__ import annotations

import html as html_module
import re

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES.setdefault("font", set()).update({"color", "face", "size"})
_ATTRIBUTES.setdefault("*", set()).update({"dir", "lang", "title"})
# Citation URLs are never shown and only invite fetching.
for _tag in ("blockquote", "q", "del", "ins"):
    _ATTRIBUTES.get(_tag, set()).discard("cite")
_CONTENT_DROPPED = {"script", "style", "title", "head", "noscript", "template", "xml",
                    "object", "embed", "iframe", "frameset", "svg", "math"}
_LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=\s]+\Z", re.I)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    stripped = value.strip()
    lowered = stripped.lower()
    if attribute == "src":
        if lowered.startswith("cid:") or _DATA_IMAGE.match(stripped):
            return stripped
        return None
    if attribute == "href":
        if lowered.startswith(_LINK_SCHEMES) or lowered.startswith("#"):
            return stripped
        return None
    return value


def sanitise(html: str) -> str:
    """Untrusted HTML -> HTML that is safe to show inside the agent console."""
    if not html or not html.strip():
        return ""
    try:
        return nh3.clean(
            html,
            tags=_TAGS,
            clean_content_tags=_CONTENT_DROPPED - _TAGS,
            attributes=_ATTRIBUTES,
            attribute_filter=_attribute_filter,
            url_schemes={"http", "https", "mailto", "tel", "cid", "data"},
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        ).strip()
    except Exception:  # nh3 is robust, but a sanitiser failure must not lose the mail
        return html_module.escape(html_to_text(html))


_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")


def html_to_text(html: str) -> str:
    """HTML -> plain text laid out for reading (paragraphs, lists, table rows)."""
    if not html or not html.strip():
        return ""
    text = ""
    try:
        # A bare XML declaration makes lxml refuse str input.
        cleaned = re.sub(r"^\s*<\?xml[^>]*>", "", html)
        if "<blockquote" in cleaned.lower():
            text = _text_with_quotes(cleaned)
        else:
            from inscriptis import get_text

            text = get_text(cleaned, _config())
    except Exception:
        text = _crude_text(html)
    text = text.replace("\r\n", "\n").replace("\u00a0", " ").replace("\u200b", "")
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


_CONFIG = None


def _config():
    # The strict CSS profile: the default ("relaxed") indents every <div> and pads <span>s,
    # which turns nested mail HTML into ragged, indented text.
    global _CONFIG
    if _CONFIG is None:
        from inscriptis.css_profiles import CSS_PROFILES
        from inscriptis.html_properties import Display
        from inscriptis.model.html_element import HtmlElement
        from inscriptis.model.config import ParserConfig

        css = CSS_PROFILES["strict"].copy()
        css["hr"] = HtmlElement(display=Display.block)  # a rule separates, like a line break
        _CONFIG = ParserConfig(css=css, display_links=False, display_images=False)
    return _CONFIG


def _text_with_quotes(html: str) -> str:
    """Like inscriptis, but <blockquote> content comes out as "> " lines, as a plain-text mail
    client would quote it, so ``reply.split_reply`` recognises the history."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    return _element_text(tree)


_TOKEN = "POSTDESKQUOTEBLOCK{}X"


def _element_text(element) -> str:
    import lxml.html
    from inscriptis import Inscriptis

    quotes: list[str] = []
    outermost = [bq for bq in element.iter("blockquote")
                 if not any(a.tag == "blockquote" for a in bq.iterancestors()
                            if a is not element and element in a.iterancestors() or a is element)]
    for blockquote in outermost:
        inner = lxml.html.Element("div")
        inner.text = blockquote.text
        for child in list(blockquote):
            inner.append(child)
        quoted = _element_text(inner).strip("\n")
        quotes.append("\n".join(("> " + line) if line.strip() else ">"
                                for line in quoted.split("\n")))
        placeholder = lxml.html.Element("p")
        placeholder.text = _TOKEN.format(len(quotes) - 1)
        placeholder.tail = blockquote.tail
        blockquote.getparent().replace(blockquote, placeholder)
    text = Inscriptis(element, _config()).get_text()
    for number, quoted in enumerate(quotes):
        text = re.sub(r"[ \t]*" + _TOKEN.format(number) + r"[ \t]*", lambda _: quoted, text)
    return text


def _crude_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|head|title)\b.*?</\1\s*>", " ", html)
    html = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</tr\s*>|</li\s*>", "\n", html)
    return html_module.unescape(re.sub(r"(?s)<[^>]*>", "", html))
