"""yomicast: Japanese news articles in, a chaptered podcast out."""

from __future__ import annotations

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/yomicast/yomicast"
