/**
 * High availability, end to end on 127.0.0.1: two Prometheus replicas and a cluster of three
 * Alertmanagers run from the generated files (`prometheus/prometheus-<k>.yml`,
 * `alertmanager/peer-<k>.args`; the test adds only data paths and faster gossip flags). A local
 * server exposes the service's error gauge; the team's webhook is a local server recording every
 * notification.
 *
 * - every Prometheus sends to every Alertmanager, and every Alertmanager holds each alert once,
 *   without the replica label (the replicas' copies are one alert);
 * - a failing component's alert reaches the webhook exactly once;
 * - the peer that sent it and one Prometheus replica are killed; a second failure is still
 *   delivered exactly once, and the first is not delivered again;
 * - an inhibited alert and one in a maintenance window (an interval generated around now) are
 *   never delivered, by any peer, before or after the failure; every peer shows the inhibition.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { parse } from "yaml";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { assertRunning, freePort, getJson, HOST, Lab, ready, sleep, until, type Proc } from "./servers.js";
import { intervalAroundNow } from "./time-intervals.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

/** After the expected notifications: many group_interval (1 s) cycles, more than two peer timeouts (4 s: a peer waits its position × that before it notifies). */
const QUIET_MS = 9_000;

interface Notification {
  alerts: { status: string; labels: Record<string, string> }[];
}
interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

