"""The speech stage. In: a Script and the show's voices. Out: segments in the episode format, cached by
content. May import: audio, script, reading, settings, fsutil, errors.

``engines/`` (the contract, the registry, one file per engine, shared HTTP plumbing), ``cast`` (which voice
speaks which part), ``segments`` (the script cut into segments, spoken in parallel), ``cache`` (the store).
"""
