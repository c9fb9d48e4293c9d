/**
 * End to end, with the real servers: the compiled prometheus.yml, rule files and
 * alertmanager.yml run in a real Prometheus and a real Alertmanager on 127.0.0.1, scraping a
 * metrics endpoint this test serves and notifying receivers this test stands in for (Slack,
 * PagerDuty and a webhook, all on one local HTTP server). It proves that each firing alert
 * reaches exactly its team's receivers, and that inhibited alerts reach Alertmanager but
 * never a receiver: a warning under the critical alert of the same name, and an alert of a
 * service whose `serviceDown` alert fires.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { assertRunning, freePort, getJson, HOST, Lab, ready, sleep, until } from "./servers.js";

/** After the expected notifications: several evaluation (1 s) + group_wait/group_interval (1 s) cycles. */
const QUIET_MS = 4_000;

interface Received {
  path: string;
  body: unknown;
  at: number;
}

const lab = new Lab();
afterAll(() => lab.cleanup());
// --- what the receivers got --------------------------------------------------------------------

interface SlackBody {
  channel?: string;
  attachments?: { title?: string; text?: string }[];
}
interface PagerDutyBody {
  routing_key?: string;
  event_action?: string;
  dedup_key?: string;
  payload?: { summary?: string; severity?: string };
}
interface WebhookBody {
  status?: string;
  alerts?: { status: string; labels: Record<string, string> }[];
}

/** `Name (severity)` of each notification: Slack's title, PagerDuty's summary, the webhook's alerts. */
function notified(r: Received): string[] {
  if (r.path.startsWith("/slack/")) {
    return ((r.body as SlackBody).attachments ?? []).map((a) => {
      const m = /\] (\w+) \([^,]+, (\w+)\)$/.exec(a.title ?? "");
      return m ? `${m[1]} (${m[2]})` : `? ${a.title}`;
    });
  }
  if (r.path.startsWith("/pagerduty/")) {
    const b = r.body as PagerDutyBody;
    return [`${(b.payload?.summary ?? "?").split(":")[0]} (${b.payload?.severity})`];
  }
  return ((r.body as WebhookBody).alerts ?? []).map((a) => `${a.labels.alertname} (${a.labels.severity})`);
}

function namesAt(received: readonly Received[], path: string): string[] {
  return [...new Set(received.filter((r) => r.path === path).flatMap(notified))].sort();
}

// --- the test ----------------------------------------------------------------------------------

