/**
 * Metrics from logs, watched in their real consumer: the generated mtail program runs in a
 * real `mtail` on 127.0.0.1 (a free port, bounded waits, stopped by its process) over a log
 * file of JSON lines written the way the seed's Python logger writes them (json.dumps with its
 * default `", "`/`": "` separators or compact ones, fields in any order, non-ASCII as `\uXXXX`),
 * and its /metrics must hold exactly the counts each metric promises; lines that must not count
 * (other categories, levels, values inside a message, an IPv6 or no address, lines that are not
 * JSON) do not. Every program also passes `mtail --compile_only`.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { OutputFile } from "../src/emit/types.js";
import { REPO, runTool } from "./helpers.js";
import { freePort, HOST, Lab, until } from "./servers.js";

const FIXTURE = join(REPO, "test/fixtures/log-metrics/monitoring.ts");

/** The seed's logger: json.dumps(record) (", " and ": "), or compact (",", ":"); keys in the order given. */
function jsonLine(fields: Record<string, unknown>, compact: boolean): string {
  const sep = compact ? [",", ":"] : [", ", ": "];
  const text = `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}${sep[1]}${JSON.stringify(v)}`)
    .join(sep[0])}}`;
  // ensure_ascii, Python's default.
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Every line with the labels of each metric it must count in, or none. */
interface Line {
  fields: Record<string, unknown> | string;
  counts: Record<string, Record<string, string>[]>;
}

const LINES: Line[] = [
  { fields: { timestamp: "2026-01-15T10:30:00Z", level: "ERROR", logger: "shop.api", ip_address: "10.1.2.3", message: "boom" }, counts: { log_errors_total: [{ client_network: "10.1.2.0/24" }] } },
  { fields: { ip_address: "10.1.2.99", message: "Zeitüberschreitung", logger: "shop.api", level: "CRITICAL" }, counts: { log_errors_total: [{ client_network: "10.1.2.0/24" }] } },
  { fields: { level: "ERROR", ip_address: "192.168.1.100", logger: "shop.jobs" }, counts: { log_errors_total: [{ client_network: "192.168.1.0/24" }] } },
  // A security event at ERROR is the security category's (first match wins), not the error one's.
  {
    fields: { logger: "shop.auth.login", level: "ERROR", ip_address: "10.1.2.3", event_type: "authentication_failure", method: "password", success: false },
    counts: { log_auth_failures_total: [{ method: "password", success: "false" }] },
  },
  { fields: { level: "WARNING", event_type: "authentication_failure", logger: "shop.auth", success: false, method: "token" }, counts: { log_auth_failures_total: [{ method: "token", success: "false" }] } },
  // Not a failure event, and a failure logged by another logger: neither counts as one.
  { fields: { logger: "shop.auth", level: "WARNING", event_type: "token_refreshed", method: "token", success: true }, counts: {} },
  { fields: { logger: "shop.api", level: "ERROR", event_type: "authentication_failure", method: "token", success: false, ip_address: "10.7.7.7" }, counts: { log_errors_total: [{ client_network: "10.7.7.0/24" }] } },
  // `/` as `\/` (some encoders) is the same logger.
  { fields: '{"logger":"shop\\/security","level":"ERROR","ip_address":"10.9.9.9"}', counts: {} },
  { fields: { logger: "shop/security", level: "ERROR", ip_address: "10.9.9.9" }, counts: {} },
  // What looks like a field inside a value is no field.
  { fields: { level: "INFO", message: '"level": "ERROR", "ip_address": "10.1.2.3"', ip_address: "10.1.2.3" }, counts: { log_application_lines_total: [{}] } },
  // Errors without an IPv4 address count nowhere per network.
  { fields: { level: "ERROR", ip_address: "2001:db8::1" }, counts: {} },
  { fields: { level: "ERROR", message: "no client" }, counts: {} },
  { fields: { duration_ms: 12.5, status: 200, level: "INFO" }, counts: { log_timed_operations_total: [{ status: "200" }] } },
  { fields: { status: 503, duration_ms: 1200 }, counts: { log_timed_operations_total: [{ status: "503" }] } },
  // null is no value: not a timed operation, an application line.
  { fields: { duration_ms: null, status: 500 }, counts: { log_application_lines_total: [{}] } },
  { fields: { level: "INFO", logger: "shop.api", message: "ok" }, counts: { log_application_lines_total: [{}] } },
  // Not JSON (the dissect fallback's format): counts nowhere, not even as a line.
  { fields: '2026-01-15 10:30:00,123 ERROR [shop.api] worker {"level":"ERROR", "ip_address":"1.2.3.4"} died', counts: {} },
];

const expected = (): Map<string, number> => {
  const out = new Map<string, number>();
  const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
  for (const l of LINES) {
    for (const [metric, series] of Object.entries(l.counts)) for (const labels of series) add(seriesKey(metric, labels));
    if (typeof l.fields !== "string" || l.fields.startsWith("{")) add(seriesKey("log_lines_total", {}));
  }
  return out;
};

const seriesKey = (metric: string, labels: Record<string, string>): string =>
  `${metric}{${Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;

/** The fixture's metrics in Prometheus' text format, without mtail's `prog` label. */
function readMetrics(text: string, names: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || !names.has(m[1]!)) continue;
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]).filter(([k]) => k !== "prog"));
    out.set(seriesKey(m[1]!, labels), Number(m[3]));
  }
  return out;
}

