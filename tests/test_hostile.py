"""kg under attack (issue 7): every command on every hostile vault ends cleanly, reads only the vault,
writes nothing into it, and reports findings where they are.

The vaults come from ``tests/hostile.py`` and are built once per session. Each vault is swept once:
``tests/kg_driver.py`` runs every command (lint in every format, every query with a name that exists
and one that does not, every export) in a forked child of one Python process, traced by the audit
hook of ``tests/audit_hook.py``. The tests below then check what the sweep recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

import audit_hook
import hostile
import kg as kg_package
from conftest import DATA, write_vault
from hostile import CANARY, HEAVY, PYTHON_TAG_MARK, SMALL, Hostile

TESTS = Path(__file__).resolve().parent
DRIVER = TESTS / "kg_driver.py"
TIMEOUT = 60.0
"""Seconds any one command may take, loading the vault included."""
JOBS = 2
"""Commands run at once (this machine has two cores)."""

LINT_FORMATS = ("text", "full", "json", "github", "sarif", "junit")
EXPORT_FORMATS = ("html", "json", "graphml", "gexf", "mermaid", "dot", "csv")
NAMED_QUERIES = ("ancestors", "descendants", "parents", "children", "siblings", "tree", "backlinks", "links", "show", "find")


def baseline(vault: Hostile, out: Path) -> Path:
    """Where the sweep writes the vault's lint baseline."""
    return out / f"{vault.name}-baseline.json"


def commands(vault: Hostile, out: Path) -> list[list[str]]:
    """Every command kg has, as run against one vault; exports write into ``out``.

    Lint in every format (and with a baseline), every query with a name the vault has and one it
    has not, every export. The small vaults also get variants (``--json``, ``--select ALL``, ``-o``,
    more names); the heavy ones, where each command costs seconds, do not.
    """
    root = str(vault.root)
    runs = [["lint", root, "--format", fmt] for fmt in LINT_FORMATS]
    runs.append(["lint", root, "--write-baseline", str(baseline(vault, out))])
    for name in (vault.present, vault.absent):
        runs += [[query, name, "--vault", root] for query in NAMED_QUERIES]
        runs.append(["path", vault.present, name, "--vault", root])
    runs += [["tree", "--vault", root], ["roots", "--vault", root], ["stats", "--vault", root]]
    runs.append(["mv", f"{vault.present}.md", "kg moved/Moved.md", "--dry-run", "--vault", root])  # writes nothing
    runs += [["export", fmt, root, "-o", str(out / f"{vault.name}.{fmt}")] for fmt in EXPORT_FORMATS]
    runs.append(["export", "html", root, "-o", str(out / f"{vault.name}-part.html"), "--root", vault.present,
                 "--depth", "1", "--layout", "hierarchy", "--color-by", "depth"])
    if not vault.heavy:
        runs += [["lint", root, "--select", "ALL", "--format", "json"], ["lint", root, "--diff", "--select", "ALL"],
                 ["lint", root, "--format", "sarif", "-o", str(out / f"{vault.name}.sarif")]]
        runs += [[query, vault.present, "--vault", root, "--json"] for query in NAMED_QUERIES]
        runs += [["show", name, "--vault", root] for name in vault.also]
        runs += [["tree", vault.present, "--up", "--vault", root], ["tree", "--vault", root, "--json"],
                 ["roots", "--vault", root, "--json"], ["stats", "--vault", root, "--json"]]
    return runs


@dataclass
class Run:
    """One command of a sweep, as the driver recorded it."""

    args: list[str]
    code: int | None
    signal: int | None
    seconds: float
    stdout: bytes
    stderr: bytes

    def __str__(self) -> str:
        return f"kg {' '.join(a[:80] for a in self.args)} -> {self.code} (signal {self.signal})\n{self.stderr[-2000:]!r}"


@dataclass
class Sweep:
    """Every command run once against one vault."""

    vault: Hostile
    out: Path
    """Where the exports went (outside the vault)."""
    work: Path
    """The driver's working folder (and kg's cache folder, KG_CACHE_DIR)."""
    runs: list[Run]
    load_seconds: float
    changed: dict[str, list[str]]
    """Command -> vault paths whose snapshot differs after it ran."""
    events: list[tuple[str, str, str, int]]
    """What the traced processes opened, listed and ran (see ``audit_hook``)."""

    def run(self, *args: str) -> Run:
        """The run of one command, by its arguments."""
        return next(run for run in self.runs if run.args == list(args))


