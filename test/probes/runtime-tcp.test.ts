/**
 * TCP connect checks (`checks[].tcp`), compiled from a spec and run by the packaged runtime
 * (dist/probes/vigil-probes.mjs) against real listeners on 127.0.0.1: one that accepts, a port
 * that refuses, a listener whose accept queue is full (the SYN is never answered: a timeout),
 * a TLS server (verified and not), and a server that accepts and never answers the TLS
 * handshake. Each run's reason, the metrics a scraping Prometheus would read, and the alerts
 * compiled for them.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { writeOutput } from "../../src/write/writer.js";
import { REPO } from "../helpers.js";
import { close, freePort, getText, listen, sample, selfSignedCert } from "./fixtures/probes.js";

const PACKAGED = join(REPO, "dist/probes/vigil-probes.mjs");
const children = new Set<ChildProcess>();
const servers: net.Server[] = [];
let work = "";
let out = "";
let certExpiry = 0;
let rules = "";
const ports = { open: 0, refused: 0, full: 0, tls: 0, silent: 0 };

/** A listener that never accepts, with an accept queue of one that a first connection fills: later SYNs go unanswered. */
function fullBacklog(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", "import socket,sys,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)"], { stdio: ["ignore", "pipe", "inherit"] });
    children.add(child);
    child.once("error", reject);
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (d: string) => {
      const port = Number(d.trim());
      const filler = net.connect(port, "127.0.0.1");
      filler.once("connect", () => resolve(port));
      filler.once("error", reject);
    });
  });
}

function node(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, args, { cwd: work, timeout: 30_000 }, (err, stdout, stderr) => {
      children.delete(child);
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
    children.add(child);
  });
}

const tcp = (name: string, port: number, extra: Record<string, unknown> = {}) => ({ name, interval: "2s", jitter: 0, tcp: { host: "127.0.0.1", port, timeout: "500ms", ...extra } });

