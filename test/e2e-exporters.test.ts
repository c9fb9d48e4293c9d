/**
 * End to end, with a real Prometheus: the halcytone seed's node_exporter signals are scraped.
 * Its compiled prometheus.yml runs with every target pointed at one local HTTP server — the
 * service's job at the app's metrics, the `node` job at node_exporter metrics — and the
 * compiled rules. The test proves the exporter's job is scraped under its own job label, and
 * that what Vigil generated over it reads the exporter's series: the HighMemoryUsage alert's
 * expression (and the alert itself goes pending at both severities), the overview dashboard's
 * panel, and the infrastructure dashboard's memory gauge through its `host` variable.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { compile } from "../src/compile.js";
import { emitGrafana } from "../src/grafana/index.js";
import { overviewUid } from "../src/model/dashboard-uids.js";
import { PROMETHEUS_CONFIG_PATH, renderPrometheusConfig } from "../src/prometheus/config.js";
import { renderRulesFile, rulesFilePath, serviceRuleGroups } from "../src/prometheus/rules.js";
import { REPO } from "./helpers.js";
import { freePort, getJson, HOST, Lab, ready, until } from "./servers.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

/** What node_exporter would expose: 97% of memory in use, so HighMemoryUsage holds at critical (95%) and warning (80%). */
const NODE_METRICS = [
  "# TYPE node_memory_MemAvailable_bytes gauge",
  "node_memory_MemAvailable_bytes 3e+08",
  "# TYPE node_memory_MemTotal_bytes gauge",
  "node_memory_MemTotal_bytes 1e+10",
  "# TYPE node_filesystem_avail_bytes gauge",
  'node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 5e+10',
  "# TYPE node_filesystem_size_bytes gauge",
  'node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1e+11',
  "# TYPE node_cpu_seconds_total counter",
  'node_cpu_seconds_total{cpu="0",mode="idle"} 1000',
  'node_cpu_seconds_total{cpu="0",mode="user"} 200',
  "",
].join("\n");
/** The application's own metrics: none of node_exporter's. */
const APP_METRICS = ["# TYPE http_requests_total counter", 'http_requests_total{method="GET",endpoint="/api",status="200"} 10', ""].join("\n");

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Job {
  job_name: string;
  metrics_path?: string;
  static_configs: { targets: string[] }[];
}

async function query(base: string, expr: string): Promise<Sample[]> {
  const body = (await getJson(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)) as { data: { result: Sample[] } };
  return body.data.result;
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
  /** A collapsed row holds its panels. */
  panels?: Panel[];
}
const panels = (dashboard: { panels: Panel[] }) => dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const panelExpr = (dashboard: { panels: Panel[] }, title: string): string => {
  const p = panels(dashboard).find((x) => x.title === title);
  if (!p?.targets?.[0]) throw new Error(`no panel "${title}"`);
  return p.targets[0].expr;
};

