from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "fixtures" / "seed"
CORPUS = SHARED / "corpus"


def seed_path(name: str) -> Path:
    path = SEED / name
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is absent)")
    return path
