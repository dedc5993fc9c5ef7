"""Boilerplate removed from a page before extraction: blocks named like related stories, rankings,
share boxes and navigation (by the words of their class and id), and a heading that opens a list of other
stories with what follows it. Japanese news pages often keep these inside the article element, where
trafilatura would keep them too."""

from __future__ import annotations

import re
from typing import Any

from yomicast.fetch.pagemeta import one_line

#: Words in a class or id that mark a block no listener wants (matched as whole words of the name).
BOILERPLATE_WORDS = frozenset(
    [
        "related",
        "kanren",
        "relation",
        "ranking",
        "rank",
        "popular",
        "recommend",
        "recommended",
        "osusume",
        "pickup",
        "share",
        "sns",
        "social",
        "breadcrumb",
        "breadcrumbs",
        "pankuzu",
        "topicpath",
        "comment",
        "comments",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "banner",
        "promo",
        "paywall",
        "subscribe",
        "login",
        "tags",
        "taglist",
        "nav",
        "navi",
        "navigation",
        "menu",
        "gnav",
        "sidebar",
        "side",
        "footer",
        "header",
        "widget",
        "newsletter",
        "follow",
    ]
)
#: The name of an element that holds the article: never removed, whatever its other words.
KEEP_WORDS = frozenset(["article", "body", "honbun", "main", "content", "text", "entry", "post", "story"])
#: A heading that opens a list of other stories, not part of the article.
OTHER_STORIES = re.compile(
    r"^[【\[▼▽■□◆◇●○★☆＜<]?\s*(関連(記事|ニュース|リンク|情報)|あわせて読みたい|おすすめ|人気(記事|ニュース)|"
    r"(アクセス)?ランキング|よく読まれている|最新(記事|ニュース)|注目(記事|ニュース)|この記事を読んだ人|"
    r"コメント|PR|広告|Recommended|Related|Ranking)"
)


def _name_words(el: Any) -> set[str]:
    """The words of an element's class and id: ``related-articles main`` → related, articles, main."""
    return set(re.split(r"[\s_\-]+", f"{el.get('class', '')} {el.get('id', '')}".lower())) - {""}


def _attached(tree: Any, el: Any) -> bool:
    """Whether ``el`` is still in the document (not inside a block already removed)."""
    while el.getparent() is not None:
        el = el.getparent()
    return el is tree


def strip_boilerplate(tree: Any) -> None:
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or not _attached(tree, el):
            continue
        if el.tag in ("nav", "aside", "footer", "form", "button", "noscript", "iframe"):
            el.drop_tree()
            continue
        words = _name_words(el)
        if (
            words & BOILERPLATE_WORDS
            and not words & KEEP_WORDS
            and el.tag not in ("body", "html", "article", "main")
        ):
            el.drop_tree()
    for el in list(tree.iter("h2", "h3", "h4", "p", "div", "span", "strong")):
        if el.getparent() is None or not _attached(tree, el):
            continue
        text = one_line(el.text_content())
        if text and len(text) <= 20 and OTHER_STORIES.match(text):
            box = el.getparent()
            following = el.getnext()
            if (
                box is not None
                and box.getparent() is not None
                and box.tag in ("section", "div")
                and len(one_line(box.text_content())) < 600
                and not _name_words(box) & KEEP_WORDS
            ):
                box.drop_tree()
            else:
                if following is not None and following.tag in ("ul", "ol", "dl"):
                    following.drop_tree()
                el.drop_tree()
