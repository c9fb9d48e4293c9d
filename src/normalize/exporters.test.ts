/**
 * Exporter signals: a signal names its `source` (node_exporter, or a declared exporter), the
 * exporter becomes a scrape job, and Vigil selects its series by that job — in SLIs built from
 * selectors, in generated panels and in generated test series. Bad sources, targets and job
 * names are located diagnostics.
 */
import { describe, expect, it } from "vitest";
import { counter, defineMonitoring, exporter, gauge, nodeExporter, type MonitoringSpec } from "../api/index.js";
import { checkModel } from "../check/index.js";
import { emitAll } from "../emit/index.js";
import { normalizeModel, normalizeService } from "./index.js";

const requests = counter("http_requests_total", { labels: ["code"] });
const postgres = exporter("postgres", { targets: ["db-2:9187", "db-1:9187", "db-1:9187"] });
const pgUp = postgres.gauge("pg_up", { help: "1 when the exporter reaches the database" });
const pgDeadlocks = postgres.counter("pg_stat_database_deadlocks", { labels: ["datname"] });
const node = nodeExporter();
const memAvailable = node.gauge("node_memory_MemAvailable_bytes", { unit: "bytes" });

function spec(extra: Partial<MonitoringSpec> = {}): MonitoringSpec {
  return defineMonitoring({
    service: { name: "payments", team: "pay", scrape: { targets: ["api-1:8000", "api-2:8000"] } },
    teams: [{ name: "pay" }],
    signals: [requests, pgUp, pgDeadlocks, memAvailable],
    exporters: [postgres],
    ...extra,
  });
}

/** Diagnostics as `code path: message`, for exact comparison. */
function problems(s: MonitoringSpec): string[] {
  return normalizeService(s, 0).diagnostics.map((d) => `${d.code} ${d.at?.path.join(".")}: ${d.message}`);
}

describe("the authoring API", () => {
  it("keeps signals and exporters plain data: the source by name, as a YAML spec writes it", () => {
    expect(JSON.parse(JSON.stringify(pgUp))).toEqual({ name: "pg_up", type: "gauge", labels: [], help: "1 when the exporter reaches the database", source: "postgres" });
    expect(JSON.parse(JSON.stringify(postgres))).toEqual({ name: "postgres", targets: ["db-2:9187", "db-1:9187", "db-1:9187"] });
    expect(JSON.parse(JSON.stringify(memAvailable))).toMatchObject({ source: "node_exporter" });
    expect(gauge("x", { source: "node_exporter" }).source).toBe("node_exporter");
  });

  it("selects an exporter's signal by its job, unless the selector names one", () => {
    expect(String(pgUp.select())).toBe('pg_up{job="postgres"}');
    expect(String(pgDeadlocks.select({ datname: "orders" }))).toBe('pg_stat_database_deadlocks{job="postgres", datname="orders"}');
    expect(String(pgUp.select({ job: "pg-eu" }))).toBe('pg_up{job="pg-eu"}');
    expect(String(memAvailable.select())).toBe('node_memory_MemAvailable_bytes{job="node"}');
    expect(String(gauge("node_load1", { source: "node_exporter" }).select())).toBe('node_load1{job="node"}');
    expect(String(exporter("kafka", { job: "kafka-exporter", targets: ["k:9308"] }).histogram("kafka_lag_seconds").bucket({ le: "1" }))).toBe('kafka_lag_seconds_bucket{job="kafka-exporter", le="1"}');
    // The service's own signals are unchanged.
    expect(String(requests.select({ code: "500" }))).toBe('http_requests_total{code="500"}');
  });
});

