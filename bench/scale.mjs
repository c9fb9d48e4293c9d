#!/usr/bin/env node
// Scale: compile time of a synthetic platform (bench/synthetic.mjs) at 100 and 1,000 SLOs,
// without the type check, in-process through the library API (`compile()` timed inside a fresh
// Node process, which also reports its peak RSS) and through the CLI (`vigil compile ...
// --no-typecheck`, the whole process timed); the ratio time(1000)/time(100) (linear: ≤ 10.5);
// and, at the smallest size, the share of the compile the promtool unit-test generator takes
// (src/prometheus/tests: its test files generated again over the compiled model and timed).
// One run per size: a run at 1,000 SLOs takes minutes, and its noise is small beside it.
// Run on its own: `node bench/scale.mjs` (after `npm run build`). Env: BENCH_SCALE_SLOS
// (comma-separated SLO counts, default "100,1000"), BENCH_SCALE_TIMEOUT_S (per run, default 3600).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { platformOf, writeSyntheticPlatform } from "./synthetic.mjs";

/** The child's program: compile the specs through the library API, print the figures as JSON. */
const CHILD = `
const [distUrl, split, ...paths] = process.argv.slice(2);
const { compile } = await import(distUrl + "/compile.js");
const start = performance.now();
const cpu0 = process.cpuUsage();
const result = await compile(paths, { typecheck: false });
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code + " " + d.message);
let testsMs;
if (split === "1" && result.model) {
  const { serviceRuleFiles } = await import(distUrl + "/prometheus/rule-files.js");
  const { renderTestFiles } = await import(distUrl + "/prometheus/tests/index.js");
  const t = performance.now();
  for (const service of result.model.services) renderTestFiles(service, serviceRuleFiles(service));
  testsMs = performance.now() - t;
}
const slos = result.model ? result.model.services.reduce((n, s) => n + s.slos.length, 0) : 0;
console.log(JSON.stringify({ ms, cpuMs, testsMs, files: result.files.length, slos, errors, maxRssKb: process.resourceUsage().maxRSS }));
`;

export async function benchScale({ root }) {
  const sizes = (process.env.BENCH_SCALE_SLOS ?? "100,1000").split(",").map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  const timeoutMs = Number(process.env.BENCH_SCALE_TIMEOUT_S ?? 3600) * 1000;
  const dist = join(root, "dist");
  const cli = join(root, "bin", "vigil.mjs");
  const tmp = mkdtempSync(join(tmpdir(), "vigil-scale-"));
  const lines = [];
  const rows = [];
  try {
    for (const [i, total] of sizes.entries()) {
      const size = platformOf(total);
      const dir = join(tmp, `slos-${total}`);
      const paths = writeSyntheticPlatform(dir, size);
      // A file, not `--input-type=module -e`: the spec worker threads would inherit the flag.
      const program = join(tmp, "compile-child.mjs");
      writeFileSync(program, CHILD);
      const child = spawnSync(process.execPath, [program, pathToFileURL(dist).href, i === 0 ? "1" : "0", ...paths], {
        encoding: "utf8",
        timeout: timeoutMs,
        maxBuffer: 1 << 24,
      });
      if (child.status !== 0) throw new Error(`in-process compile of ${total} SLOs failed (${child.status ?? child.signal}): ${child.stderr.slice(-2000)}`);
      const api = JSON.parse(child.stdout.trim().split("\n").pop());
      if (api.errors.length) throw new Error(`the synthetic platform of ${total} SLOs does not compile: ${api.errors.slice(0, 3).join("; ")}`);
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [cli, "compile", ...paths, "--out", join(dir, "out"), "--quiet", "--no-typecheck"], { encoding: "utf8", timeout: timeoutMs });
      const cliMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (run.status !== 0) throw new Error(`vigil compile of ${total} SLOs exited ${run.status ?? run.signal}: ${(run.stderr || run.stdout).slice(-2000)}`);
      rows.push({ total, size, slos: api.slos, files: api.files, apiMs: api.ms, apiCpuMs: api.cpuMs, cliMs, testsMs: api.testsMs, maxRssMb: api.maxRssKb / 1024 });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  lines.push(`Scale: synthetic platform (bench/synthetic.mjs: services of 9 SLI SLOs and a check SLO, 4 threshold ladders, 2 dashboards, 2 checks), without the type check, one run per size`);
  lines.push(["SLOs", "services", "output files", "library compile() wall (CPU, all threads)", "vigil compile (process)", "peak RSS (library)", "unit-test generator"].join(" | "));
  for (const r of rows) {
    const tests = r.testsMs === undefined ? "-" : `${s(r.testsMs)} (${((100 * r.testsMs) / r.apiMs).toFixed(0)}% of compile)`;
    lines.push([r.slos, r.size.services, r.files, `${s(r.apiMs)} (${s(r.apiCpuMs)})`, s(r.cliMs), `${r.maxRssMb.toFixed(0)} MB`, tests].join(" | "));
  }
  if (rows.length >= 2) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    const goal = (10.5 * b.total) / (10 * a.total);
    lines.push(
      `time(${b.total})/time(${a.total}): library ${(b.apiMs / a.apiMs).toFixed(2)}× (CPU ${(b.apiCpuMs / a.apiCpuMs).toFixed(2)}×), CLI ${(b.cliMs / a.cliMs).toFixed(2)}× (linear: ≤ ${goal.toFixed(1)}×); ${b.total} SLOs without the type check: ${s(b.apiMs)} (goal < 2 s)`,
    );
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  for (const line of await benchScale({ root })) console.log(line);
}
