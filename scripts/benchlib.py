"""What the benchmarks share: running a measurement in a fresh child process, imports included."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

#: news topics the synthetic articles of the benchmarks and the corpus report are written about
TOPICS = [
    "物価",
    "防災",
    "制度",
    "予算",
    "人口",
    "交通",
    "電力",
    "観光",
    "住宅",
    "雇用",
    "農業",
    "医療",
    "教育",
    "港湾",
]


def run_child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh Python with ``args``; it prints one JSON line of figures last, which comes back.
    A child that fails ends the benchmark with the end of its stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
