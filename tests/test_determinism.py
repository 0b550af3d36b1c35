"""Byte-identical reports for the same input: across runs and hash seeds, across `--jobs`, across
the order of the paths, with and without the result cache; and fingerprints that do not move."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leaklint.api import check_text
from leaklint.checker import fingerprint_findings
from leaklint.findings import Confidence, Finding, Severity, Span
from leaklint.syntax import LineIndex

ROOT = Path(__file__).resolve().parent.parent
EXTRA = {
    # a few awkward files besides the corpus
    "bad/binary.js": b"\x00\x01\x02",
    "bad/latin1.js": b"var s = '\xe9';\nleak = 1;\n",
    "bad/crlf.js": b"function f() {\r\n  leak2 = [];\r\n}\r\n",
    "bad/broken.js": b"leak3 = 1;\nfunction (\n",
    "bad/typed.js": b"let n: number = 1;\nleak4 = n;\n",
    "bad/same.js": b"x.push(1); x.push(1);\nfunction g() { dup = 1; dup = 1; }\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("determinism")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    for name, data in EXTRA.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def leaklint(project: Path, *args: str, hash_seed: str = "0") -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "LEAKLINT_STRICT": "1"}
    proc = subprocess.run([sys.executable, "-m", "leaklint", "check", "--isolated", *args], cwd=project, env=env,
                          capture_output=True, timeout=600, check=False)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.stdout


def all_files(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_same_report_whatever_the_jobs_order_and_hash_seed(project: Path, fmt: str) -> None:
    files = all_files(project)
    reference = leaklint(project, "--format", fmt, "--no-cache", "--jobs", "1", "corpus", "bad")
    assert reference
    assert leaklint(project, "--format", fmt, "--no-cache", "--jobs", "2", "bad", "corpus", hash_seed="1") == reference
    assert leaklint(project, "--format", fmt, "--no-cache", "--jobs", "2", *reversed(files),
                    hash_seed="2") == reference
    assert leaklint(project, "--format", fmt, "--no-cache", "--jobs", "1", *files, hash_seed="3") == reference


def test_the_cache_changes_nothing(project: Path, tmp_path: Path) -> None:
    reference = leaklint(project, "--format", "json", "--no-cache", "corpus", "bad")
    cache = str(tmp_path / "cache")
    cold = leaklint(project, "--format", "json", "--cache-dir", cache, "corpus", "bad", hash_seed="4")
    warm = leaklint(project, "--format", "json", "--cache-dir", cache, "corpus", "bad", hash_seed="5")
    assert cold == warm == reference
    assert any((tmp_path / "cache").rglob("*"))


def test_unchanged_files_are_taken_from_the_manifest_and_changed_ones_are_not(tmp_path: Path) -> None:
    """A warm run takes a file whose status (inode, size, times) has not changed from the manifest
    without reading it; any change of the file, even one that keeps its size and modification
    time, is seen."""
    src = tmp_path / "src"
    src.mkdir()
    files = {f"f{i}.js": f"function f{i}() {{ leak{i} = 1; }}\nf{i}();\n" for i in range(3)}
    old = 1_600_000_000
    for name, text in files.items():
        (src / name).write_text(text)
        os.utime(src / name, (old, old))  # written long ago: no change can hide in the same clock tick
    cache = str(tmp_path / "cache")

    def report() -> list[tuple[str, str]]:
        out = json.loads(leaklint(tmp_path, "--format", "json", "--cache-dir", cache, "src"))
        return sorted((f["path"], f["message"]) for f in out["findings"])

    reference = json.loads(leaklint(tmp_path, "--format", "json", "--no-cache", "src"))
    expected = sorted((f["path"], f["message"]) for f in reference["findings"])
    assert len(expected) == 3
    assert report() == expected  # cold: analysed, and cached
    assert report() == expected  # warm: from the cache, recorded in the manifest
    (manifest,) = (tmp_path / "cache").rglob("manifest-*.json")
    assert len(json.loads(manifest.read_text())["files"]) == 3
    assert report() == expected  # from the manifest

    for garbage in (b"{\"files\": {\"src/f0.js\": [1, 2]", b'{"files": {"src/f0.js": [[0, 0, 0, 0], 0, "", {"path": 1}]}}',
                    b"[]"):
        manifest.write_bytes(garbage)  # truncated, planted, of another shape: ignored
        assert report() == expected
    # the same size, the same modification time, another name: only the change time tells
    (src / "f1.js").write_text(files["f1.js"].replace("leak1", "lost1"))
    os.utime(src / "f1.js", (old, old))
    assert report() == sorted(expected[:1] + [(e[0], e[1].replace("leak1", "lost1")) for e in expected[1:2]]
                              + expected[2:])


def test_concurrent_runs_share_a_cache_safely(project: Path, tmp_path: Path) -> None:
    """Runs that read and write one cache at the same time (entries and manifest are written to a
    temporary file and renamed) each report what a run without a cache reports, and so does the
    run after them."""
    reference = leaklint(project, "--format", "json", "--no-cache", "corpus", "bad")
    cache = str(tmp_path / "cache")
    env = {**os.environ, "LEAKLINT_STRICT": "1"}
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "leaklint", "check", "--isolated", "--format", "json",
                                   "--cache-dir", cache, "--jobs", str(jobs), "corpus", "bad"],
                                  cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for jobs in (1, 2, 1)]
        outs = [p.communicate(timeout=600) for p in procs]
        assert all(p.returncode in (0, 1) for p in procs), [err.decode() for _, err in outs]
        assert [out for out, _ in outs] == [reference] * 3
    assert leaklint(project, "--format", "json", "--cache-dir", cache, "corpus", "bad") == reference
    for manifest in (tmp_path / "cache").rglob("manifest-*.json"):
        json.loads(manifest.read_text())


def test_a_cached_result_follows_the_package_type(tmp_path: Path) -> None:
    """The nearest package.json "type" decides whether a .js file is an ES module (strict: an
    undeclared write throws instead of leaking), so it is part of the cache key, through links too."""
    pkg = tmp_path / "pkg"
    (pkg / "lib").mkdir(parents=True)
    (pkg / "lib" / "app.js").write_text("function f() { leak = 1; }\nf();\n")
    (tmp_path / "linked.js").symlink_to(pkg / "lib" / "app.js")
    cache = str(tmp_path / "cache")

    def findings(*paths: str) -> int:
        return len(json.loads(leaklint(tmp_path, "--format", "json", "--cache-dir", cache, *paths))["findings"])

    (pkg / "package.json").write_text('{"type": "module"}')
    assert findings("pkg") == 0 and findings("linked.js") == 0
    (pkg / "package.json").write_text('{"type": "commonjs"}')
    assert findings("pkg") == 1 and findings("linked.js") == 1


def test_sarif_fingerprints_are_present_unique_and_stable(project: Path) -> None:
    log = json.loads(leaklint(project, "--format", "sarif", "--no-cache", "corpus", "bad"))
    results = log["runs"][0]["results"]
    prints = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["partialFingerprints"]["leaklint/v1"]) for r in results]
    assert len(prints) > 20 and len(set(prints)) == len(prints)
    again = json.loads(leaklint(project, "--format", "sarif", "--no-cache", "bad", "corpus", hash_seed="6"))
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [r["partialFingerprints"]
                                                                                for r in results]


def test_fingerprints_ignore_line_numbers_indentation_and_other_code() -> None:
    before = check_text("function f() {\n  leak = 1;\n}\n", "a.js").findings
    after = check_text("// new header\n\nvar unrelated = 2;\nfunction f() {\n        leak = 1;\n}\n", "a.js").findings
    assert [f.span.line for f in before] == [2] and [f.span.line for f in after] == [5]
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    renamed = check_text("function f() {\n  leak = 2;\n}\n", "a.js").findings
    assert renamed[0].fingerprint != before[0].fingerprint  # a different line is a different finding


def test_identical_lines_get_distinct_fingerprints_in_order() -> None:
    lines = LineIndex(b"function f() {\n  dup = 1;\n}\nfunction g() {\n  dup = 1;\n}\n")

    def finding(line: int) -> Finding:
        return Finding("implicit-global", "undeclared", "m", "", "a.js", Span(line, 3, line, 6), Severity.WARNING,
                       Confidence.HIGH)

    first, second = fingerprint_findings([finding(5), finding(2)], lines)
    assert (first.span.line, second.span.line) == (2, 5)
    assert first.fingerprint != second.fingerprint
    # the first of the identical lines keeps its fingerprint when the second goes away
    assert fingerprint_findings([finding(2)], lines)[0].fingerprint == first.fingerprint


def test_the_cache_forgets_what_no_run_has_used_for_30_days(tmp_path: Path) -> None:
    """Entries unused for `MAX_AGE_NS` go (at most one sweep a day), so do other versions' folders
    and manifest entries of files no run sees any more; what the runs use stays."""
    import time

    src = tmp_path / "src"
    src.mkdir()
    for i in range(2):
        (src / f"f{i}.js").write_text(f"function f{i}() {{ leak{i} = 1; }}\nf{i}();\n")
        os.utime(src / f"f{i}.js", (1_600_000_000, 1_600_000_000))
    cache = tmp_path / "cache"
    leaklint(tmp_path, "--format", "json", "--cache-dir", str(cache), "src")
    (version,) = [p for p in cache.iterdir() if p.is_dir()]
    entries = [p for p in version.rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(entries) == 2
    (manifest,) = version.glob("manifest-*.json")
    assert len(json.loads(manifest.read_text())["files"]) == 2

    long_ago = 1_600_000_000
    os.utime(version / ".pruned", (long_ago, long_ago))  # the last sweep was long ago
    stale = entries[0]
    os.utime(stale, (long_ago, long_ago))
    old_version = cache / "0.0.0-old"
    (old_version / "ab").mkdir(parents=True)
    (old_version / "ab" / ("ab" * 32)).write_text("{}")
    for p in (old_version / "ab" / ("ab" * 32), old_version / "ab", old_version):
        os.utime(p, (long_ago, long_ago))
    data = json.loads(manifest.read_text())
    data["files"]["gone.js"] = [[1, 2, 3, 4], long_ago * 10**9, "", None]  # a file deleted long ago
    data["files"]["recent.js"] = [[1, 2, 3, 4], time.time_ns() - 10**9, "", None]  # seen a second ago
    manifest.write_text(json.dumps(data))

    (src / "f2.js").write_text("new2 = 1;\n")  # something to add: the manifest is written again
    leaklint(tmp_path, "--format", "json", "--cache-dir", str(cache), "src")
    assert not stale.exists() and all(p.exists() for p in entries[1:])  # the sweep ran
    assert not old_version.exists()
    assert set(json.loads(manifest.read_text())["files"]) == {"src/f0.js", "src/f1.js", "src/f2.js", "recent.js"}
    assert (version / ".pruned").exists()

    # a manifest in use is kept even when no run has changed it for long
    for f in src.iterdir():
        os.utime(f, (long_ago, long_ago))
    leaklint(tmp_path, "--format", "json", "--cache-dir", str(cache), "src")  # records the new status
    os.utime(manifest, (long_ago, long_ago))
    os.utime(version / ".pruned", (long_ago, long_ago))
    leaklint(tmp_path, "--format", "json", "--cache-dir", str(cache), "src")
    assert manifest.exists()

    # a day has not passed: no second sweep, even of an entry unused for long
    survivor = next(p for p in version.rglob("*") if p.is_file() and len(p.name) == 64)
    os.utime(survivor, (long_ago, long_ago))
    (src / "f3.js").write_text("new3 = 1;\n")
    leaklint(tmp_path, "--format", "json", "--cache-dir", str(cache), "src")
    assert survivor.exists()


def test_clean_deletes_the_cache_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("leak = 1;\n")
    leaklint(tmp_path, "--cache-dir", "c", "a.js")
    assert (tmp_path / "c").is_dir()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("x")

    def clean(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "leaklint", "clean", *args], cwd=tmp_path,
                              capture_output=True, text=True)

    refused = clean("--cache-dir", "mine")
    assert refused.returncode == 2 and "not a leaklint cache" in refused.stderr
    assert (other / "keep.txt").exists()
    done = clean("--cache-dir", "c")
    assert done.returncode == 0 and not (tmp_path / "c").exists()
    assert clean("--cache-dir", "c").returncode == 0  # nothing there: nothing to do
    # the default location is the one `check` uses: next to the config
    (tmp_path / "leaklint.toml").write_text("")
    (tmp_path / "sub").mkdir()
    subprocess.run([sys.executable, "-m", "leaklint", "check", "../a.js"], cwd=tmp_path / "sub", capture_output=True)
    assert (tmp_path / ".leaklint_cache").is_dir()
    assert subprocess.run([sys.executable, "-m", "leaklint", "clean"], cwd=tmp_path / "sub").returncode == 0
    assert not (tmp_path / ".leaklint_cache").exists()


def test_a_cached_result_is_the_result() -> None:
    """Every field of a result survives the cache's JSON form: findings with their related
    locations, fingerprints and subjects, suppressed findings, notifications."""
    from leaklint.cache import _data, _result

    source = ("const queue = [];\nexport function handler(job) {\n  queue.push(job);\n}\n"
              "export function other(k) {\n  cache[k] = 1; // leaklint-disable-line\n}\nconst cache = {};\n"
              "export const f = () => { leak = 1; };\n")
    result = check_text(source, "jobs.ts")
    assert result.findings and result.suppressed and all(f.subjects and f.fingerprint for f in result.findings)
    assert _result(json.loads(json.dumps(_data(result)))) == result


def test_a_cache_hit_keeps_its_entry_from_the_sweep(tmp_path: Path) -> None:
    """An entry read by a run counts as used: its age starts again, and a sweep keeps it."""
    import time

    from leaklint.cache import MAX_AGE_NS, Cache

    cache = Cache(tmp_path / "c", "salt")
    result = check_text("leak = 1;\n", "a.js")
    old = 1_600_000_000
    for key in ("a" * 64, "b" * 64):
        cache.put(key, result)
        os.utime(cache._path(key), (old, old))
    assert cache.get("a" * 64) == result  # used: refreshed
    now = time.time_ns()
    assert now - os.stat(cache._path("a" * 64)).st_mtime_ns < MAX_AGE_NS
    assert cache.prune(now) == 1
    assert os.path.exists(cache._path("a" * 64)) and not os.path.exists(cache._path("b" * 64))
    assert cache.prune(now) == 0  # the next sweep waits a day


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_cache_files_get_the_permissions_of_new_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      umask: int) -> None:
    """Entries and manifest as any new file would be (0666 less the umask), not a temporary file's
    0600: a cache restored for another user, or shared in a team's checkout, stays readable."""
    from leaklint import api, cache
    from leaklint.settings import Settings

    (tmp_path / "a.js").write_text("leak = 1;\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache, "_file_mode", None)
    old = os.umask(umask)
    try:
        api.check_paths(["a.js"], Settings(), jobs=1, cache_dir=tmp_path / "c")
    finally:
        os.umask(old)
    files = [p for p in (tmp_path / "c").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert {p.name.startswith("manifest-") for p in files} == {True, False}  # an entry and the manifest
    assert {p.stat().st_mode & 0o777 for p in files} == {0o666 & ~umask}
