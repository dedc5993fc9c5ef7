"""The show stage. In: a folder of articles and its show.toml. Out: a published folder: episodes, feed,
website, cover, manifest. May import: every stage below it (render, speech, audio, script, reading, article).

``config`` (show.toml), ``episode`` (one article → one episode's files), ``manifest`` (the typed build state),
``build`` (the incremental, consistent build), ``feed``, ``website`` with ``web/``, ``cover``, ``notes``.
"""
