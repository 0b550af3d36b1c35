#!/usr/bin/env python3
"""Compare leaklint's `implicit-global` (undeclared assignments) and its binder with ESLint.

usage: python3 bench/eslint_compare.py [--corpus DIR] [--list full|small|FILE] [--tools DIR]
                                       [--examples N] [--json FILE]

Files: the corpus list (`lists/full.txt` by default) minus `lists/esm.txt`: the sloppy scripts and
CommonJS files, where an undeclared assignment creates a global (ES modules are strict). With
`--list FILE` (absolute paths under `--corpus`, ESLint's base path) and no `lists/esm.txt`, `.mjs`
files are the modules; only `.js` and `.cjs` files are compared (ESLint's default parser).

ESLint runs as `../shared/bench/eslint.config.mjs` does (sourceType "commonjs", globals node +
browser, inline configuration off) with one local rule instead of the core rules. That rule
reports, for each file, what `no-undef` + `no-implicit-globals` see: the references of
`globalScope.through` (resolved nowhere) to names that are not configured globals, with their
write flag and the strictness of their scope; and every reference with the line of the
declaration it resolves to. Three comparisons follow:

1. the rule: ESLint's undeclared writes in non-strict scopes (what no-undef and
   no-implicit-globals report for assignments: `x = 1`, `x += 1`, `x++`, destructuring and
   for-in/of targets) against leaklint's `implicit-global` `undeclared` findings, as users get them
   (`leaklint check --select implicit-global --format json`), per (file, name);
2. the binder, unresolved names: ESLint's `through` against the references leaklint's semantic
   model leaves unresolved (reads too, i.e. `no-undef`), per (file, name), names known to either
   tool's global list left out;
3. the binder, every reference: (line, name, line of the declaration it resolves to) multisets
   per file.

Each disagreement of 1 and 2 is explained from both sides: leaklint's model says how it sees the
name where ESLint reports it (resolved to a local, strict, inside `with`, a known global...), and a
second ESLint run on the disagreeing files says how eslint-scope sees leaklint's site.

Tools: ESLint 10.15.0 and globals 17.4.0 from npm. `--tools DIR` (default `$LEAKLINT_TOOLS`, else
/tmp/perf/tools when ../shared/bench/setup-tools.sh has been run there, else
/tmp/leaklint-eslint-compare) is used when it holds ESLint 10; otherwise they are installed into it
with `npm install`. Needs node 20+ and npm. About 10 minutes on the full corpus with 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ESLINT_PINS = ("eslint@10.15.0", "globals@17.4.0")
CHUNK = 800  # paths per leaklint command line

# The ESLint side: a flat config with one local rule, run through the Node API; one JSON line per file.
RUNNER = r"""
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [tools, cwd, listFile, outFile, esmFile, probeFile] = process.argv.slice(2);
const esm = new Set(esmFile ? fs.readFileSync(esmFile, "utf8").split("\n").filter(Boolean) : []);
const require = createRequire(path.join(tools, "package.json"));
const { ESLint } = require("eslint");
const globals = require("globals");
const configured = { ...globals.node, ...globals.browser };
const probes = probeFile ? JSON.parse(fs.readFileSync(probeFile, "utf8")) : null;
const out = fs.openSync(outFile, "w");
fs.writeSync(out, JSON.stringify({ configured: Object.keys(configured) }) + "\n");

function defLine(variable) {
	const def = variable.defs[0];
	return def ? def.name.loc.start.line : -1;  // -1: implicit (`arguments`)
}

const dump = {
	meta: { type: "problem", schema: [] },
	create(context) {
		return {
			"Program:exit"(node) {
				const scopeManager = context.sourceCode.scopeManager;
				const globalScope = context.sourceCode.getScope(node);
				const file = context.filename;
				if (probes) {
					// how eslint-scope sees the names leaklint reports: every reference on those lines
					const keys = new Set((probes[file] || []).map(([line, name]) => `${line}:${name}`));
					const found = [];
					for (const scope of scopeManager.scopes) {
						for (const ref of scope.references) {
							const id = ref.identifier;
							if (!keys.has(`${id.loc.start.line}:${id.name}`)) continue;
							found.push({
								line: id.loc.start.line, name: id.name, write: ref.isWrite(), strict: ref.from.isStrict,
								resolved: ref.resolved ? defLine(ref.resolved) : null,
								configured: Object.hasOwn(configured, id.name),
							});
						}
					}
					fs.writeSync(out, JSON.stringify({ file, probe: found }) + "\n");
					return;
				}
				const through = [];
				for (const ref of globalScope.through) {
					const name = ref.identifier.name;
					if (Object.hasOwn(configured, name)) continue;
					through.push([ref.identifier.loc.start.line, name, ref.isWrite() ? 1 : 0, ref.from.isStrict ? 1 : 0]);
				}
				const refs = [];
				for (const scope of scopeManager.scopes) {
					for (const ref of scope.references) {
						const id = ref.identifier;
						if (id.type !== "Identifier" || id.name === "undefined") continue;
						// a configured global resolves to a variable without definitions: a global, as unresolved
						refs.push([id.loc.start.line, id.name, ref.resolved && ref.resolved.defs.length
							? defLine(ref.resolved) : (ref.resolved && ref.resolved.scope.type !== "global" ? -1 : 0)]);
					}
				}
				fs.writeSync(out, JSON.stringify({ file, through, refs }) + "\n");
			},
		};
	},
};

