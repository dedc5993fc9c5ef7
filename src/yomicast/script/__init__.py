"""The script stage. In: an Article and the show's templates. Out: a Script (what is said, in which order,
by which part, with which pause), the credit sentences and the outline. May import: reading, article, settings.

``compose`` (the Script and its parts), ``credits`` (source and voice credits), ``outline`` (``sections``).
"""
