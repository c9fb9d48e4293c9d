/**
 * The bundled runtime (built from source here, exactly as `npm run build` builds it) against
 * configs and targets that used to break it: two services with a check of the same name (the
 * bundle refused the merged probes.json, so nothing ran), a catastrophic-backtracking regexp on
 * a small body (the event loop wedged: no scrape answered, no timeout fired), a JSON body of
 * deeply nested arrays (gigabytes of heap), and a CR/LF in a header value (passed `--check`,
 * failed every run).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeModel } from "../../src/normalize/index.js";
import { emitProbes, PROBES_CONFIG_PATH } from "../../src/probes/emit.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { check, close, config, getText, listen, request, sample } from "./fixtures/probes.js";

const root = resolve(import.meta.dirname, "../..");
let work = "";
let bundle = "";
let server: http.Server;
let base = "";
const hits: Record<string, number> = {};
const children = new Set<ChildProcess>();

/** 40 × "a" then "b": `^(a+)+$` backtracks 2^40 times on it in a backtracking engine. */
const EVIL_BODY = `${"a".repeat(40)}b`;

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, args, { cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      children.delete(child);
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
    children.add(child);
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vigil-hostile-"));
  bundle = join(work, "vigil-probes.mjs");
  execFileSync(process.execPath, ["scripts/build-probes.mjs", "--outfile", bundle], { cwd: root, stdio: "pipe", timeout: 60_000 });
  server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === "/evil") return res.writeHead(200, { "content-type": "text/plain" }).end(EVIL_BODY);
    if (path === "/hang") return; // never answers: the check's timeout must fire
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await close(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

function deployDir(probesJson: string): string {
  const dir = mkdtempSync(join(work, "deploy-"));
  copyFileSync(bundle, join(dir, "vigil-probes.mjs"));
  writeFileSync(join(dir, "probes.json"), probesJson);
  return dir;
}

/** Starts the bundle listening on a free port; resolves its port once it logs it. */
async function serve(dir: string): Promise<{ port: number; child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [join(dir, "vigil-probes.mjs"), "--listen", "127.0.0.1:0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => (out += d));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const m = /"port":(\d+)/.exec(out);
    if (m) return { port: Number(m[1]), child, out: () => out };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the bundle did not start: ${out}`);
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.delete(child);
}

describe("two services with a check of the same name", () => {
  const spec = (name: string, path: string): MonitoringSpec => ({
    service: { name, team: "team-a" },
    teams: [{ name: "team-a", receivers: [{ name: "slack", kind: "slack", channel: "#a", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
    checks: [{ name: "api", interval: "1s", jitter: 0, request: { url: `${base}${path}`, timeout: "500ms" }, alert: { failingRuns: 2 } }],
  });

  it("compile to a probes.json the bundle accepts (--check) and runs for both services (--once)", async () => {
    const { model, diagnostics } = normalizeModel([spec("billing", "/billing"), spec("search", "/search")]);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const probesJson = emitProbes(model, () => "").files.find((f) => f.path === PROBES_CONFIG_PATH)!.content;
    const dir = deployDir(probesJson);

    const checked = await run([join(dir, "vigil-probes.mjs"), "--check"], dir);
    expect(checked.stderr).toContain("ok, 2 checks and 0 journeys");
    expect(checked.code).toBe(0);

    const once = await run([join(dir, "vigil-probes.mjs"), "--once"], dir);
    expect(once.stderr).toBe("");
    expect(once.code).toBe(0);
    const lines = once.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const runs = lines.filter((l) => l.check === "api").map((l) => [l.service, l.success]);
    expect(runs).toEqual([
      ["billing", true],
      ["search", true],
    ]);
    expect(hits["/billing"]).toBeGreaterThanOrEqual(1);
    expect(hits["/search"]).toBeGreaterThanOrEqual(1);
  });

  it("alert on their own service's series only", () => {
    const { model } = normalizeModel([spec("billing", "/billing"), spec("search", "/search")]);
    for (const s of model.services) {
      const failing = s.alerts.find((a) => a.name === "ApiCheckFailing")!;
      expect(failing.source.text).toBe(`vigil_probe_consecutive_failures{check="api", service="${s.name}"}`);
    }
  });
});

describe("a catastrophic-backtracking regexp on a small body", () => {
  it("does not wedge the bundle: scrapes are answered and timeouts fire as configured", async () => {
    const evil = { subject: { kind: "textBody" as const }, comparator: "matches" as const, expected: "^(a+)+$", label: "evil" };
    const cfg = config([
      // Matching the 41-byte body: a backtracking engine takes 2^40 steps; RE2 one pass.
      check("evil", request(`${base}/evil`, { timeoutMs: 500 }), { intervalSeconds: 1, assertions: [evil] }),
      // The same regexp on a target that never answers: the 300 ms timeout must still fire.
      check("evil-hang", request(`${base}/hang`, { timeoutMs: 300 }), { intervalSeconds: 1, assertions: [evil] }),
    ]);
    const dir = deployDir(JSON.stringify(cfg));
    expect((await run([join(dir, "vigil-probes.mjs"), "--check"], dir)).code).toBe(0);
    const { port, child } = await serve(dir);
    try {
      const deadline = Date.now() + 8000;
      let text = "";
      let scrapes = 0;
      while (Date.now() < deadline) {
        const t = Date.now();
        text = (await getText(`http://127.0.0.1:${port}/metrics`)).body;
        expect(Date.now() - t).toBeLessThan(1000);
        scrapes++;
        const evilFailed = sample(text, "vigil_probe_failures_total", { check: "evil", reason: "assertion" }) ?? 0;
        const hangTimedOut = sample(text, "vigil_probe_failures_total", { check: "evil-hang", reason: "timeout" }) ?? 0;
        if (evilFailed >= 2 && hangTimedOut >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(scrapes).toBeGreaterThan(3);
      // The body does not match (it ends in "b"): an assertion failure, found fast.
      expect(sample(text, "vigil_probe_failures_total", { check: "evil", reason: "assertion" })).toBeGreaterThanOrEqual(2);
      expect(sample(text, "probe_duration_seconds", { check: "evil" })).toBeLessThan(0.5);
      expect(sample(text, "vigil_probe_failures_total", { check: "evil-hang", reason: "timeout" })).toBeGreaterThanOrEqual(2);
      const hang = sample(text, "probe_duration_seconds", { check: "evil-hang" })!;
      expect(hang).toBeGreaterThanOrEqual(0.29);
      expect(hang).toBeLessThan(0.8);
    } finally {
      stop(child);
    }
  });

  it("the same pattern on a body that matches, timed in-process: linear, not exponential", async () => {
    const { regexpTest } = await import("../../src/probes/regexp.js");
    const t = performance.now();
    expect(regexpTest("^(a+)+$", EVIL_BODY)).toBe(false);
    expect(regexpTest("^(a+)+$", "a".repeat(100_000))).toBe(true);
    expect(regexpTest("^(a|aa)+$", `${"a".repeat(100_000)}b`)).toBe(false);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe("a 10 MiB body of nested arrays (inside the default body limit)", () => {
  /** `--once` with a hook that prints the process's peak RSS (KiB) on exit. */
  const PEAK = "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";

  it("is not parsed: the run fails with body_too_large and the bundle's peak RSS stays small", async () => {
    const n = 5 * 1024 * 1024 - 8;
    const nested = Buffer.from("[".repeat(n) + "]".repeat(n));
    const target = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(nested));
    const url = `http://127.0.0.1:${await listen(target)}/`;
    try {
      const cfg = config([check("nested", request(url, { timeoutMs: 20_000 }), { assertions: [{ subject: { kind: "jsonBody", path: ["x"] }, comparator: "exists", label: "x" }] })]);
      const dir = deployDir(JSON.stringify(cfg));
      const r = await run(["--import", PEAK, join(dir, "vigil-probes.mjs"), "--once"], dir);
      expect(r.code).toBe(1);
      const line = JSON.parse(r.stdout.trim().split("\n")[0]!) as Record<string, unknown>;
      expect(line).toMatchObject({ check: "nested", success: false, reason: "body_too_large" });
      expect(String(line.message)).toContain("nests deeper than 256 levels");
      const peakKiB = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]);
      // Parsed, this body took ~600 MB peak RSS (1.17 GB reported in a long-running bundle).
      expect(peakKiB).toBeGreaterThan(0);
      expect(peakKiB).toBeLessThan(200 * 1024);
    } finally {
      await close(target);
    }
  });
});

describe("a CR/LF in a header value", () => {
  it("fails --check (exit 2, the header's path), instead of failing every run", async () => {
    const cfg = config([check("crlf", request(`${base}/`, { headers: { "x-note": [{ text: "one\r\nx-injected: 1" }] } }))]);
    const dir = deployDir(JSON.stringify(cfg));
    const r = await run([join(dir, "vigil-probes.mjs"), "--check"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("checks[0].request.headers.x-note: expected a header value of one line");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
