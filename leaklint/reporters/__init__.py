"""Output formats: each reporter writes a whole `Report` to a text stream.

Every reporter is deterministic: the same report gives byte-identical output.
"""

from __future__ import annotations

from typing import Callable, TextIO

from leaklint.report import Report
from leaklint.reporters import concise, github, jsonfmt, sarif, text

Reporter = Callable[[Report, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.write,
    "concise": concise.write,
    "json": jsonfmt.write,
    "sarif": sarif.write,
    "github": github.write,
}

__all__ = ["REPORTERS", "Reporter"]
