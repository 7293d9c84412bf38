"""Time kg on generated vaults against the floor: reading every note and running one regex over it.

For each vault size, in one run and each in a fresh process (so process start counts, as it does
for a user):

- the floor: a ``python -c`` that reads every ``.md`` file's bytes and runs one compiled wiki-link
  regex over them;
- ``kg lint`` cold (``KG_CACHE_DIR`` pointing at an empty folder), warm (the same folder, now
  filled) and after appending a line with a new link to one note;
- ``kg ancestors`` of the deepest note and ``kg children`` of the hub note, on the warm cache;

and once per run ``kg export html`` on a 2,000-note vault, obsidiantools' ``connect().gather()``
on the 1,000-note vault if it is installed, and the concept map in headless Chromium on the sample
vault and 2,000 and 10,000 generated notes (:mod:`benchmarks.concept_map`). kg's lint and export
figures are taken for both builds, side by side: pure Python (the ``kg`` of this Python) and
compiled by mypyc (the ``kg`` of ``--compiled-venv``, built by ``scripts/test --compiled``; skipped,
with a line saying so, where there is none). Each figure is the best of ``--repeat`` runs, shown as
seconds and as a ratio to the floor of the same vault, with the peak memory of the process tree and
the issue's target where it has one.

    python benchmarks/run.py --sizes 1000 10000 --json results.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

if not __package__:  # run as a script: make ``benchmarks`` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.concept_map import MapResult  # noqa: E402
from benchmarks.concept_map import format_table as format_map_table  # noqa: E402
from benchmarks.concept_map import measure as measure_map  # noqa: E402
from benchmarks.generate import GENERATOR_VERSION, generate_vault, read_manifest  # noqa: E402

SAMPLE_VAULT = Path(__file__).resolve().parent.parent / "vault"
"""The repository's sample vault, measured beside the generated ones for the concept map."""
EXPORT_NOTES = 2_000
"""Size of the vault ``kg export html`` is timed on."""
PEER_NOTES = 1_000
"""Size of the vault obsidiantools is timed on."""
SAMPLE_SECONDS = 0.02
"""How often the memory of the process tree is sampled."""

FLOOR_SCRIPT = r"""
import os, re, sys
LINK = re.compile(rb"!?\[\[([^\]\n]*)\]\]")
links = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), "rb") as handle:
                links += len(LINK.findall(handle.read()))
print(links)
"""
"""The floor: read every note's bytes and find its wiki-links with one compiled regex."""

OBSIDIANTOOLS_SCRIPT = (
    "import sys, pathlib, obsidiantools.api as otools; otools.Vault(pathlib.Path(sys.argv[1])).connect().gather()"
)


# -- running one process ---------------------------------------------------------------------------


