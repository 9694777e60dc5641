"""Result cache of folder scans: an embedded SQLite database in the output folder.

A row is keyed by the file's content hash (sha256), the tool version, and the rule-pack and scan
settings (``scan_key``), so a rerun after an interruption or on a grown folder only processes new
or changed files. The database also remembers which report files in the folder hold which result
(``written``), so cached results are not rendered again when their files are already in place.

Only results that are a property of the file are cached: timeouts and crashed workers are not
(a rerun with a longer ``--timeout`` should try again), nor files whose bytes could not be read.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

CACHE_NAME = ".integrity-check-cache.sqlite"
SCHEMA = 1
# Problem kinds that depend on the run (time, machine), not on the file: never cached.
TRANSIENT_KINDS = frozenset({"timeout", "worker-crashed", "internal-error"})


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> Optional[str]:
    """The sha256 of a regular file's bytes, or None when it cannot be read (the scan reports why)."""
    import os
    import stat

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while True:
                block = fh.read(chunk)
                if not block:
                    break
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def scan_key(sha256: str, settings: str) -> str:
    """Cache key of one file's result: content hash + settings fingerprint (see ``settings_fingerprint``)."""
    return f"{sha256}:{settings}"


def settings_fingerprint(config, password: Optional[str], max_pages: Optional[int]) -> str:
    """Everything besides the file's bytes that changes its result: tool version, registered rules,
    the rule pack (``Config.fingerprint()``), the page limit and the password."""
    from . import __version__
    from .checks import ALL_RULES

    blob = json.dumps({
        "version": __version__,
        "rules": sorted(ALL_RULES),
        "pack": config.fingerprint(),
        "max_pages": max_pages,
        "password": hashlib.sha256(password.encode()).hexdigest() if password else None,
    }, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def cacheable(report: dict[str, Any]) -> bool:
    return not any(p.get("kind") in TRANSIENT_KINDS for p in report.get("problems", []))


class ResultCache:
    """``results(key, sha256, report, text)`` and ``written(name, key, path)``; commits per row."""

    def __init__(self, outdir: str | Path):
        self.path = Path(outdir) / CACHE_NAME
        self.db = sqlite3.connect(str(self.path), timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA):
            self.db.executescript("DROP TABLE IF EXISTS results; DROP TABLE IF EXISTS written;")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS results (
                key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, report BLOB NOT NULL, text BLOB,
                created REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS written (
                name TEXT PRIMARY KEY, key TEXT NOT NULL, path TEXT NOT NULL);
            """
        )
        self.db.execute(f"PRAGMA user_version={SCHEMA}")
        self.db.commit()

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:  # pragma: no cover
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # results ---------------------------------------------------------------------------------
    def get(self, key: str) -> Optional[dict[str, Any]]:
        row = self.db.execute("SELECT report FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(zlib.decompress(row[0]))
        except (zlib.error, ValueError):
            return None

    def put(self, key: str, sha256: str, report: dict[str, Any], text_z: Optional[bytes]) -> None:
        blob = zlib.compress(json.dumps(report, ensure_ascii=False).encode("utf-8"), 6)
        self.db.execute("INSERT OR REPLACE INTO results (key, sha256, report, text, created) VALUES (?, ?, ?, ?, ?)",
                        (key, sha256, blob, text_z, time.time()))
        self.db.commit()

    def text(self, key: str) -> Optional[str]:
        row = self.db.execute("SELECT text FROM results WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] is None:
            return None
        return zlib.decompress(row[0]).decode("utf-8")

    def texts(self, keys: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """(path, normalized text) for each (path, key) with a stored text, one at a time."""
        for path, key in keys:
            t = self.text(key)
            if t is not None:
                yield path, t

    # report files ----------------------------------------------------------------------------
    def written_as(self, name: str) -> Optional[tuple[str, str]]:
        row = self.db.execute("SELECT key, path FROM written WHERE name = ?", (name,)).fetchone()
        return (row[0], row[1]) if row else None

    def mark_written(self, name: str, key: str, path: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO written (name, key, path) VALUES (?, ?, ?)", (name, key, path))
        self.db.commit()

    def record(self, key: str, sha256: str, report: dict[str, Any], text_z: Optional[bytes], name: str,
               path: str) -> None:
        """Store a result and note that report files ``name``.* now hold it (one transaction; call
        it after the files are in place)."""
        blob = zlib.compress(json.dumps(report, ensure_ascii=False).encode("utf-8"), 6)
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO results (key, sha256, report, text, created) VALUES (?, ?, ?, ?, ?)",
                            (key, sha256, blob, text_z, time.time()))
            self.db.execute("INSERT OR REPLACE INTO written (name, key, path) VALUES (?, ?, ?)", (name, key, path))

    def forget_written(self, name: str) -> None:
        self.db.execute("DELETE FROM written WHERE name = ?", (name,))
        self.db.commit()