test("the seed's node_exporter job is scraped, and the generated alert and panels read its series", { timeout: 90_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-exporters-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // The spec through load, normalize and check; then the emitters this test reads (the promtool
  // test generator is not needed here, and is the slow part of a compile).
  const result = await compile([join(REPO, "examples/halcytone/monitoring.ts")], { typecheck: false, lint: false, emit: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const model = result.model!;
  const files = [
    { path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(model) },
    ...model.services.map((s) => ({ path: rulesFilePath(s), content: renderRulesFile(s, serviceRuleGroups(s)) })),
    ...emitGrafana(model).files,
  ];
  const out = join(work, "out");
  for (const f of files) {
    mkdirSync(dirname(join(out, f.path)), { recursive: true });
    writeFileSync(join(out, f.path), f.content);
  }

  // 1. The exporter's scrape job is in the generated config, beside the service's.
  const configPath = join(out, "prometheus/prometheus.yml");
  const config = parse(readFileSync(configPath, "utf8")) as { global: Record<string, string>; alerting?: unknown; scrape_configs: Job[] };
  const jobs = config.scrape_configs.map((j) => j.job_name);
  expect(jobs).toContain("node");
  expect(config.scrape_configs.find((j) => j.job_name === "node")!.static_configs[0]!.targets).toEqual(["halcytone-content-generator:9100"]);

  // 2. One local server stands in for both targets; the generated jobs, paths and rules stay as they are.
  const server: Server = createServer((req, res) => {
    const body = req.url === "/metrics" ? NODE_METRICS : req.url === "/app-metrics" ? APP_METRICS : undefined;
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(body);
  });
  const port = await lab.listen(server);
  const target = `${HOST}:${port}`;
  config.global = { ...config.global, scrape_interval: "1s", evaluation_interval: "1s" };
  delete config.alerting; // no Alertmanager here: the alert's state is read from Prometheus
  config.scrape_configs = config.scrape_configs
    // The service and node_exporter: the example's other exporters (cAdvisor, postgres) are not served here.
    .filter((j) => j.job_name === "node" || j.job_name === "halcytone-content-generator")
    .map((j) => (j.job_name === "node" ? { ...j, static_configs: [{ targets: [target] }] } : { ...j, metrics_path: "/app-metrics", static_configs: [{ targets: [target] }] }));
  writeFileSync(configPath, stringify(config));
  expect(readdirSync(join(out, "prometheus/rules"))).toEqual(["halcytone-content-generator.rules.yml"]);

  // 3. A real Prometheus on 127.0.0.1.
  const promPort = await freePort();
  const prom = lab.start("prometheus", "prometheus", [`--config.file=${configPath}`, `--storage.tsdb.path=${join(work, "prom-data")}`, `--web.listen-address=${HOST}:${promPort}`]);
  const base = `http://${HOST}:${promPort}`;
  await until("Prometheus to be ready", [prom], () => ready(base));
  await until("both jobs to be scraped", [prom], async () => (await query(base, "up == 1")).length === 2);
  const up = await query(base, "up");
  expect(up.map((s) => s.metric.job).sort()).toEqual(["halcytone-content-generator", "node"]);

  // 4. The generated alert's expression reads the exporter's series, under its job.
  const rules = parse(readFileSync(join(out, "prometheus/rules/halcytone-content-generator.rules.yml"), "utf8")) as { groups: { rules: { alert?: string; expr: string; labels?: Record<string, string> }[] }[] };
  const memory = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert === "HighMemoryUsage");
  expect(memory.map((r) => r.labels?.severity).sort()).toEqual(["critical", "warning"]);
  for (const rule of memory) {
    expect(rule.expr).toContain('job="node"');
    const samples = await query(base, rule.expr);
    expect(samples.map((s) => s.metric.instance), rule.expr).toEqual([target]);
    expect(samples.map((s) => s.metric.job), rule.expr).toEqual(["node"]);
    expect(Number(samples[0]!.value[1])).toBeCloseTo(0.97, 6);
  }
  // Prometheus evaluates the rule over them: both severities pending (their `for` is 5m).
  await until("HighMemoryUsage to be pending at both severities", [prom], async () => (await query(base, 'ALERTS{alertname="HighMemoryUsage", alertstate="pending"}')).length === 2);

  // 5. The overview dashboard's panel of a node_exporter gauge selects the node job, and reads it.
  const dashboards = join(out, "grafana/dashboards");
  const read = (name: string) => JSON.parse(readFileSync(join(dashboards, readdirSync(dashboards).find((f) => f === name)!), "utf8")) as { panels: Panel[]; templating: { list: { name: string; query: string | { query: string } }[] } };
  const overview = read(`${overviewUid(model.services[0]!.name)}.json`);
  const available = panelExpr(overview, "node_memory_MemAvailable_bytes");
  expect(available).toBe('max(node_memory_MemAvailable_bytes{job="node"})');
  expect((await query(base, available)).map((s) => Number(s.value[1]))).toEqual([3e8]);
  // ...and the app's own counter panel still selects the service's job.
  const appPanel = panelExpr(overview, "http_requests_total per second");
  expect(appPanel).toContain('job="halcytone-content-generator"');

  // 6. The infrastructure dashboard: its `host` variable lists node_exporter's instances, and the memory gauge reads them.
  const infrastructure = read(`${model.services[0]!.dashboards.find((d) => d.name === "infrastructure")!.uid}.json`);
  const hostVariable = infrastructure.templating.list.find((v) => v.name === "host")!;
  const variableQuery = typeof hostVariable.query === "string" ? hostVariable.query : hostVariable.query.query;
  const m = /^label_values\((.+), instance\)$/.exec(variableQuery);
  expect(m, variableQuery).not.toBeNull();
  const values = (await getJson(`${base}/api/v1/series?match[]=${encodeURIComponent(m![1]!)}`)) as { data: Record<string, string>[] };
  const hosts = [...new Set(values.data.map((s) => s.instance!))];
  expect(hosts).toEqual([target]);
  // Grafana writes a multi-value variable inside =~ as a regex alternation.
  const gauge = panelExpr(infrastructure, "Memory").replaceAll("$host", `(${hosts.map((h) => h.replace(/[.]/g, "\\\\.")).join("|")})`);
  const used = await query(base, gauge);
  expect(used).toHaveLength(1);
  expect(Number(used[0]!.value[1])).toBeCloseTo(0.97, 6);

  await lab.cleanup();
});
