#!/usr/bin/env node
// `npm run bench`: wall time of `vigil compile` on the example systems (median of RUNS
// process runs, with and without the TypeScript type check), next to peers measured in the
// same run on the same machine: for the compiler, `tsc --noEmit` on the same spec (what the type check costs
// on its own) and `promtool check rules` + `promtool test rules` on the output (what
// checking the rules with the real tool costs). Ratios, not absolute times, are what to compare.
// Then bench/probes.mjs: the probe bundle vs prometheus-blackbox-exporter (probes per CPU-second, memory),
// and bench/slo-rule-cost.mjs: an SLO's exact tiled windows vs the old sum_over_time form, evaluated
// by a real Prometheus over 30 days of history (rule group durations and their ratio).
// Then bench/scale.mjs: a synthetic platform of 100 and 1,000 SLOs compiled through the library
// and the CLI (time, time(1000)/time(100), peak memory, the unit-test generator's share).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRules } from "./promql-rules.mjs";
import { BenchSetupError, benchProbes, probesBenchPreflight } from "./probes.mjs";
import { SloBenchSetupError, benchSloRuleCost, sloBenchPreflight } from "./slo-rule-cost.mjs";
import { benchScale } from "./scale.mjs";

const root = new URL("..", import.meta.url).pathname;
try {
  probesBenchPreflight({ root }); // a missing tool stops the bench now, not after minutes of the others
  sloBenchPreflight();
} catch (err) {
  if (err instanceof SloBenchSetupError) {
    console.error(`SLO rule cost bench: ${err.message}`);
    process.exit(1);
  }
  if (!(err instanceof BenchSetupError)) throw err;
  console.error(`probes bench: ${err.message}`);
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const examples = (process.argv.slice(2).length ? process.argv.slice(2) : ["halcytone", "novel-engine"]).map((name) => ({
  name,
  spec: join(root, "examples", name, "monitoring.ts"),
}));

function time(cmd, args, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr || r.stdout}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(fn) {
  fn(); // warm-up: file cache, first-run JIT of the tool itself
  return median(Array.from({ length: RUNS }, fn));
}

const tmp = mkdtempSync(join(tmpdir(), "vigil-bench-"));
const cli = join(root, "bin", "vigil.mjs");
const rows = [];
try {
  for (const ex of examples) {
    const out = join(tmp, ex.name);
    const cache = ["--cache-dir", join(tmp, "cache")];
    const full = measure(() => time(process.execPath, [cli, "compile", ex.spec, "--out", out, "--quiet", ...cache]));
    // vigil check on the unchanged tree the last compile (with the type check) cached.
    const cached = measure(() => time(process.execPath, [cli, "check", ex.spec, "--out", out, "--quiet", ...cache]));
    const fast = measure(() => time(process.execPath, [cli, "compile", ex.spec, "--out", out, "--quiet", "--no-typecheck", ...cache]));
    // Peer 1: the TypeScript compiler type-checking the same spec on its own.
    const tsconfig = join(tmp, `${ex.name}.tsconfig.json`);
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", skipLibCheck: true, types: [], paths: { "vigil-monitoring": [join(root, "src/api/index.ts")] } },
        files: [ex.spec],
      }),
    );
    const tsc = measure(() => time(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig]));
    // Peer 2: promtool checking and unit-testing the rules Vigil wrote.
    const rules = readdirSync(join(out, "prometheus/rules")).map((f) => join(out, "prometheus/rules", f));
    const tests = readdirSync(join(out, "prometheus/tests")).map((f) => join(out, "prometheus/tests", f));
    const promtool = measure(() => time("promtool", ["check", "rules", ...rules]) + time("promtool", ["test", "rules", ...tests], { cwd: join(out, "prometheus/tests") }));
    const lint = measure(() => time(process.execPath, [cli, "lint", ex.spec]));
    const lintFast = measure(() => time(process.execPath, [cli, "lint", ex.spec, "--no-typecheck"]));
    const lintRules = measure(() => time(process.execPath, [cli, "lint", ...rules]));
    const promtoolRulesOnly = measure(() => time("promtool", ["check", "rules", ...rules]));
    rows.push({ ex: ex.name, full, fast, cached, tsc, promtool, lint, lintFast, lintRules, promtoolRulesOnly });
  }
  // PromQL front end: parse + type-check every expression of a 10,000-rule file.
  const ruleFile = join(tmp, "rules-10k.yml");
  writeFileSync(ruleFile, generateRules(10_000));
  const oursRules = measure(() => time(process.execPath, [cli, "promql", "check-rules", ruleFile]));
  const promtoolRules = measure(() => time("promtool", ["check", "rules", ruleFile]));
  // The same on a one-rule file: what each pays to start (Node's own start is ~80 ms, Go's ~10).
  const oneRule = join(tmp, "rules-1.yml");
  writeFileSync(oneRule, generateRules(1));
  const oursStart = measure(() => time(process.execPath, [cli, "promql", "check-rules", oneRule]));
  const promtoolStart = measure(() => time("promtool", ["check", "rules", oneRule]));
  rows.promql = { ours: oursRules, promtool: promtoolRules, oursStart, promtoolStart };
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const { promql } = rows;
const lintRows = rows.map((x) => [x.ex, x.lint, x.lintFast, x.tsc, x.lintRules, x.promtoolRulesOnly]);
const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
const r = (a, b) => `${(a / b).toFixed(2)}×`;
console.log(`vigil compile, median of ${RUNS} runs (node ${process.version})`);
console.log(
  ["example", "vigil compile", "--no-typecheck", "tsc --noEmit (peer)", "promtool check+test (peer)", "compile/tsc (goal ≤ 1.25)", "--no-typecheck/tsc (goal ≤ 0.25)", "compile/promtool", "check from cache", "check from cache/compile (goal ≤ 0.1)"].join(" | "),
);
for (const x of rows) {
  console.log([x.ex, f(x.full), f(x.fast), f(x.tsc), f(x.promtool), r(x.full, x.tsc), r(x.fast, x.tsc), r(x.full, x.promtool), f(x.cached), r(x.cached, x.full)].join(" | "));
}
console.log();
console.log(`PromQL parse + type-check of a 10,000-rule file, median of ${RUNS} runs`);
console.log(["vigil promql check-rules", "promtool check rules (peer)", "ours/promtool", "1-rule file: ours | promtool", "without start-up: ours/promtool"].join(" | "));
console.log(
  [
    f(promql.ours),
    f(promql.promtool),
    r(promql.ours, promql.promtool),
    `${f(promql.oursStart)} | ${f(promql.promtoolStart)}`,
    r(promql.ours - promql.oursStart, promql.promtool - promql.promtoolStart),
  ].join(" | "),
);
console.log();
console.log(`vigil lint, median of ${RUNS} runs`);
console.log(["example", "vigil lint spec", "--no-typecheck", "tsc --noEmit (peer)", "lint/tsc", "vigil lint its rule files", "promtool check rules (peer)", "lint rule files/promtool"].join(" | "));
for (const [ex, spec, fast, tsc, files, peer] of lintRows) console.log([ex, f(spec), f(fast), f(tsc), r(spec, tsc), f(files), f(peer), r(files, peer)].join(" | "));

// The probe bundle vs prometheus-blackbox-exporter: probes per CPU-second, and memory (bench/probes.mjs).
console.log();
try {
  const probeLines = await benchProbes({ root });
  for (const line of probeLines) console.log(line);
  if (probeLines.failed) process.exitCode = 1;
} catch (err) {
  if (!(err instanceof BenchSetupError)) throw err;
  console.error(`probes bench: ${err.message}`);
  process.exitCode = 1;
}

// SLO long windows: exact tiled form vs the old sum_over_time form in a real Prometheus (bench/slo-rule-cost.mjs).
console.log();
try {
  const sloLines = await benchSloRuleCost({ root });
  for (const line of sloLines) console.log(line);
  if (sloLines.failed) process.exitCode = 1;
} catch (err) {
  if (!(err instanceof SloBenchSetupError)) throw err;
  console.error(`SLO rule cost bench: ${err.message}`);
  process.exitCode = 1;
}

// Scale: synthetic platforms of 100 and 1,000 SLOs (bench/scale.mjs).
console.log();
for (const line of await benchScale({ root })) console.log(line);
