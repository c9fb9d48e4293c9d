#!/usr/bin/env node
// Ground truth for the PromQL conformance test: runs the real `promtool check rules` (Debian's
// Prometheus 2.42) over every expression of test/promql/corpus.txt and records whether it is
// accepted and, if not, promtool's message and position. `--check` exits 1 when the committed
// truth differs from a fresh run.
//
// How promtool reports: one rule file with one recording rule per expression; promtool lists
// every failing rule at once as
//   FILE: L:C: group "g", rule N, "name": could not parse expression: L2:C2: parse error: MSG
// where N is 1-based within the group and L2:C2 is the position inside the expression: line,
// and column in bytes counted from the last newline (Go's ParseErr.Error: col = pos - lastBreak,
// lastBreak = -1 on the first line). Some errors carry no position ("parse error: MSG").
//
// Corpus format: one expression per line; `#` starts a comment line; blank lines are skipped;
// a literal "\n" (backslash, n) inside an expression stands for a newline.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const corpusFile = join(root, "test/promql/corpus.txt");
const truthFile = join(root, "test/promql/truth-2.42.json");

export function readCorpus(text) {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.replaceAll("\\n", "\n"));
}

const exprs = readCorpus(readFileSync(corpusFile, "utf8"));
const seen = new Set();
for (const e of exprs) {
  if (seen.has(e)) throw new Error(`duplicate corpus entry: ${JSON.stringify(e)}`);
  seen.add(e);
}

const PER_GROUP = 100;
let yaml = "groups:\n";
exprs.forEach((expr, i) => {
  if (i % PER_GROUP === 0) yaml += `  - name: g${i / PER_GROUP}\n    rules:\n`;
  yaml += `      - record: corpus:expr:n${i}\n        expr: ${JSON.stringify(expr)}\n`;
});
const dir = mkdtempSync(join(tmpdir(), "vigil-truth-"));
const file = join(dir, "corpus.yml");
writeFileSync(file, yaml);
const run = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
rmSync(dir, { recursive: true, force: true });
const output = `${run.stdout}\n${run.stderr}`;

const failures = new Map();
const LINE = /group "g(\d+)", rule (\d+), "corpus:expr:n(\d+)": (.*)$/;
for (const line of output.split("\n")) {
  const m = LINE.exec(line);
  if (!m) continue;
  const index = Number(m[3]);
  if (Number(m[1]) * PER_GROUP + Number(m[2]) - 1 !== index) throw new Error(`unexpected rule numbering: ${line}`);
  const detail = m[4].replace(/^could not parse expression: /, "");
  const pos = /^(\d+):(\d+): parse error: (.*)$/.exec(detail);
  const entry = pos ? { message: pos[3], line: Number(pos[1]), col: Number(pos[2]) } : { message: detail.replace(/^parse error: /, "") };
  if (!failures.has(index)) failures.set(index, entry);
}
const valid = exprs.length - failures.size;
const summary = /SUCCESS: (\d+) rules found/.exec(output);
if (failures.size === 0 && (!summary || Number(summary[1]) !== exprs.length)) throw new Error(`promtool did not confirm ${exprs.length} rules:\n${output}`);
if (failures.size > 0 && run.status === 0) throw new Error("promtool reported failures but exited 0");

const version = execFileSync("promtool", ["--version"], { encoding: "utf8" }).split("\n")[0];
const truth = {
  promtool: version,
  entries: exprs.map((expr, i) => (failures.has(i) ? { expr, valid: false, ...failures.get(i) } : { expr, valid: true })),
};
const text = JSON.stringify(truth, null, 1) + "\n";
if (process.argv.includes("--check")) {
  const committed = readFileSync(truthFile, "utf8");
  if (committed !== text) {
    console.error("test/promql/truth-2.42.json is out of date: run node scripts/promql-truth.mjs");
    process.exit(1);
  }
  console.log(`truth is current: ${exprs.length} expressions, ${valid} valid`);
} else {
  writeFileSync(truthFile, text);
  console.log(`wrote ${truthFile}: ${exprs.length} expressions, ${valid} valid, ${failures.size} invalid (${version})`);
}
