"""Output formats: each reporter writes a whole `Report` to a text stream.

Every reporter is deterministic: the same report gives byte-identical output. A reporter's module
is imported when its format is first asked for (the SARIF one needs sarif-om, a slow import an
editor asking for `concise` output should not pay for).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Callable, TextIO

from leaklint.report import Report

Reporter = Callable[[Report, TextIO], None]

_MODULES = {"text": "text", "concise": "concise", "json": "jsonfmt", "sarif": "sarif", "github": "github"}


class _Reporters(Mapping[str, Reporter]):
    def __getitem__(self, fmt: str) -> Reporter:
        module = importlib.import_module(f"leaklint.reporters.{_MODULES[fmt]}")
        return module.write

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Reporter] = _Reporters()

__all__ = ["REPORTERS", "Reporter"]