@dataclass
class Run:
    """One timed process."""

    seconds: float
    """Wall time from spawning the process to reaping it."""
    peak_mb: float
    """The larger of the child's ``ru_maxrss`` and the sampled total RSS of its process tree, in MiB."""
    exit_code: int
    error: str | None = None
    """Why the run counts as failed (bad exit status or a traceback), or None."""


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process in ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])  # the name in (...) may hold spaces
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _rss_bytes(pid: int) -> int:
    """``VmRSS`` of one process, 0 if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_bytes(root: int) -> int:
    """Total resident memory of ``root`` and all its descendants (a process pool's workers too).

    Pages shared between processes count once per process, so this overstates a forked pool.
    """
    children = _children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_bytes(pid)
        todo.extend(children.get(pid, ()))
    return total


class PeakSampler(threading.Thread):
    """Samples the process tree's total RSS every ``SAMPLE_SECONDS`` until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while True:
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            if self._stopped.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> int:
        """Stop sampling and return the peak in bytes."""
        self._stopped.set()
        self.join()
        return self.peak


def run_process(argv: Sequence[str], env: dict[str, str] | None = None, ok: Sequence[int] = (0,)) -> Run:
    """Run ``argv`` with its output discarded; time it and measure its peak memory.

    Parameters
    ----------
    argv : sequence of str
    env : dict, optional
        The environment of the process (default: this one).
    ok : sequence of int
        Exit statuses that count as success. A traceback on stderr is a failure whatever the status.
    """
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        sampler = PeakSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
        peak = max(usage.ru_maxrss * 1024, sampler.stop())
        stderr.seek(0)
        text = stderr.read().decode("utf-8", "replace")
    error = None
    if process.returncode not in ok or "Traceback (most recent call last)" in text:
        tail = " | ".join(text.strip().splitlines()[-3:])
        error = f"exit {process.returncode}" + (f": {tail}" if tail else "")
    return Run(seconds, peak / 2**20, process.returncode, error)


def best_of(repeat: int, once: Callable[[], Run]) -> Run:
    """The fastest of ``repeat`` runs, with the highest peak memory seen; the first failure wins."""
    runs = []
    for _ in range(repeat):
        run = once()
        if run.error:
            return run
        runs.append(run)
    fastest = min(runs, key=lambda run: run.seconds)
    return Run(fastest.seconds, max(run.peak_mb for run in runs), fastest.exit_code)


# -- targets and results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A goal from the issue: a ratio to the floor, a time, a peak memory, or several."""

    text: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_peak_mb: float | None = None

    def met(self, seconds: float, ratio: float, peak_mb: float) -> bool:
        """Whether a measurement meets every bound of the target."""
        return (
            (self.max_ratio is None or ratio <= self.max_ratio)
            and (self.max_seconds is None or seconds < self.max_seconds)
            and (self.max_peak_mb is None or peak_mb < self.max_peak_mb)
        )


TARGETS: dict[tuple[str, int], Target] = {
    ("cold lint", 10_000): Target("≤ 11× floor", max_ratio=11),
    ("cold lint", 100_000): Target("< 30 s, < 1.5 GB", max_seconds=30, max_peak_mb=1536),
    ("warm lint", 10_000): Target("≤ 2.5× floor", max_ratio=2.5),
    ("warm lint", 100_000): Target("≤ 2.5× floor", max_ratio=2.5),
    ("ancestors", 10_000): Target("≤ 2× floor", max_ratio=2),
    ("children", 10_000): Target("≤ 2× floor", max_ratio=2),
    ("export html", EXPORT_NOTES): Target("< 3 s", max_seconds=3),
}
"""The targets (issues 6 and 14), by measurement and vault size; :data:`COMPILED_TARGETS` overrides
them for the compiled build."""

COMPILED_TARGETS: dict[tuple[str, int], Target] = {
    ("cold lint", 10_000): Target("≤ 8× floor", max_ratio=8),
}

BUILDS = ("pure", "compiled")
"""kg's two builds, in the order of the table's columns."""

ORDER = ("cold lint", "warm lint", "lint after edit", "ancestors", "children", "export html", "obsidiantools")
"""The order of the rows of one vault size."""


@dataclass
class Result:
    """One row of the table."""

    size: int
    measurement: str
    notes: int
    mb: float
    """Size of the notes on disk, in MB (10**6 bytes)."""
    floor_seconds: float
    seconds: float
    ratio: float
    """``seconds`` over ``floor_seconds``."""
    peak_mb: float
    exit_code: int
    error: str | None = None
    target: str | None = None
    met: bool | None = None
    build: str = "pure"
    """Which kg measured: ``pure`` or ``compiled`` (by mypyc); ``pure`` also for the peer."""


# -- the benchmark ---------------------------------------------------------------------------------


class Bench:
    """Generates (or reuses) vaults under ``workdir`` and measures kg on them."""

    def __init__(self, workdir: Path, seed: int, repeat: int | None, kg: list[str],
                 compiled: list[str] | None = None):
        self.workdir = workdir
        self.seed = seed
        self.repeat = repeat
        self.kg = kg
        self.commands = {"pure": kg, **({"compiled": compiled} if compiled else {})}
        """Build -> the command that runs its ``kg``."""
        self.build = "pure"
        """The build :meth:`kg_run` runs."""
        self._vaults: dict[int, tuple[Path, dict]] = {}
        self._floors: dict[int, Run] = {}

    def repeats(self, size: int) -> int:
        """``--repeat``, or 3 up to 10k notes and 1 above."""
        return self.repeat or (3 if size <= 10_000 else 1)

    def vault(self, size: int) -> tuple[Path, dict]:
        """The vault of ``size`` notes and its manifest, generated unless a matching one exists."""
        if size not in self._vaults:
            path = self.workdir / f"vault-{size}-seed{self.seed}"
            manifest = read_manifest(path)
            wanted = {"version": GENERATOR_VERSION, "seed": self.seed, "notes": size}
            if manifest is None or any(manifest.get(key) != value for key, value in wanted.items()):
                log(f"generating {size} notes in {path}")
                manifest = {**wanted, **generate_vault(path, size, self.seed)}
            self._vaults[size] = path, manifest
        return self._vaults[size]

    def floor(self, size: int) -> Run:
        """The floor of a vault; the first, untimed pass fills the page cache for everything after."""
        if size not in self._floors:
            path, _ = self.vault(size)
            argv = [sys.executable, "-c", FLOOR_SCRIPT, str(path)]
            run_process(argv)
            self._floors[size] = best_of(self.repeats(size), partial(run_process, argv))
        return self._floors[size]

    def result(self, size: int, measurement: str, run: Run) -> Result:
        """A row: the run set against the floor of the same vault and the issue's target."""
        _, manifest = self.vault(size)
        floor = self.floor(size).seconds
        ratio = run.seconds / floor
        row = Result(
            size, measurement, manifest["notes"], manifest["bytes"] / 1e6, floor,
            run.seconds, ratio, run.peak_mb, run.exit_code, run.error, build=self.build,
        )
        own = COMPILED_TARGETS if self.build == "compiled" else {}
        target = own.get((measurement, size)) or TARGETS.get((measurement, size))
        if target is not None and run.error is None:
            row.target, row.met = target.text, target.met(run.seconds, ratio, run.peak_mb)
        return row

    def kg_run(self, args: Sequence[str], cache: Path, ok: Sequence[int] = (0,)) -> Run:
        """One ``kg`` command of the current build with ``KG_CACHE_DIR`` set to ``cache``."""
        env = {**os.environ, "KG_CACHE_DIR": str(cache)}
        if self.build != "pure":
            env.pop("PYTHONPATH", None)  # it may name a checkout, whose uncompiled kg would come first
        return run_process([*self.commands[self.build], *args], env=env, ok=ok)

    def for_each_build(self, measure: Callable[[], list[Result]]) -> list[Result]:
        """The rows of ``measure()``, run once per build."""
        rows = []
        for build in self.commands:
            self.build = build
            rows += measure()
        self.build = "pure"
        return rows

    def fresh_cache(self) -> Path:
        """A new, empty cache folder under the work folder."""
        (self.workdir / "caches").mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="cache-", dir=self.workdir / "caches"))

    def lint_suite(self, size: int) -> list[Result]:
        """Cold, warm and after-edit lint, then the two queries on the warm cache."""
        path, manifest = self.vault(size)
        repeat = self.repeats(size)
        self.floor(size)
        rows: list[Result] = []
        lint = ["lint", str(path), "--format", "json", "-o", os.devnull]
        caches: list[Path] = []

        def cold() -> Run:
            caches.append(self.fresh_cache())
            return self.kg_run(lint, caches[-1], ok=(0, 1))

        log(f"{size}: kg lint, cold ({self.build})")
        rows.append(self.result(size, "cold lint", best_of(repeat, cold)))
        cache = caches[-1]
        log(f"{size}: kg lint, warm")
        rows.append(self.result(size, "warm lint", best_of(repeat, partial(self.kg_run, lint, cache, ok=(0, 1)))))
        log(f"{size}: kg lint after an edit")
        edited = self.after_edit(path / manifest["deepest_path"], manifest["hub"], lint, cache, repeat)
        rows.append(self.result(size, "lint after edit", edited))
        queries = {
            "ancestors": ["ancestors", manifest["deepest"], "--vault", str(path)],
            "children": ["children", manifest["hub"], "--vault", str(path)],
        }
        for name, args in queries.items():
            log(f"{size}: kg {name}")
            rows.append(self.result(size, name, best_of(repeat, partial(self.kg_run, args, cache))))
        for folder in caches:
            shutil.rmtree(folder, ignore_errors=True)
        return rows

    def after_edit(self, note: Path, link_to: str, lint: list[str], cache: Path, repeat: int) -> Run:
        """Lint after appending to ``note`` a line that links to ``link_to``, a different line each run.

        The note is restored afterwards (bytes and times) and the cache warmed again for the queries.
        """
        original, stat = note.read_bytes(), note.stat()
        edits = 0

        def edit_and_lint() -> Run:
            nonlocal edits
            edits += 1
            line = f"\nEdited by the benchmark ({edits}): see [[{link_to}]].\n"
            note.write_bytes(original + line.encode("utf-8"))
            return self.kg_run(lint, cache, ok=(0, 1))

        try:
            return best_of(repeat, edit_and_lint)
        finally:
            note.write_bytes(original)
            os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            self.kg_run(lint, cache, ok=(0, 1))

    def export_html(self) -> Result:
        """``kg export html`` on the 2,000-note vault, cold, once."""
        path, _ = self.vault(EXPORT_NOTES)
        self.floor(EXPORT_NOTES)
        out = self.workdir / "export.html"
        log(f"{EXPORT_NOTES}: kg export html")
        run = self.kg_run(["export", "html", str(path), "-o", str(out)], self.fresh_cache())
        out.unlink(missing_ok=True)
        return self.result(EXPORT_NOTES, "export html", run)

    def concept_map(self, sizes: Sequence[int]) -> list[MapResult]:
        """The concept map figures (issue 13) on the sample vault and generated vaults of ``sizes`` notes."""
        sample = self.workdir / "sample-vault"  # a copy: the export after an edit edits a note
        shutil.rmtree(sample, ignore_errors=True)
        shutil.copytree(SAMPLE_VAULT, sample, symlinks=True)
        vaults = [("sample", sample)] + [(size_label(size), self.vault(size)[0]) for size in sizes]
        rows = []
        for name, path in vaults:
            log(f"{name}: concept map")
            html, cache = self.workdir / f"map-{name}.html", self.fresh_cache()
            argv = ["export", "html", str(path), "-o", str(html)]
            run = partial(self._checked, argv, cache)
            rows.append(measure_map(name, path, html, run, run, partial(self._edited, min(path.rglob("*.md")), run)))
        return rows

    @staticmethod
    def _edited(note: Path, run: Callable[[], None]) -> None:
        """``run`` after appending a line with a link to ``note``; the note is restored afterwards (bytes and times)."""
        original, stat = note.read_bytes(), note.stat()
        try:
            note.write_bytes(original + f"\nEdited by the benchmark: see [[{note.stem}]].\n".encode("utf-8"))
            run()
        finally:
            note.write_bytes(original)
            os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def _checked(self, args: Sequence[str], cache: Path) -> None:
        run = self.kg_run(args, cache)
        if run.error:
            raise RuntimeError(run.error)

    def obsidiantools(self) -> Result:
        """obsidiantools' ``Vault(path).connect().gather()`` on the 1,000-note vault, once."""
        path, _ = self.vault(PEER_NOTES)
        self.floor(PEER_NOTES)
        log(f"{PEER_NOTES}: obsidiantools connect().gather()")
        run = run_process([sys.executable, "-c", OBSIDIANTOOLS_SCRIPT, str(path)])
        return self.result(PEER_NOTES, "obsidiantools", run)


