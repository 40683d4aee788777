"""Nothing lost, nothing hangs (issue 12): a build never replaces what it did not
create, refuses catalogs that are not catalogs, keeps the old store when it
fails, takes a lock, and leaves no workers or half-built stores behind; a
reader never undoes a build's swap."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from processes import alive, children, generated_catalog

CATALOG = ROOT / "tests" / "cases" / "org-groups" / "catalog.md"
OTHER = ROOT / "tests" / "cases" / "architectures" / "catalog.md"
# a model of 100,000 parameters: a SHACL violation (plausible sizes start at a million)
VIOLATING = "### **Models**\n- Meta\n  1. [Foo](https://foo.org): a 0.1M model [2023]\n"


def one_error_line(result) -> str:
    """The one `Error:` line on stderr (a build's stage timings aside)."""
    lines = [line for line in result.stderr.strip().splitlines() if not re.fullmatch(r"\s*\S+\s+\d+\.\d\d s", line)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def contents(store: Path) -> list[str]:
    """The store's quads, sorted (a fingerprint of what a reader sees)."""
    from llmkg.store import open_store

    return sorted(str(q) for q in open_store(store).quads_for_pattern(None, None, None))


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".building-" in p.name or p.name.endswith(".previous"))


@pytest.fixture
def built(tmp_path) -> Path:
    """A good store built from CATALOG."""
    store = tmp_path / "store"
    result = run_cli("build", CATALOG, "--store", store, "--no-validate", "-q")
    assert result.returncode == 0, result.stderr
    return store


# --- 1. a folder of a user's files is not a store ------------------------------------

def test_build_refuses_a_folder_of_user_files(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    result = run_cli("build", CATALOG, "--store", folder, "--no-validate")
    assert result.returncode == 2
    assert "not an llmkg store" in one_error_line(result)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "my notes"


def test_build_refuses_a_file_as_store(tmp_path) -> None:
    target = tmp_path / "store"
    target.write_text("a file")
    result = run_cli("build", CATALOG, "--store", target, "--no-validate")
    assert result.returncode == 2
    one_error_line(result)
    assert target.read_text() == "a file"


def test_build_fills_an_empty_folder_and_replaces_its_own_store(tmp_path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run_cli("build", CATALOG, "--store", folder, "--no-validate", "-q").returncode == 0
    first = contents(folder)
    result = run_cli("build", OTHER, "--store", folder, "--no-validate", "-q")
    assert result.returncode == 0, result.stderr
    assert contents(folder) != first and leftovers(tmp_path) == []


def test_a_store_built_before_stores_were_marked_is_still_replaced(built) -> None:
    from llmkg.staging import STORE_MARKER

    (built / STORE_MARKER).unlink()
    result = run_cli("build", OTHER, "--store", built, "--no-validate", "-q")
    assert result.returncode == 0, result.stderr
    assert (built / STORE_MARKER).is_file()


# --- 2. a catalog with no entries -----------------------------------------------------

@pytest.mark.parametrize("name", ["empty", "passwd", "readme"])
def test_a_catalog_without_models_keeps_the_old_store(built, tmp_path, name) -> None:
    source = {"empty": "", "passwd": Path("/etc/passwd").read_text() if Path("/etc/passwd").is_file()
              else "root:x:0:0:root:/root:/bin/bash\n", "readme": (ROOT / "tests" / "README.md").read_text()}
    catalog = tmp_path / f"{name}.md"
    catalog.write_text(source[name])
    before = contents(built)
    for extra in ([], ["--strict"]):
        result = run_cli("build", catalog, "--store", built, *extra)
        assert result.returncode == 2, result.stdout
        assert "no entries found in this catalog" in one_error_line(result)
    assert contents(built) == before and leftovers(tmp_path) == []


# --- 3. violations keep the old store unless --force ------------------------------------

def test_violations_keep_the_old_store_unless_forced(built, tmp_path) -> None:
    catalog = tmp_path / "violating.md"
    catalog.write_text(VIOLATING)
    before = contents(built)
    result = run_cli("build", catalog, "--store", built)
    assert result.returncode == 1
    assert "1 violation" in result.stdout and "llmkgsh:ModelParameterCount" in result.stdout
    assert one_error_line(result).startswith("Error: validation found 1 violation; the store was left as it was")
    assert contents(built) == before and leftovers(tmp_path) == []

    forced = run_cli("build", catalog, "--store", built, "--force")
    assert forced.returncode == 1
    assert "stored despite 1 violation" in forced.stderr
    assert contents(built) != before and any("/model/foo>" in q for q in contents(built))


# --- 6. bounded reads -----------------------------------------------------------------

def test_a_catalog_that_never_ends_is_refused_quickly_in_bounded_memory(tmp_path) -> None:
    import resource

    def limit_memory() -> None:  # a build of the bundled catalog stays far below this
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "llmkg", "build", "/dev/zero", "--store", tmp_path / "s"],
                            capture_output=True, text=True, timeout=120, preexec_fn=limit_memory, cwd=ROOT)
    assert result.returncode == 2
    assert "larger than 64 MiB" in one_error_line(result)
    assert time.monotonic() - started < 60


def test_the_catalog_size_limit_is_an_option_and_a_variable(tmp_path) -> None:
    big = tmp_path / "big.md"
    big.write_text(CATALOG.read_text() + "\n" + "x" * (1 << 20))
    result = run_cli("build", big, "--store", tmp_path / "s", "--max-catalog-mib", "1")
    assert result.returncode == 2 and "larger than 1 MiB" in one_error_line(result)
    result = run_cli("build", big, "--store", tmp_path / "s", "-q", "--no-validate",
                     env={"LLMKG_MAX_CATALOG_MIB": "2"})
    assert result.returncode == 0, result.stderr


# --- 7. operating-system errors -------------------------------------------------------

def _unprivileged() -> list[str]:
    """A prefix that runs a command without root's right to write anywhere."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder is writable")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def test_a_read_only_folder_is_one_line_and_keeps_the_store(built) -> None:
    before = contents(built)
    parent = built.parent
    parent.chmod(0o555)
    try:
        result = subprocess.run([*_unprivileged(), sys.executable, "-m", "llmkg", "build", OTHER,
                                 "--store", built, "--no-validate"], capture_output=True, text=True,
                                cwd=ROOT, timeout=120)
    finally:
        parent.chmod(0o755)
    assert result.returncode == 2
    assert "Permission denied" in one_error_line(result)
    assert contents(built) == before and leftovers(parent) == []


def test_a_full_disk_is_one_line_and_keeps_the_store(built) -> None:
    import resource

    def small_files() -> None:  # every file the build writes may hold 64 KB: a disk that fills up
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))

    before = contents(built)
    result = subprocess.run([sys.executable, "-m", "llmkg", "build", "--store", built, "--no-validate"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300, preexec_fn=small_files)
    assert result.returncode == 2, result.stderr
    assert "cannot write the store" in one_error_line(result)
    assert contents(built) == before and leftovers(built.parent) == []


# --- 9. one build at a time -------------------------------------------------------------

def test_a_second_build_says_another_one_holds_the_store(built) -> None:
    from llmkg.staging import writing

    before = contents(built)
    with writing(built):
        result = run_cli("build", OTHER, "--store", built, "--no-validate")
    assert result.returncode == 2
    assert one_error_line(result).startswith(
        f"Error: another llmkg command is writing this store (pid {os.getpid()}) ({built.resolve()})")
    assert contents(built) == before


def test_concurrent_builds_never_race(built, tmp_path) -> None:
    """Two builds at once: one builds, the other says the store is busy; no traceback, no leftovers."""
    args = [sys.executable, "-m", "llmkg", "build", "--store", str(built), "--no-validate", "-q"]
    for _ in range(3):
        procs = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
        assert sorted(code for code, _ in results) in ([0, 0], [0, 2]), results
        for code, err in results:
            assert "Traceback" not in err
            if code == 2:
                assert "another llmkg command is writing this store" in err
    assert leftovers(tmp_path) == []
    assert any("/model/llama2>" in q for q in contents(built))


# --- 10. readers never undo a swap, and retry a racing one --------------------------------

def test_a_query_between_the_two_renames_does_not_undo_the_swap(built) -> None:
    aside = built.with_name(f".{built.name}.previous")
    os.replace(built, aside)  # where a build is between its two renames
    result = run_cli("query", "models-per-organization", "--store", built, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "Meta" in result.stdout
    assert aside.is_dir() and not built.exists()  # the build's next rename still works


def test_a_reader_that_opens_a_store_mid_swap_retries(built, tmp_path) -> None:
    """The reader first meets a torn store (a manifest that is not there yet), as when it
    opens the directory while a build swaps it, and gets the finished store on its retry."""
    from llmkg.store import SNAPSHOT, open_store

    good = tmp_path / "good"
    shutil.copytree(built, good)
    (built / SNAPSHOT).unlink(missing_ok=True)
    (built / "CURRENT").write_text("MANIFEST-999999\n")

    def finish_swap() -> None:
        time.sleep(0.05)
        aside = built.with_name(f".{built.name}.previous")
        os.replace(built, aside)
        os.replace(good, built)
        shutil.rmtree(aside)

    swapper = threading.Thread(target=finish_swap)
    swapper.start()
    try:
        store = open_store(built)
    finally:
        swapper.join()
    assert len(store) > 100


def test_queries_during_builds_never_fail(tmp_path) -> None:
    """Builds swap a store of more than 5,000 quads (read from RocksDB, no snapshot) while
    queries open it again and again."""
    catalog = generated_catalog(tmp_path / "gen.md", 300)
    store = tmp_path / "store"
    assert run_cli("build", catalog, "--store", store, "--no-validate", "-q").returncode == 0
    stop = threading.Event()

    def builds() -> None:
        while not stop.is_set():
            run_cli("build", catalog, "--store", store, "--no-validate", "-q")

    builder = threading.Thread(target=builds)
    builder.start()
    failures = []
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            result = run_cli("query", "models-per-organization", "--store", store, "--format", "csv")
            if result.returncode != 0:
                failures.append(result.stderr)
    finally:
        stop.set()
        builder.join()
    assert failures == []
    assert leftovers(tmp_path) == []


# --- 11. kill -9 ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory) -> Path:
    """A catalog of several chunks, so a build extracts in worker processes."""
    return generated_catalog(tmp_path_factory.mktemp("big") / "big.md", 10_000)


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_workers_die_with_a_killed_build(big_catalog, tmp_path) -> None:
    build = subprocess.Popen([sys.executable, "-m", "llmkg", "build", big_catalog, "--store", tmp_path / "s",
                              "--no-validate", "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        workers = children(build.pid)
        time.sleep(0.02)
    assert workers, "the build never started its workers"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.05)
    survivors = [w for w in workers if alive(w)]
    for w in survivors:  # do not leave them running whatever the outcome
        os.kill(w, signal.SIGKILL)
    assert survivors == []


def test_the_next_build_removes_what_a_killed_build_left(big_catalog, tmp_path) -> None:
    store = tmp_path / "store"
    build = subprocess.Popen([sys.executable, "-m", "llmkg", "build", big_catalog, "--store", store,
                              "--no-validate", "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not leftovers(tmp_path) and build.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # well into writing the new store
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    left = leftovers(tmp_path)
    assert left, "the build ended before it was killed"
    stranger = tmp_path / ".store.building-notours"  # not marked as llmkg's: left alone
    stranger.mkdir()
    (stranger / "data.bin").write_bytes(b"x")
    result = run_cli("build", CATALOG, "--store", store, "--no-validate", "-q")
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path) == [stranger.name]