const eslint = new ESLint({
	cwd,
	overrideConfigFile: true,
	allowInlineConfig: false,
	warnIgnored: false,
	errorOnUnmatchedPattern: false,
	overrideConfig: [
		{ ignores: ["!**/node_modules/"] },
		{
			files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
			linterOptions: { reportUnusedDisableDirectives: "off" },
			languageOptions: { ecmaVersion: "latest", sourceType: "commonjs", globals: configured },
			plugins: { compare: { rules: { dump } } },
			rules: { "compare/dump": "error" },
		},
		{ files: [(file) => esm.has(file)], languageOptions: { sourceType: "module" } },
	],
});
const files = fs.readFileSync(listFile, "utf8").split("\n").filter(Boolean);
for (const r of await eslint.lintFiles(files)) {
	for (const m of r.messages) {
		if (m.fatal) fs.writeSync(out, JSON.stringify({ file: r.filePath, fatal: m.message }) + "\n");
	}
}
fs.closeSync(out);
"""


@dataclass(frozen=True, slots=True)
class Site:
    file: str
    name: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line} `{self.name}`"


Key = tuple[str, str]  # (absolute file, name)
RefKey = tuple[int, str, int]  # (line, name, line of the declaration; 0 unresolved, -1 implicit)


# --- tools ----------------------------------------------------------------------------------------


def _has_eslint10(d: Path) -> bool:
    pkg = d / "node_modules" / "eslint" / "package.json"
    try:
        version = json.loads(pkg.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return False
    return version.startswith("10.") and (d / "node_modules" / "globals" / "package.json").is_file()


def ensure_tools(requested: str | None) -> Path:
    candidates = [requested] if requested else [os.environ.get("LEAKLINT_TOOLS"), "/tmp/perf/tools"]
    for c in candidates:
        if c and _has_eslint10(Path(c)):
            return Path(c).resolve()
    target = Path(requested or "/tmp/leaklint-eslint-compare").resolve()
    target.mkdir(parents=True, exist_ok=True)
    if not (target / "package.json").is_file():
        (target / "package.json").write_text('{"name": "leaklint-eslint-compare", "private": true}\n')
    print(f"installing {' '.join(ESLINT_PINS)} into {target}", file=sys.stderr)
    subprocess.run(["npm", "install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error", *ESLINT_PINS], cwd=target, check=True)
    return target


# --- the runs -------------------------------------------------------------------------------------


def run_eslint(tools: Path, corpus: Path, files: list[str], esm: set[str], work: Path,
               probes: dict[str, list[list]] | None = None) -> Path:
    """Run ESLint with the local rule; returns the JSON-lines file it wrote."""
    runner = work / "runner.mjs"
    runner.write_text(RUNNER)
    tag = "probe" if probes else "main"
    list_file = work / f"eslint-{tag}.txt"
    list_file.write_text("\n".join(files) + "\n")
    out = work / f"eslint-{tag}.jsonl"
    esm_file = work / "esm.txt"
    esm_file.write_text("\n".join(sorted(esm)) + "\n")
    cmd = ["node", str(runner), str(tools), str(corpus), str(list_file), str(out), str(esm_file)]
    if probes:
        probe_file = work / "probes.json"
        probe_file.write_text(json.dumps(probes))
        cmd.append(str(probe_file))
    subprocess.run(cmd, check=True)
    return out


def run_leaklint(files: list[str], work: Path) -> tuple[list[dict], list[dict]]:
    """The rule as users run it: the CLI, JSON output."""
    findings: list[dict] = []
    notes: list[dict] = []
    for i in range(0, len(files), CHUNK):
        out = work / f"leaklint-{i}.json"
        cmd = [sys.executable, "-m", "leaklint", "check", "--select", "implicit-global", "--format", "json",
               "--isolated", "--no-gitignore", "--no-cache", "--exit-zero", "-o", str(out), *files[i:i + CHUNK]]
        subprocess.run(cmd, check=True)
        data = json.loads(out.read_text())
        findings.extend(data["findings"])
        notes.extend(data["notifications"])
    return findings, notes


_NAME = re.compile(r"`([^`]+)`")


class LeaklintView:
    """leaklint's semantic model of one file, built as the checker builds it."""

    def __init__(self, path: str) -> None:
        from leaklint.files import dialect_for, source_type_of
        from leaklint.semantic.model import SemanticModel, known_globals
        from leaklint.syntax import Dialect, parse

        source = Path(path).read_bytes()
        parsed = parse(source, dialect_for(path) or Dialect.JS, path)
        self.source_type = source_type_of(parsed, path)
        self.model = SemanticModel(parsed, self.source_type, known_globals())
        self.parse_error = parsed.root.has_error

    def references(self) -> Counter[RefKey]:
        """Every reference, as the ESLint rule lists them (declarations' initialising writes included)."""
        model = self.model
        refs = model.all_references()
        refs += [r for b in model.bindings() for r in b.references if r.is_init]
        out: Counter[RefKey] = Counter()
        for r in refs:
            b = r.binding
            line = 0 if b is None else (b.node.start_point[0] + 1 if b.node is not None else -1)
            out[(r.node.start_point[0] + 1, r.name, line)] += 1
        return out

    def unresolved(self, leave_out: set[str]) -> list[tuple[int, str]]:
        refs = sorted(self.model.unresolved, key=lambda r: r.node.start_byte)
        return [(r.node.start_point[0] + 1, r.name) for r in refs if r.name not in leave_out]

    def explain(self, site: Site, write: bool) -> tuple[str, str]:
        """How leaklint sees `site.name` on `site.line`, where ESLint reports an unresolved (write)
        reference: a class label and a detail for the example."""
        model = self.model
        if write and self.source_type.value == "module":
            return "leaklint: the file is an ES module (strict)", ""
        refs = [r for r in model.all_references()
                if r.name == site.name and r.node.start_point[0] + 1 == site.line]
        if write:
            refs = [r for r in refs if r.is_write] or refs
        note = " (the file has a parse error)" if self.parse_error else ""
        if not refs:
            return "leaklint: no reference there" + note, ""
        ref = refs[0]
        if write and not ref.is_write:
            return "leaklint: a read, not a write" + note, ""
        if ref.binding is not None:
            b = ref.binding
            where = f"line {b.node.start_point[0] + 1}" if b.node is not None else "implicit"
            if b.node is not None and model.resolve(b.node) is not b:
                return "leaklint: a function declared in a block, also a `var` (Annex B)", where
            return f"leaklint: resolves to a local {b.kind.value}", where
        if ref.scope.dynamic:
            return "leaklint: inside `with`", ""
        if ref.scope.is_strict:
            return "leaklint: strict scope", ""
        if ref.name in model.known_globals:
            return "leaklint: a known global (not in ESLint's node + browser)", ""
        return "leaklint: unexplained", ""


