"""Batch machinery of ``integrity-check scan DIR``: bounded workers, the result cache, report files.

* **Checking one file** (``check_path``) never raises for a bad input: the report's ``problems``
  say what went wrong, and ``unreadable: true`` marks a file that could not be checked.
* **Workers** are separate interpreters ("sidecars", ``python -m integrity_check.scanner --serve``)
  fed one task at a time over a pipe. A task that runs past ``--timeout`` (or a worker that dies:
  segfault, out of memory) is recorded as a problem (``timeout`` / ``worker-crashed``), the worker
  is killed and replaced, and the scan goes on. ``concurrent.futures`` cannot stop a running task;
  killing the process that runs it can. Plain subprocesses (not ``multiprocessing``) also work
  inside daemonic Dask worker processes.
* **Executors**: ``local`` (``--jobs N`` sidecars driven by one selector loop) and ``dask``
  (each Dask task borrows a sidecar of its worker process; ``--scheduler tcp://host:port`` or a
  ``LocalCluster``). Both hand results back to the same writer, so reports and cache are the same.
* **Resumable**: each paper's JSON and HTML are written (atomically: temp file, then rename) as
  soon as the paper is done, and its cache row after them; a rerun skips files whose content hash,
  tool version, rule pack and settings are in the cache (``cache.py``).
"""
from __future__ import annotations

import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_PAGES = 2000
# Problem kinds that mean "this file was not (fully) checked": the batch exit code says a file failed.
FAILED_KINDS = frozenset({"timeout", "worker-crashed", "page-limit", "internal-error"})
_HEADER = struct.Struct("<Q")
_READY = "integrity-check-worker-ready"


# ------------------------------------------------------------------------------------------
# checking one file
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    index: int
    path: str
    config: Any
    password: Optional[str] = None
    max_pages: Optional[int] = None
    want_text: bool = True
    sha256: str = ""


def problem_report(path: str, kind: str, message: str, sha256: str = "", seconds: Optional[float] = None,
                   page: Optional[int] = None) -> dict:
    """A report for a file that could not be checked: one problem entry, ``unreadable: true``."""
    from .model import Problem
    from .report.json import build_report

    report = build_report(None, [], None, str(path), problems=[Problem(kind, message, page)], sha256=sha256)
    report["unreadable"] = True
    if seconds is not None:
        report["timing"] = {"seconds": round(seconds, 3)}
    return report


def check_path(path: str, config, password: Optional[str] = None, max_pages: Optional[int] = None,
               want_text: bool = False) -> tuple[dict, Optional[str]]:
    """Check one file; returns (report, normalized text or None). Never raises for a bad input."""
    from .api import check_document
    from .ingest import IngestError, load_document

    started = time.perf_counter()
    try:
        _refuse_special_file(path)
        doc = load_document(path, password=password, max_pages=max_pages)
    except IngestError as exc:
        return problem_report(path, exc.kind, str(exc), seconds=time.perf_counter() - started), None
    except MemoryError:
        return problem_report(path, "unreadable", "out of memory while reading the file",
                              seconds=time.perf_counter() - started), None
    except RecursionError:
        return problem_report(path, "corrupt", "the file is too deeply nested to parse",
                              seconds=time.perf_counter() - started), None
    except Exception as exc:  # a parser bug on one file must not stop a batch
        return problem_report(path, "unreadable", f"{type(exc).__name__}: {_short(exc)}",
                              seconds=time.perf_counter() - started), None
    try:
        report = check_document(doc, config)
    except MemoryError:
        return problem_report(path, "internal-error", "out of memory while checking the file", doc.sha256,
                              time.perf_counter() - started), None
    except Exception as exc:  # a bug of ours in extraction: one problem entry, the batch goes on
        return problem_report(path, "internal-error", f"checking failed: {type(exc).__name__}: {_short(exc)}",
                              doc.sha256, time.perf_counter() - started), None
    report["timing"] = {"seconds": round(time.perf_counter() - started, 3)}
    return report, (doc.text if want_text else None)


def _refuse_special_file(path: str) -> None:
    """FIFOs, sockets and devices would block or never end: refuse them before reading."""
    import stat

    from .ingest import IngestError

    try:
        st = os.stat(path)
    except OSError:
        return  # load_document words the error (broken link, permission, missing)
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise IngestError("unreadable", "not a regular file")


