/**
 * End to end at scale: one outage, two evaluators, one Alertmanager. A local target serves
 * request counters; when it starts failing, the generated rules fire through
 *   - vmagent (reading the generated prometheus.yml) → single-node VictoriaMetrics → vmalert
 *     (the generated rule files as they are), and
 *   - Prometheus (the generated prometheus.yml and rule files),
 * both notifying the same real Alertmanager with the generated alertmanager.yml, which delivers
 * to the team's webhook on 127.0.0.1. The test proves both alerts reach the team's receiver and
 * no other, and that they become active within one evaluation interval of each other.
 * vmalert marks its alerts with `-external.label=evaluator=vmalert` so Alertmanager keeps the two
 * apart (identical labels would be one alert to it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { freePort, getJson, HOST, Lab, ready, startAlertmanager, startPrometheus, until } from "./servers.js";

const EVALUATION_S = 2;
const lab = new Lab();
afterAll(() => lab.cleanup());

interface Delivery {
  path: string;
  at: number;
  alerts: { status: string; labels: Record<string, string>; startsAt: string }[];
}

const healthy = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;

test("the same outage fires the same alert through vmalert on VictoriaMetrics as through Prometheus, to the same receiver", { timeout: 90_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-vm-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // 1. The target (request counters; 20 errors/s once failing) and the webhook receivers, on one server.
  let failingSince: number | undefined;
  let requests = 0;
  const deliveries: Delivery[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && req.url === "/metrics") {
      requests++;
      const now = Date.now();
      const errors = failingSince === undefined ? 0 : Math.floor(((now - failingSince) / 1000) * 20);
      const ok = Math.floor(((now - t0) / 1000) * 50);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`# TYPE e2e_requests_total counter\ne2e_requests_total{code="200"} ${ok}\ne2e_requests_total{code="500"} ${errors}\n`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { alerts?: Delivery["alerts"] };
      deliveries.push({ path: req.url ?? "", at: Date.now(), alerts: body.alerts ?? [] });
      res.writeHead(200).end("ok");
    });
  });
  const port = await lab.listen(server);
  const hook = `http://${HOST}:${port}`;
  const [amPort, promPort, vmPort, agentPort, vmalertPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);

  // 2. The spec: a critical error-rate alert for team ops; team other gets whatever is misrouted.
  const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  const spec: MonitoringSpec = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: `${EVALUATION_S}s` },
    alertmanager: { address: `${HOST}:${amPort}`, catchAll: { team: "other", receiver: "hook" } },
    service: { name: "e2e-vm", team: "ops", runbookBaseUrl: "https://runbooks.example.com/e2e-vm", scrape: { targets: [`${HOST}:${port}`] } },
    teams: [
      { name: "ops", receivers: [{ name: "hook", kind: "webhook", url: `${hook}/hook/ops` }], escalation: { critical: { receivers: ["hook"], ...fast } } },
      { name: "other", receivers: [{ name: "hook", kind: "webhook", url: `${hook}/hook/other` }], escalation: { critical: { receivers: ["hook"], ...fast } } },
    ],
    signals: [{ name: "e2e_requests_total", type: "counter", labels: ["code"] }],
    alerts: [
      {
        name: "ErrorRateHigh",
        expr: 'sum(rate(e2e_requests_total{code="500"}[5s]))',
        threshold: 1,
        severity: "critical",
        for: "0s",
        summary: "Requests fail",
        description: "{{ $value | humanize }} failed requests per second",
      },
    ],
  };
  const specPath = join(work, "monitoring.json");
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const result = await compile([specPath]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);
  const tCompiled = Date.now() - t0;

  // 3. The servers, all on 127.0.0.1, each stopped by its PID at cleanup.
  const am = startAlertmanager(lab, out, work, amPort);
  const vm = lab.start("victoria-metrics", "victoria-metrics", [
    `-storageDataPath=${join(work, "vm-data")}`,
    `-httpListenAddr=${HOST}:${vmPort}`,
    "-retentionPeriod=1d",
    // Samples are queryable at once (default: 30 s after collection), uncached.
    "-search.latencyOffset=1s",
    "-search.disableCache",
  ]);
  const vmBase = `http://${HOST}:${vmPort}`;
  const agent = lab.start("vmagent", "vmagent", [
    `-promscrape.config=${join(out, "prometheus/prometheus.yml")}`,
    // prometheus.yml also holds rule_files and alerting, which are not vmagent's.
    "-promscrape.config.strictParse=false",
    `-remoteWrite.url=${vmBase}/api/v1/write`,
    `-remoteWrite.tmpDataPath=${join(work, "vmagent-data")}`,
    "-remoteWrite.flushInterval=500ms",
    `-httpListenAddr=${HOST}:${agentPort}`,
  ]);
  const vmalert = lab.start("vmalert", "vmalert", [
    `-rule=${join(out, "prometheus/rules/*.rules.yml")}`,
    `-datasource.url=${vmBase}`,
    `-notifier.url=http://${HOST}:${amPort}`,
    `-evaluationInterval=${EVALUATION_S}s`,
    "-external.label=evaluator=vmalert",
    `-external.url=http://${HOST}:${vmalertPort}`,
    `-httpListenAddr=${HOST}:${vmalertPort}`,
  ]);
  const prom = startPrometheus(lab, out, work, promPort);
  const promBase = `http://${HOST}:${promPort}`;
  const procs = [am, vm, agent, vmalert, prom];
  await until("every server to be ready", procs, async () => {
    const all = await Promise.all([ready(`http://${HOST}:${amPort}`), healthy(`${vmBase}/health`), healthy(`http://${HOST}:${agentPort}/health`), healthy(`http://${HOST}:${vmalertPort}/health`), ready(promBase)]);
    return all.every(Boolean);
  });
  const tReady = Date.now() - t0;

  // 4. Both pipelines hold the healthy target's samples before the outage starts.
  const series = async (base: string) => ((await getJson(`${base}/api/v1/query?query=${encodeURIComponent('e2e_requests_total{code="500"}')}`)) as { data: { result: unknown[] } }).data.result.length > 0;
  await until("the target's samples in Prometheus and in VictoriaMetrics", procs, async () => (await series(promBase)) && (await series(vmBase)));
  const tScraped = Date.now() - t0;
  failingSince = Date.now();

  // 5. Until the team's receiver got the alert from both evaluators; never anything at team other's.
  const alertsAt = (path: string) => deliveries.filter((d) => d.path === path).flatMap((d) => d.alerts.filter((a) => a.status === "firing" && a.labels.alertname === "ErrorRateHigh").map((a) => ({ ...a, at: d.at })));
  const fromVmalert = () => alertsAt("/hook/ops").find((a) => a.labels.evaluator === "vmalert");
  const fromPrometheus = () => alertsAt("/hook/ops").find((a) => a.labels.evaluator === undefined);
  await until(
    "ErrorRateHigh from vmalert and from Prometheus at team ops' receiver",
    procs,
    () => fromVmalert() !== undefined && fromPrometheus() !== undefined,
    () => (deliveries.some((d) => d.path !== "/hook/ops") ? `a notification reached ${deliveries.find((d) => d.path !== "/hook/ops")!.path}` : undefined),
  );
  const tBoth = Date.now() - t0;
  const v = fromVmalert()!;
  const p = fromPrometheus()!;
  // The same alert: the same labels but the evaluator's own.
  const { evaluator: _e, alertgroup: _g, ...vmLabels } = v.labels;
  expect(vmLabels).toEqual(p.labels);
  expect(p.labels).toMatchObject({ alertname: "ErrorRateHigh", team: "ops", severity: "critical", service: "e2e-vm" });
  // Active within one evaluation interval of each other.
  const apartMs = Math.abs(Date.parse(v.startsAt) - Date.parse(p.startsAt));
  expect(apartMs, `vmalert active at ${v.startsAt}, Prometheus at ${p.startsAt}`).toBeLessThanOrEqual(EVALUATION_S * 1000);
  for (const a of [v, p]) expect(Date.parse(a.startsAt)).toBeGreaterThanOrEqual(failingSince - 1000);
  expect(deliveries.every((d) => d.path === "/hook/ops")).toBe(true);

  await lab.cleanup();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `e2e VictoriaMetrics: compiled ${s(tCompiled)}, servers ready ${s(tReady)}, samples in both ${s(tScraped)}, both alerts delivered ${s(tBoth)}; ` +
      `active ${apartMs} ms apart (vmalert ${s(Date.parse(v.startsAt) - failingSince)}, Prometheus ${s(Date.parse(p.startsAt) - failingSince)} after the outage), ` +
      `delivered ${s(v.at - failingSince)} / ${s(p.at - failingSince)}; ${requests} scrapes, ${deliveries.length} deliveries; ${s(Date.now() - t0)} in all`,
  );
});