def explain_eslint(probe: list[dict], site: Site, write: bool) -> tuple[str, str]:
    """How eslint-scope sees `site.name` on `site.line`, where leaklint reports an unresolved (write)
    reference: a class label and a detail for the example."""
    refs = [p for p in probe if p["name"] == site.name and p["line"] == site.line]
    if write:
        refs = [p for p in refs if p["write"]] or refs
    if not refs:
        return "ESLint: no reference there", ""
    p = refs[0]
    if write and not p["write"]:
        return "ESLint: a read, not a write", ""
    if p["resolved"] is not None:
        if p["resolved"] == -1:
            return f"ESLint: resolves to the implicit `{site.name}` of the CommonJS module function", ""
        return "ESLint: resolves to a local variable", f"line {p['resolved']}"
    if p["configured"]:
        return "ESLint: a configured global (node + browser)", ""
    if write and p["strict"]:
        return "ESLint: strict scope", ""
    return "ESLint: unexplained", ""


@dataclass
class Comparison:
    title: str
    write: bool  # undeclared writes in sloppy code (else: every unresolved name)
    eslint: dict[Key, Site]
    leaklint: dict[Key, Site]

    @property
    def both(self) -> set[Key]:
        return self.eslint.keys() & self.leaklint.keys()

    @property
    def eslint_only(self) -> list[Key]:
        return sorted(self.eslint.keys() - self.leaklint.keys())

    @property
    def leaklint_only(self) -> list[Key]:
        return sorted(self.leaklint.keys() - self.eslint.keys())

    def classify(self, views: dict[str, LeaklintView], probes: dict[str, list[dict]]
                 ) -> dict[str, list[tuple[Site, str]]]:
        classes: dict[str, list[tuple[Site, str]]] = defaultdict(list)
        for key in self.eslint_only:
            site = self.eslint[key]
            view = views.get(site.file) or views.setdefault(site.file, LeaklintView(site.file))
            label, detail = view.explain(site, self.write)
            classes["ESLint only | " + label].append((site, detail))
        for key in self.leaklint_only:
            site = self.leaklint[key]
            label, detail = explain_eslint(probes.get(site.file, []), site, self.write)
            classes["leaklint only | " + label].append((site, detail))
        return classes

    def report(self, classes: dict[str, list[tuple[Site, str]]], corpus: Path, examples: int) -> None:
        e, l, both = len(self.eslint), len(self.leaklint), len(self.both)
        union = e + l - both
        print(f"\n## {self.title}")
        print(f"ESLint: {e} (file, name) pairs in {len({k[0] for k in self.eslint})} files; "
              f"leaklint: {l} pairs in {len({k[0] for k in self.leaklint})} files")
        if union:
            print(f"agree: {both}; ESLint only: {e - both}; leaklint only: {l - both}; "
                  f"agreement {both / union:.1%} of the union")
        _print_classes(classes, corpus, examples)


