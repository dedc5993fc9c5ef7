"""Reading an article file into a title, its source and its headed sections.

Two input forms are understood:

* plain text in the news-digest form (title line, paragraphs, heading lines, ``- `` bullets and a
  footer that names the source, its publisher and date, and the AI that wrote the digest);
* Markdown with optional YAML front matter.

The encoding is detected (charset-normalizer), so a Shift_JIS file gives the same ``Article`` as its
UTF-8 twin. The footer is metadata: none of it ever reaches a section.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from yomicast.errors import InputError

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
TEXT_SUFFIXES = {".txt", ".text", ""}
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

# Encodings an article may come in. Restricting the detector to these keeps short Japanese files from
# being taken for Chinese or Korean code pages.
_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso2022_jp"]

SENTENCE_END = "。．.！!？?"
_CLOSERS = "」』）)】〕”’\"'"
HEADING_MAX_CHARS = 60


@dataclass(frozen=True)
class Source:
    """Where the article's facts come from; every field may be unknown."""

    title: str | None = None
    publisher: str | None = None
    published: dt.datetime | dt.date | None = None
    url: str | None = None
    generator: str | None = None
    author: str | None = None

    def published_iso(self) -> str | None:
        if self.published is None:
            return None
        if isinstance(self.published, dt.datetime):
            return self.published.isoformat(timespec="minutes")
        return self.published.isoformat()