let files: OutputFile[] = [];
const work = mkdtempSync(join(tmpdir(), "vigil-mtail-"));
const lab = new Lab();

beforeAll(async () => {
  const result = await compile([FIXTURE]);
  expect(result.diagnostics.filter((d) => d.severity === "error" || d.code === "VIG4001").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  files = result.files;
});
afterAll(async () => {
  await lab.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe("the generated mtail program", () => {
  test("mtail --compile_only accepts it", () => {
    const progs = join(work, "compile");
    mkdirSync(progs);
    const program = files.find((f) => f.path === "mtail/shop.mtail")!;
    writeFileSync(join(progs, "shop.mtail"), program.content);
    const r = runTool("mtail", ["--compile_only", "--logtostderr", "--progs", progs]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toMatch(/compile failed/);
  });

  test("prometheus.yml scrapes mtail beside each scraped host, and the metrics are counter signals on its job", () => {
    const config = files.find((f) => f.path === "prometheus/prometheus.yml")!.content;
    expect(config).toContain("job_name: mtail");
    expect(config).toMatch(/- shop-1:3903\n\s+- shop-2:3903/);
    const rules = files.find((f) => f.path === "prometheus/rules/shop.rules.yml")!.content;
    expect(rules).toContain('log_errors_total{job="mtail"}[5m]');
  });

  test("a real mtail counts exactly the lines each metric promises", { timeout: 90_000 }, async () => {
    const progs = join(work, "progs");
    mkdirSync(progs);
    writeFileSync(join(progs, "shop.mtail"), files.find((f) => f.path === "mtail/shop.mtail")!.content);
    const log = join(work, "shop.log");
    writeFileSync(log, "");
    const port = await freePort();
    const mtail = lab.start("mtail", "mtail", ["--progs", progs, "--logs", log, "--address", HOST, "--port", String(port), "--logtostderr", "--poll_interval", "100ms"]);
    const url = `http://${HOST}:${port}/metrics`;
    await until("mtail to serve /metrics", [mtail], async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok);
    // Lines are appended after mtail opened the file (it reads what is written from then on).
    await new Promise((r) => setTimeout(r, 500));
    LINES.forEach((l, i) => appendFileSync(log, (typeof l.fields === "string" ? l.fields : jsonLine(l.fields, i % 2 === 0)) + "\n"));
    const want = expected();
    const names = new Set([...want.keys()].map((k) => k.slice(0, k.indexOf("{"))));
    names.add("log_auth_failures_total").add("log_application_lines_total").add("log_timed_operations_total").add("log_errors_total");
    let got = new Map<string, number>();
    const total = want.get(seriesKey("log_lines_total", {}))!;
    await until(`mtail to count ${total} JSON lines`, [mtail], async () => {
      got = readMetrics(await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text(), names);
      return got.get(seriesKey("log_lines_total", {})) === total;
    });
    // Past the last line, nothing else may still arrive.
    await new Promise((r) => setTimeout(r, 500));
    got = readMetrics(await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).text(), names);
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...want].sort()));
  });
});