def _print_classes(classes: dict[str, list[tuple[Site, str]]], corpus: Path, examples: int) -> None:
    for label, sites in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"{len(sites):6d}  {label}")
        for s, detail in sites[:examples]:
            print(f"          {os.path.relpath(s.file, corpus)}:{s.line} `{s.name}`" + (f" ({detail})" if detail else ""))


def compare_references(file: str, theirs: Counter[RefKey], mine: Counter[RefKey],
                       classes: dict[str, list[tuple[Site, str]]]) -> int:
    """Reference-level resolution; returns how many of ESLint's references leaklint matches."""
    by_site_theirs: dict[tuple[int, str], Counter[int]] = defaultdict(Counter)
    by_site_mine: dict[tuple[int, str], Counter[int]] = defaultdict(Counter)
    for (line, name, decl), n in (theirs - mine).items():
        by_site_theirs[(line, name)][decl] += n
    for (line, name, decl), n in (mine - theirs).items():
        by_site_mine[(line, name)][decl] += n
    for site in sorted(by_site_theirs.keys() | by_site_mine.keys()):
        t, m = by_site_theirs.get(site, Counter()), by_site_mine.get(site, Counter())
        s = Site(file, site[1], site[0])
        if t and not m and all(theirs[(site[0], site[1], d)] > n for d, n in t.items()):
            label = "ESLint counts more references to the same declaration (a defaulted destructuring element)"
        elif t and m:
            label = "resolved to different declarations"
        elif t:
            label = "ESLint only"
        else:
            label = "leaklint only"
        detail = "; ".join(f"{who}: {', '.join(_decl(d) for d in sorted(c))}" for who, c in (("ESLint", t), ("leaklint", m)) if c)
        classes[label].append((s, detail))
    return sum((theirs & mine).values())


def _decl(line: int) -> str:
    return "global" if line == 0 else "implicit" if line == -1 else f"line {line}"


def first_sites(records: list[tuple[str, str, int]]) -> dict[Key, Site]:
    out: dict[Key, Site] = {}
    for file, name, line in records:
        if (file, name) not in out:
            out[(file, name)] = Site(file, name, line)
    return out


