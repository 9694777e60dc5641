"""Run ``integrity-check ARGS`` in this process and print, as the last stdout line, JSON with the
exit code and the peak RSS of this process and of its largest (waited-for) child, the workers.
Used by bench.py: like ``/usr/bin/time -v``, but it also sees the worker processes."""
from __future__ import annotations

import contextlib
import io
import json
import resource
import sys


def main() -> None:
    from integrity_check.cli import main as cli

    code = 0
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            cli.main(sys.argv[1:], standalone_mode=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"exit": code, "self_mb": me, "children_mb": kids}))


if __name__ == "__main__":
    main()
