"""Markdown with optional YAML front matter: the first ``#`` is the title, the shallowest level below it
starts the sections."""

from __future__ import annotations

import datetime as dt
import html
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from yomicast.article.model import Article, Section, Source
from yomicast.errors import InputError

if TYPE_CHECKING:
    from markdown_it.token import Token


def parse_markdown(text: str, name: str = "article") -> Article:
    import frontmatter
    import yaml
    from markdown_it import MarkdownIt

    text = text.lstrip("\ufeff")
    try:
        meta, body = frontmatter.parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(
            f"{name}: malformed YAML front matter{where}; fix it or remove the --- block"
        ) from None
    if not isinstance(meta, dict):
        raise InputError(f"{name}: the front matter must be a YAML mapping of key: value lines")
    if text.startswith("---\n") and not meta and text.count("\n---") == 0:
        raise InputError(f"{name}: malformed YAML front matter (no closing ---)")

    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[tuple[int | None, str]] = []  # (heading level or None, text)
    list_stack: list[list[int]] = []  # [ordered?, counter]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            blocks.append((int(tok.tag[1]), _inline_text(tokens[i + 1])))
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([tok.type == "ordered_list_open", int(tok.attrGet("start") or 1)])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            content = _inline_text(tok)
            if list_stack and tokens[i - 2].type == "list_item_open":
                ordered, n = list_stack[-1]
                content = (f"{n}. " if ordered else "- ") + content
                list_stack[-1][1] += 1
            blocks.extend((None, line) for line in content.split("\n") if line.strip())
        elif tok.type == "tr_open":
            cells = []
            j = i + 1
            while tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(_inline_text(tokens[j]))
                j += 1
            blocks.append((None, "、".join(c for c in cells if c)))
            i = j
        elif tok.type == "html_block":
            stripped = _strip_html(tok.content)
            blocks.extend((None, line.strip()) for line in stripped.split("\n") if line.strip())
        i += 1

    # The first # heading is the document's title; front matter's title wins over it.
    title = _meta_str(meta, "title")
    h1 = next((k for k, (lvl, _) in enumerate(blocks) if lvl == 1), None)
    if h1 is not None:
        title = title or blocks[h1][1]
        del blocks[h1]
    levels = [lvl for lvl, _ in blocks if lvl is not None]
    # Sections start at the shallowest heading level below the title; deeper headings fold into their
    # parent as a line of their own, so the chapter list stays the article's top-level outline.
    top = min(levels) if levels else None
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []
    for lvl, content in blocks:
        if lvl is not None and lvl == top:
            if lines or heading is not None:
                sections.append(Section(heading, "\n".join(lines)))
            heading, lines = content, []
        else:
            lines.append(content)
    if lines or heading is not None:
        sections.append(Section(heading, "\n".join(lines)))
    if title is None:
        title = Path(name).stem
    published = meta.get("published", meta.get("date"))
    source = Source(
        title=_meta_str(meta, "source_title"),
        publisher=_meta_str(meta, "publisher"),
        published=_meta_date(published, name),
        url=_meta_str(meta, "source_url") or _meta_str(meta, "url"),
        generator=_meta_str(meta, "generator"),
        author=_meta_str(meta, "author"),
    )
    if not sections:
        raise InputError(f"{name}: the article has no body text")
    return Article(
        title=title, sections=tuple(sections), source=source, description=_meta_str(meta, "description")
    )


def _meta_str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _meta_date(value: object, name: str) -> dt.datetime | dt.date | None:
    if value is None or isinstance(value, dt.datetime | dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            f"{name}: front matter 'published' is not a date: {value!r}; write it as 2025-07-17 or "
            "2025-07-17T20:12"
        ) from None


def _inline_text(token: Token) -> str:
    """The text a listener should hear: markup, inline HTML and images dropped, links read as their text."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak",):
            out.append("")  # Japanese lines join without a space
        elif child.type == "hardbreak" or (
            child.type == "html_inline" and child.content.lower().startswith("<br")
        ):
            out.append("\n")
    return html.unescape("".join(out)).strip()


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _strip_html(fragment: str) -> str:
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)
