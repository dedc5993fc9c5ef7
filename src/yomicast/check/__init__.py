"""The check stage. In: a built show folder (its MP3s and the manifest's record of every spoken line). Out:
what Whisper heard, line by line, compared as kana with what was meant. May import: show (the
manifest), audio (the decoder), settings, errors.

    kana.py     text → normalised kana; the kana error rate
    model.py    the Whisper base model: joined from its two wheels, verified, loaded offline
    listen.py   an episode's audio → each line heard and judged (misheard, silent, too short, unexpected speech)
"""
