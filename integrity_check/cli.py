"""Command line: ``integrity-check scan | extract | rules | rule``.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or a file of a batch could
not be read; 2 usage or configuration error, or no input could be read at all. Errors are one
line on stderr, never a traceback.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from . import __version__
from .findings import SEVERITY_RANK
from .scanner import (DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT, BatchOptions, atomic_write, check_path_bounded, failure,
                      is_failed, run_batch)

SCAN_SUFFIXES = {".pdf", ".txt", ".md", ".html", ".htm"}
REPORT_MARKER = ".integrity-check-reports"
FAIL_ON = ("error", "warning", "note", "never")


class UsageFailure(click.ClickException):
    exit_code = 2

    def show(self, file=None):
        click.echo(f"integrity-check: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="integrity-check")
def main():
    """Find reported numbers in a manuscript that cannot all be true."""


# ------------------------------------------------------------------------------------------
# scan
# ------------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "csv"]), default=None,
              help="Output format for a single file (default: text to the terminal, or from -o's suffix).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="A file for one paper; a folder for several (default reports/).")
@click.option("--select", default="", help="Comma-separated rule codes or prefixes to run (e.g. PCT,CHI001).")
@click.option("--ignore", default="", help="Comma-separated rule codes or prefixes to skip.")
@click.option("--pack", default="default", show_default=True, help="Rule pack name (rules/NAME.toml) or path.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes for folders (Dask: workers of the LocalCluster).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option("--max-pages", type=click.IntRange(1, None), default=DEFAULT_MAX_PAGES, show_default=True,
              help="Read at most this many pages per PDF; longer files are recorded as a 'page-limit' problem.")
@click.option("--timeout", type=click.FloatRange(0, None), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds per file (0 = no limit); a file over it is recorded as a 'timeout' problem and skipped.")
@click.option("--no-cache", is_flag=True, help="Check every file again, ignoring cached results in the output folder.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where folder scans run: local worker processes, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); implies --executor dask. Without it, "
                   "--executor dask starts a LocalCluster.")
@click.option("--overwrite", is_flag=True, help="Replace existing output that integrity-check did not write.")
def scan(paths, fmt, output, select, ignore, pack, fail_on, jobs, password, max_pages, timeout, no_cache, executor,
         scheduler, overwrite):
    """Check manuscripts (PDF, .txt, .md, .html) or folders of them."""
    config = _load_config(pack, select, ignore)
    if scheduler:
        executor = "dask"
    if executor == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise UsageFailure("--executor dask needs Dask: pip install 'integrity-check[dask]'") from None
    files, missing = _collect(paths)
    for m in missing:
        click.echo(f"integrity-check: {m}: no such file or folder", err=True)
    if not files:
        raise UsageFailure("no PDF or text files to scan" + (" (paths not found)" if missing else ""))
    single = len(files) == 1 and len(paths) == 1 and Path(paths[0]).is_file()
    if single and output is not None and (output.is_dir() or not output.suffix):
        single = False  # "-o reports" (a folder, or a name without a suffix): a folder of reports
    if single and output is not None and fmt is None and output.suffix.lower() not in REPORT_SUFFIXES:
        raise UsageFailure(f"cannot tell the report format from {output.name!r}; name it .txt, .json, .html or .csv, "
                           "or give --format")
    if single:
        code = _scan_one(files[0], fmt, output, config, fail_on, password, max_pages, overwrite, timeout)
    else:
        opts = BatchOptions(config=config, jobs=jobs, password=password, max_pages=max_pages, timeout=timeout or None,
                            use_cache=not no_cache, executor=executor, scheduler=scheduler)
        code = _scan_many(files, output or Path("reports"), opts, fail_on, overwrite)
    sys.exit(1 if missing and code == 0 else code)


def _load_config(pack, select, ignore):
    from .config import ConfigError, load_config

    try:
        return load_config(pack, _codes(select), _codes(ignore))
    except ConfigError as exc:
        raise UsageFailure(str(exc)) from None


def _codes(s: str) -> list[str]:
    return [c.strip() for c in s.split(",") if c.strip()]


def _collect(paths) -> tuple[list[Path], list[str]]:
    files, missing = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                # Folders and broken links with a PDF/text name are listed too: each gets a problem entry.
                if f.suffix.lower() in SCAN_SUFFIXES and REPORT_MARKER not in f.parts:
                    files.append(f)
        elif p.exists() or p.is_symlink():
            files.append(p)
        else:
            missing.append(str(p))
    return files, missing


def check_file(path: str, config, password=None, max_pages=None, timeout=None) -> dict:
    """Check one file; never raises for a bad input (the report's problems say what went wrong)."""
    report, _ = check_path_bounded(str(path), config, password, max_pages, timeout)
    return report


def _exit_code(reports: list[dict], fail_on: str) -> int:
    if any(is_failed(r) for r in reports):
        return 1
    if fail_on == "never":
        return 0
    limit = SEVERITY_RANK[fail_on]
    for r in reports:
        for f in r["findings"]:
            if SEVERITY_RANK.get(f["severity"], 9) <= limit:
                return 1
    return 0


REPORT_SUFFIXES = {".txt", ".text", ".json", ".html", ".htm", ".csv"}


def _scan_one(path, fmt, output, config, fail_on, password, max_pages, overwrite, timeout=None) -> int:
    report = check_file(str(path), config, password, max_pages, timeout or None)
    if report.get("unreadable"):
        problem = report["problems"][0]
        click.echo(f"integrity-check: {path}: {problem['message']}", err=True)
        return 2
    problem = failure(report)
    if problem is not None:  # partly checked (page limit, no text layer): say so, and exit 1 below
        click.echo(f"integrity-check: {path}: {problem['kind']}: {problem['message']}", err=True)
    if fmt is None:
        fmt = {".json": "json", ".html": "html", ".htm": "html", ".csv": "csv"}.get(output.suffix.lower(), "text") if output else "text"
    rendered = _render(report, fmt, color=output is None and sys.stdout.isatty())
    if output is None:
        click.echo(rendered, nl=not rendered.endswith("\n"))
    else:
        if output.exists() and not overwrite and not _written_by_us(output):
            if not (sys.stdin.isatty() and click.confirm(f"{output} exists and was not written by integrity-check; replace it?")):
                raise UsageFailure(f"{output} exists and was not written by integrity-check; use --overwrite to replace it")
        output.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(output, rendered)
        click.echo(f"{report['summary']['error']} errors, {report['summary']['warning']} warnings, "
                   f"{report['summary']['significance_flips']} significance flips -> {output}", err=True)
    return _exit_code([report], fail_on)


def _render(report: dict, fmt: str, color: bool = False) -> str:
    from .report import paper_findings_csv, render_paper_html, render_text
    from .report.json import dumps

    if fmt == "json":
        return dumps(report) + "\n"
    if fmt == "html":
        return render_paper_html(report, rule_docs())
    if fmt == "csv":
        return paper_findings_csv(report)
    return render_text(report, color=color)


def rule_docs() -> dict[str, dict]:
    from .checks import ALL_RULES

    return {c: {"name": r.name, "severity": r.severity, "family": r.family, "doc": r.doc} for c, r in ALL_RULES.items()}


def _written_by_us(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
    except OSError:
        return False
    return "integrity-check" in head or head.startswith("path,code,name,severity")


def _atomic_write(path: Path, text: str) -> None:
    atomic_write(path, text)


def _scan_many(files, outdir: Path, opts: BatchOptions, fail_on, overwrite) -> int:
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageFailure(f"{outdir} is a file; a folder scan needs an output folder (-o DIR)")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / REPORT_MARKER).exists() and not overwrite:
        if not (sys.stdin.isatty() and click.confirm(f"{outdir} holds files integrity-check did not write; write reports there anyway?")):
            raise UsageFailure(f"{outdir} holds files integrity-check did not write; choose another -o or use --overwrite")
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / REPORT_MARKER).write_text("reports written by integrity-check\n", encoding="utf-8")

    progress = _progress(len(files))
    done = [0]

    def announce(path, report, from_cache):
        done[0] += 1
        _announce(path, report, progress)

    try:
        result = run_batch(files, outdir, opts, rule_docs(), announce)
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        # click would print "Aborted!" and exit 1: say what happened and exit 130 (128 + SIGINT).
        click.echo(f"integrity-check: interrupted after {done[0]} of {len(files)} files; finished reports are in "
                   f"{outdir}; run the same command again to continue", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.__class__.__module__.startswith(("distributed", "dask")) or "connect" in str(exc).lower():
            raise UsageFailure(f"cannot reach the Dask scheduler {opts.scheduler}: {exc}") from None
        raise
    if progress is not None:
        progress.close()
    cached = f" ({result.from_cache} from cache)" if result.from_cache else ""
    click.echo(f"{result.files} files{cached}, {result.errors} errors, {result.failed} not checked -> "
               f"{outdir / 'index.html'}", err=True)
    if result.failed == result.files:
        return 2
    if result.failed:
        return 1
    if fail_on == "never":
        return 0
    limit = SEVERITY_RANK[fail_on]
    for row in result.reports.values():
        if any(row[sev] for sev in ("error", "warning", "note") if SEVERITY_RANK[sev] <= limit):
            return 1
    return 0


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit="file", file=sys.stderr, leave=False)


