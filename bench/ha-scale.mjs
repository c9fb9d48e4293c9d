#!/usr/bin/env node
// Scale of one Alertmanager config for many services: SERVICES generated specs (default 500), each
// with SLOS ratio SLOs (default 5) and its team (TEAMS teams, default 50, a webhook each), two
// Prometheus replicas and three Alertmanager peers, compiled together through the library
// (load, normalize, check, then the Prometheus config and Alertmanager emitters: the promtool
// test generator is left out, it is not what this measures). Writes the output to DIR (argv[2],
// default a temporary directory) and prints what was built and how long each step took
// (median of RUNS runs, default 3): `amtool check-config` and `vigil routes test` on the result
// (ROUTES=0 leaves the routing test out, ROUTES=all runs amtool on every case).
// Needs `npm run build` first.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const SERVICES = Number(process.env.SERVICES ?? 500);
const SLOS = Number(process.env.SLOS ?? 5);
const TEAMS = Number(process.env.TEAMS ?? 50);
const RUNS = Number(process.env.RUNS ?? 3);
const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), "vigil-ha-scale-"));
const specsDir = join(out, "..", `${out.split("/").pop()}-specs`);
mkdirSync(specsDir, { recursive: true });

const { compile } = await import(join(root, "dist/compile.js"));
const { emitAlertmanager } = await import(join(root, "dist/alertmanager/index.js"));
const { prometheusConfigFiles } = await import(join(root, "dist/prometheus/ha.js"));

const peers = [1, 2, 3].map((k) => ({ address: `alertmanager-${k}:9093`, cluster: `alertmanager-${k}:9094` }));
const paths = [];
for (let i = 0; i < SERVICES; i++) {
  const team = `team-${String(i % TEAMS).padStart(2, "0")}`;
  const name = `svc-${String(i).padStart(3, "0")}`;
  const spec = {
    ...(i === 0 ? { prometheus: { replicas: 2 }, alertmanager: { peers, catchAll: { team, receiver: "hook" } } } : {}),
    service: { name, team, scrape: { targets: [`${name}:8080`] } },
    teams: [{ name: team, ...(i < TEAMS ? { receivers: [{ name: "hook", kind: "webhook", url: `http://hooks:8080/${team}` }] } : {}) }],
    signals: [{ name: "http_requests_total", type: "counter", labels: ["route", "code"] }],
    slos: Array.from({ length: SLOS }, (_, k) => ({
      name: `route-${k}`,
      objective: 99.9,
      sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { route: `/r${k}`, code: "~5.." } }, total: { metric: "http_requests_total", matchers: { route: `/r${k}` } } },
    })),
  };
  const p = join(specsDir, `${name}.json`);
  writeFileSync(p, JSON.stringify(spec));
  paths.push(p);
}

const t0 = performance.now();
const result = await compile(paths, { typecheck: false, lint: false, emit: false });
const errors = result.diagnostics.filter((d) => d.severity === "error");
if (errors.length || !result.model) throw new Error(`compile failed: ${errors.slice(0, 5).map((d) => `${d.code} ${d.message}`).join("; ")}`);
const files = [...emitAlertmanager(result.model).files, ...prometheusConfigFiles(result.model)];
const tCompile = performance.now() - t0;
for (const f of files) {
  mkdirSync(dirname(join(out, f.path)), { recursive: true });
  writeFileSync(join(out, f.path), f.content);
}
const config = readFileSync(join(out, "alertmanager/alertmanager.yml"), "utf8");
const cases = (readFileSync(join(out, "alertmanager/routing-tests.yml"), "utf8").match(/^ {2}- alert: /gm) ?? []).length;

function median(cmd, args) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const run = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${run.status}: ${(run.stderr || run.stdout).slice(0, 2000)}`);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

const tCheck = median("amtool", ["check-config", join(out, "alertmanager/alertmanager.yml")]);
// ROUTES=0: leave the routing test out; ROUTES=all runs it with --all (one amtool process per case: long).
const tRoutes = process.env.ROUTES === "0" ? undefined : median(process.execPath, [join(root, "bin/vigil.mjs"), "routes", "test", out, ...(process.env.ROUTES === "all" ? ["--all"] : [])]);
console.log(
  [
    `output: ${out}`,
    `services: ${SERVICES}, SLOs: ${SERVICES * SLOS}, teams: ${TEAMS}, Alertmanager config: ${config.length} bytes, ${config.split("\n").length} lines, routing cases: ${cases}`,
    `compile (load, normalize, check, Alertmanager + Prometheus config emit): ${(tCompile / 1000).toFixed(1)} s`,
    `amtool check-config: ${(tCheck / 1000).toFixed(2)} s (median of ${RUNS})`,
    tRoutes === undefined ? "vigil routes test: not run (ROUTES=0)" : `vigil routes test: ${(tRoutes / 1000).toFixed(1)} s (median of ${RUNS})`,
  ].join("\n"),
);
