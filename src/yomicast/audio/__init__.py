"""The audio stage. In: samples and raw engine audio. Out: the episode format, its loudness, MP3 and Opus
files, ID3 tags and the timeline with its transcripts. May import: script, settings, fsutil, errors.

``raw`` (what engines return), ``decode`` (any audio → 44.1 kHz mono float32), ``timeline`` (clips, lines and
chapters on the sample clock: pure values), ``loudness`` (BS.1770 meter, true-peak limiter), ``mp3`` (streams
encoded side by side and joined), ``alternates`` (Ogg Opus), ``tags`` (ID3, CHAP/CTOC), ``transcript``.
"""
