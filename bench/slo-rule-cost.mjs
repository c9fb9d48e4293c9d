#!/usr/bin/env node
// Rule-evaluation cost of an SLO's long windows in a real Prometheus (issue 13, item 7): the
// current exact form — every window W > 5m tiled by shorter recorded windows laid end to end
// with `offset` — against the form it replaced (c837517^, src/prometheus/slo-rules.ts):
//   slo:sli_error:ratio_rate<W> = sum_over_time(slo:sli_error_events:rate5m[W]) / sum_over_time(slo:sli_total_events:rate5m[W])
// with no tile recordings.
//
// One spec, two identical SLOs ("exact" and "old", a ratio SLI split by route) compiled by Vigil;
// the "old" SLO's rules are rewritten to the old form. Both run in the same Prometheus over the
// same 30 days of synthetic history of every series their rules read (written with
// `promtool tsdb create-blocks-from openmetrics`, by default one sample per minute, as a
// Prometheus that had evaluated these rules every minute for 30 days would hold), while the raw
// counters are scraped live from a local /metrics. After the TSDB has compacted the backfilled
// blocks, `prometheus_rule_group_last_duration_seconds` is read from /metrics at every
// evaluation of each group; the figures are medians. The old form reads every sample of W per
// series and window, so its cost grows with the history's density; the tiled form reads one
// point per tile, though from denser chunks (BENCH_SLO_HISTORY_STEP_S=15, Prometheus' default
// evaluation interval: 4x the samples, about 75 s more backfill).
//
// Bounded (about 3 minutes), 127.0.0.1 only; Prometheus is stopped by its PID and the temp dir
// removed, also on failure. Run on its own: `node bench/slo-rule-cost.mjs` (after `npm run build`).
// Env: BENCH_SLO_ROUTES (label values per recorded series, default 5),
//      BENCH_SLO_EVALS (evaluations measured per group, default 11),
//      BENCH_SLO_HISTORY_STEP_S (seconds between history samples, default 60).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

const HOST = "127.0.0.1";
const MINUTE = 60;
const DAY = 86_400;
const HISTORY_S = 30 * DAY + 3600;
const EVAL_INTERVAL_S = 5;
const CHUNK_S = 6 * 3600;
const START_TIMEOUT_MS = 60_000;
const COMPACTION_TIMEOUT_MS = 150_000;
const MEASURE_TIMEOUT_MS = 150_000;
const SERVICE = "bench";