def _short(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("..." if len(text) > limit else "")


class _Alarm(Exception):
    pass


def check_path_bounded(path: str, config, password=None, max_pages=None, timeout: Optional[float] = None,
                       want_text: bool = False) -> tuple[dict, Optional[str]]:
    """``check_path`` with a time limit in this process (SIGALRM; main thread on POSIX only).

    Used for a single file, where starting a worker would cost more than the check. The alarm
    interrupts Python code between bytecodes; a batch uses killable worker processes instead."""
    usable = (timeout and timeout > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        return check_path(path, config, password, max_pages, want_text)

    def on_alarm(signum, frame):
        raise _Alarm()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return check_path(path, config, password, max_pages, want_text)
    except _Alarm:
        return timeout_report(path, timeout), None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timeout_report(path: str, timeout: float, sha256: str = "") -> dict:
    return problem_report(path, "timeout", f"checking took longer than {timeout:g} s (--timeout); the file was skipped",
                          sha256, timeout)


def crashed_report(path: str, why: str, sha256: str = "") -> dict:
    return problem_report(path, "worker-crashed", f"the worker checking this file died ({why}); the file was skipped",
                          sha256)


def run_task(task: Task) -> dict:
    """What a worker does for one task: check, compress the text, note the worker's peak memory."""
    _inject_fault(task.path)
    report, text = check_path(task.path, task.config, task.password, task.max_pages, task.want_text)
    return {"report": report, "text_z": zlib.compress(text.encode("utf-8"), 6) if text else None,
            "rss_mb": peak_rss_mb()}


def _inject_fault(path: str) -> None:
    """Fault injection for the tests of timeouts and dying workers (never set in normal use):
    ``INTEGRITY_CHECK_FAULT="hang:NAME"`` makes a worker sleep on files whose name contains NAME,
    ``"crash:NAME"`` makes it die as if it had crashed in C code."""
    spec = os.environ.get("INTEGRITY_CHECK_FAULT")
    if not spec or ":" not in spec:
        return
    what, name = spec.split(":", 1)
    if name and name in os.path.basename(path):
        if what == "hang":
            time.sleep(3600)
        elif what == "crash":
            os._exit(139)


def peak_rss_mb() -> Optional[float]:
    try:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024, 1)
    except Exception:  # pragma: no cover - not POSIX
        return None


def is_failed(report: dict) -> bool:
    """True when the file was not (fully) checked: unreadable, timeout, page limit, no text layer at all."""
    return failure(report) is not None


def failure(report: dict) -> Optional[dict]:
    """The problem entry that makes a file count as failed, or None."""
    problems = report.get("problems") or []
    if report.get("unreadable"):
        return problems[0] if problems else {"kind": "unreadable", "message": "the file could not be read"}
    for p in problems:
        if p.get("kind") in FAILED_KINDS:
            return p
    blank = [p for p in problems if p.get("kind") == "no-text-layer"]
    pages = (report.get("document") or {}).get("pages")
    if blank and (any(str(p.get("message", "")).startswith("no page") for p in blank)
                  or (pages and len({p.get("page") for p in blank}) >= pages)):
        return blank[0]
    return None


# ------------------------------------------------------------------------------------------
# killable worker processes
# ------------------------------------------------------------------------------------------
class WorkerDied(Exception):
    pass


def _package_parent() -> str:
    return str(Path(__file__).resolve().parent.parent)


class Sidecar:
    """One worker interpreter serving tasks over its stdin/stdout; ``kill()`` stops it at once."""

    def __init__(self, quiet: bool = True):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_parent(), env.get("PYTHONPATH")) if p)
        env.setdefault("PYTHONHASHSEED", "0")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "integrity_check.scanner", "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet and not os.environ.get("INTEGRITY_CHECK_WORKER_STDERR") else None,
            bufsize=0, env=env, close_fds=True,
        )
        self.fd = self.proc.stdout.fileno()
        self.ready = False

    def wait_ready(self, timeout: float = 300.0) -> None:
        msg = self.recv(timeout)
        if msg != _READY:
            raise WorkerDied(f"unexpected greeting {msg!r}")
        self.ready = True

    def send(self, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(_HEADER.pack(len(data)) + data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(self._why(exc)) from None

    def recv(self, timeout: Optional[float] = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        head = self._read_exact(_HEADER.size, deadline)
        (n,) = _HEADER.unpack(head)
        return pickle.loads(self._read_exact(n, deadline))

    def _read_exact(self, n: int, deadline: Optional[float]) -> bytes:
        chunks, got = [], 0
        while got < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError()
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    raise TimeoutError()
            try:
                chunk = os.read(self.fd, min(n - got, 1 << 20))
            except OSError as exc:
                raise WorkerDied(self._why(exc)) from None
            if not chunk:
                raise WorkerDied(self._why(None))
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _why(self, exc) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return f"lost contact: {exc}" if exc else "lost contact"
        if code is not None and code < 0:
            try:
                return f"killed by signal {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """Ask politely (EOF on stdin), then kill."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except Exception:
            pass
        self.kill()


def _serve() -> None:
    """Worker main loop: read (length, pickled Task), write (length, pickled result)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    out_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints of libraries must not corrupt the protocol
    sys.stdout = sys.stderr
    out = os.fdopen(out_fd, "wb", buffering=0)
    inp = sys.stdin.buffer

    def write(obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_HEADER.pack(len(data)) + data)

    # Import everything a check needs once, before saying ready.
    import integrity_check.api  # noqa: F401
    import integrity_check.ingest.pdf  # noqa: F401
    import integrity_check.ingest.tables  # noqa: F401
    import integrity_check.report.json  # noqa: F401

    write(_READY)
    while True:
        head = inp.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return
        (n,) = _HEADER.unpack(head)
        payload = inp.read(n)
        if len(payload) < n:
            return
        task = pickle.loads(payload)
        try:
            result = run_task(task)
        except BaseException as exc:  # noqa: BLE001 - anything becomes a problem entry
            result = {"report": problem_report(task.path, "internal-error", f"{type(exc).__name__}: {_short(exc)}"),
                      "text_z": None, "rss_mb": peak_rss_mb()}
        write(result)


# ------------------------------------------------------------------------------------------
# executors
# ------------------------------------------------------------------------------------------
OnResult = Callable[[Task, dict], None]


def run_local(tasks: Iterable[Task], on_result: OnResult, jobs: int = 1, timeout: Optional[float] = DEFAULT_TIMEOUT) -> None:
    """Run tasks on ``jobs`` killable worker processes; ``on_result(task, result)`` in this process."""
    import selectors

    pending = deque(tasks)
    if not pending:
        return
    timeout = timeout if timeout and timeout > 0 else None
    workers: list[Sidecar] = []
    sel = selectors.DefaultSelector()
    busy: dict[Sidecar, tuple[Task, Optional[float]]] = {}
    try:
        workers = [Sidecar() for _ in range(max(1, min(jobs, len(pending))))]
        for w in workers:
            w.wait_ready()
        idle = list(workers)
        while pending or busy:
            while idle and pending:
                w, task = idle.pop(), pending.popleft()
                try:
                    w.send(task)
                except WorkerDied:
                    w = _replace(workers, w)
                    w.send(task)
                busy[w] = (task, None if timeout is None else time.monotonic() + timeout)
                sel.register(w.fd, selectors.EVENT_READ, w)
            deadlines = [d for _, d in busy.values() if d is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for key, _ in sel.select(wait):
                w = key.data
                sel.unregister(w.fd)
                task, _ = busy.pop(w)
                try:
                    result = w.recv(timeout=60)
                except (WorkerDied, TimeoutError) as exc:
                    result = {"report": crashed_report(task.path, str(exc) or "no answer", task.sha256)}
                    w = _replace(workers, w)
                idle.append(w)
                on_result(task, result)
            now = time.monotonic()
            for w, (task, deadline) in list(busy.items()):
                if deadline is not None and deadline <= now:
                    sel.unregister(w.fd)
                    busy.pop(w)
                    w = _replace(workers, w)
                    idle.append(w)
                    on_result(task, {"report": timeout_report(task.path, timeout, task.sha256)})
    finally:
        sel.close()
        for w in workers:
            w.kill() if w in busy else w.close()


def _replace(workers: list[Sidecar], dead: Sidecar) -> Sidecar:
    dead.kill()
    fresh = Sidecar()
    fresh.wait_ready()
    workers[workers.index(dead)] = fresh
    return fresh


# Dask: each worker process keeps a few sidecars (one per thread that runs our tasks).
_SIDECARS: list[Sidecar] = []
_SIDECARS_LOCK = threading.Lock()


def dask_task(task: Task, timeout: Optional[float]) -> dict:
    """The function a Dask worker runs for one file: bounded by ``timeout`` in a killable sidecar."""
    if not timeout or timeout <= 0:
        return run_task(task)
    with _SIDECARS_LOCK:
        w = _SIDECARS.pop() if _SIDECARS else None
    if w is None or w.proc.poll() is not None:
        w = Sidecar()
        w.wait_ready()
    try:
        w.send(task)
        result = w.recv(timeout)
    except TimeoutError:
        w.kill()
        return {"report": timeout_report(task.path, timeout, task.sha256)}
    except WorkerDied as exc:
        w.kill()
        return {"report": crashed_report(task.path, str(exc), task.sha256)}
    with _SIDECARS_LOCK:
        _SIDECARS.append(w)
    return result


def shutdown_sidecars() -> None:
    with _SIDECARS_LOCK:
        while _SIDECARS:
            _SIDECARS.pop().close()


def _shutdown_on_worker() -> None:
    shutdown_sidecars()


def run_dask(tasks: Iterable[Task], on_result: OnResult, scheduler: Optional[str] = None, jobs: int = 2,
             timeout: Optional[float] = DEFAULT_TIMEOUT) -> None:
    """Distribute tasks over a Dask cluster (``scheduler`` address) or a ``LocalCluster`` of ``jobs`` workers.

    Input paths must be readable at the same path on every worker (a shared file system); results
    come back to this process, which writes the reports and the cache exactly as ``run_local`` does."""
    import logging
    import uuid

    from dask.distributed import Client, LocalCluster, as_completed

    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)
    tasks = list(tasks)
    if not tasks:
        return
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="10s")
    else:
        # With a timeout the work happens in sidecar processes, so threads suffice for the workers.
        bounded = bool(timeout and timeout > 0)
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=not bounded,
                               dashboard_address=None)
        client = Client(cluster)
    run_id = uuid.uuid4().hex[:8]
    try:
        futures = {}
        for t in tasks:
            fut = client.submit(dask_task, t, timeout, key=f"integrity-check-{run_id}-{t.index}", pure=False)
            futures[fut] = t
        for fut in as_completed(list(futures)):
            task = futures.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:  # KilledWorker, lost connection, ...
                result = {"report": crashed_report(task.path, f"{type(exc).__name__}: {_short(exc)}", task.sha256)}
            fut.release()
            on_result(task, result)
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    finally:
        try:
            if scheduler:
                client.run(_shutdown_on_worker)
        except Exception:
            pass
        client.close()
        if cluster is not None:
            cluster.close()
        shutdown_sidecars()  # LocalCluster(processes=False) ran them in this process


# ------------------------------------------------------------------------------------------
# a folder scan: cache, report files, index
# ------------------------------------------------------------------------------------------
@dataclass
class BatchOptions:
    config: Any
    jobs: int = 1
    password: Optional[str] = None
    max_pages: Optional[int] = DEFAULT_MAX_PAGES
    timeout: Optional[float] = DEFAULT_TIMEOUT
    use_cache: bool = True
    executor: str = "local"
    scheduler: Optional[str] = None


@dataclass
class BatchResult:
    files: int = 0
    from_cache: int = 0
    checked: int = 0
    failed: int = 0
    errors: int = 0
    reports: dict = field(default_factory=dict)  # path -> small summary (findings kept on disk)
    cross_paper: Optional[list] = None
    rss_mb: list = field(default_factory=list)


def report_names(files: list[Path]) -> list[str]:
    """Stable report file names: the path relative to the files' common folder, '/' -> '__'."""
    if not files:
        return []
    try:
        common = Path(os.path.commonpath([str(Path(f).absolute().parent) for f in files]))
    except ValueError:  # different drives
        common = None
    used: set[str] = set()
    names = []
    for f in files:
        rel = Path(f).absolute()
        try:
            rel = rel.relative_to(common) if common else Path(rel.name)
        except ValueError:
            rel = Path(rel.name)
        base = "__".join(rel.with_suffix("").parts) or "paper"
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in base).lstrip(".") or "paper"
        name, i = stem, 2
        while name.lower() in used:
            name, i = f"{stem}-{i}", i + 1
        used.add(name.lower())
        names.append(name)
    return names


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename: readers see the old or the new file, never half."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def remove_stale_temp_files(outdir: Path) -> None:
    """Temp files of a run killed with SIGKILL (never a final report: those are renamed complete)."""
    for tmp in outdir.glob(".*.tmp-*"):
        try:
            tmp.unlink()
        except OSError:
            pass


def cross_paper_hook():
    """``integrity_check.crosspaper.cross_paper_duplicates`` when it exists (DUP002), else None."""
    try:
        from .crosspaper import cross_paper_duplicates
    except ImportError:
        return None
    return cross_paper_duplicates


def run_batch(files: list[Path], outdir: Path, opts: BatchOptions, rule_docs: dict,
              announce: Callable[[str, dict, bool], None] = lambda p, r, c: None) -> BatchResult:
    """Scan ``files`` into ``outdir``: per-paper JSON+HTML as each finishes, then index, CSV, JSONL.

    ``announce(path, report, from_cache)`` is called once per file (progress, stderr lines)."""
    from .cache import ResultCache, cacheable, file_sha256, scan_key, settings_fingerprint
    from .report import render_index_html, render_paper_html
    from .report.json import dumps

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(outdir)
    names = report_names(files)
    settings = settings_fingerprint(opts.config, opts.password, opts.max_pages)
    result = BatchResult(files=len(files))
    summaries: dict[int, dict] = {}
    keys: dict[int, Optional[str]] = {}
    crosspaper = cross_paper_hook()

    def summary_row(i: int, report: dict) -> dict:
        s = report["summary"]
        return {
            "path": str(files[i]), "report_href": f"{names[i]}.html", "pages": report["document"]["pages"],
            "error": s["error"], "warning": s["warning"], "note": s["note"],
            "significance_flips": s["significance_flips"],
            "top_finding": report["findings"][0]["message"] if report["findings"] else None,
            "seconds": report.get("timing", {}).get("seconds"),
            "problems": [f"{p['kind']}: {p['message']}" for p in report["problems"]],
            "failed": is_failed(report),
        }

    def write_files(i: int, report: dict) -> None:
        atomic_write(outdir / f"{names[i]}.json", dumps(report) + "\n")
        atomic_write(outdir / f"{names[i]}.html", render_paper_html(report, rule_docs))

    def finish(i: int, report: dict, text_z: Optional[bytes], from_cache: bool) -> None:
        path, key = str(files[i]), keys.get(i)
        report["document"]["path"] = path
        if from_cache:
            unchanged = (cache.written_as(names[i]) == (key, path) and (outdir / f"{names[i]}.json").exists()
                         and (outdir / f"{names[i]}.html").exists())
            if not unchanged:
                write_files(i, report)
                cache.mark_written(names[i], key, path)
        else:
            write_files(i, report)
            if key and cacheable(report):
                cache.record(key, key.split(":", 1)[0], report, text_z, names[i], path)
            else:
                cache.forget_written(names[i])
        summaries[i] = summary_row(i, report)
        result.errors += report["summary"]["error"]
        result.failed += summaries[i]["failed"]
        announce(path, report, from_cache)

    cache = ResultCache(outdir)
    previous_term = None
    if threading.current_thread() is threading.main_thread():
        def on_term(signum, frame):
            raise KeyboardInterrupt()
        previous_term = signal.signal(signal.SIGTERM, on_term)
    try:
        tasks: list[Task] = []
        for i, f in enumerate(files):
            sha = file_sha256(f)
            keys[i] = scan_key(sha, settings) if sha else None
            cached = cache.get(keys[i]) if (keys[i] and opts.use_cache) else None
            if cached is not None:
                result.from_cache += 1
                finish(i, cached, None, True)
            elif sha is None:
                # Not a readable regular file (broken link, folder named x.pdf, no permission, ...):
                # reading it fails at once, so say why here without a worker.
                report, _ = check_path(str(f), opts.config, opts.password, opts.max_pages)
                result.checked += 1
                finish(i, report, None, False)
            else:
                tasks.append(Task(i, str(f), opts.config, opts.password, opts.max_pages, True, sha))

        def on_result(task: Task, res: dict) -> None:
            result.checked += 1
            if res.get("rss_mb"):
                result.rss_mb.append(res["rss_mb"])
            finish(task.index, res["report"], res.get("text_z"), False)

        if opts.executor == "dask":
            run_dask(tasks, on_result, opts.scheduler, opts.jobs, opts.timeout)
        elif opts.jobs <= 1 and len(tasks) <= 1 and not opts.timeout:
            for t in tasks:
                on_result(t, run_task(t))
        else:
            run_local(tasks, on_result, opts.jobs, opts.timeout)

        # Everything is checked: the index, the CSV and the JSONL of all findings.
        order = sorted(summaries)
        rows = []
        for i in order:
            row = dict(summaries[i])
            row.pop("failed", None)
            rows.append(row)
        if crosspaper is not None:
            # The same file twice (same bytes) is one paper, not two papers sharing text.
            first_of_sha: dict[str, int] = {}
            for i in order:
                if keys.get(i):
                    first_of_sha.setdefault(keys[i].split(":", 1)[0], i)
            unique = sorted(first_of_sha.values())
            items = list(cache.texts((str(files[i]), keys[i]) for i in unique))
            try:
                result.cross_paper = crosspaper(items)
            except Exception as exc:  # a bug there must not lose the scan
                print(f"integrity-check: cross-paper comparison failed: {type(exc).__name__}: {_short(exc)}",
                      file=sys.stderr)
            del items
            if result.cross_paper:
                _add_cross_paper_findings(result.cross_paper, files, names, outdir, rows, order, write_files)
        atomic_write(outdir / "index.html", render_index_html(rows, cross_paper=result.cross_paper))
        _write_all_findings(outdir, [(str(files[i]), outdir / f"{names[i]}.json") for i in order])
        result.reports = {str(files[i]): summaries[i] for i in order}
        return result
    finally:
        cache.close()
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def _add_cross_paper_findings(entries, files, names, outdir: Path, rows: list, order: list, write_files) -> None:
    """DUP002 findings into the reports of the papers that share passages (rewritten atomically)."""
    from .crosspaper import findings_for_paper
    from .findings import SEVERITY_RANK, dict_sort_key

    involved = {e["a_path"] for e in entries} | {e["b_path"] for e in entries}
    for row_index, i in enumerate(order):
        path = str(files[i])
        if path not in involved:
            continue
        json_path = outdir / f"{names[i]}.json"
        try:
            report = json.loads(json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        kept = [f for f in report["findings"] if f["code"] != "DUP002"]  # a rerun recomputes them
        report["findings"] = sorted(kept + findings_for_paper(path, entries), key=dict_sort_key)
        for severity in SEVERITY_RANK:
            report["summary"][severity] = sum(1 for f in report["findings"] if f["severity"] == severity)
            rows[row_index][severity] = report["summary"][severity]
        write_files(i, report)


def _write_all_findings(outdir: Path, reports: list[tuple[str, Path]]) -> None:
    """findings.csv and findings.jsonl of all papers, streamed one report at a time (bounded memory)."""
    import json

    from .report import write_findings_csv

    csv_path, jsonl_path = outdir / "findings.csv", outdir / "findings.jsonl"
    tmp_csv = csv_path.with_name(f".{csv_path.name}.tmp-{os.getpid()}")
    tmp_jsonl = jsonl_path.with_name(f".{jsonl_path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp_csv, "w", encoding="utf-8", newline="") as fcsv, \
                open(tmp_jsonl, "w", encoding="utf-8", newline="\n") as fjsonl:
            def rows():
                for path, json_file in reports:
                    try:
                        report = json.loads(json_file.read_text(encoding="utf-8"))
                    except (OSError, ValueError):
                        continue
                    for finding in report.get("findings", []):
                        fjsonl.write(json.dumps({"path": path, **finding}, ensure_ascii=False) + "\n")
                        yield path, finding

            write_findings_csv(rows(), fcsv)
        os.replace(tmp_csv, csv_path)
        os.replace(tmp_jsonl, jsonl_path)
    finally:
        for tmp in (tmp_csv, tmp_jsonl):
            try:
                tmp.unlink()
            except OSError:
                pass


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve()
    else:  # pragma: no cover
        print("usage: python -m integrity_check.scanner --serve  (a worker; started by integrity-check scan)",
              file=sys.stderr)
        sys.exit(2)
