"""The fetch stage. In: the show's sources, feeds and pages on the web. Out: one Markdown article file per
new entry in the articles folder, and the state that keeps a second fetch from asking for it again.
May import: article, settings, fsutil, errors.

    web.py       a polite HTTP client: robots.txt, a delay per host, conditional GET, Retry-After, limits
    feeds.py     RSS 2.0, RSS 1.0 (RDF) and Atom through feedparser, told from pages by their content
    extract.py   a news page → headline, date, publisher, author and a Markdown body (trafilatura, and a
                 few small rules for Japanese news pages)
    state.py     .yomicast-fetch.json: validators, GUIDs and hashes, written atomically
    fetcher.py   the sources → new article files, never overwriting one
"""