beforeAll(async () => {
  expect(existsSync(PACKAGED), "run npm run build").toBe(true);
  work = mkdtempSync(join(tmpdir(), "vigil-tcp-"));
  const open = net.createServer((s) => s.end());
  const { key, cert } = selfSignedCert(30);
  certExpiry = Math.floor(Date.parse(new X509Certificate(cert).validTo) / 1000);
  const secure = tls.createServer({ key, cert }, (s) => s.end());
  // Accepts, reads the ClientHello, never answers it.
  const silent = net.createServer((s) => s.on("data", () => {}));
  servers.push(open, secure, silent);
  ports.open = await listen(open);
  ports.tls = await listen(secure);
  ports.silent = await listen(silent);
  ports.refused = await freePort();
  ports.full = await fullBacklog();

  const spec: MonitoringSpec = {
    service: { name: "deps", team: "db" },
    teams: [{ name: "db", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/db" }] }],
    checks: [
      { ...tcp("db-open", ports.open), assertions: [{ source: "responseTime", comparison: "lessThan", target: 5000 }] },
      tcp("db-refused", ports.refused),
      tcp("db-full", ports.full),
      tcp("api-tls", ports.tls, { tls: { serverName: "localhost", insecureSkipVerify: true } }),
      tcp("api-tls-verified", ports.tls, { tls: { serverName: "localhost" } }),
      tcp("api-tls-silent", ports.silent, { tls: {} }),
      tcp("api-tls-expiring", ports.tls, { tls: { serverName: "localhost", insecureSkipVerify: true, minValidityDays: 60 } }),
    ],
  };
  const file = join(work, "spec.json");
  writeFileSync(file, JSON.stringify(spec));
  const r = await compile([file], { typecheck: false });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  out = join(work, "out");
  expect(writeOutput(out, r.files)).toEqual([]);
  rules = r.files.find((f) => f.path === "prometheus/rules/deps.rules.yml")!.content;
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const s of servers) await close(s);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("TCP checks through the packaged runtime", () => {
  it("--check accepts the compiled probes.json", async () => {
    const r = await node([PACKAGED, "--config", join(out, "probes/probes.json"), "--check"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("ok, 7 checks and 0 journeys");
  });

  it("--once: open and TLS ports pass; refused, a full accept queue, a bad certificate, a silent handshake and a short-lived certificate fail with their reason", async () => {
    const t = Date.now();
    const r = await node([PACKAGED, "--config", join(out, "probes/probes.json"), "--once"]);
    const wall = Date.now() - t;
    if (process.env.VIGIL_TCP_LOG) console.log(r.stdout, wall);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { check?: string; success?: boolean; reason?: string; durationMs?: number; status?: number });
    const byName = Object.fromEntries(lines.filter((l) => l.check).map((l) => [l.check!, l]));
    expect(byName["db-open"]).toMatchObject({ success: true });
    expect(byName["db-open"]!.status).toBeUndefined();
    expect(byName["api-tls"]).toMatchObject({ success: true });
    expect(byName["db-refused"]).toMatchObject({ success: false, reason: "connection_refused" });
    expect(byName["db-full"]).toMatchObject({ success: false, reason: "timeout" });
    expect(byName["api-tls-verified"]).toMatchObject({ success: false, reason: "tls" });
    expect(byName["api-tls-silent"]).toMatchObject({ success: false, reason: "timeout" });
    expect(byName["api-tls-expiring"]).toMatchObject({ success: false, reason: "cert_expiring" });
    // The deadline holds: 500 ms, not the kernel's SYN retries (about 2 minutes).
    for (const name of ["db-full", "api-tls-silent"]) {
      expect(byName[name]!.durationMs).toBeGreaterThanOrEqual(490);
      expect(byName[name]!.durationMs).toBeLessThan(1500);
    }
    expect(wall).toBeLessThan(10_000);
  });

  it("serves what Prometheus scrapes: probe_success, failures by reason, the certificate's expiry; no HTTP status or phases", async () => {
    const child = spawn(process.execPath, [PACKAGED, "--config", join(out, "probes/probes.json"), "--listen", "127.0.0.1:0"], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    try {
      let log = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (d: string) => (log += d));
      const deadline = Date.now() + 15_000;
      let port = 0;
      while (!port && Date.now() < deadline) {
        const m = /"port":(\d+)/.exec(log);
        if (m) port = Number(m[1]);
        else await new Promise((r) => setTimeout(r, 25));
      }
      let text = "";
      while (Date.now() < deadline) {
        text = (await getText(`http://127.0.0.1:${port}/metrics`)).body;
        if (sample(text, "probe_success", { check: "api-tls-silent" }) !== undefined && sample(text, "probe_success", { check: "db-full" }) !== undefined && sample(text, "probe_success", { check: "db-open" }) !== undefined) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const labels = (check: string) => ({ check, service: "deps", team: "db" });
      expect(sample(text, "probe_success", labels("db-open"))).toBe(1);
      expect(sample(text, "probe_success", labels("api-tls"))).toBe(1);
      expect(sample(text, "probe_success", labels("db-refused"))).toBe(0);
      expect(sample(text, "vigil_probe_failures_total", { ...labels("db-refused"), reason: "connection_refused" })).toBeGreaterThanOrEqual(1);
      expect(sample(text, "vigil_probe_failures_total", { ...labels("db-full"), reason: "timeout" })).toBeGreaterThanOrEqual(1);
      expect(sample(text, "vigil_probe_failures_total", { ...labels("api-tls-verified"), reason: "tls" })).toBeGreaterThanOrEqual(1);
      expect(sample(text, "vigil_probe_consecutive_failures", labels("db-refused"))).toBeGreaterThanOrEqual(1);
      expect(sample(text, "probe_ssl_earliest_cert_expiry", labels("api-tls"))).toBe(certExpiry);
      expect(sample(text, "probe_ssl_earliest_cert_expiry", labels("db-open"))).toBeUndefined();
      expect(sample(text, "probe_duration_seconds", labels("db-open"))).toBeLessThan(1);
      expect(sample(text, "probe_http_status_code", labels("db-open"))).toBeUndefined();
      expect(sample(text, "probe_http_duration_seconds", labels("db-open"))).toBeUndefined();
    } finally {
      child.kill("SIGTERM");
      children.delete(child);
    }
  }, 30_000);

  it("gets the alerts an HTTP check gets: failing N runs in a row, and with TLS the certificate expiring", () => {
    expect(rules).toContain("alert: DbOpenCheckFailing");
    expect(rules).toContain('vigil_probe_consecutive_failures{check="db-refused", service="deps"} >= 2');
    expect(rules).toContain("alert: ApiTlsCertificateExpiring");
    expect(rules).not.toContain("alert: DbOpenCertificateExpiring");
  });
});