def read_list(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line]


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", default=os.environ.get("LEAKLINT_CORPUS", "/tmp/leaklint-corpus"))
    ap.add_argument("--list", default="full", help="full | small | a file of absolute paths")
    ap.add_argument("--tools", help="directory with (or for) node_modules/eslint")
    ap.add_argument("--examples", type=int, default=3, help="examples shown per disagreement class")
    ap.add_argument("--json", help="write every compared site and its class to this file")
    ap.add_argument("--with-modules", action="store_true",
                    help="also compare the ES modules (sourceType module for ESLint; they only add to comparison 3)")
    args = ap.parse_args()

    corpus = Path(args.corpus).resolve()
    lists = corpus / "lists"
    listed = read_list(lists / f"{args.list}.txt" if args.list in ("full", "small") else Path(args.list))
    # ES modules: the corpus's esm.txt, else `.mjs`; ESLint's default parser reads JavaScript only
    esm = set(read_list(lists / "esm.txt")) if (lists / "esm.txt").is_file() else {f for f in listed if f.endswith(".mjs")}
    files = [f for f in listed if (args.with_modules or f not in esm) and f.endswith((".js", ".cjs", ".mjs"))]
    tools = ensure_tools(args.tools)
    work = Path(tempfile.mkdtemp(prefix="leaklint-eslint-compare-"))
    print(f"{len(files)} files; ESLint from {tools}; work files in {work}", file=sys.stderr)

    eslint_out = run_eslint(tools, corpus, files, esm, work)
    findings, notes = run_leaklint(files, work)
    skipped = {str(Path(n["path"]).resolve()) for n in notes if n.get("kind") in ("skipped", "unreadable")}

    from leaklint.semantic.model import known_globals

    known = set(known_globals())
    fatal: set[str] = set()
    eslint_writes: list[tuple[str, str, int]] = []
    eslint_unresolved: list[tuple[str, str, int]] = []
    strict_writes = 0
    ref_classes: dict[str, list[tuple[Site, str]]] = defaultdict(list)
    ref_total = ref_matched = 0
    leaklint_unresolved: list[tuple[str, str, int]] = []
    compared: set[str] = set()
    with eslint_out.open() as fh:
        configured = set(json.loads(fh.readline())["configured"])
        for line in fh:
            rec = json.loads(line)
            file = rec["file"]
            if "fatal" in rec:
                fatal.add(file)
                continue
            if file in skipped:
                continue
            compared.add(file)
            for ln, name, write, strict in rec["through"]:
                if write and strict:
                    strict_writes += 1
                elif write:
                    eslint_writes.append((file, name, ln))
                if name not in known:
                    eslint_unresolved.append((file, name, ln))
            # leaklint's model, one file at a time (the models of a whole corpus do not fit in memory)
            view = LeaklintView(file)
            leaklint_unresolved += [(file, name, ln) for ln, name in view.unresolved(known | configured)]
            theirs: Counter[RefKey] = Counter(tuple(r) for r in rec["refs"])  # type: ignore[misc]
            ref_total += sum(theirs.values())
            ref_matched += compare_references(file, theirs, view.references(), ref_classes)

    rule = Comparison(
        "1. implicit-global `undeclared` vs ESLint no-undef + no-implicit-globals (undeclared writes in sloppy code)",
        True,
        first_sites(eslint_writes),
        first_sites([(p, m.group(1), f["start"]["line"]) for f in findings
                     if f["message_id"] == "undeclared" and (m := _NAME.search(f["message"]))
                     and (p := str(Path(f["path"]).resolve())) in compared]),
    )
    binder = Comparison(
        "2. binder, unresolved names (ESLint no-undef; names in either tool's global list left out)",
        False, first_sites(eslint_unresolved), first_sites(leaklint_unresolved))

    wanted: dict[str, list[list]] = defaultdict(list)
    for comp in (rule, binder):
        for key in comp.leaklint_only:
            s = comp.leaklint[key]
            wanted[s.file].append([s.line, s.name])
    probes: dict[str, list[dict]] = {}
    if wanted:
        with run_eslint(tools, corpus, sorted(wanted), esm, work, dict(wanted)).open() as fh:
            fh.readline()
            for line in fh:
                rec = json.loads(line)
                if "probe" in rec:
                    probes[rec["file"]] = rec["probe"]

    print(f"files compared: {len(compared)} of {len(files)} {'' if args.with_modules else 'non-module '}files "
          f"({len(fatal)} not parsed by ESLint, {len(skipped & set(files))} skipped by leaklint)")
    print(f"undeclared writes in strict code (a ReferenceError, not a leak; left out): {strict_writes}")
    out: dict[str, dict] = {}
    views: dict[str, LeaklintView] = {}
    for comp in (rule, binder):
        classes = comp.classify(views, probes)
        comp.report(classes, corpus, args.examples)
        out[comp.title] = {"agree": [str(comp.eslint[k]) for k in sorted(comp.both)],
                           "classes": {label: [f"{s} {detail}".rstrip() for s, detail in sites]
                                       for label, sites in classes.items()}}
    print("\n## 3. binder, every reference: (line, name, line of the declaration it resolves to)")
    share = f" ({ref_matched / ref_total:.2%})" if ref_total else ""
    print(f"ESLint references: {ref_total}; resolved alike by leaklint: {ref_matched}{share}")
    _print_classes(ref_classes, corpus, args.examples)
    out["3. references"] = {"eslint": ref_total, "agree": ref_matched,
                            "classes": {label: [f"{s} {detail}".rstrip() for s, detail in sites]
                                        for label, sites in ref_classes.items()}}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
