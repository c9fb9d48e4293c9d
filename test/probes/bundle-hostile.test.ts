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
    const probesJson = emitProbes(model, "").files.find((f) => f.path === PROBES_CONFIG_PATH)!.content;
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
