"""INT001 rule-failed: a rule raised an exception on this document.

What it checks
    Nothing in the paper: the engine runs every rule in isolation, and when one raises, the
    exception becomes this single note and the other rules run on.

Why it matters
    A crash in one check must never hide the findings of the others, and must not pass silently:
    the note tells the reader that one family of checks did not run on this paper.

Example
    "rule PCT003 failed: ZeroDivisionError: division by zero".

Tolerance
    Not applicable.

Known limitations
    The note does not say which fact made the rule fail; run ``integrity-check extract`` on the
    file to see the facts the rule received.

References
    None.
"""
from __future__ import annotations

from .base import rule


@rule("INT001", "rule-failed", "note")
def check(doc, facts, ctx):
    """Emitted by the engine, never by running this function."""
    return []
