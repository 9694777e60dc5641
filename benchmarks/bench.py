"""Speed and memory of integrity-check, side by side with bare pdfplumber and bare pypdfium2.

    python benchmarks/bench.py                      # corpus: ../shared/corpus/real/*.pdf + the seed PDFs
    python benchmarks/bench.py papers/*.pdf --repeat 5 --jobs 2 --out benchmarks/RESULTS.md

What it measures, on the same files (read in place, never copied):

1. bare pypdfium2 text: open, every page's text (``get_text_range``), close;
2. bare pdfplumber text + tables: every page's ``extract_text()`` and ``extract_tables()``;
3. our full single-process check (``scanner.check_path``: text, offsets, boxes, tables, all facts,
   all rules), in this process after a warm-up (imports excluded; they are in 4);
4. one paper as a whole process: ``python -m integrity_check.cli scan PAPER --format json`` (wall
   time and peak RSS, interpreter start and imports included), for the paper nearest 12 pages;
5. a folder scan as a whole process: ``scan DIR -o TMP --jobs N --no-cache`` over a folder of
   symbolic links to the files (``--replicate K`` links each file K times, to see the steady state
   past the start-up of the workers); papers per minute, pages per second, the parent's and the
   largest worker's peak RSS.

Times are medians over ``--repeat`` runs (per file for 1-3). Ratios are ours / bare. The machine
(CPU model, cores, load average, Python and library versions) and the exact command are written
with the results. Run it on an otherwise idle machine: other processes make every number worse.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def default_corpus() -> list[Path]:
    files = sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    files += sorted((SHARED / "fixtures" / "seed").glob("*.pdf"))
    return files


def machine() -> dict:
    import pdfminer
    import pdfplumber
    import pypdfium2

    import integrity_check

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        mem_gb = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        mem_gb = "?"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem_gb, "os": platform.platform(),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
        "python": platform.python_version(), "integrity-check": integrity_check.__version__,
        "pdfplumber": pdfplumber.__version__, "pdfminer.six": getattr(pdfminer, "__version__", "?"),
        "pypdfium2": getattr(pypdfium2, "V_PYPDFIUM2", None) or getattr(pypdfium2, "__version__", "?"),
        "pdfium": getattr(pypdfium2, "V_LIBPDFIUM", None) or getattr(pypdfium2, "PDFIUM_INFO", "?"),
    }


# --- bare baselines --------------------------------------------------------------------------
def bare_pdfium(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    n = len(pdf)
    chars = 0
    for i in range(n):
        page = pdf[i]
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close()
        page.close()
    pdf.close()
    return n


def bare_pdfplumber(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def ours(path: Path, config) -> int:
    from integrity_check.scanner import check_path

    report, _ = check_path(str(path), config)
    return report["document"]["pages"] or 0


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def per_file(files, fn, repeat, *args) -> dict[str, float]:
    out = {}
    for f in files:
        fn(f, *args)  # warm-up: imports, file cache
        out[f.name] = statistics.median(timed(fn, f, *args) for _ in range(repeat))
    return out


# --- whole processes --------------------------------------------------------------------------
def run_process(cmd: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall seconds, peak RSS MB of the process, of its largest child, exit code)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    wrapper = [sys.executable, str(ROOT / "benchmarks" / "_measure.py"), *cmd]
    t = time.perf_counter()
    proc = subprocess.run(wrapper, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    try:
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr}")
    return wall, info["self_mb"], info["children_mb"], info["exit"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--replicate", type=int, default=5, help="symbolic links per file in the folder scan")
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown results here (e.g. benchmarks/RESULTS.md)")
    ap.add_argument("--skip-pdfplumber", action="store_true", help="skip the slow bare pdfplumber baseline")
    args = ap.parse_args(argv)
    files = [f.resolve() for f in (args.files or default_corpus())]
    if not files:
        raise SystemExit("no PDF files (is ../shared/corpus present?)")
    command = "python " + " ".join([str(Path(sys.argv[0])), *sys.argv[1:]]) if argv is None else "bench.main()"

    from integrity_check.config import load_config

    config = load_config()
    info = machine()
    pages = {f.name: bare_pdfium(f) for f in files}
    total_pages = sum(pages.values())
    print(f"{len(files)} files, {total_pages} pages", file=sys.stderr)

    t_pdfium = per_file(files, bare_pdfium, args.repeat)
    print("pypdfium2 done", file=sys.stderr)
    t_ours = per_file(files, ours, args.repeat, config)
    print("ours done", file=sys.stderr)
    t_plumber = {} if args.skip_pdfplumber else per_file(files, bare_pdfplumber, max(1, args.repeat))
    print("pdfplumber done", file=sys.stderr)

    # one paper as a whole process: the file nearest 12 pages
    twelve = min(files, key=lambda f: (abs(pages[f.name] - 12), f.name))
    tmp = Path(tempfile.mkdtemp(prefix="ic-bench-"))
    try:
        single = [run_process(["scan", str(twelve), "--format", "json", "--fail-on", "never"], tmp)
                  for _ in range(args.repeat)]
        # folder scan: symbolic links (never copies) of every file, --replicate times
        folder = tmp / "in"
        folder.mkdir()
        for k in range(args.replicate):
            for f in files:
                (folder / f"{f.stem}__{k}.pdf").symlink_to(f)
        n_folder = len(files) * args.replicate
        folder_runs = []
        for r in range(args.repeat):
            out = tmp / f"out{r}"
            folder_runs.append(run_process(["scan", str(folder), "-o", str(out), "--jobs", str(args.jobs), "--no-cache",
                                            "--fail-on", "never"], tmp))
        cached = run_process(["scan", str(folder), "-o", str(tmp / "out0"), "--jobs", str(args.jobs),
                              "--fail-on", "never"], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------------------------------
    sum_pdfium, sum_ours = sum(t_pdfium.values()), sum(t_ours.values())
    sum_plumber = sum(t_plumber.values()) if t_plumber else None
    single_wall = statistics.median(r[0] for r in single)
    single_rss = max(r[1] for r in single)
    folder_wall = statistics.median(r[0] for r in folder_runs)
    folder_parent = max(r[1] for r in folder_runs)
    folder_worker = max(r[2] for r in folder_runs)
    ppm = n_folder / folder_wall * 60
    lines = [
        "# Benchmark results",
        "",
        f"Command: `{command}` (from the repository root)",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
        f"## Corpus: {len(files)} PDFs, {total_pages} pages (read in place)",
        "",
        "| file | pages | pypdfium2 text s | pdfplumber text+tables s | ours (full check) s | ours / pdfplumber |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for f in files:
        pl = t_plumber.get(f.name)
        lines.append(f"| {f.name} | {pages[f.name]} | {t_pdfium[f.name]:.3f} | {pl:.3f} | {t_ours[f.name]:.3f} | "
                     f"{t_ours[f.name] / pl:.2f} |" if pl else
                     f"| {f.name} | {pages[f.name]} | {t_pdfium[f.name]:.3f} | - | {t_ours[f.name]:.3f} | - |")
    lines += [
        f"| **total** | {total_pages} | {sum_pdfium:.2f} | {sum_plumber:.2f} | {sum_ours:.2f} | "
        f"**{sum_ours / sum_plumber:.3f}** |" if sum_plumber else
        f"| **total** | {total_pages} | {sum_pdfium:.2f} | - | {sum_ours:.2f} | - |",
        "",
        "## Summary (medians)",
        "",
        "| measure | value | target | met |",
        "|---|---:|---:|---|",
        f"| pages/s, bare pypdfium2 text | {total_pages / sum_pdfium:.0f} | | |",
    ]
    if sum_plumber:
        lines.append(f"| pages/s, bare pdfplumber text+tables | {total_pages / sum_plumber:.1f} | | |")
    lines += [
        f"| pages/s, our full check (one process, imports excluded) | {total_pages / sum_ours:.1f} | | |",
        f"| papers/min, our full check (one process) | {len(files) / sum_ours * 60:.0f} | | |",
    ]
    if sum_plumber:
        ratio = sum_ours / sum_plumber
        lines.append(f"| ours / bare pdfplumber text+tables | {ratio:.3f} | <= 0.5 | {'yes' if ratio <= 0.5 else 'NO'} |")
    lines += [
        f"| ours / bare pypdfium2 text | {sum_ours / sum_pdfium:.1f} | | |",
        f"| {pages[twelve.name]}-page paper ({twelve.name}), in process | {t_ours[twelve.name]:.3f} s | < 0.6 s | "
        f"{'yes' if t_ours[twelve.name] < 0.6 else 'NO'} |",
        f"| same paper, whole process `scan PAPER --format json` (start-up + imports) | {single_wall:.2f} s | < 0.6 s | "
        f"{'yes' if single_wall < 0.6 else 'NO'} |",
        f"| folder scan, {n_folder} files ({args.replicate} links per file), --jobs {args.jobs}, whole process | "
        f"{folder_wall:.1f} s = {ppm:.0f} papers/min, {total_pages * args.replicate / folder_wall:.1f} pages/s | "
        f">= 150 papers/min | {'yes' if ppm >= 150 else 'NO'} |",
        f"| folder rerun, everything cached | {cached[0]:.2f} s | | |",
        f"| peak RSS, largest worker (folder scan) | {folder_worker:.0f} MB | < 500 MB | {'yes' if folder_worker < 500 else 'NO'} |",
        f"| peak RSS, parent of the folder scan | {folder_parent:.0f} MB | | |",
        f"| peak RSS, single-paper process | {single_rss:.0f} MB | < 500 MB | {'yes' if single_rss < 500 else 'NO'} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