test("alerts fire through the real Prometheus and Alertmanager to exactly their team's receivers; inhibited ones never arrive", { timeout: 90_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // 1. Metrics and stand-in receivers on one local server.
  const received: Received[] = [];
  // One target per service (the two scrape jobs), so each alert's expression matches one series.
  const metrics: Record<string, string> = {
    "/metrics": ["# TYPE e2e_queue_depth gauge", "e2e_queue_depth 100", "# TYPE e2e_errors gauge", "e2e_errors 1", ""].join("\n"),
    "/metrics-backend": ["# TYPE e2e_backend_healthy gauge", "e2e_backend_healthy 0", "# TYPE e2e_backend_backlog gauge", "e2e_backend_backlog 500", ""].join("\n"),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const exposition = req.method === "GET" ? metrics[req.url ?? ""] : undefined;
    if (exposition !== undefined) {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: the assertions below will show it
      }
      received.push({ path: req.url ?? "", body, at: Date.now() });
      // PagerDuty's Events API answers 202; Slack and webhooks any 2xx.
      if (req.url?.startsWith("/pagerduty/")) res.writeHead(202, { "content-type": "application/json" }).end('{"status":"success","message":"Event processed"}');
      else res.writeHead(200).end("ok");
    });
  });
  const port = await lab.listen(server);
  const hook = `http://${HOST}:${port}`;
  const [amPort, promPort] = [await freePort(), await freePort()];

  // 2. The specs: secrets as files, like in production.
  const slackUrlFile = join(work, "slack-team-a.url");
  const pdKeyFile = join(work, "pagerduty-team-a.key");
  writeFileSync(slackUrlFile, `${hook}/slack/team-a`);
  writeFileSync(pdKeyFile, "e2e-dummy-routing-key");
  const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  const teams: MonitoringSpec["teams"] = [
    {
      name: "team-a",
      receivers: [
        { name: "pagerduty", kind: "pagerduty", routingKey: { file: pdKeyFile }, url: `${hook}/pagerduty/team-a` },
        { name: "slack", kind: "slack", channel: "#team-a", webhook: { file: slackUrlFile } },
      ],
      // The defaults (group_wait 10 s/30 s) would make the test slow, not different.
      escalation: { critical: { receivers: ["pagerduty", "slack"], ...fast }, warning: { receivers: ["slack"], ...fast }, info: { receivers: ["slack"], ...fast } },
    },
    {
      name: "team-b",
      receivers: [{ name: "hook", kind: "webhook", url: `${hook}/hook/team-b` }],
      escalation: { critical: { receivers: ["hook"], ...fast }, warning: { receivers: ["hook"], ...fast }, info: { receivers: ["hook"], ...fast } },
    },
  ];
  const shared = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: "1s" },
    alertmanager: { address: `${HOST}:${amPort}` },
  } satisfies Partial<MonitoringSpec>;
  const app: MonitoringSpec = {
    ...shared,
    service: { name: "e2e-app", team: "team-a", runbookBaseUrl: "https://runbooks.example.com/e2e-app", scrape: { targets: [`${HOST}:${port}`] } },
    teams,
    signals: [
      { name: "e2e_queue_depth", type: "gauge" },
      { name: "e2e_errors", type: "gauge" },
    ],
    alerts: [
      // One name, two rules: critical (> 50) and warning (> 10) both hold; the critical inhibits the warning.
      { name: "QueueDepthHigh", expr: "e2e_queue_depth", thresholds: { critical: 50, warning: 10 }, for: "0s", summary: "Queue is deep", description: "{{ $value }} items queued" },
      { name: "ErrorsPresent", expr: "e2e_errors", threshold: 0, severity: "warning", team: "team-b", for: "0s", summary: "Errors", description: "{{ $value }} errors" },
    ],
  };
  const backend: MonitoringSpec = {
    ...shared,
    service: { name: "e2e-backend", team: "team-a", runbookBaseUrl: "https://runbooks.example.com/e2e-backend", scrape: { targets: [`${HOST}:${port}`], path: "/metrics-backend" } },
    // Named without receivers: the app spec declares them, and the merged config routes both services.
    teams: [{ name: "team-a" }, { name: "team-b" }],
    signals: [
      { name: "e2e_backend_healthy", type: "gauge" },
      { name: "e2e_backend_backlog", type: "gauge" },
    ],
    alerts: [
      { name: "BackendDown", expr: "e2e_backend_healthy", op: "==", threshold: 0, severity: "critical", serviceDown: true, for: "0s", summary: "Backend is down", description: "Health is {{ $value }}" },
      // Would page team-b (critical → hook), but BackendDown inhibits every other alert of e2e-backend.
      // Its `for` lets BackendDown reach Alertmanager first, however the rule evaluations interleave.
      { name: "BackendBacklog", expr: "e2e_backend_backlog", threshold: 100, severity: "critical", team: "team-b", for: "2s", summary: "Backlog", description: "{{ $value }} queued" },
    ],
  };
  const appSpec = join(work, "app.json");
  const backendSpec = join(work, "backend.json");
  writeFileSync(appSpec, JSON.stringify(app, null, 2));
  writeFileSync(backendSpec, JSON.stringify(backend, null, 2));

  const result = await compile([appSpec, backendSpec]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);
  const tCompiled = Date.now() - t0;

  // 3. The real servers. Alertmanager first: Prometheus sends a firing alert once, then only every minute.
  const am = lab.start("prometheus-alertmanager", "prometheus-alertmanager", [
    `--config.file=${join(out, "alertmanager/alertmanager.yml")}`,
    `--storage.path=${join(work, "am-data")}`,
    `--web.listen-address=${HOST}:${amPort}`,
    "--cluster.listen-address=", // no gossip: a single instance, no port outside 127.0.0.1
  ]);
  const amBase = `http://${HOST}:${amPort}`;
  await until("Alertmanager to be ready", [am], () => ready(amBase));
  const tAm = Date.now() - t0;
  const prom = lab.start("prometheus", "prometheus", [
    `--config.file=${join(out, "prometheus/prometheus.yml")}`,
    `--storage.tsdb.path=${join(work, "prom-data")}`,
    `--web.listen-address=${HOST}:${promPort}`,
  ]);
  const promBase = `http://${HOST}:${promPort}`;
  const procs = [am, prom];
  await until("Prometheus to be ready", procs, () => ready(promBase));
  const tProm = Date.now() - t0;

  // 4. Until the expected notifications arrived, and the inhibited alerts sit suppressed in Alertmanager.
  // Prometheus hands targets to its scrape and notify managers only every 5 s, so the first
  // scrape, and so the first notification, comes some 6–8 s after it starts.
  const expected: Record<string, string[]> = {
    "/pagerduty/team-a": ["BackendDown (critical)", "QueueDepthHigh (critical)"],
    "/slack/team-a": ["BackendDown (critical)", "QueueDepthHigh (critical)"],
    "/hook/team-b": ["ErrorsPresent (warning)"],
  };
  interface AmAlert {
    labels: Record<string, string>;
    status: { state: string; inhibitedBy: string[] };
    fingerprint: string;
  }
  let amAlerts: AmAlert[] = [];
  const suppressed = () =>
    amAlerts
      .filter((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length > 0)
      .map((a) => `${a.labels.alertname} (${a.labels.severity})`)
      .sort();
  // Fails at once when a notification reaches a receiver it must not (another team's, or an inhibited alert).
  const unexpected = () => {
    const bad = received.flatMap((r) => notified(r).filter((n) => !expected[r.path]?.includes(n)).map((n) => `${n} at ${r.path}`));
    return bad.length ? `unexpected notifications: ${[...new Set(bad)].join(", ")}` : undefined;
  };
  await until(
    "the notifications and the inhibitions",
    procs,
    async () => {
      amAlerts = (await getJson(`${amBase}/api/v2/alerts`)) as AmAlert[];
      const arrived = Object.entries(expected).every(([path, names]) => names.every((n) => namesAt(received, path).includes(n)));
      return arrived && suppressed().join() === "BackendBacklog (critical),QueueDepthHigh (warning)";
    },
    unexpected,
  );
  const firstPass = Date.now() - t0;
  // The inhibited alerts are in Alertmanager, muted by their inhibitors.
  expect(suppressed()).toEqual(["BackendBacklog (critical)", "QueueDepthHigh (warning)"]);
  const byFingerprint = new Map(amAlerts.map((a) => [a.fingerprint, `${a.labels.alertname} (${a.labels.severity})`]));
  for (const a of amAlerts.filter((x) => x.status.state === "suppressed")) {
    const by = a.status.inhibitedBy.map((f) => byFingerprint.get(f));
    expect(by, `${a.labels.alertname} (${a.labels.severity})`).toEqual([a.labels.alertname === "QueueDepthHigh" ? "QueueDepthHigh (critical)" : "BackendDown (critical)"]);
  }

  // Several more evaluation and group cycles: an inhibited alert that was going to be sent would be by now.
  await sleep(QUIET_MS);
  assertRunning(procs);

  // 5. Exactly the expected notifications at each receiver, nothing anywhere else.
  expect(unexpected()).toBeUndefined();
  const paths = [...new Set(received.map((r) => r.path))].sort();
  expect(paths).toEqual(Object.keys(expected).sort());
  for (const [path, names] of Object.entries(expected)) expect(namesAt(received, path), path).toEqual(names);
  // The inhibited alerts: without their inhibitors, team-a's Slack would get the warning and team-b's hook the backlog.
  expect(namesAt(received, "/slack/team-a")).not.toContain("QueueDepthHigh (warning)");
  expect(namesAt(received, "/hook/team-b")).not.toContain("BackendBacklog (critical)");

  // The bodies are what the generated templates and secret files say.
  const slack = received.filter((r) => r.path === "/slack/team-a").map((r) => r.body as SlackBody);
  expect(slack.every((b) => b.channel === "#team-a")).toBe(true);
  expect(slack.map((b) => b.attachments?.[0]?.title).sort()).toContain("[FIRING:1] QueueDepthHigh (e2e-app, critical)");
  expect(slack.some((b) => b.attachments?.[0]?.text?.includes("*Queue is deep*\n100 items queued"))).toBe(true);
  const pd = received.filter((r) => r.path === "/pagerduty/team-a").map((r) => r.body as PagerDutyBody);
  expect(pd.every((b) => b.routing_key === "e2e-dummy-routing-key" && b.event_action === "trigger" && !!b.dedup_key)).toBe(true);
  expect(pd.map((b) => b.payload?.summary).sort()).toEqual(["BackendDown: Backend is down", "QueueDepthHigh: Queue is deep"]);
  const hooks = received.filter((r) => r.path === "/hook/team-b").map((r) => r.body as WebhookBody);
  expect(hooks.flatMap((b) => b.alerts ?? []).every((a) => a.labels.team === "team-b" && a.labels.service === "e2e-app" && a.status === "firing")).toBe(true);

  const total = Date.now() - t0;
  await lab.cleanup();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const first = Math.min(...received.map((r) => r.at)) - t0;
  console.log(
    `e2e routing: ${s(Date.now() - t0)} in all (compiled ${s(tCompiled)}, Alertmanager ready ${s(tAm)}, Prometheus ready ${s(tProm)}, ` +
      `first notification ${s(first)}, all notified and inhibited ${s(firstPass)}, checked ${s(total)}; ${received.length} requests)`,
  );
});
