#!/usr/bin/env node
// The probe bundle (dist/probes/vigil-probes.mjs) next to Debian's prometheus-blackbox-exporter,
// measured in the same run against the same local target: HTTP probes per second per CPU-second
// of each prober (utime + stime from /proc, only over the probing window), their ratio, and the
// bundle's resident memory with 1,000 configured checks.
//
// The two are not driven the same way, and cannot be: the exporter probes on request, so this
// process asks it for N probes at a fixed concurrency as fast as it answers; the bundle runs on its
// own schedule (C checks every second), so it is left to run for about N probes. Per CPU-second,
// both figures say what one probe costs the prober, whatever the rate.
//
// Everything listens on 127.0.0.1; every child is stopped (SIGTERM, then SIGKILL) and the temp dir
// removed, also when the bench fails. Run on its own: `node bench/probes.mjs` (after `npm run build`).
// Env: BENCH_PROBES (default 3000), BENCH_PROBE_REPEATS (default 3), BLACKBOX_EXPORTER (binary).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const HOST = "127.0.0.1";
const DEFAULT_EXPORTER = "/usr/bin/prometheus-blackbox-exporter";
/** Requests in flight from this process to the exporter. */
const EXPORTER_CONCURRENCY = 32;
/** Seconds one measured window of the bundle should last (C = N / this checks, every second). */
const BUNDLE_WINDOW_SECONDS = 8;
/** Bundle bursts before the first window: JIT warm-up, first connections. */
const BUNDLE_WARMUP_BURSTS = 3;
/** Where in each 1 s period the bundle's windows start and end: after the burst, before the next. */
const BUNDLE_QUIET_OFFSET_MS = 800;
const MEMORY_CHECKS = 1000;
const MEMORY_WAIT_MS = 12_000;
const MEMORY_GOAL_MB = 100;
/** Bound on every wait for a server to come up. */
const START_TIMEOUT_MS = 20_000;
/** Bound on one exporter probing phase. */
const DRIVE_TIMEOUT_MS = 120_000;

/** An error whose message alone is the whole story (a missing tool or build): no stack needed. */
export class BenchSetupError extends Error {
  constructor(message) {
    super(message);
    this.name = "BenchSetupError";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const sleepUntil = (t) => sleep(t - performance.now());

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let clockTicks;
/** Seconds of CPU (user + system) the process used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the `(comm)`: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** VmRSS and VmHWM (peak) in MB (10^6 bytes). */
function memoryMB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: (kib("VmRSS") * 1024) / 1e6, peak: (kib("VmHWM") * 1024) / 1e6 };
}