describe("normalize", () => {
  it("gives each exporter signal its job and each exporter its targets, sorted and unique", () => {
    const r = normalizeService(spec(), 0);
    expect(r.diagnostics).toEqual([]);
    const jobs = Object.fromEntries(r.service!.signals.map((s) => [s.name, s.job]));
    expect(jobs).toEqual({ http_requests_total: undefined, pg_up: "postgres", pg_stat_database_deadlocks: "postgres", node_memory_MemAvailable_bytes: "node" });
    expect(r.service!.exporters!.map(({ at: _at, ...e }) => e)).toEqual([
      // node_exporter beside each instance of the service: its hosts on port 9100.
      { name: "node_exporter", job: "node", targets: ["api-1:9100", "api-2:9100"], path: "/metrics", scheme: "http" },
      { name: "postgres", job: "postgres", targets: ["db-1:9187", "db-2:9187"], path: "/metrics", scheme: "http" },
    ]);
  });

  it("adds no exporter nobody declares or uses", () => {
    const r = normalizeService(spec({ signals: [requests], exporters: [] }), 0);
    expect(r.diagnostics).toEqual([]);
    expect(r.service!.exporters).toBeUndefined();
  });

  it("reports an unknown source at the signal's source, with the closest name", () => {
    expect(problems(spec({ signals: [requests, { name: "pg_up", type: "gauge", source: "postgress" }] }))).toEqual([
      'VIG2034 signals.1.source: unknown signal source "postgress"',
    ]);
    const [d] = normalizeService(spec({ signals: [{ name: "pg_up", type: "gauge", source: "postgress" }] }), 0).diagnostics;
    expect(d!.hint).toBe('did you mean "postgres"?');
    const [e] = normalizeService(spec({ signals: [{ name: "redis_up", type: "gauge", source: "redis" }] }), 0).diagnostics;
    expect(e!.hint).toMatch(/declare it in exporters, e\.g\. \{ name: "redis", targets: \["host:port"\] \}/);
  });

  it("reports a job that clashes with the service's, the probe bundle's or another exporter's", () => {
    expect(problems(spec({ exporters: [exporter("postgres", { job: "payments", targets: ["db:9187"] })] }))).toEqual([
      'VIG2034 exporters.0.job: exporter job "payments" is the service\'s own scrape job',
    ]);
    expect(problems(spec({ exporters: [exporter("postgres", { job: "vigil-probes", targets: ["db:9187"] })] }))).toEqual([
      'VIG2034 exporters.0.job: exporter job "vigil-probes" is the probe bundle\'s scrape job',
    ]);
    expect(problems(spec({ exporters: [postgres, exporter("pg-replica", { job: "postgres", targets: ["db-r:9187"] })] }))).toEqual([
      'VIG2034 exporters.1.job: exporters "postgres" and "pg-replica" are both scrape job "postgres"',
    ]);
    expect(problems(spec({ exporters: [postgres, exporter("postgres", { targets: ["db-r:9187"] })] }))).toEqual(['VIG2004 exporters.1.name: exporter "postgres" is declared twice']);
    // An exporter named like the service, job defaulting to its name.
    expect(problems(spec({ exporters: [postgres, { name: "payments", targets: ["x:1"] }] }))).toEqual(['VIG2034 exporters.1.name: exporter job "payments" is the service\'s own scrape job']);
  });

  it("reports missing, empty and malformed targets at the offending value", () => {
    expect(problems(spec({ exporters: [{ name: "postgres" }] }))).toEqual(['VIG2034 exporters.0.name: exporter "postgres" has no targets']);
    expect(problems(spec({ exporters: [{ name: "postgres", targets: [] }] }))).toEqual(['VIG2034 exporters.0.targets: exporter "postgres" has no targets']);
    expect(problems(spec({ exporters: [{ name: "postgres", targets: ["db:9187", "http://db:9187/metrics", "db"] }] }))).toEqual([
      'VIG2034 exporters.0.targets.1: exporter target "http://db:9187/metrics" is not host:port',
      'VIG2034 exporters.0.targets.2: exporter target "db" is not host:port',
    ]);
    expect(problems(spec({ exporters: [{ name: "postgres", targets: ["db:9187"], path: "metrics", interval: "1x" }] }))).toEqual([
      'VIG2034 exporters.0.path: exporter path "metrics" does not start with "/"',
      'VIG2005 exporters.0.interval: invalid duration "1x"',
    ]);
  });

  it("needs targets for node_exporter when the service has none to take hosts from", () => {
    const noScrape = spec({ service: { name: "payments", team: "pay" } });
    expect(problems(noScrape)).toEqual(["VIG2034 signals.3.source: node_exporter has no targets: the service has no scrape targets to take its hosts from"]);
    const declared = normalizeService({ ...noScrape, exporters: [postgres, nodeExporter({ targets: ["host-a:9100"] })] }, 0);
    expect(declared.diagnostics).toEqual([]);
    expect(declared.service!.exporters!.find((e) => e.job === "node")!.targets).toEqual(["host-a:9100"]);
  });

  it("builds SLIs on an exporter's selectors with its job, and refuses a selector on another job", () => {
    const r = normalizeService(spec({ slos: [{ name: "database-up", objective: 99.5, sli: { kind: "boolean", gauge: { metric: "pg_up" } } }] }), 0);
    expect(r.diagnostics).toEqual([]);
    expect(r.service!.slos[0]!.sli.totalQuery).toContain('count_over_time(pg_up{job="postgres"}[');
    expect(problems(spec({ slos: [{ name: "database-up", objective: 99.5, sli: { kind: "boolean", gauge: { metric: "pg_up", matchers: { job: "payments" } } } }] }))).toEqual([
      'VIG2034 slos.0.sli.gauge.matchers.job: "pg_up" comes from exporter job "postgres", so job="payments" selects nothing',
    ]);
  });
});

