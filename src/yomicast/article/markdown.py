"""Markdown with optional YAML front matter: the first ``#`` is the title, the shallowest level below it
starts the sections."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yomicast.article.model import Article, LineFate, Note, Section, Source, has_words
from yomicast.errors import InputError

if TYPE_CHECKING:
    from frontmatter.default_handlers import BaseHandler
    from markdown_it.token import Token


_BOUNDARY = re.compile(r"^-{3,}\s*$")
FRONT_MATTER_BYTES = 64_000  # a front matter block is a few lines of metadata
VALUE_CHARS = 2_000  # the longest value of one field (a description is a paragraph)
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")


def parse_markdown(text: str, name: str = "article") -> Article:
    import frontmatter
    import yaml
    from markdown_it import MarkdownIt

    text = text.lstrip("\ufeff")
    file_lines = text.split("\n")
    offset = _front_matter_lines(file_lines)
    if len("\n".join(file_lines[:offset]).encode("utf-8")) > FRONT_MATTER_BYTES:
        raise InputError(
            f"{name}: the front matter is over {FRONT_MATTER_BYTES // 1000} KB; it holds metadata only"
        )
    try:
        meta, _ = frontmatter.parse(text, handler=_safe_yaml())
    except RecursionError:
        raise InputError(f"{name}: the front matter nests too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) if isinstance(exc, yaml.composer.ComposerError) else None
        where = f" (line {mark.line + 1}{f': {problem}' if problem else ''})" if mark is not None else ""
        raise InputError(
            f"{name}: malformed YAML front matter{where}; fix it or remove the --- block"
        ) from None
    if not isinstance(meta, dict):
        raise InputError(f"{name}: the front matter must be a YAML mapping of key: value lines")
    if file_lines and _BOUNDARY.match(file_lines[0]) and offset == 0 and not meta:
        raise InputError(f"{name}: malformed YAML front matter (no closing ---)")
    body_lines = file_lines[offset:]
    fates: dict[int, LineFate] = {n: "metadata" for n in range(1, offset + 1)}
    notes: list[Note] = []

    def account(begin: int, end: int, fate: LineFate, reason: str = "") -> None:
        for k in range(begin, end):
            if k < len(body_lines) and has_words(body_lines[k]) and offset + k + 1 not in fates:
                fates[offset + k + 1] = fate
                if fate == "skipped":
                    notes.append(Note(offset + k + 1, reason, body_lines[k].strip(), spoken=False))

    tokens = MarkdownIt("commonmark").enable("table").parse("\n".join(body_lines))
    blocks: list[tuple[int | None, str, int]] = []  # (heading level or None, text, first line in body)
    list_stack: list[list[int]] = []  # [ordered?, counter]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        begin, end = tok.map or (0, 0)
        if tok.type == "heading_open":
            blocks.append((int(tok.tag[1]), _inline_text(tokens[i + 1]), begin))
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([tok.type == "ordered_list_open", int(tok.attrGet("start") or 1)])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            content = _inline_text(inline)
            if list_stack and tokens[i - 1].type == "list_item_open":
                ordered, n = list_stack[-1]
                content = (f"{n}. " if ordered else "- ") + content
                list_stack[-1][1] += 1
            blocks.extend((None, line, begin) for line in content.split("\n") if line.strip())
            for image in (c for c in inline.children or [] if c.type == "image"):
                at = _line_holding(body_lines, begin, end, str(image.attrGet("src") or ""))
                notes.append(
                    Note(offset + at + 1, "image", image.content or str(image.attrGet("src")), spoken=False)
                )
            account(begin, end, "spoken")
        elif tok.type == "table_open":
            account(begin, end, "spoken")
        elif tok.type == "tr_open":
            cells = []
            j = i + 1
            while tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(_inline_text(tokens[j]))
                j += 1
            blocks.append((None, "、".join(c for c in cells if c), begin))
            i = j
        elif tok.type == "html_block":
            stripped = _strip_html(tok.content)
            said = [line.strip() for line in stripped.split("\n") if line.strip()]
            blocks.extend((None, line, begin) for line in said)
            account(
                begin, end, "spoken" if any(has_words(x) for x in said) else "skipped", "HTML without text"
            )
        elif tok.type in ("fence", "code_block"):
            account(begin, end, "skipped", "code block")
        i += 1

    # The first # heading is the document's title; front matter's title wins over it.
    title = _meta_str(meta, "title", name)
    h1 = next((k for k, (lvl, _, _) in enumerate(blocks) if lvl == 1), None)
    if h1 is not None:
        _lvl, h1_text, h1_line = blocks.pop(h1)
        if title and h1_text != title:
            account(h1_line, h1_line + 1, "skipped", "a second title (front matter's title is read)")
        account(h1_line, h1_line + 1, "title")
        title = title or h1_text
    levels = [lvl for lvl, _, _ in blocks if lvl is not None]
    # Sections start at the shallowest heading level below the title; deeper headings fold into their
    # parent as a line of their own, so the chapter list stays the article's top-level outline.
    top = min(levels) if levels else None
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []
    for lvl, content, first in blocks:
        if lvl is not None:
            account(first, first + 1, "spoken")
        if lvl is not None and lvl == top:
            if lines or heading is not None:
                sections.append(Section(heading, "\n".join(lines)))
            heading, lines = content, []
        else:
            lines.append(content)
    if lines or heading is not None:
        sections.append(Section(heading, "\n".join(lines)))
    for k, line in enumerate(body_lines):  # what no block claimed: link definitions, or not understood
        reason = "link definition" if _LINK_DEFINITION.match(line) else "not understood as Markdown"
        account(k, k + 1, "skipped", reason)
    if title is None:
        title = Path(name).stem
    published = meta.get("published", meta.get("date"))
    url = _meta_str(meta, "source_url", name) or _meta_str(meta, "url", name)
    if url is not None and not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url, re.IGNORECASE):
        # It would become a link in the show notes, the site and the MP3's tags: javascript:, data: and
        # file: links have no place there. The article is still read; the writer is told.
        at = next((k for k, ln in enumerate(text.split("\n")) if re.match(r"\s*(source_)?url\s*:", ln)), 0)
        notes.append(Note(at + 1, "source_url is not an http(s) address; left out", url[:60], spoken=False))
        url = None
    source = Source(
        title=_meta_str(meta, "source_title", name),
        publisher=_meta_str(meta, "publisher", name),
        published=_meta_date(published, name),
        url=url,
        generator=_meta_str(meta, "generator", name),
        author=_meta_str(meta, "author", name),
    )
    if not sections:
        raise InputError(f"{name}: the article has no body text")
    return Article(
        title=title,
        sections=tuple(sections),
        source=source,
        description=_meta_str(meta, "description", name),
        notes=tuple(sorted(notes, key=lambda n: n.line)),
        fates=tuple(sorted(fates.items())),
    )


def _safe_yaml() -> BaseHandler:
    """A front matter handler on PyYAML's safe loader without anchors and aliases: front matter is a few
    fields, and aliases are how a few hundred bytes expand into gigabytes ("billion laughs")."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "aliases are not allowed here", mark)
            return super().compose_node(parent, index)

        def construct_yaml_timestamp(self, node):  # type: ignore[no-untyped-def]
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):  # 2026-13-45 looks like a date and is none: keep the text
                return self.construct_scalar(node)

    NoAliases.add_constructor("tag:yaml.org,2002:timestamp", NoAliases.construct_yaml_timestamp)

    class Handler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return yaml.load(fm, Loader=NoAliases)  # the safe loader, less aliases

    return Handler()


def _front_matter_lines(lines: list[str]) -> int:
    """How many lines the front matter block takes (0 when there is none or it is not closed)."""
    if not lines or not _BOUNDARY.match(lines[0]):
        return 0
    return next((k + 1 for k in range(1, len(lines)) if _BOUNDARY.match(lines[k])), 0)


def _line_holding(lines: list[str], begin: int, end: int, needle: str) -> int:
    return next((k for k in range(begin, end) if needle and needle in lines[k]), begin)


def _meta_str(meta: dict, key: str, name: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float | dt.date):
        raise InputError(f"{name}: front matter {key!r} must be a single value, not a {type(value).__name__}")
    text = str(value).strip()
    if len(text) > VALUE_CHARS:
        raise InputError(f"{name}: front matter {key!r} is over {VALUE_CHARS} characters")
    return text or None


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