def traced(site: Path, vault: Hostile | None = None, **variables: str) -> dict[str, str]:
    """The environment of a traced kg process: the audit hook on (``site``), the vault's refused and
    vanishing files (if ``vault``), and ``variables``; never a ``KG_VAULT`` of the test's own."""
    environment = {key: value for key, value in os.environ.items() if key != "KG_VAULT"}
    # the kg under test, not whichever one is installed (a git worktree's tests would run main's)
    environment["PYTHONPATH"] = os.pathsep.join([str(site), str(Path(kg_package.__file__).parent.parent)])
    if vault is not None:
        environment["KG_AUDIT_DENY"] = os.pathsep.join(str(vault.root / path) for path in vault.deny)
        environment["KG_AUDIT_VANISH"] = os.pathsep.join(str(vault.root / path) for path in vault.vanish)
    return {**environment, **variables}


def sweep(vault: Hostile, base: Path, site: Path, *, digests: bool = True, env: dict[str, str] | None = None,
          runs: Callable[[Hostile, Path], list[list[str]]] | None = None) -> Sweep:
    """Run :func:`commands` (or ``runs``) against ``vault`` through the driver, traced, and collect
    what happened; ``env`` adds to the environment (the cache folder is ``base/work/cache``).

    The vault's snapshot (with digests of every file's bytes) is compared before and after the
    sweep, and after every command too (with digests only if ``digests``: see ``hostile.snapshot``).
    """
    work, out = base / "work", base / "out"
    for folder in (work, out):
        folder.mkdir(parents=True, exist_ok=True)
    then = [] if vault.error or runs else [["lint", str(vault.root), "--baseline", str(baseline(vault, out))]]
    spec = {"vault": str(vault.root), "commands": (runs or commands)(vault, out), "then": then, "timeout": TIMEOUT,
            "reuse": True, "jobs": JOBS, "digests": digests, "results": str(work / "results.json")}
    before = hostile.snapshot(vault.root)
    (work / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    log = work / "audit.log"
    environment = traced(site, vault, KG_AUDIT_LOG=str(log), KG_CACHE_DIR=str(work / "cache"), **(env or {}))
    budget = TIMEOUT * (len(spec["commands"]) + 2)
    done = subprocess.run([sys.executable, str(DRIVER), str(work / "spec.json")], cwd=work, env=environment,
                          capture_output=True, timeout=budget, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    data = json.loads((work / "results.json").read_text(encoding="utf-8"))
    runs = [Run(r["args"], r["code"], r["signal"], r["seconds"], Path(r["stdout"]).read_bytes(),
                Path(r["stderr"]).read_bytes()) for r in data["results"]]
    changed = {" ".join(r["args"]): r["changed"] for r in data["results"] if r["changed"]}
    after = hostile.snapshot(vault.root)
    if after != before:
        changed["(the whole sweep)"] = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    return Sweep(vault, out, work, runs, data["load_seconds"], changed, audit_hook.read_log(log))


# --- fixtures: each vault built and swept once per session --------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose ``sitecustomize.py`` installs the audit hook in every traced Python process."""
    return audit_hook.site_folder(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The mixed hostile vault (many small inputs)."""
    return hostile.build_mixed(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def mixed_sweep(mixed: Hostile, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    """The mixed vault swept, with digests of every file after every command."""
    return sweep(mixed, tmp_path_factory.mktemp("mixed-sweep"), site)


@pytest.fixture(scope="session", params=[*SMALL, *HEAVY])
def any_sweep(request: pytest.FixtureRequest, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sweep]:
    """Each vault swept once: pytest runs the tests of one vault together, so a heavy vault is on
    disk only while its tests run (small vaults are swept with digests after every command)."""
    if request.param == "mixed":
        yield request.getfixturevalue("mixed_sweep")
        return
    base = tmp_path_factory.mktemp("vault")
    build = SMALL.get(request.param) or HEAVY[request.param]
    yield sweep(build(base / "vault"), base, site, digests=request.param in SMALL)
    shutil.rmtree(base)


# --- every command ends cleanly -----------------------------------------------------------------------

def check_ending(run: Run) -> None:
    """Exit 0 or 1, or 2 with exactly one line on stderr; never a traceback, a signal or a timeout;
    output in UTF-8 whatever the names hold."""
    assert run.signal is None, f"killed (timeout?): {run}"
    assert run.code in (0, 1, 2), str(run)
    assert b"Traceback" not in run.stdout and b"Traceback" not in run.stderr, str(run)
    run.stdout.decode("utf-8"), run.stderr.decode("utf-8")
    if run.code == 2:
        assert run.stderr.startswith(b"Error: ") and run.stderr.count(b"\n") == 1, str(run)
        assert not run.stderr.startswith(b"Error: internal error"), str(run)  # a bug, caught by `kg lint`
    assert run.seconds < TIMEOUT, str(run)


def test_every_command_ends_cleanly(any_sweep: Sweep) -> None:
    for run in any_sweep.runs:
        check_ending(run)
    assert any_sweep.load_seconds + max(run.seconds for run in any_sweep.runs) < TIMEOUT


@pytest.mark.parametrize("args", [["lint", "{root}", "--format", "full"], ["lint", "{root}", "--format", "sarif"],
                                  ["show", "Hub", "--vault", "{root}", "--json"], ["show", "note", "--vault", "{root}"]])
def test_the_driver_runs_commands_as_python_dash_m_kg_does(mixed_sweep: Sweep, site: Path, args: list[str]) -> None:
    """The forked commands of the driver print what ``python -m kg`` prints, byte for byte, with the
    same exit status (the same files refused, a cache of its own)."""
    args = [arg.format(root=mixed_sweep.vault.root) for arg in args]
    env = traced(site, mixed_sweep.vault, KG_CACHE_DIR=str(mixed_sweep.work / "cache-2"))
    done = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, timeout=TIMEOUT, check=False,
                          cwd=mixed_sweep.work, env=env)
    forked = mixed_sweep.run(*args)
    assert (done.returncode, done.stdout, done.stderr) == (forked.code, forked.stdout, forked.stderr)


def readable(swept: Sweep) -> bool:
    """Whether kg can read the vault at all; if not, every command must stop with the vault's error."""
    if swept.vault.error is None:
        return True
    for run in swept.runs:
        assert run.code == 2 and run.stderr.startswith(swept.vault.error.encode()), str(run)
    return False


def test_named_note_is_found_and_absent_one_is_not(any_sweep: Sweep) -> None:
    if not readable(any_sweep):
        return
    root = str(any_sweep.vault.root)
    assert any_sweep.run("show", any_sweep.vault.present, "--vault", root).code == 0
    missing = any_sweep.run("show", any_sweep.vault.absent, "--vault", root)
    assert missing.code == 1 and missing.stderr.startswith(b"Error: no note matches")


def test_lint_outputs_are_valid(any_sweep: Sweep) -> None:
    """Whatever the vault holds, json is JSON, sarif is valid SARIF and junit is XML."""
    if not readable(any_sweep):
        return
    root = str(any_sweep.vault.root)
    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    report = json.loads(any_sweep.run("lint", root, "--format", "json").stdout)
    sarif = json.loads(any_sweep.run("lint", root, "--format", "sarif").stdout)
    assert len(sarif["runs"][0]["results"]) == report["summary"]["findings"]
    del sarif["runs"][0]["results"][500:]  # the schema check takes a while per result; 500 show the shape
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    ET.fromstring(any_sweep.run("lint", root, "--format", "junit").stdout)


def test_exports_are_valid(any_sweep: Sweep) -> None:
    """Every export that succeeded wrote a file in UTF-8, JSON that parses and well-formed XML."""
    name, out = any_sweep.vault.name, any_sweep.out
    readers = {"json": lambda p: json.loads(p.read_text(encoding="utf-8")), "graphml": ET.parse, "gexf": ET.parse}
    for fmt, read in readers.items():
        if any_sweep.run("export", fmt, str(any_sweep.vault.root), "-o", str(out / f"{name}.{fmt}")).code == 0:
            read(out / f"{name}.{fmt}")
    for path in out.glob(f"{name}*"):
        path.read_bytes().decode("utf-8")


def lint_report(swept: Sweep) -> list[dict]:
    """The findings of ``kg lint --format json``, paths made vault-relative again."""
    prefix = str(swept.vault.root) + "/"
    findings = json.loads(swept.run("lint", str(swept.vault.root), "--format", "json").stdout)["findings"]
    for finding in findings:
        assert finding["path"].startswith(prefix), finding  # never a path outside the vault
        finding["path"] = finding["path"][len(prefix):]
    return findings


def test_findings_have_exact_positions(any_sweep: Sweep) -> None:
    if not readable(any_sweep):
        return
    found = {(f["path"], f["line"], f["col"], f["code"]) for f in lint_report(any_sweep)}
    assert [place for place in any_sweep.vault.expected if place not in found] == []


def test_links_where_links_do_not_count_make_no_finding(mixed_sweep: Sweep) -> None:
    for finding in lint_report(mixed_sweep):
        assert not any(f"'{target}'" in finding["message"] for target in mixed_sweep.vault.unseen), finding


def test_unreadable_and_vanished_files_are_reported_not_fatal(mixed_sweep: Sweep) -> None:
    """The driver refused to open one file (EACCES, as for mode 000 without root) and made another
    vanish after the scan listed it (ENOENT at open): both become KG304 findings, the rest is read."""
    messages = {f["path"]: f["message"] for f in lint_report(mixed_sweep) if f["code"] == "KG304"}
    assert "Permission denied" in messages["perm/unreadable.md"]
    assert "disappeared" in messages["perm/vanish.md"]
    listed = mixed_sweep.run("backlinks", "Hub", "--vault", str(mixed_sweep.vault.root)).stdout.decode()
    assert "perm/" not in listed and "enc/crlf.md" in listed
    if os.geteuid() != 0:  # without root, mode 000 is unreadable by itself too
        assert not os.access(mixed_sweep.vault.root / "perm" / "unreadable.md", os.R_OK)


def test_baseline_round_trips_every_name(any_sweep: Sweep) -> None:
    """A baseline written for a hostile vault (names that are not UTF-8 included) silences it all."""
    if not readable(any_sweep):
        return
    done = any_sweep.run("lint", str(any_sweep.vault.root), "--baseline", str(baseline(any_sweep.vault, any_sweep.out)))
    assert done.code == 0 and done.stdout.startswith(b"No findings") and done.stderr.startswith(b"kg: baseline "), str(done)


def test_sarif_names_only_files_of_the_vault(any_sweep: Sweep) -> None:
    """SARIF locations are relative to the repository (here the working folder): each one, taken
    from there, lands inside the vault, even for a symlink that points out of it."""
    if not readable(any_sweep):
        return
    sarif = json.loads(any_sweep.run("lint", str(any_sweep.vault.root), "--format", "sarif").stdout)
    root = os.path.realpath(any_sweep.vault.root)
    for result in sarif["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        place = os.path.normpath(os.path.join(os.path.realpath(any_sweep.work), unquote(uri, errors="surrogateescape")))
        assert place.startswith(root + os.sep), uri


def test_a_file_deleted_while_kg_reads_is_reported(site: Path, tmp_path: Path) -> None:
    """Really deleted, by the audit hook, at the moment kg first opens it (after the scan listed it)."""
    root = write_vault(tmp_path / "vault", {"A.md": "[[Gone]]", "B.md": "[[A]]", "C.md": "[[A]]"})
    env = traced(site, KG_AUDIT_DELETE=str(root / "B.md"))
    done = subprocess.run([sys.executable, "-m", "kg", "lint", str(root), "--no-cache"], capture_output=True, text=True,
                          env=env, timeout=TIMEOUT, check=False)
    assert not (root / "B.md").exists() and done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{root}/A.md:1:1: KG001" in done.stdout and f"{root}/B.md:1:1: KG304" in done.stdout
    assert "disappeared" in done.stdout


# --- read-only, no secrets out, no code run --------------------------------------------------------

def test_vault_is_unchanged_after_every_command(any_sweep: Sweep) -> None:
    assert any_sweep.changed == {}


@pytest.mark.parametrize("digests", [True, False])
def test_the_snapshot_sees_a_write_that_restores_bytes_and_mtime(tmp_path: Path, digests: bool) -> None:
    """The check itself: rewriting a file with its own bytes and setting its mtime back still shows
    (its ctime moved), and so does a new file in a dot-folder."""
    root = write_vault(tmp_path / "vault", {"A.md": "text", ".obsidian/app.json": "{}"})
    before = hostile.snapshot(root, digests=digests)
    info = os.stat(root / "A.md")
    time.sleep(0.01)
    (root / "A.md").write_bytes(b"text")
    os.utime(root / "A.md", ns=(info.st_atime_ns, info.st_mtime_ns))
    assert hostile.snapshot(root, digests=digests) != before
    (root / ".obsidian" / "cache").write_bytes(b"")
    after = hostile.snapshot(root, digests=digests)
    assert {"A.md", ".obsidian/cache"} <= {path for path, entry in after.items() if entry != before.get(path)}


def test_nothing_from_outside_the_vault_reaches_an_output(any_sweep: Sweep) -> None:
    for run in any_sweep.runs:
        assert CANARY.encode() not in run.stdout + run.stderr, str(run)
    for path in any_sweep.out.iterdir():
        assert CANARY.encode() not in path.read_bytes(), path


def test_yaml_tags_run_no_code(mixed_sweep: Sweep) -> None:
    assert not (mixed_sweep.vault.root.parent / PYTHON_TAG_MARK).exists()
    assert not [event for event in mixed_sweep.events if event[0] in audit_hook.RUN_EVENTS]


# --- confinement: nothing outside the vault is opened or listed -----------------------------------

class Allowed:
    """What a traced kg process may open or list besides the vault: Python's own files, kg's source,
    the test's helpers, the folders the test gave kg (outputs, working folder, cache) and /dev/null.

    Each entry is an exact folder or file, resolved; the outside folder of a hostile vault and
    ``/etc/passwd`` are checked not to fall under any of them (see :func:`test_allowlist_hides_no_outside_read`).
    """

    def __init__(self, swept: Sweep, site: Path) -> None:
        import site as python_site

        import kg

        source = Path(kg.__file__).parent.parent  # kg's path entry: importlib.metadata reads its egg-info
        folders = [swept.vault.root, swept.out, swept.work, site, Path(kg.__file__).parent, TESTS / "__pycache__",
                   sys.prefix, sys.base_prefix, sys.exec_prefix, *python_site.getsitepackages(),
                   *source.glob("*.egg-info"), *source.glob("*.dist-info")]
        self.folders = sorted({os.path.realpath(folder) for folder in folders})
        helpers = [TESTS, DRIVER, TESTS / "hostile.py", TESTS / "audit_hook.py", TESTS / "conftest.py", "/dev/null", "/dev/urandom",
                   Path(kg.__file__).parent.parent]  # listed (not read) by the import system: kg's path entry
        self.files = {os.path.realpath(path) for path in helpers}

    def __call__(self, real: str, pid: int = 0) -> bool:
        """Whether a resolved path may be opened or listed by process ``pid``."""
        if real in self.files or real.startswith(f"/proc/{pid}/"):
            return True
        return any(real == folder or real.startswith(folder + os.sep) for folder in self.folders)


def outside_reads(events: list[tuple[str, str, str, int]], allowed: Allowed) -> list[tuple[str, str, str]]:
    """The events that opened or listed a path the allowlist does not hold: ``(event, path, real path)``."""
    return sorted({(event, path, real) for event, path, real, pid in events
                   if event in audit_hook.PATH_EVENTS and not allowed(real, pid)})


def test_no_file_outside_the_vault_is_opened(any_sweep: Sweep, site: Path) -> None:
    assert len(any_sweep.events) > 100  # the trace works: imports, the vault, the outputs
    assert any(real.startswith(os.path.realpath(any_sweep.vault.root)) for _, _, real, _ in any_sweep.events)
    assert outside_reads(any_sweep.events, Allowed(any_sweep, site)) == []


def test_allowlist_hides_no_outside_read(mixed_sweep: Sweep, site: Path, tmp_path: Path) -> None:
    """The check itself: a traced process that reads /etc/passwd, the canary outside the vault and
    the canary through the vault's own symlink is caught on each of them."""
    outside = mixed_sweep.vault.outside
    assert outside is not None
    allowed = Allowed(mixed_sweep, site)
    targets = ["/etc/passwd", str(outside / "secret.md"), str(mixed_sweep.vault.root / "links" / "outside.md")]
    assert not any(allowed(os.path.realpath(path)) for path in [*targets, str(outside)])
    log = tmp_path / "probe.log"
    probe = "import os, sys\nfor path in sys.argv[1:]:\n    open(path, 'rb').close()\nos.listdir(os.path.dirname(sys.argv[2]))\n"
    env = traced(site, KG_AUDIT_LOG=str(log))
    subprocess.run([sys.executable, "-c", probe, *targets], env=env, check=True, timeout=60)
    caught = outside_reads(audit_hook.read_log(log), allowed)
    assert [(event, path) for event, path, _ in caught] == sorted(
        [("open", path) for path in targets] + [("os.listdir", str(outside))])


# --- determinism: the same bytes from every run, whatever the hash seed --------------------------

def deterministic_commands(vault: Hostile, out: Path) -> list[list[str]]:
    """The commands whose output must not change between runs: lint in every format, the exports
    (written into ``out``), and a few queries."""
    root = str(vault.root)
    runs = [["lint", root, "--format", fmt] for fmt in LINT_FORMATS]
    runs += [["export", fmt, root, "-o", str(out / f"map.{fmt}")] for fmt in EXPORT_FORMATS]
    runs += [["tree", "--vault", root, "--json"], ["show", vault.present, "--vault", root, "--json"],
             ["backlinks", vault.present, "--vault", root], ["stats", "--vault", root, "--json"], ["find", "a", "--vault", root]]
    return runs


def outputs_of(swept: Sweep) -> dict[str, bytes]:
    """What a sweep produced, by name: each command's stdout and exit code, and each file it wrote."""
    produced = {f"{index}: kg {run.args[0]}": run.stdout + f"\n{run.code}".encode() for index, run in enumerate(swept.runs)}
    produced.update({path.name: path.read_bytes() for path in sorted(swept.out.iterdir())})
    return produced


@pytest.mark.parametrize("seed", ["0", "1", "random"])
def test_outputs_are_byte_identical_whatever_the_hash_seed(mixed: Hostile, site: Path, tmp_path: Path,
                                                             reference: dict[str, bytes], seed: str) -> None:
    """Each run starts with an empty cache (a warm cache is checked below), so everything is computed."""
    env = {} if seed == "random" else {"PYTHONHASHSEED": seed}
    again = outputs_of(sweep(mixed, tmp_path, site, env=env, runs=deterministic_commands))
    assert [name for name in reference if again.get(name) != reference[name]] == []


def test_outputs_are_byte_identical_from_a_warm_cache(mixed: Hostile, site: Path, tmp_path: Path,
                                                      reference: dict[str, bytes], reference_cache: Path) -> None:
    shutil.copytree(reference_cache, tmp_path / "work" / "cache")
    again = outputs_of(sweep(mixed, tmp_path, site, runs=deterministic_commands))
    assert [name for name in reference if again.get(name) != reference[name]] == []


@pytest.fixture(scope="session")
def reference_sweep(mixed: Hostile, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    """The first run, with a random hash seed, that every other run must repeat."""
    swept = sweep(mixed, tmp_path_factory.mktemp("reference"), site, env={"PYTHONHASHSEED": "random"},
                  runs=deterministic_commands)
    assert sum(run.code == 0 for run in swept.runs) > 10 and len(list(swept.out.iterdir())) == 8
    return swept


@pytest.fixture(scope="session")
def reference(reference_sweep: Sweep) -> dict[str, bytes]:
    return outputs_of(reference_sweep)


@pytest.fixture(scope="session")
def reference_cache(reference_sweep: Sweep) -> Path:
    return reference_sweep.work / "cache"