@dataclass(frozen=True)
class Section:
    """A heading (None for the lead) and its body as written, one block per line."""

    heading: str | None
    text: str

    @property
    def blocks(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    source: Source = field(default_factory=Source)
    description: str | None = None
    path: Path | None = None

    @property
    def slug(self) -> str:
        return slugify(self.path.stem if self.path else self.title)


def slugify(name: str) -> str:
    """A file-name-safe slug; Japanese letters are kept (podcast hosts and apps handle UTF-8 paths)."""
    name = unicodedata.normalize("NFKC", name).strip().lower()
    name = re.sub(r"[^\w\-.]+", "-", name, flags=re.UNICODE).strip("-.")
    return name[:80] or "episode"


# ---------------------------------------------------------------------------------------------------------
# Bytes → text


def decode_bytes(data: bytes, name: str) -> str:
    """Decode an article's bytes, detecting its encoding; raise InputError for binary or garbage."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf_8", name)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf_16", name)
    else:
        if b"\x00" in data:
            raise InputError(f"{name}: this is a binary file, not an article; give a .txt or .md file")
        try:
            text = data.decode("utf_8")
        except UnicodeDecodeError:
            text = _detect(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t")
    if controls > max(2, len(text) // 200):
        raise InputError(f"{name}: this is a binary file, not an article; give a .txt or .md file")
    if not text.strip():
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: undecodable bytes at offset {exc.start} for its {encoding} byte-order mark; "
            "save the file again as UTF-8"
        ) from None


def _detect(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise InputError(
            f"{name}: undecodable bytes: not valid UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP; "
            "save the file again as UTF-8"
        )
    return str(best)


# ---------------------------------------------------------------------------------------------------------
# Entry point


def read_article(path: str | Path) -> Article:
    """Read one article file (plain text or Markdown, any common Japanese encoding)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give one article file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    text = decode_bytes(data, name)
    if path.suffix.lower() in MARKDOWN_SUFFIXES or text.lstrip("\ufeff").startswith("---\n"):
        article = parse_markdown(text, name)
    else:
        article = parse_digest(text, name)
    article = Article(
        title=article.title,
        sections=article.sections,
        source=article.source,
        description=article.description,
        path=path,
    )
    if not any(_speakable(s.text) or (s.heading and _speakable(s.heading)) for s in article.sections):
        raise InputError(f"{name}: the article has no speakable text (only symbols or markup)")
    return article


def _speakable(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


# ---------------------------------------------------------------------------------------------------------
# Plain text, news-digest form

_ANNOUNCE = re.compile(r"^AIがニュースをお伝えしました。?$")
_GENERATOR = re.compile(r"^以下の問いで(?P<ai>.+?)から回答を(?:え|得)ています。?$")
_PROMPT = re.compile(
    r"^(?P<publisher>.+?)が(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T](?P<time>\d{1,2}:\d{2}))?に"
    r"[『「](?P<title>.+?)[』」]を公開しました"
)


def parse_digest(text: str, name: str = "article") -> Article:
    lines = [unicodedata.normalize("NFC", line).strip() for line in text.lstrip("\ufeff").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: the file is empty; write the article's title and text into it")
    body, source = _split_footer(lines)
    if not body:
        raise InputError(f"{name}: the article has no body text, only its footer")
    title, rest = _title_and_rest(body, name)
    sections: list[Section] = []
    heading: str | None = None
    block: list[str] = []
    for i, line in enumerate(rest):
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if _is_heading(line, nxt):
            if block or heading is not None:
                sections.append(Section(heading, "\n".join(block)))
            heading, block = _clean_heading(line), []
        else:
            block.append(_clean_bullet(line))
    if block or heading is not None:
        sections.append(Section(heading, "\n".join(block)))
    if not sections:
        sections = [Section(None, title)]
    return Article(title=title, sections=tuple(sections), source=source)


def _title_and_rest(body: list[str], name: str) -> tuple[str, list[str]]:
    """The first line is the title when it reads as one; otherwise the file name is."""
    first = body[0]
    if len(first) <= 100 and not first.startswith("- ") and (len(body) > 1 or first[-1] not in SENTENCE_END):
        return first, body[1:]
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem or first[:40], body


def _is_heading(line: str, nxt: str | None) -> bool:
    """A heading is a short line that does not end a sentence and is followed by body text.

    It may end in a question mark or hold a colon (「なぜ「違法」なのか?:国連安保理決議との関係」).
    """
    if nxt is None or _is_bullet(line) or len(line) > HEADING_MAX_CHARS:
        return False
    if line.rstrip(_CLOSERS)[-1:] in ("。", "．", ".", "！", "!", "、", "，", ","):
        return False
    return _is_bullet(nxt) or not _heading_shaped(nxt)


def _heading_shaped(line: str) -> bool:
    return len(line) <= HEADING_MAX_CHARS and line.rstrip(_CLOSERS)[-1:] not in SENTENCE_END + "、"


def _is_bullet(line: str) -> bool:
    return line.startswith(("- ", "・", "* "))


def _clean_heading(line: str) -> str:
    return re.sub(r"^#+\s*|^[■□◆◇●○▼▽【]\s*|】$", "", line).strip()


def _clean_bullet(line: str) -> str:
    return re.sub(r"^(?:[・*]\s*|-\s+)", "- ", line)


def _split_footer(lines: list[str]) -> tuple[list[str], Source]:
    """Cut the digest footer off and read the source facts out of it."""
    marks = [i for i, line in enumerate(lines) if _ANNOUNCE.match(line) or _GENERATOR.match(line)]
    prompt_at = next((i for i, line in enumerate(lines) if _PROMPT.match(line)), None)
    if not marks and prompt_at is None:
        return lines, Source()
    start = min(marks + ([prompt_at] if prompt_at is not None else []))
    publisher = published = source_title = generator = None
    if prompt_at is not None:
        m = _PROMPT.match(lines[prompt_at])
        assert m is not None
        publisher, source_title = m["publisher"].strip(), m["title"].strip()
        published = _parse_datetime(m["date"], m["time"])
    for line in lines[start:]:
        g = _GENERATOR.match(line)
        if g:
            generator = g["ai"].strip()
    # The line just above the footer is the source's own title when it matches, or reads as one.
    if start > 1:
        above = lines[start - 1]
        if (source_title and above == source_title) or (
            above[-1] not in SENTENCE_END and _mostly_latin(above)
        ):
            source_title = source_title or above
            start -= 1
    source = Source(title=source_title, publisher=publisher, published=published, generator=generator)
    return lines[:start], source


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8


def _parse_datetime(date: str, time: str | None) -> dt.datetime | dt.date | None:
    try:
        y, m, d = (int(p) for p in date.split("-"))
        if time:
            hh, mm = (int(p) for p in time.split(":"))
            return dt.datetime(y, m, d, hh, mm)
        return dt.date(y, m, d)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------
# Markdown with YAML front matter

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
        raise InputError(f"{name}: malformed YAML front matter{where}; fix it or remove the --- block") from None
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
    return Article(title=title, sections=tuple(sections), source=source,
                   description=_meta_str(meta, "description"))


def _meta_str(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _meta_date(value: object, name: str) -> dt.datetime | dt.date | None:
    if value is None or isinstance(value, dt.datetime | dt.date):
        return value  # type: ignore[return-value]
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            f"{name}: front matter 'published' is not a date: {value!r}; write it as 2025-07-17 or "
            "2025-07-17T20:12"
        ) from None


def _inline_text(token) -> str:
    """The text a listener should hear: markup, inline HTML and images dropped, links read as their text."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak",):
            out.append("")  # Japanese lines join without a space
        elif child.type == "hardbreak" or (child.type == "html_inline" and child.content.lower().startswith("<br")):
            out.append("\n")
    return html.unescape("".join(out)).strip()


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _strip_html(fragment: str) -> str:
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)
