import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, runCli } from "../../src/probes/runtime/cli.js";
import { runLogLine } from "../../src/probes/runtime/log.js";
import { ProbeMetrics } from "../../src/probes/runtime/metrics.js";
import { parseListen } from "../../src/probes/runtime/probes.js";
import { runProbeOnce } from "../../src/probes/runtime/run.js";
import { check, cliIo, close, config, listen, request, sample } from "./fixtures/probes.js";

let dir = "";
let server: http.Server;
let base = "";
let other: http.Server;
let otherBase = "";
const otherSaw: (string | undefined)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vigil-cli-"));
  other = http.createServer((req, res) => {
    otherSaw.push(req.headers.authorization);
    res.end("ok");
  });
  otherBase = `http://127.0.0.1:${await listen(other)}`;
  server = http.createServer((req, res) => {
    if (req.url === "/away") {
      res.writeHead(302, { location: `${otherBase}/landed` });
      return res.end();
    }
    res.writeHead(req.url === "/down" ? 500 : 200);
    res.end("x");
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await Promise.all([close(server), close(other)]);
  rmSync(dir, { recursive: true, force: true });
});

const io = cliIo;

describe("command line", () => {
  it("parses flags", () => {
    expect(parseArgs([])).toEqual({ config: undefined, listen: { host: "127.0.0.1", port: 9464 }, once: false, check: false, help: false });
    expect(parseArgs(["--config", "p.json", "--listen=0.0.0.0:9000", "--once"])).toEqual({ config: "p.json", listen: { host: "0.0.0.0", port: 9000 }, once: true, check: false, help: false });
    expect(parseArgs(["--check"])).toMatchObject({ check: true, once: false });
    expect(parseListen("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(() => parseArgs(["--listen", "nohost"])).toThrow(/host:port/);
    expect(() => parseArgs(["--listen", "h:99999"])).toThrow();
    expect(() => parseArgs(["--config"])).toThrow(/needs a value/);
    expect(() => parseArgs(["--what"])).toThrow(/unknown argument/);
  });

  it("--once: 0 when all pass, 1 when one fails; the default config sits next to the script", async () => {
    writeFileSync(join(dir, "probes.json"), JSON.stringify(config([check("up", request(`${base}/`))])));
    const ok = io();
    expect(await runCli(["--once"], new URL(`file://${join(dir, "probes.json")}`), ok)).toBe(0);
    expect(JSON.parse(ok.out[0] ?? "{}")).toMatchObject({ check: "up", success: true });

    const path = join(dir, "mixed.json");
    writeFileSync(path, JSON.stringify(config([check("up", request(`${base}/`)), check("down", request(`${base}/down`))])));
    const bad = io();
    expect(await runCli(["--once", "--config", path], "unused.json", bad)).toBe(1);
    expect(bad.out.some((l) => l.includes('"check":"down"') && l.includes('"reason":"assertion"'))).toBe(true);
  });

  it("a bad or missing config: exit 2 with one line naming the path", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ version: 1, maxConcurrency: 2, checks: [], journeys: [{ name: "j" }] }));
    const o = io();
    expect(await runCli(["--once", "--config", path], "x", o)).toBe(2);
    expect(o.err).toBe(`vigil-probes: ${path}: journeys[0].service: expected a string, got nothing\n`);
    const missing = io();
    expect(await runCli(["--config", join(dir, "none.json")], "x", missing)).toBe(2);
    expect(missing.err).toMatch(/cannot read \(ENOENT\)\n$/);
    const notJson = io();
    writeFileSync(path, "{");
    expect(await runCli(["--config", path], "x", notJson)).toBe(2);
    expect(notJson.err).toMatch(/invalid JSON/);
  });
});

describe("logs and metrics", () => {
  it("one JSON line per run with the documented fields", async () => {
    const r = await runProbeOnce(check("down", request(`${base}/down`)));
    const line = JSON.parse(runLogLine(r, new Date("2030-01-01T00:00:00Z"))) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(["time", "level", "check", "service", "success", "durationMs", "status", "reason", "message"]);
    expect(line).toMatchObject({ time: "2030-01-01T00:00:00.000Z", level: "warn", check: "down", success: false, status: 500, reason: "assertion" });
  });

  it("counts skipped runs and resets consecutive failures after a success", async () => {
    const c = check("c", request(`${base}/`));
    const m = new ProbeMetrics(config([c]));
    m.skipped(c);
    m.record(c, { kind: "check", name: "c", success: false, durationMs: 5, status: 500, reason: "assertion", attempts: 1 });
    m.record(c, { kind: "check", name: "c", success: false, durationMs: 5, status: 0, reason: "timeout", attempts: 1 });
    let text = await m.metrics();
    expect(sample(text, "vigil_probe_skipped_total", { check: "c" })).toBe(1);
    expect(sample(text, "vigil_probe_consecutive_failures", { check: "c" })).toBe(2);
    expect(sample(text, "vigil_probe_failures_total", { check: "c", reason: "timeout" })).toBe(1);
    m.record(c, { kind: "check", name: "c", success: true, durationMs: 5, status: 200, attempts: 1, https: false });
    text = await m.metrics();
    expect(sample(text, "vigil_probe_consecutive_failures", { check: "c" })).toBe(0);
    expect(sample(text, "vigil_probe_runs_total", { check: "c", result: "success" })).toBe(1);
    expect(sample(text, "vigil_probe_runs_total", { check: "c", result: "failure" })).toBe(2);
    expect(sample(text, "probe_duration_seconds", { check: "c" })).toBeCloseTo(0.005);
    expect(sample(text, "vigil_probe_last_run_timestamp_seconds", { check: "c" })).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it("a cross-origin redirect does not carry the authorization header along", async () => {
    const r = await runProbeOnce(check("away", request(`${base}/away`, { headers: { authorization: [{ text: "Bearer t0k3n" }] } })));
    expect(r).toMatchObject({ success: true, status: 200 });
    expect(otherSaw).toEqual([undefined]);
  });
});