# -- output ----------------------------------------------------------------------------------------


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def size_label(size: int) -> str:
    """``1k``, ``10k``, ``2.5k``, or the number below 1,000."""
    return f"{size / 1000:g}k" if size >= 1000 else str(size)


def format_table(rows: list[Result]) -> str:
    """The results as a plain-text table, one block of rows per vault size, the builds side by side."""
    header = ("size", "notes", "MB", "floor", "measurement", "pure (× floor)", "compiled (× floor)", "peak MB",
              "target")
    lines = [header]
    previous = None
    by_key: dict[tuple[int, str], dict[str, Result]] = {}
    for row in rows:
        by_key.setdefault((row.size, row.measurement), {})[row.build] = row
    for (size, measurement), builds in sorted(by_key.items(), key=lambda item: (item[0][0], ORDER.index(item[0][1]))):
        first = size != previous
        previous = size
        row = next(iter(builds.values()))
        lines.append((
            size_label(size) if first else "",
            f"{row.notes:,}" if first else "",
            f"{row.mb:.1f}" if first else "",
            f"{row.floor_seconds:.3f} s" if first else "",
            measurement,
            *(_time_cell(builds[build]) if build in builds else "" for build in BUILDS),
            " / ".join(f"{builds[build].peak_mb:.0f}" for build in BUILDS if build in builds),
            "; ".join(cell for build in BUILDS if build in builds and (cell := _target_cell(builds[build]))),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {1, 2, 3, 7}

    def aligned(line: tuple[str, ...]) -> str:
        cells = (cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths)))
        return "  ".join(cells).rstrip()

    return "\n".join(aligned(line) for line in lines)