describe("services compiled together", () => {
  const service = (name: string, host: string, extra: Partial<MonitoringSpec> = {}): MonitoringSpec => ({
    service: { name, team: "pay", scrape: { targets: [`${host}:8000`] } },
    teams: [{ name: "pay" }],
    signals: [{ name: "node_load1", type: "gauge", source: "node_exporter" }],
    ...extra,
  });

  it("share one node job with every host's node_exporter", () => {
    const { model, diagnostics } = normalizeModel([service("api", "host-a"), service("worker", "host-b")]);
    expect(diagnostics).toEqual([]);
    const yml = emitAll(model).files.find((f) => f.path === "prometheus/prometheus.yml")!.content;
    expect(yml).toContain(["  - job_name: node", "    metrics_path: /metrics", "    scheme: http", "    static_configs:", "      - targets:", "          - host-a:9100", "          - host-b:9100"].join("\n"));
    expect(yml.match(/job_name: node$/gm)).toHaveLength(1);
    // Jobs sorted by name.
    expect([...yml.matchAll(/job_name: (\S+)/g)].map((m) => m[1])).toEqual(["api", "node", "worker"]);
  });

  it("report an exporter job that is another service's job, and one job scraped two ways", () => {
    const clash = normalizeModel([service("api", "host-a"), service("node", "host-b", { signals: [] })]);
    expect(clash.diagnostics.map((d) => `${d.code} ${d.at?.spec}:${d.at?.path.join(".")}: ${d.message}`)).toEqual([
      'VIG2034 0:signals.0.source: exporter job "node" is the scrape job of service "node"',
    ]);
    const twoWays = normalizeModel([service("api", "host-a"), service("worker", "host-b", { exporters: [{ name: "node_exporter", path: "/node-metrics" }] })]);
    expect(twoWays.diagnostics.map((d) => `${d.code} ${d.at?.spec}:${d.at?.path.join(".")}: ${d.message}`)).toEqual([
      'VIG2022 1:exporters.0: exporter job "node" is scraped differently by service "api"',
    ]);
  });
});

describe("check and generated output", () => {
  it("reports a PromQL selector on an exporter's signal with another job, at the matcher", () => {
    const { model, diagnostics } = normalizeModel([
      spec({ alerts: [{ name: "DatabaseDown", expr: 'pg_up{job="payments"} == 0', severity: "critical", summary: "s", description: "d" }] }),
    ]);
    expect(diagnostics).toEqual([]);
    const found = checkModel(model);
    expect(found.map((d) => `${d.code} ${d.at?.path.join(".")}@${d.at?.offset}+${d.at?.length}: ${d.message}`)).toEqual([
      'VIG2034 alerts.0.expr@6+14: "pg_up" comes from exporter job "postgres", so job="payments" selects nothing',
    ]);
  });

  it("puts the exporter's job on generated panels and test series", () => {
    const { model, diagnostics } = normalizeModel([
      spec({ alerts: [{ name: "DatabaseDown", expr: "pg_up == 0", severity: "critical", for: "1m", summary: "s", description: "d" }] }),
    ]);
    expect(diagnostics).toEqual([]);
    const files = emitAll(model).files;
    const overview = files.find((f) => f.path.endsWith("-overview.json"))!.content;
    expect(overview).toContain('max(pg_up{job=\\"postgres\\"})');
    expect(overview).toContain('max(node_memory_MemAvailable_bytes{job=\\"node\\"})');
    expect(overview).toContain('sum by (code) (rate(http_requests_total{job=\\"payments\\"}');
    const tests = files.find((f) => f.path === "prometheus/tests/payments.test.yml")!.content;
    expect(tests).toMatch(/series: pg_up\{instance="[^"]+", job="postgres"\}/);
    expect(tests).not.toMatch(/series: pg_up\{[^}]*job="payments"/);
  });
});