def _announce(path, report, progress) -> None:
    problem = failure(report)
    if problem is not None:
        msg = f"integrity-check: {path}: {problem['kind']}: {problem['message']}"
        if progress is not None:
            progress.write(msg, file=sys.stderr)
        else:
            click.echo(msg, err=True)
    if progress is not None:
        progress.update(1)


# ------------------------------------------------------------------------------------------
# extract, rules, rule
# ------------------------------------------------------------------------------------------
@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--password", default=None)
def extract(path, fmt, password):
    """Dump the facts found in PATH with their spans (to tell parser bugs from rule bugs)."""
    from .extract import extract_facts
    from .ingest import IngestError, load_document

    try:
        doc = load_document(path, password=password)
    except IngestError as exc:
        raise UsageFailure(f"{path}: {exc}") from None
    facts = extract_facts(doc)
    data = {
        "document": {"path": str(path), "pages": len(doc.pages) or None, "tables": [
            {"label": t.label, "caption": t.caption, "page": t.page, "header_rows": t.header_rows,
             "rows": [[c.text for c in r] for r in t.rows]} for t in doc.tables]},
        "facts": {kind: [_fact_dict(doc, f) for f in getattr(facts, kind)] for kind in facts.KINDS},
        "problems": [dataclasses.asdict(p) for p in doc.problems],
    }
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for kind, items in data["facts"].items():
            click.echo(f"{kind}: {len(items)}")
            for it in items:
                click.echo(f"  {it.get('quote', '')!r:40} {json.dumps({k: v for k, v in it.items() if k != 'quote'}, ensure_ascii=False)}")


def _fact_dict(doc, fact) -> dict:
    d = dataclasses.asdict(fact)
    if "start" in d and "end" in d:
        d["quote"] = doc.text[d["start"]:d["end"]]
        d["page"] = doc.page_of(d["start"])
    return d


@main.command("rules")
def list_rules():
    """List the rules: code, name, severity, family."""
    from .checks import ALL_RULES

    for code, r in ALL_RULES.items():
        click.echo(f"{code}  {r.severity:<7}  {r.family}  {r.name:<34} {r.summary}")


@main.command("rule")
@click.argument("code")
def show_rule(code):
    """Print the documentation of rule CODE."""
    from .checks import ALL_RULES

    info = ALL_RULES.get(code.upper())
    if info is None:
        raise UsageFailure(f"unknown rule {code!r}; see 'integrity-check rules'")
    click.echo(f"{info.code} {info.name} (severity: {info.severity}; options: {json.dumps(info.options) if info.options else 'none'})\n")
    click.echo(info.doc)


def run():  # console-script entry point: errors as one line, never a traceback
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt as exc:
        click.echo(f"integrity-check: {exc or 'interrupted'}", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: still one line, and a clear exit code
        click.echo(f"integrity-check: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