export class SloBenchSetupError extends Error {
  constructor(message) {
    super(message);
    this.name = "SloBenchSetupError";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function tool(name) {
  const r = spawnSync(name, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new SloBenchSetupError(`${name} not found on PATH (apt-get install -y prometheus)`);
  return `${r.stdout}${r.stderr}`.split("\n")[0].trim();
}

/** The spec: one counter, two identical SLOs split by route. */
function spec() {
  const sli = { kind: "ratio", by: ["route"], bad: { metric: "bench_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "bench_requests_total" } };
  return {
    prometheus: { scrapeInterval: `${EVAL_INTERVAL_S}s`, evaluationInterval: `${EVAL_INTERVAL_S}s` },
    service: { name: SERVICE, team: "bench", runbookBaseUrl: "https://runbooks.example.com/bench" },
    teams: [{ name: "bench", receivers: [{ name: "slack", kind: "slack", channel: "#bench", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
    alertmanager: { catchAll: { team: "bench", receiver: "slack" } },
    signals: [{ name: "bench_requests_total", type: "counter", help: "requests", labels: ["route", "code"] }],
    slos: ["exact", "old"].map((name) => ({ name, objective: 99.9, window: "30d", sli })),
  };
}

const TILE_RECORD = /^slo:sli_(error|total)_events:rate(?!5m$)/;
const RATIO_RECORD = /^slo:sli_error:ratio_rate(.+)$/;

/**
 * The old form of one SLO's rules (c837517^): no tile recordings, and every ratio over W > 5m
 * read as sum_over_time of the 5m recordings over W.
 */
export function toOldForm(groups, slo) {
  const sel = `{service="${SERVICE}", slo="${slo}"}`;
  return groups.map((g) => {
    if (!g.name.startsWith(`vigil:${SERVICE}:slo:${slo}:`)) return g;
    const rules = g.rules
      .filter((r) => !(r.record && TILE_RECORD.test(r.record)))
      .map((r) => {
        const w = r.record && RATIO_RECORD.exec(r.record)?.[1];
        if (!w || w === "5m") return r;
        return { ...r, expr: `sum_over_time(slo:sli_error_events:rate5m${sel}[${w}])\n/\nsum_over_time(slo:sli_total_events:rate5m${sel}[${w}])` };
      });
    return { ...g, rules };
  });
}

/** Recorded series (name, windows) each form's rules read from the past. */
function historySeries(groups) {
  const names = new Map();
  for (const g of groups) {
    for (const r of g.rules) {
      if (!r.record || !/^slo:sli_(error|total)_events:rate/.test(r.record)) continue;
      const slo = r.labels?.slo;
      if (!names.has(slo)) names.set(slo, new Set());
      names.get(slo).add(r.record);
    }
  }
  return names;
}

/** Deterministic noise in [0, 1). */
function noise(seed) {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/** OpenMetrics text for [from, to), one sample per `step` seconds per series. */
function openMetricsChunk(series, routes, from, to, step) {
  const lines = [];
  for (let t = from; t < to; t += step) {
    const daily = 1 + 0.3 * Math.sin((2 * Math.PI * t) / DAY);
    for (const [slo, records] of series) {
      for (const record of records) {
        for (let r = 0; r < routes; r++) {
          const total = 10 * daily * (1 + 0.2 * noise(t + r));
          const v = record.includes("error") ? total * 0.001 * (1 + noise(t * 7 + r)) : total;
          lines.push(`${record}{route="r${r}",service="${SERVICE}",slo="${slo}"} ${v.toPrecision(5)} ${t}`);
        }
      }
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

async function runLimited(tasks, limit) {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await t();
  }));
}

function run(cmd, args) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err = (err + c).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", rej);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) res();
      else rej(new Error(`${cmd} ${args.join(" ")} exited ${code ?? signal}: ${err}`));
    });
  });
}

/** Live raw counters: per route, 10/s with 0.1% errors. */
function metricsServer(routes) {
  const t0 = Date.now();
  return http.createServer((req, res) => {
    const s = (Date.now() - t0) / 1000;
    let body = "# TYPE bench_requests_total counter\n";
    for (let r = 0; r < routes; r++) {
      body += `bench_requests_total{route="r${r}",code="200"} ${Math.floor(s * 9.99 + 1e6)}\n`;
      body += `bench_requests_total{route="r${r}",code="500"} ${Math.floor(s * 0.01 + 1e3)}\n`;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(body);
  });
}

async function getText(url) {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

/** `name{labels} value` lines of one metric from /metrics text. */
function metricLines(text, name) {
  const out = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (m) out.push({ labels: m[1] ?? "", value: Number(m[2]) });
  }
  return out;
}

async function stopProc(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
  await gone;
  clearTimeout(timer);
}

/** prometheus and promtool on PATH; a {@link SloBenchSetupError} with a hint when not. */
export function sloBenchPreflight() {
  return { prometheus: tool("prometheus"), promtool: tool("promtool") };
}

export async function benchSloRuleCost({ root, routes = Number(process.env.BENCH_SLO_ROUTES ?? 5), evals = Number(process.env.BENCH_SLO_EVALS ?? 11), step = Number(process.env.BENCH_SLO_HISTORY_STEP_S ?? 60) } = {}) {
  const promVersion = sloBenchPreflight().prometheus;
  const { compile } = await import(join(root, "dist/index.js"));
  const tmp = mkdtempSync(join(tmpdir(), "vigil-slo-bench-"));
  let prom;
  let server;
  const started = Date.now();
  try {
    // Rules: compile, then rewrite the "old" SLO.
    const specPath = join(tmp, "monitoring.json");
    writeFileSync(specPath, JSON.stringify(spec(), null, 2));
    const result = await compile([specPath], { typecheck: false });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) throw new Error(`bench spec: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
    const file = result.files.find((f) => f.path === `prometheus/rules/${SERVICE}.rules.yml`);
    const groups = toOldForm(parseYaml(file.content).groups, "old");
    const rulesPath = join(tmp, "rules.yml");
    writeFileSync(rulesPath, stringifyYaml({ groups }, { lineWidth: 0 }));

    // History: 30 days of every recorded series the rules read, in 6h files (promtool re-reads
    // its input once per 2h block, so one 30-day file would be read 360 times).
    const series = historySeries(groups);
    const dataDir = join(tmp, "data");
    mkdirSync(dataDir);
    const end = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE;
    const from = Math.floor((end - HISTORY_S) / CHUNK_S) * CHUNK_S;
    const chunks = [];
    for (let t = from; t < end; t += CHUNK_S) chunks.push([t, Math.min(end, t + CHUNK_S)]);
    let samples = 0;
    for (const recs of series.values()) samples += recs.size * routes * ((end - from) / step);
    await runLimited(
      chunks.map(([a, b], i) => async () => {
        const om = join(tmp, `h${i}.om`);
        writeFileSync(om, openMetricsChunk(series, routes, a, b, step));
        await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", "-q", om, dataDir]);
        rmSync(om);
      }),
      2,
    );
    const backfillS = (Date.now() - started) / 1000;

    // Prometheus: scrapes the live counters, evaluates both forms.
    server = metricsServer(routes);
    const targetPort = await freePort();
    await new Promise((r) => server.listen(targetPort, HOST, r));
    const port = await freePort();
    const configPath = join(tmp, "prometheus.yml");
    writeFileSync(
      configPath,
      stringifyYaml({
        global: { scrape_interval: `${EVAL_INTERVAL_S}s`, evaluation_interval: `${EVAL_INTERVAL_S}s` },
        rule_files: [rulesPath],
        scrape_configs: [{ job_name: SERVICE, static_configs: [{ targets: [`${HOST}:${targetPort}`] }] }],
      }),
    );
    prom = spawn("prometheus", [`--config.file=${configPath}`, `--storage.tsdb.path=${dataDir}`, "--storage.tsdb.retention.time=90d", `--web.listen-address=${HOST}:${port}`, "--log.level=warn"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let promLog = "";
    prom.stderr.on("data", (c) => (promLog = (promLog + c).slice(-6000)));
    const alive = () => {
      if (prom.exitCode !== null || prom.signalCode !== null) throw new Error(`prometheus exited (${prom.exitCode ?? prom.signalCode}):\n${promLog}`);
    };
    const base = `http://${HOST}:${port}`;
    for (let deadline = Date.now() + START_TIMEOUT_MS; ; ) {
      alive();
      if (await getText(`${base}/-/ready`).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${START_TIMEOUT_MS} ms:\n${promLog}`);
      await sleep(250);
    }

    // Wait for the backfilled 2h blocks to be compacted (the TSDB does it a minute after start).
    let maxBlocks = 0;
    let compacted = false;
    let stable = 0;
    let lastBlocks = -1;
    for (let deadline = Date.now() + COMPACTION_TIMEOUT_MS; Date.now() < deadline; ) {
      alive();
      const text = await getText(`${base}/metrics`);
      const blocks = metricLines(text, "prometheus_tsdb_blocks_loaded")[0]?.value ?? 0;
      const compactions = metricLines(text, "prometheus_tsdb_compactions_total")[0]?.value ?? 0;
      maxBlocks = Math.max(maxBlocks, blocks);
      stable = blocks === lastBlocks ? stable + 1 : 0;
      lastBlocks = blocks;
      if (compactions > 0 && blocks < maxBlocks / 2 && stable >= 5) {
        compacted = true;
        break;
      }
      await sleep(1000);
    }

    // Measure: every evaluation of every group, from its last duration and timestamp.
    const seen = new Map();
    for (let deadline = Date.now() + MEASURE_TIMEOUT_MS; Date.now() < deadline; ) {
      alive();
      const text = await getText(`${base}/metrics`);
      const stamps = new Map(metricLines(text, "prometheus_rule_group_last_evaluation_timestamp_seconds").map((l) => [l.labels, l.value]));
      for (const { labels, value } of metricLines(text, "prometheus_rule_group_last_duration_seconds")) {
        const group = /rule_group="[^"]*;([^"]+)"/.exec(labels)?.[1];
        const stamp = stamps.get(labels);
        if (!group || !stamp) continue;
        if (!seen.has(group)) seen.set(group, new Map());
        seen.get(group).set(stamp, value);
      }
      if (seen.size === groups.length && [...seen.values()].every((m) => m.size > evals)) break;
      await sleep(1000);
    }
    const text = await getText(`${base}/metrics`);
    const failures = metricLines(text, "prometheus_rule_evaluation_failures_total").reduce((s, l) => s + l.value, 0);
    // Both forms read their history: the period ratio exists for every route.
    const present = {};
    for (const slo of ["exact", "old"]) {
      const q = encodeURIComponent(`count(slo:sli_error:ratio_rate30d{slo="${slo}"} > 0)`);
      const body = JSON.parse(await getText(`${base}/api/v1/query?query=${q}`));
      present[slo] = Number(body.data?.result?.[0]?.value?.[1] ?? 0);
    }

    // Figures: per group, drop the first measured evaluation (it may straddle compaction).
    const perGroup = new Map();
    for (const [group, byStamp] of seen) {
      const ds = [...byStamp.entries()].sort((a, b) => a[0] - b[0]).slice(1).map(([, d]) => d);
      perGroup.set(group, { median: median(ds), n: ds.length });
    }
    const part = (slo, kind) => perGroup.get(`vigil:${SERVICE}:slo:${slo}:${kind}`) ?? { median: NaN, n: 0 };
    const ms = (s) => `${(s * 1000).toFixed(2)} ms`;
    const rulesOf = (slo) => groups.filter((g) => g.name.startsWith(`vigil:${SERVICE}:slo:${slo}:`)).reduce((n, g) => n + g.rules.length, 0);
    const lines = [
      `SLO rule evaluation in a real Prometheus (${promVersion}): exact tiled windows vs the old sum_over_time(rate5m[W]) form, one 30d SLO split into ${routes} routes each, 30d of history at ${step}s, evaluated every ${EVAL_INTERVAL_S}s; median prometheus_rule_group_last_duration_seconds`,
      `  backfill ${samples.toLocaleString("en")} samples in ${backfillS.toFixed(0)} s; blocks ${maxBlocks} → ${lastBlocks}${compacted ? "" : " (compaction not seen: measured anyway)"}; rule evaluation failures: ${failures}; 30d ratio series: exact ${present.exact}/${routes}, old ${present.old}/${routes}`,
      ["group", "exact (tiled)", "old (sum_over_time)", "old/exact", "evaluations"].join(" | "),
    ];
    let exactTotal = 0;
    let oldTotal = 0;
    for (const kind of ["sli", "meta", "alerts"]) {
      const e = part("exact", kind);
      const o = part("old", kind);
      exactTotal += e.median;
      oldTotal += o.median;
      lines.push([kind, ms(e.median), ms(o.median), `${(o.median / e.median).toFixed(2)}×`, `${e.n} / ${o.n}`].join(" | "));
    }
    lines.push(["all three", ms(exactTotal), ms(oldTotal), `${(oldTotal / exactTotal).toFixed(2)}×`, ""].join(" | "));
    lines.push(`  rules per SLO: exact ${rulesOf("exact")}, old ${rulesOf("old")}; bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    lines.failed = failures > 0 || present.exact !== routes || present.old !== routes || [...perGroup.values()].some((g) => g.n < 3);
    return lines;
  } finally {
    if (prom) await stopProc(prom);
    if (server) await new Promise((r) => server.close(r));
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  try {
    const lines = await benchSloRuleCost({ root });
    for (const line of lines) console.log(line);
    if (lines.failed) process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof SloBenchSetupError)) throw err;
    console.error(`SLO rule cost bench: ${err.message}`);
    process.exitCode = 1;
  }
}