def _time_cell(row: Result) -> str:
    if row.error:
        return f"FAILED, exit {row.exit_code} (below)"
    return f"{row.seconds:.2f} s ({row.ratio:.1f}×)"


def _target_cell(row: Result) -> str:
    if row.target is None:
        return ""
    where = "compiled " if row.build == "compiled" else ""
    return f"{where}{row.target}  {'ok' if row.met else 'MISS'}"


def kg_command() -> list[str]:
    """The ``kg`` script of this Python, else the one on PATH, else ``python -m kg``."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg"]


def compiled_command(venv: Path) -> list[str] | None:
    """The ``kg`` script of the compiled build in ``venv``, or None (with a line saying why)."""
    venv = venv.absolute()  # the check below runs in another folder
    script = venv / "bin" / "kg"
    check = [str(venv / "bin" / "python"), "-c", "import kg; print(kg.__compiled__)"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    try:
        compiled = subprocess.run(check, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(),
                                  check=False).stdout.strip() == "True"
    except OSError:
        compiled = False
    if not (script.exists() and compiled):
        log(f"compiled build skipped: no compiled kg in {venv} (build it with scripts/test --compiled)")
        return None
    return [str(script)]


def compile_kg() -> None:
    """Compile kg's modules to bytecode, as ``pip install`` does: run from a checkout (or with
    ``PYTHONDONTWRITEBYTECODE`` set) every process would otherwise compile them again at start,
    a cost an installed kg does not have."""
    import compileall

    import kg

    compileall.compile_dir(str(Path(kg.__file__).parent), quiet=1)


def environment() -> dict:
    """What the figures were measured on."""
    repo = Path(__file__).resolve().parent.parent
    describe = ["git", "-C", str(repo), "describe", "--always", "--dirty"]
    try:
        commit = subprocess.run(describe, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "commit": commit,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000], help="vault sizes, in notes")
    parser.add_argument("--workdir", type=Path, help="where vaults are made and reused [default: a temporary folder]")
    parser.add_argument("--repeat", type=int, help="runs per figure; the fastest counts [default: 3 to 10k, 1 above]")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--seed", type=int, default=0, help="generator seed [default: 0]")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--no-peers", action="store_true", help="do not time obsidiantools")
    parser.add_argument("--map-sizes", type=int, nargs="*", default=[2_000, 10_000],
                        help="generated vault sizes for the concept map in Chromium, beside the sample vault [default: 2000 10000]")
    parser.add_argument("--no-map", action="store_true", help="do not measure the concept map in Chromium")
    parser.add_argument("--only-map", action="store_true", help="measure only the concept map")
    parser.add_argument("--compiled-venv", type=Path, default=Path(__file__).resolve().parent.parent / "build" / "compiled-venv",
                        help="the venv of the compiled build [default: build/compiled-venv, as scripts/test --compiled makes]")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if any run failed."""
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    compile_kg()
    bench = Bench(workdir, args.seed, args.repeat, kg_command(), compiled_command(args.compiled_venv))
    peers = not args.no_peers and importlib.util.find_spec("obsidiantools") is not None
    maps: list[MapResult] = []
    try:
        rows = [] if args.only_map else [row for size in args.sizes for row in bench.for_each_build(partial(bench.lint_suite, size))]
        if not args.only_map:
            rows += bench.for_each_build(lambda: [bench.export_html()])
        if peers and not args.only_map:
            rows.append(bench.obsidiantools())
        if not args.no_map:
            maps = bench.concept_map(args.map_sizes)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif args.workdir is None:
            log(f"kept {workdir}")
    if rows:
        print(format_table(rows))
    if maps:
        print("\nConcept map (headless Chromium, 1400×900):\n" + format_map_table(maps))
    for row in rows:
        if row.error:
            print(f"{size_label(row.size)} {row.measurement} failed: {row.error}")
    if not args.no_peers and not peers:
        print("obsidiantools skipped: not installed (pip install -r benchmarks/requirements.txt)")
    if args.json:
        report = {"environment": environment(), "seed": args.seed, "results": [asdict(row) for row in rows],
                  "concept_map": [asdict(row) for row in maps]}
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(row.error for row in [*rows, *maps]) else 0


if __name__ == "__main__":
    sys.exit(main())