/** A free port on 127.0.0.1 (bound and released; nothing else here competes for ports). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** GET on 127.0.0.1 → { status, body }; rejects on error or after `timeoutMs`. */
function get(port, path, { agent = false, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** Children started by this bench, stopped in reverse order; SIGKILLed on an abrupt exit too. */
class Procs {
  list = [];

  start(name, bin, args) {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let exit;
    // Drained all the time (a full pipe would stall the child); only the tail is kept.
    const keep = (chunk) => (tail = (tail + chunk.toString("utf8")).slice(-3000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const exited = new Promise((resolve) => {
      child.on("error", (err) => {
        exit = `could not start: ${err.message}`;
        resolve();
      });
      child.on("exit", (code, signal) => {
        exit = `exited with ${code ?? signal}`;
        resolve();
      });
    });
    const p = { name, child, pid: child.pid, tail: () => tail.trim(), exit: () => exit, exited, firstLine: undefined };
    p.firstLine = new Promise((resolve) => {
      let buf = "";
      const onData = (chunk) => {
        buf += chunk.toString("utf8");
        const i = buf.indexOf("\n");
        if (i >= 0) {
          child.stdout.off("data", onData);
          resolve(buf.slice(0, i));
        }
      };
      child.stdout.on("data", onData);
      exited.then(() => resolve(undefined));
    });
    this.list.push(p);
    return p;
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  async stop(p) {
    this.list = this.list.filter((x) => x !== p);
    if (p.exit() !== undefined) return;
    p.child.kill("SIGTERM");
    const timer = setTimeout(() => p.child.kill("SIGKILL"), 5_000);
    await p.exited;
    clearTimeout(timer);
  }

  async stopAll() {
    for (const p of [...this.list].reverse()) await this.stop(p);
  }

  killAllNow() {
    for (const p of this.list) if (p.exit() === undefined) p.child.kill("SIGKILL");
    this.list = [];
  }
}

/** Polls `path` until it answers 200; fails at once (with the child's output) when the child dies. */
async function waitReady(p, port, path) {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (p.exit() !== undefined) throw new Error(`${p.name} ${p.exit()}: ${p.tail() || "(no output)"}`);
    try {
      const r = await get(port, path, { timeoutMs: 1000 });
      if (r.status === 200) return performance.now();
    } catch {
      // not up yet
    }
    if (performance.now() > deadline) throw new Error(`${p.name} did not answer ${path} within ${START_TIMEOUT_MS / 1000} s: ${p.tail() || "(no output)"}`);
    await sleep(20);
  }
}

const TARGET_SCRIPT = `
const http = require("node:http");
const body = JSON.stringify({ status: "healthy" });
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => process.exit(0));
`;

function findExporter() {
  const candidates = [process.env.BLACKBOX_EXPORTER, DEFAULT_EXPORTER].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  const which = spawnSync("sh", ["-c", "command -v prometheus-blackbox-exporter || command -v blackbox_exporter"], { encoding: "utf8" });
  const found = which.stdout.trim().split("\n")[0];
  if (which.status === 0 && found) return found;
  throw new BenchSetupError(`prometheus-blackbox-exporter not found (${candidates.join(", ")}): apt-get install -y prometheus-blackbox-exporter`);
}

function exporterVersion(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return /version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? "unknown";
}

/** A probes.json (src/probes/config.ts) with `count` identical checks of `GET url`, status 200. */
function probesConfig(count, url, { intervalSeconds, jitter }) {
  const checks = Array.from({ length: count }, (_, i) => ({
    name: `bench-${String(i).padStart(4, "0")}`,
    service: "bench",
    team: "bench",
    severity: "warning",
    intervalSeconds,
    jitter,
    request: {
      method: "GET",
      url: [{ text: url }],
      headers: {},
      timeoutMs: 5000,
      followRedirects: false,
      maxBodyBytes: 10 * 1024 * 1024,
      tls: { insecureSkipVerify: false },
    },
    assertions: [{ subject: { kind: "status" }, comparator: "equals", expected: 200, label: `checks[${i}].assertions[0]` }],
    retries: 0,
    backoffMs: 0,
  }));
  return { version: 1, maxConcurrency: 64, checks, journeys: [] };
}

/** Sums of `vigil_probe_runs_total` (all, failures) and `vigil_probe_skipped_total` from a scrape. */
async function scrapeRuns(port) {
  const r = await get(port, "/metrics");
  if (r.status !== 200) throw new Error(`vigil-probes /metrics answered ${r.status}`);
  let runs = 0;
  let failures = 0;
  let skipped = 0;
  for (const line of r.body.split("\n")) {
    const m = /^(vigil_probe_runs_total|vigil_probe_skipped_total)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const v = Number(m[3]);
    if (m[1] === "vigil_probe_skipped_total") skipped += v;
    else {
      runs += v;
      if (/(^|,)result="failure"/.test(m[2])) failures += v;
    }
  }
  return { runs, failures, skipped };
}

/** Asks the exporter for `n` probes, `EXPORTER_CONCURRENCY` at a time; counts `probe_success 1`. */
async function driveExporter(port, target, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: EXPORTER_CONCURRENCY });
  const path = `/probe?module=http_2xx&target=${encodeURIComponent(target)}`;
  const deadline = performance.now() + DRIVE_TIMEOUT_MS;
  let next = 0;
  let ok = 0;
  let failures = 0;
  let firstFailure;
  const worker = async () => {
    while (next < n && performance.now() < deadline) {
      next++;
      try {
        const r = await get(port, path, { agent });
        if (r.status === 200 && /^probe_success 1$/m.test(r.body)) ok++;
        else {
          failures++;
          firstFailure ??= `HTTP ${r.status}: ${r.body.split("\n").filter((l) => /^probe_(success|http_status_code|failed)/.test(l)).join("; ") || r.body.slice(0, 200)}`;
        }
      } catch (err) {
        failures++;
        firstFailure ??= err.message;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: EXPORTER_CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
  if (ok + failures < n) {
    failures += n - ok - failures;
    firstFailure ??= `only ${ok} probes answered within ${DRIVE_TIMEOUT_MS / 1000} s`;
  }
  return { probes: n, ok, failures, firstFailure };
}

/** The bundle and the exporter binary; a {@link BenchSetupError} with a one-line hint when one is missing. */
export function probesBenchPreflight({ root }) {
  const bundle = join(root, "dist", "probes", "vigil-probes.mjs");
  if (!existsSync(bundle)) throw new BenchSetupError(`${bundle} is missing: run \`npm run build\` first`);
  return { bundle, exporterBin: findExporter() };
}

/**
 * Runs the probes bench; returns printable lines. `lines.figures` holds the numbers,
 * `lines.failed` is true when any probe failed (the numbers then mean little).
 */
export async function benchProbes({ root, probes = Number(process.env.BENCH_PROBES ?? 3000), repeats = Number(process.env.BENCH_PROBE_REPEATS ?? 3) } = {}) {
  const { bundle, exporterBin } = probesBenchPreflight({ root });
  if (!(Number.isInteger(probes) && probes > 0)) throw new BenchSetupError(`BENCH_PROBES must be a positive integer, got ${process.env.BENCH_PROBES}`);
  if (!(Number.isInteger(repeats) && repeats > 0)) throw new BenchSetupError(`BENCH_PROBE_REPEATS must be a positive integer, got ${process.env.BENCH_PROBE_REPEATS}`);

  const benchStart = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), "vigil-bench-probes-"));
  const procs = new Procs();
  // An interrupted bench still leaves nothing running and no temp dir behind.
  const onExit = () => {
    procs.killAllNow();
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    onExit();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const problems = [];
  const figures = { probes, repeats };
  try {
    // The target: its own process, so neither prober pays for answering.
    const target = procs.start("target", process.execPath, ["-e", TARGET_SCRIPT]);
    const targetPort = Number(await target.firstLine);
    if (!targetPort) throw new Error(`target server did not start: ${target.tail() || target.exit()}`);
    const targetUrl = `http://${HOST}:${targetPort}/health`;
    await waitReady(target, targetPort, "/health");

    // Peer: blackbox exporter, probing on request, driven at full speed.
    const exporterYml = join(tmp, "blackbox.yml");
    writeFileSync(
      exporterYml,
      ["modules:", "  http_2xx:", "    prober: http", "    timeout: 5s", "    http:", "      valid_status_codes: [200]", "      preferred_ip_protocol: ip4", ""].join("\n"),
    );
    const exporterPort = await freePort();
    const exporter = procs.start("blackbox exporter", exporterBin, [`--config.file=${exporterYml}`, `--web.listen-address=${HOST}:${exporterPort}`]);
    await waitReady(exporter, exporterPort, "/-/healthy");
    figures.exporterVersion = exporterVersion(exporterBin);
    const warm = await driveExporter(exporterPort, targetUrl, Math.min(200, probes));
    if (warm.failures) problems.push(`blackbox exporter warm-up: ${warm.failures} of ${warm.probes} probes failed (first: ${warm.firstFailure})`);
    const exporterRuns = [];
    for (let i = 0; i < repeats; i++) {
      const cpu0 = cpuSeconds(exporter.pid);
      const t0 = performance.now();
      const r = await driveExporter(exporterPort, targetUrl, probes);
      const wall = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(exporter.pid) - cpu0;
      if (r.failures) problems.push(`blackbox exporter run ${i + 1}: ${r.failures} of ${r.probes} probes failed (first: ${r.firstFailure})`);
      exporterRuns.push({ probes: r.probes, failures: r.failures, wall, cpu, perCpu: r.probes / cpu });
    }
    figures.exporterMemory = memoryMB(exporter.pid);
    await procs.stop(exporter);

    // Ours: the bundle on its own schedule, C checks every second, sampled between bursts.
    const checks = Math.ceil(probes / BUNDLE_WINDOW_SECONDS);
    const windowSeconds = Math.ceil(probes / checks);
    figures.checks = checks;
    const cpuConfig = join(tmp, "probes-cpu.json");
    writeFileSync(cpuConfig, JSON.stringify(probesConfig(checks, targetUrl, { intervalSeconds: 1, jitter: 0 })));
    const bundlePort = await freePort();
    const vigil = procs.start("vigil-probes", process.execPath, [bundle, "--config", cpuConfig, "--listen", `${HOST}:${bundlePort}`]);
    // The scheduler starts right after the server listens, so its first burst is at most this late.
    const started = await waitReady(vigil, bundlePort, "/healthz");
    const boundary = (k) => started + k * 1000 + BUNDLE_QUIET_OFFSET_MS;
    // At each boundary: scrape, then read the CPU time, so each window pays for one scrape.
    const sample = async () => {
      const m = await scrapeRuns(bundlePort);
      return { ...m, cpu: cpuSeconds(vigil.pid), t: performance.now() };
    };
    let k = BUNDLE_WARMUP_BURSTS - 1;
    await sleepUntil(boundary(k));
    let prev = await sample();
    const vigilRuns = [];
    for (let i = 0; i < repeats; i++) {
      k += windowSeconds;
      await sleepUntil(boundary(k));
      let cur = await sample();
      // Behind its schedule (CPU-bound)? Give it, bounded, the time to finish about N probes.
      const deadline = boundary(k + 2 * windowSeconds);
      while (cur.runs - prev.runs < 0.95 * probes && performance.now() < deadline) {
        k += 1;
        await sleepUntil(boundary(k));
        cur = await sample();
      }
      if (vigil.exit() !== undefined) throw new Error(`vigil-probes ${vigil.exit()}: ${vigil.tail()}`);
      const runs = cur.runs - prev.runs;
      const failures = cur.failures - prev.failures;
      const skipped = cur.skipped - prev.skipped;
      const cpu = cur.cpu - prev.cpu;
      const wall = (cur.t - prev.t) / 1000;
      if (failures) problems.push(`vigil-probes window ${i + 1}: ${failures} of ${runs} runs failed (result="failure")`);
      if (runs < 0.95 * probes) problems.push(`vigil-probes window ${i + 1}: only ${runs} of ~${probes} runs in ${wall.toFixed(1)} s`);
      vigilRuns.push({ probes: runs, failures, skipped, wall, cpu, perCpu: runs / cpu });
      prev = cur;
    }
    const totalVigilFailures = (await scrapeRuns(bundlePort)).failures;
    if (totalVigilFailures && !vigilRuns.some((r) => r.failures)) problems.push(`vigil-probes: ${totalVigilFailures} runs failed outside the measured windows`);
    await procs.stop(vigil);

    // Memory: 1,000 checks every 10 s; after 12 s every check ran at least once.
    const memConfig = join(tmp, "probes-1000.json");
    writeFileSync(memConfig, JSON.stringify(probesConfig(MEMORY_CHECKS, targetUrl, { intervalSeconds: 10, jitter: 0.1 })));
    const memPort = await freePort();
    const mem = procs.start("vigil-probes (1,000 checks)", process.execPath, [bundle, "--config", memConfig, "--listen", `${HOST}:${memPort}`]);
    const memStarted = await waitReady(mem, memPort, "/healthz");
    await sleepUntil(memStarted + MEMORY_WAIT_MS);
    if (mem.exit() !== undefined) throw new Error(`vigil-probes (1,000 checks) ${mem.exit()}: ${mem.tail()}`);
    figures.vigilMemory = memoryMB(mem.pid); // before the scrape below, which allocates
    const memRuns = await scrapeRuns(memPort);
    figures.memoryRuns = memRuns;
    if (memRuns.failures) problems.push(`vigil-probes (1,000 checks): ${memRuns.failures} of ${memRuns.runs} runs failed`);
    if (memRuns.runs < MEMORY_CHECKS) problems.push(`vigil-probes (1,000 checks): only ${memRuns.runs} runs in ${MEMORY_WAIT_MS / 1000} s, expected ≥ ${MEMORY_CHECKS}`);
    await procs.stop(mem);
    await procs.stopAll();

    figures.exporter = exporterRuns;
    figures.vigil = vigilRuns;
    figures.ratios = vigilRuns.map((v, i) => v.perCpu / exporterRuns[i].perCpu);
    figures.ratio = median(figures.ratios);
    figures.wallSeconds = (performance.now() - benchStart) / 1000;
  } finally {
    await procs.stopAll();
    rmSync(tmp, { recursive: true, force: true });
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const { exporter, vigil } = figures;
  const mid = (runs, key) => median(runs.map((r) => r[key]));
  const sum = (runs, key) => runs.reduce((a, r) => a + r[key], 0);
  const mb = (x) => `${x.toFixed(1)} MB`;
  const lines = [];
  lines.push(
    `HTTP probes of one local target: vigil-probes bundle vs prometheus-blackbox-exporter ${figures.exporterVersion} (peer), ~${probes} probes each, median of ${repeats} (node ${process.version})`,
  );
  lines.push(
    `  the exporter is driven at full speed (${EXPORTER_CONCURRENCY} /probe requests in flight); the bundle runs on its own schedule (${figures.checks} checks every 1 s, jitter 0); CPU = utime + stime of the prober over the probing window only`,
  );
  lines.push(["prober", "probes", "failures", "wall", "CPU", "probes/s", "probes/s per CPU-s", "RSS after"].join(" | "));
  lines.push(
    [
      "blackbox_exporter (peer)",
      String(mid(exporter, "probes")),
      String(sum(exporter, "failures")),
      `${mid(exporter, "wall").toFixed(2)} s`,
      `${mid(exporter, "cpu").toFixed(2)} s`,
      (mid(exporter, "probes") / mid(exporter, "wall")).toFixed(0),
      mid(exporter, "perCpu").toFixed(0),
      mb(figures.exporterMemory.rss),
    ].join(" | "),
  );
  lines.push(
    [
      "vigil-probes",
      String(mid(vigil, "probes")),
      String(sum(vigil, "failures")),
      `${mid(vigil, "wall").toFixed(2)} s`,
      `${mid(vigil, "cpu").toFixed(2)} s`,
      (mid(vigil, "probes") / mid(vigil, "wall")).toFixed(0),
      mid(vigil, "perCpu").toFixed(0),
      "(below)",
    ].join(" | "),
  );
  lines.push(
    `vigil/blackbox probes per CPU-second: ${figures.ratio.toFixed(2)}× (goal ≥ 1.0; per run ${figures.ratios.map((r) => `${r.toFixed(2)}×`).join(", ")})${figures.ratio >= 1 ? "" : "  BELOW GOAL"}`,
  );
  const vm = figures.vigilMemory;
  lines.push(
    `vigil-probes resident memory with ${MEMORY_CHECKS.toLocaleString("en")} checks (every 10 s, after ${MEMORY_WAIT_MS / 1000} s, ${figures.memoryRuns.runs} runs): ${mb(vm.rss)} (peak ${mb(vm.peak)}; goal ≤ ${MEMORY_GOAL_MB} MB)${vm.rss <= MEMORY_GOAL_MB ? "" : "  ABOVE GOAL"}; blackbox_exporter after its runs: ${mb(figures.exporterMemory.rss)}`,
  );
  const skipped = sum(vigil, "skipped");
  if (skipped) lines.push(`note: vigil-probes skipped ${skipped} runs (a check was still running when due)`);
  lines.push(`probes bench wall time: ${figures.wallSeconds.toFixed(1)} s`);
  if (problems.length) {
    lines.push("!!! PROBES BENCH FAILED: probes failed, the figures above are not comparable:");
    for (const p of problems) lines.push(`!!!   ${p}`);
  }
  lines.figures = figures;
  lines.failed = problems.length > 0;
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const lines = await benchProbes({ root: fileURLToPath(new URL("..", import.meta.url)) });
    for (const line of lines) console.log(line);
    if (lines.failed) process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof BenchSetupError)) throw err;
    console.error(`probes bench: ${err.message}`);
    process.exitCode = 1;
  }
}