test("two Prometheus replicas and three Alertmanager peers notify exactly once, through a peer's and a replica's failure", { timeout: 90_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-ha-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // 1. The service's metrics (which components fail) and the team's webhook.
  const failing: Record<string, number> = { payments: 1, checkout: 1, reports: 1, search: 0 };
  const target = createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    const lines = ["# TYPE shop_component_errors gauge", ...Object.entries(failing).map(([k, v]) => `shop_component_errors{component="${k}"} ${v}`), ""];
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(lines.join("\n"));
  });
  const targetPort = await lab.listen(target);
  const notifications: Notification[] = [];
  const hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/hook/shop") notifications.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Notification);
      res.writeHead(200).end("ok");
    });
  });
  const hookPort = await lab.listen(hook);

  // 2. The spec: two replicas, three peers, an inhibition and a maintenance window around now.
  const peers = await Promise.all([1, 2, 3].map(async () => ({ address: `${HOST}:${await freePort()}`, cluster: `${HOST}:${await freePort()}` })));
  const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  const alert = (name: string, component: string, severity: "critical" | "warning", extra: object = {}) => ({
    name,
    expr: `max by (component) (shop_component_errors{component="${component}"})`,
    threshold: 0,
    severity,
    for: "0s",
    summary: `${component} fails`,
    description: "d",
    ...extra,
  });
  const spec: MonitoringSpec = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: "1s", replicas: 2 },
    alertmanager: { peers, timeIntervals: [intervalAroundNow("during-test")] },
    service: { name: "shop", team: "shop", scrape: { targets: [`${HOST}:${targetPort}`] } },
    teams: [
      {
        name: "shop",
        receivers: [{ name: "hook", kind: "webhook", url: `http://${HOST}:${hookPort}/hook/shop` }],
        escalation: { critical: { receivers: ["hook"], ...fast }, warning: { receivers: ["hook"], ...fast }, info: { receivers: ["hook"], ...fast } },
      },
    ],
    signals: [{ name: "shop_component_errors", type: "gauge", labels: ["component"] }],
    alerts: [
      alert("PaymentsFailing", "payments", "critical"),
      alert("CheckoutDegraded", "checkout", "warning"),
      alert("ReportsLate", "reports", "warning", { maintenance: ["during-test"] }),
      alert("SearchFailing", "search", "critical"),
    ],
    inhibitions: [{ source: "PaymentsFailing", targets: ["CheckoutDegraded"], description: "no checkout without payments" }],
  };
  const specPath = join(work, "shop.json");
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const result = await compile([specPath], { typecheck: false, lint: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);
  const paths = result.files.map((f) => f.path);
  expect(paths.filter((p) => /^prometheus\/prometheus.*\.yml$/.test(p))).toEqual(["prometheus/prometheus-1.yml", "prometheus/prometheus-2.yml"]);
  expect(paths.filter((p) => p.endsWith(".args"))).toEqual(["alertmanager/peer-1.args", "alertmanager/peer-2.args", "alertmanager/peer-3.args"]);

  // 3. Three Alertmanagers, each with its generated flags (and faster gossip for the test).
  const gossip = ["--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=2s", "--cluster.peer-timeout=4s", "--cluster.probe-interval=200ms", "--cluster.probe-timeout=100ms"];
  const ams: Proc[] = peers.map((_, k) => {
    const args = readFileSync(join(out, `alertmanager/peer-${k + 1}.args`), "utf8").split("\n").filter(Boolean);
    return lab.start(`alertmanager-${k + 1}`, "prometheus-alertmanager", [`--config.file=${join(out, "alertmanager/alertmanager.yml")}`, `--storage.path=${join(work, `am-${k + 1}`)}`, ...args, ...gossip]);
  });
  const amBase = peers.map((p) => `http://${p.address}`);
  await until("the Alertmanagers to form a cluster of three", ams, async () => {
    const states = (await Promise.all(amBase.map((b) => getJson(`${b}/api/v2/status`)))) as { cluster: { status: string; peers: unknown[] } }[];
    return states.every((s) => s.cluster.status === "ready" && s.cluster.peers.length === 3);
  });

  // 4. Two Prometheus replicas, each with its generated config.
  const promPorts = [await freePort(), await freePort()];
  const proms: Proc[] = promPorts.map((port, k) =>
    lab.start(`prometheus-${k + 1}`, "prometheus", [`--config.file=${join(out, `prometheus/prometheus-${k + 1}.yml`)}`, `--storage.tsdb.path=${join(work, `prom-${k + 1}`)}`, `--web.listen-address=${HOST}:${port}`]),
  );
  const promBase = promPorts.map((p) => `http://${HOST}:${p}`);
  const all = () => [...ams, ...proms].filter((p) => p.exited() === undefined);
  await until("both replicas to be ready", proms, async () => (await Promise.all(promBase.map(ready))).every(Boolean));

  const firing = (name: string) => notifications.filter((n) => n.alerts.some((a) => a.status === "firing" && a.labels.alertname === name));
  const neverDelivered = () => {
    const bad = ["CheckoutDegraded", "ReportsLate"].filter((n) => firing(n).length > 0);
    return bad.length ? `delivered although inhibited or muted: ${bad.join(", ")}` : undefined;
  };
  const alertsAt = async (base: string) => ((await getJson(`${base}/api/v2/alerts`)) as AmAlert[]).filter((a) => a.labels.service === "shop");

  // 5. The first failure: delivered once; every peer holds each alert once, inhibited where declared.
  await until("PaymentsFailing to be delivered", all(), () => firing("PaymentsFailing").length > 0, neverDelivered, 30_000);
  // Both replicas have sent to all three peers.
  await until("every replica to have sent to every peer", all(), async () => {
    for (const base of promBase) {
      const sent = sentTo(await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) })).text());
      if (!peers.every((p) => (sent.get(p.address) ?? 0) > 0)) return false;
    }
    return true;
  });
  await sleep(QUIET_MS);
  assertRunning(all());
  expect(neverDelivered()).toBeUndefined();
  expect(firing("PaymentsFailing")).toHaveLength(1);
  // One alert, not one per replica: the replica label never reached Alertmanager.
  expect(firing("PaymentsFailing")[0]!.alerts.map((a) => a.labels)).toEqual([{ alertname: "PaymentsFailing", component: "payments", service: "shop", severity: "critical", team: "shop" }]);
  for (const base of amBase) {
    const held = await alertsAt(base);
    expect(held.map((a) => a.labels.alertname).sort(), base).toEqual(["CheckoutDegraded", "PaymentsFailing", "ReportsLate"]);
    expect(held.every((a) => !("replica" in a.labels))).toBe(true);
    expect(held.find((a) => a.labels.alertname === "CheckoutDegraded")!.status.inhibitedBy.length, `inhibited at ${base}`).toBe(1);
  }

  // 6. Kill the peer that notified (its own count says which) and one replica.
  const sentBy = await Promise.all(amBase.map(async (b) => webhookNotifications(await (await fetch(`${b}/metrics`)).text())));
  expect(sentBy.reduce((a, b) => a + b, 0)).toBe(1);
  const sender = sentBy.indexOf(1);
  ams[sender]!.child.kill("SIGKILL");
  proms[0]!.child.kill("SIGKILL");
  await until("the peer and the replica to be gone", [], () => ams[sender]!.exited() !== undefined && proms[0]!.exited() !== undefined);
  const tKilled = Date.now();

  // 7. A second failure, after the kills: still delivered, once; the first is not repeated.
  failing.search = 1;
  await until("SearchFailing to be delivered by the surviving peers", all(), () => firing("SearchFailing").length > 0, neverDelivered, 30_000);
  const tSecond = Date.now() - tKilled;
  await sleep(QUIET_MS);
  assertRunning(all());
  expect(neverDelivered()).toBeUndefined();
  expect(firing("SearchFailing")).toHaveLength(1);
  expect(firing("SearchFailing")[0]!.alerts.map((a) => a.labels.component)).toEqual(["search"]);
  expect(firing("PaymentsFailing")).toHaveLength(1);
  for (const base of amBase.filter((_, k) => k !== sender)) {
    const held = await alertsAt(base);
    expect(held.map((a) => a.labels.alertname).sort(), base).toEqual(["CheckoutDegraded", "PaymentsFailing", "ReportsLate", "SearchFailing"]);
    expect(held.find((a) => a.labels.alertname === "CheckoutDegraded")!.status.inhibitedBy.length, `inhibited at ${base}`).toBe(1);
  }
  const config = parse(readFileSync(join(out, "prometheus/prometheus-2.yml"), "utf8")) as { global: { external_labels: Record<string, string> } };
  expect(config.global.external_labels).toEqual({ replica: "2" });

  await lab.cleanup();
  console.log(`ha: second failure delivered ${(tSecond / 1000).toFixed(1)} s after the kills; ${notifications.length} notifications; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
});

/** `alertmanager_notifications_total{integration="webhook"}` from an Alertmanager's /metrics. */
function webhookNotifications(metrics: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith('alertmanager_notifications_total{integration="webhook"}'));
  return line ? Number(line.split(" ")[1]) : 0;
}

/** `prometheus_notifications_sent_total` by Alertmanager host:port, from a Prometheus' /metrics. */
function sentTo(metrics: string): Map<string, number> {
  const sent = new Map<string, number>();
  for (const m of metrics.matchAll(/^prometheus_notifications_sent_total\{alertmanager="([^"]+)"\} (\S+)$/gm)) sent.set(new URL(m[1]!).host, Number(m[2]));
  return sent;
}
