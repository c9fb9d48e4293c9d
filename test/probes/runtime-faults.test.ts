/**
 * Fault tests against real servers on 127.0.0.1: each failure mode becomes a recorded failure
 * with its reason label, and the scheduler keeps going.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeCheck } from "../../src/probes/config.js";
import { ProbeMetrics } from "../../src/probes/runtime/metrics.js";
import { startProbes, type RunningProbes } from "../../src/probes/runtime/probes.js";
import { runProbeOnce } from "../../src/probes/runtime/run.js";
import { check, close, config, freePort, getText, listen, request, sample, selfSignedCert } from "./fixtures/probes.js";

const BIG = 50 * 1024 * 1024;
let httpServer: http.Server;
let resetServer: net.Server;
let tlsServer: https.Server;
let base = "";
let resetPort = 0;
let tlsPort = 0;
let refusedPort = 0;
let weirdServer: net.Server;
let weirdPort = 0;
const seen: Record<string, number> = {};
const big = { started: 0, closedEarly: 0, sentMax: 0 };
const hanging = new Set<http.ServerResponse>();

beforeAll(async () => {
  httpServer = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    seen[path] = (seen[path] ?? 0) + 1;
    switch (path) {
      case "/":
        res.writeHead(200, { "content-type": "application/json", "x-trace": "t-1" });
        res.end('{"ok":true,"items":[1,2,3]}');
        return;
      case "/hang":
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return; // never answers
      case "/notjson":
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>definitely not json</html>");
        return;
      case "/big": {
        big.started++;
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(64 * 1024, 97);
        let sent = 0;
        res.on("close", () => {
          if (!res.writableFinished) big.closedEarly++;
          big.sentMax = Math.max(big.sentMax, sent);
        });
        const pump = (): void => {
          while (sent < BIG && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once("drain", pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      case "/big-declared":
        res.writeHead(200, { "content-length": String(BIG) });
        res.end(); // lies; the client must refuse on the header alone
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" });
        res.end();
        return;
      case "/redirect":
        res.writeHead(301, { location: "/" });
        res.end();
        return;
      case "/fail":
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("boom");
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  base = `http://127.0.0.1:${await listen(httpServer)}`;

  resetServer = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => socket.resetAndDestroy());
  });
  resetPort = await listen(resetServer);

  const { key, cert } = selfSignedCert(5);
  tlsServer = https.createServer({ key, cert }, (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("secure");
  });
  tlsServer.on("tlsClientError", () => {});
  tlsPort = await listen(tlsServer);

  refusedPort = await freePort();

  // Speaks broken HTTP, chosen by the request path.
  weirdServer = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", (d: Buffer) => {
      const path = d.toString("latin1").split(" ")[1] ?? "/";
      if (path === "/garbage") socket.end("this is not http at all\r\n\r\n");
      else if (path === "/truncated") {
        socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789");
        setTimeout(() => socket.destroy(), 20);
      } else if (path === "/drip") {
        socket.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
        const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write("1\r\na\r\n")), 50);
        socket.on("close", () => clearInterval(t));
      } else socket.end("HTTP/1.1 204 No Content\r\n\r\n");
    });
  });
  weirdPort = await listen(weirdServer);
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await Promise.all([close(httpServer), close(resetServer), close(tlsServer), close(weirdServer)]);
});

const tlsUrl = () => `https://localhost:${tlsPort}/`;

describe("each failure mode is a recorded failure with a reason", () => {
  it("healthy target succeeds, with phases and status", async () => {
    const r = await runProbeOnce(check("ok", request(`${base}/`)));
    expect(r).toMatchObject({ success: true, status: 200, https: false });
    expect(r.phases?.processing).toBeGreaterThanOrEqual(0);
  });

  it("hanging server → timeout, bounded by timeoutMs", async () => {
    const t = Date.now();
    const r = await runProbeOnce(check("hang", request(`${base}/hang`, { timeoutMs: 300 })));
    expect(r).toMatchObject({ success: false, reason: "timeout", status: 0 });
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it("connection reset → connection_reset", async () => {
    const r = await runProbeOnce(check("reset", request(`http://127.0.0.1:${resetPort}/`)));
    expect(r).toMatchObject({ success: false, reason: "connection_reset" });
  });

  it("DNS failure → dns", async () => {
    const r = await runProbeOnce(check("dns", request("http://no-such-host.invalid/", { timeoutMs: 5000 })));
    expect(r).toMatchObject({ success: false, reason: "dns" });
  });

  it("connection refused → connection_refused", async () => {
    const r = await runProbeOnce(check("refused", request(`http://127.0.0.1:${refusedPort}/`)));
    expect(r).toMatchObject({ success: false, reason: "connection_refused" });
  });

  it("50 MB body → body_too_large, and the server sees the connection closed early", async () => {
    const before = big.closedEarly;
    const r = await runProbeOnce(check("big", request(`${base}/big`, { timeoutMs: 10_000 })));
    expect(r).toMatchObject({ success: false, reason: "body_too_large", status: 200 });
    const deadline = Date.now() + 5000;
    while (big.closedEarly === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(big.closedEarly).toBe(before + 1);
    expect(big.sentMax).toBeLessThan(BIG);
  });

  it("a declared Content-Length over the limit fails before reading", async () => {
    const r = await runProbeOnce(check("bigdecl", request(`${base}/big-declared`)));
    expect(r).toMatchObject({ success: false, reason: "body_too_large" });
  });

  it("the body limit is the request's maxBodyBytes", async () => {
    const r = await runProbeOnce(check("small", request(`${base}/`, { maxBodyBytes: 5 })));
    expect(r).toMatchObject({ success: false, reason: "body_too_large" });
  });

  it("invalid JSON with a jsonBody assertion → invalid_json", async () => {
    const c = check("json", request(`${base}/notjson`), {
      assertions: [{ subject: { kind: "jsonBody", path: ["ok"] }, comparator: "equals", expected: true, label: "checks[0].assertions[0]" }],
    });
    const r = await runProbeOnce(c);
    expect(r).toMatchObject({ success: false, reason: "invalid_json", status: 200 });
    expect(r.message).toContain("checks[0].assertions[0]");
  });

  it("assertion failure says which assertion, expected vs actual", async () => {
    const r = await runProbeOnce(check("fail", request(`${base}/fail`), { assertions: [{ subject: { kind: "status" }, comparator: "equals", expected: 200, label: "checks[3].assertions[0]" }] }));
    expect(r).toMatchObject({ success: false, reason: "assertion", status: 500, message: "checks[3].assertions[0]: expected status equals 200, got 500" });
  });

  it("self-signed certificate → tls", async () => {
    const r = await runProbeOnce(check("tls", request(tlsUrl())));
    expect(r).toMatchObject({ success: false, reason: "tls", https: true });
  });

  it("plain HTTP spoken to a TLS port and TLS to an HTTP port fail cleanly", async () => {
    const a = await runProbeOnce(check("tls2", request(`https://127.0.0.1:${base.split(":")[2]}/`)));
    expect(a).toMatchObject({ success: false, reason: "tls" });
    const b = await runProbeOnce(check("tls3", request(`http://127.0.0.1:${tlsPort}/`, { timeoutMs: 1000 })));
    expect(b.success).toBe(false);
  });

  it("insecureSkipVerify succeeds and measures the expiry (~5 days ahead)", async () => {
    const c = check("tls-ok", request(tlsUrl(), { tls: { insecureSkipVerify: true } }));
    const r = await runProbeOnce(c);
    expect(r).toMatchObject({ success: true, status: 200, https: true });
    const days = ((r.certExpiry ?? 0) - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(4);
    expect(days).toBeLessThan(6);
    const m = new ProbeMetrics(config([c]));
    m.record(c, r);
    const text = await m.metrics();
    const expiry = sample(text, "probe_ssl_earliest_cert_expiry", { check: "tls-ok" }) ?? 0;
    expect(Math.abs(expiry - (r.certExpiry ?? 0))).toBeLessThan(1);
    expect(sample(text, "probe_http_duration_seconds", { check: "tls-ok", phase: "tls" })).toBeGreaterThan(0);
  });

  it("minValidityDays 30 → cert_expiring", async () => {
    const r = await runProbeOnce(check("tls-exp", request(tlsUrl(), { tls: { insecureSkipVerify: true, minValidityDays: 30 } })));
    expect(r).toMatchObject({ success: false, reason: "cert_expiring", status: 200 });
  });

  it("redirects: followed, or too_many_redirects past 10 hops", async () => {
    expect(await runProbeOnce(check("redir", request(`${base}/redirect`)))).toMatchObject({ success: true, status: 200 });
    const noFollow = await runProbeOnce(check("redir-nf", request(`${base}/redirect`, { followRedirects: false }), { assertions: [] }));
    expect(noFollow).toMatchObject({ success: true, status: 301 });
    const before = seen["/loop"] ?? 0;
    expect(await runProbeOnce(check("loop", request(`${base}/loop`)))).toMatchObject({ success: false, reason: "too_many_redirects" });
    expect((seen["/loop"] ?? 0) - before).toBe(11);
  });

  it("broken HTTP → http_error; a body cut short → connection_reset; a dripping body → timeout", async () => {
    const url = (p: string) => `http://127.0.0.1:${weirdPort}${p}`;
    expect(await runProbeOnce(check("garbage", request(url("/garbage"))))).toMatchObject({ success: false, reason: "http_error" });
    expect(await runProbeOnce(check("truncated", request(url("/truncated"))))).toMatchObject({ success: false, reason: "connection_reset", status: 200 });
    expect(await runProbeOnce(check("drip", request(url("/drip"), { timeoutMs: 300 })))).toMatchObject({ success: false, reason: "timeout", status: 200 });
  });

  it("retries with backoff, the run counting once", async () => {
    const c = check("retry", request(`http://127.0.0.1:${refusedPort}/`), { retries: 2, backoffMs: 20 });
    const t = Date.now();
    const r = await runProbeOnce(c);
    expect(r).toMatchObject({ success: false, reason: "connection_refused", attempts: 3 });
    expect(Date.now() - t).toBeGreaterThanOrEqual(55); // 20 + 40 ms of backoff
    const m = new ProbeMetrics(config([c]));
    m.record(c, r);
    const text = await m.metrics();
    expect(sample(text, "vigil_probe_runs_total", { check: "retry", result: "failure" })).toBe(1);
    expect(sample(text, "vigil_probe_failures_total", { check: "retry", reason: "connection_refused" })).toBe(1);
  });

  it("missing env var → missing_env, and no request is sent", async () => {
    const before = seen["/"] ?? 0;
    const c = check("env", request(`${base}/`, { headers: { authorization: [{ text: "Bearer " }, { env: "VIGIL_TEST_UNSET_SECRET" }] } }), { retries: 3 });
    const r = await runProbeOnce(c, { env: {} });
    expect(r).toMatchObject({ success: false, reason: "missing_env", status: 0, attempts: 1 });
    expect(seen["/"] ?? 0).toBe(before);
  });

  it("secrets from the environment never reach the message", async () => {
    const secret = "super-secret-value-123";
    const c = check("secret", request(`http://127.0.0.1:${refusedPort}/`, { url: [{ text: `http://127.0.0.1:${refusedPort}/?key=` }, { env: "K" }] }));
    const r = await runProbeOnce(c, { env: { K: secret } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r)).not.toContain(secret);
  });
});

describe("the scheduler keeps going through every failure mode", () => {
  let running: RunningProbes | undefined;
  const lines: string[] = [];
  afterAll(async () => {
    await running?.stop();
  });

  it("serves /metrics with a reason label per failing check, /healthz, and 404", async () => {
    const every = { intervalSeconds: 0.4, jitter: 0.1 };
    const checks: ProbeCheck[] = [
      check("ok", request(`${base}/`), every),
      check("hang", request(`${base}/hang`, { timeoutMs: 300 }), every),
      check("reset", request(`http://127.0.0.1:${resetPort}/`), every),
      check("dns", request("http://no-such-host.invalid/", { timeoutMs: 5000 }), every),
      check("refused", request(`http://127.0.0.1:${refusedPort}/`), every),
      check("big", request(`${base}/big`, { timeoutMs: 10_000 }), every),
      check("json", request(`${base}/notjson`), { ...every, assertions: [{ subject: { kind: "jsonBody", path: ["ok"] }, comparator: "exists", label: "a" }] }),
      check("tls", request(tlsUrl()), every),
      check("expiring", request(tlsUrl(), { tls: { insecureSkipVerify: true, minValidityDays: 30 } }), every),
    ];
    const expected: Record<string, string> = {
      hang: "timeout",
      reset: "connection_reset",
      dns: "dns",
      refused: "connection_refused",
      big: "body_too_large",
      json: "invalid_json",
      tls: "tls",
      expiring: "cert_expiring",
    };
    running = await startProbes(config(checks, [], 4), { listen: { host: "127.0.0.1", port: 0 }, log: (l) => lines.push(l) });
    const url = `http://127.0.0.1:${running.port}`;

    // Counters exist at 0 from the start.
    const first = await getText(`${url}/metrics`);
    expect(first.status).toBe(200);
    expect(sample(first.body, "vigil_probe_runs_total", { check: "hang", result: "success", service: "svc", team: "team-a" })).toBe(0);
    expect(sample(first.body, "vigil_probe_skipped_total", { check: "hang" })).toBe(0);

    // Wait until every check ran at least twice: the loop survived each failure.
    let text = "";
    const deadline = Date.now() + 20_000;
    for (;;) {
      text = (await getText(`${url}/metrics`)).body;
      const runs = checks.map(
        (c) => (sample(text, "vigil_probe_runs_total", { check: c.name, result: "success" }) ?? 0) + (sample(text, "vigil_probe_runs_total", { check: c.name, result: "failure" }) ?? 0),
      );
      if (runs.every((n) => n >= 2) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sample(text, "probe_success", { check: "ok" })).toBe(1);
    expect(sample(text, "probe_http_status_code", { check: "ok" })).toBe(200);
    expect(sample(text, "vigil_probe_consecutive_failures", { check: "ok" })).toBe(0);
    for (const [name, reason] of Object.entries(expected)) {
      expect(sample(text, "probe_success", { check: name }), name).toBe(0);
      expect(sample(text, "vigil_probe_failures_total", { check: name, reason }), `${name} ${reason}`).toBeGreaterThanOrEqual(2);
      expect(sample(text, "vigil_probe_consecutive_failures", { check: name }), name).toBeGreaterThanOrEqual(2);
      // exactly one failure reason per failed run
      const failures = text.split("\n").filter((l) => l.startsWith("vigil_probe_failures_total{") && l.includes(`check="${name}"`));
      expect(failures.length, name).toBe(1);
    }
    expect(sample(text, "probe_ssl_earliest_cert_expiry", { check: "expiring" })).toBeGreaterThan(Date.now() / 1000);
    expect(sample(text, "probe_ssl_earliest_cert_expiry", { check: "ok" })).toBeUndefined();

    expect(await getText(`${url}/healthz`)).toEqual({ status: 200, body: "ok" });
    expect((await getText(`${url}/nope`)).status).toBe(404);

    // One JSON log line per run, with the reason.
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const hang = parsed.find((l) => l.check === "hang");
    expect(hang).toMatchObject({ level: "warn", success: false, reason: "timeout" });
    expect(typeof hang?.time).toBe("string");
    expect(parsed.find((l) => l.check === "ok")).toMatchObject({ level: "info", success: true, status: 200 });

    const t = Date.now();
    await running.stop();
    running = undefined;
    expect(Date.now() - t).toBeLessThan(6000);
  });
});
