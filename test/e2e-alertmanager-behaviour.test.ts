/**
 * What alerting promises, watched in a real Alertmanager on 127.0.0.1: alerts are posted to its
 * API as Prometheus would send them (the rule labels of the compiled routing cases plus the
 * series' `provider`), receivers are local HTTP servers (PagerDuty's `url`, Slack's webhook file,
 * webhooks). The spec is generated now, so one time interval covers the test and another does not.
 *
 * - maintenance mutes every severity, the multi-receiver critical (PagerDuty + Slack + webhook)
 *   included: a service's, a team's, an alert's and an SLO's window; an `activeDuring` outside
 *   its interval mutes a two-receiver severity too; outside the window alerts are delivered;
 * - inhibition stays within one series: provider a's critical and page never suppress provider
 *   b's warning and ticket; a declared inhibition (provider down → that provider's
 *   authorization-rate alert) suppresses exactly its targets;
 * - a notification grouping two providers' alerts says what each is (CommonAnnotations is empty).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec, SignalSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { assertRunning, freePort, getJson, HOST, Lab, ready, sleep, until } from "./servers.js";
import { intervalAroundNow, intervalNotNow } from "./time-intervals.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

/** After the expected notifications: many group_wait/group_interval (1 s) cycles. */
const QUIET_MS = 4_000;

interface Received {
  path: string;
  body: unknown;
}
interface WebhookBody {
  alerts?: { status: string; labels: Record<string, string> }[];
}
interface PagerDutyBody {
  event_action?: string;
  payload?: { summary?: string; severity?: string };
}
interface SlackBody {
  attachments?: { title?: string; text?: string }[];
}
interface RoutingCase {
  alert: string;
  labels: Record<string, string>;
}

const authorizations = { name: "payment_authorizations_total", type: "counter", labels: ["provider", "outcome"] } satisfies SignalSpec;
const providerUp = { name: "payment_provider_up", type: "gauge", labels: ["provider"] } satisfies SignalSpec;
const settlementLag = { name: "payment_settlement_lag_seconds", type: "gauge", labels: ["provider"] } satisfies SignalSpec;
const errorRatio =
  'sum by (provider) (rate(payment_authorizations_total{outcome="error"}[5m])) / sum by (provider) (rate(payment_authorizations_total[5m]))';

test("maintenance mutes every receiver of every severity; inhibitions stay within a provider; grouped text says what each alert is", { timeout: 60_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-am-behaviour-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // 1. The stand-in receivers.
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      received.push({ path: req.url ?? "", body });
      if (req.url?.startsWith("/pagerduty/")) res.writeHead(202, { "content-type": "application/json" }).end('{"status":"success"}');
      else res.writeHead(200).end("ok");
    });
  });
  const port = await lab.listen(server);
  const hook = `http://${HOST}:${port}`;
  const amPort = await freePort();

  // 2. The specs, with intervals generated around now.
  const slackFile = join(work, "slack.url");
  const pdFile = join(work, "pagerduty.key");
  writeFileSync(slackFile, `${hook}/slack/payments`);
  writeFileSync(pdFile, "behaviour-routing-key");
  const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  const shared = {
    alertmanager: { address: `${HOST}:${amPort}`, timeIntervals: [intervalAroundNow("during-test"), intervalNotNow("not-now")] },
  } satisfies Partial<MonitoringSpec>;
  const payments: MonitoringSpec = {
    ...shared,
    // Its maintenance window is not now: its alerts are delivered (unless inhibited).
    service: { name: "payments", team: "payments", maintenance: ["not-now"] },
    teams: [
      {
        name: "payments",
        receivers: [
          { name: "pagerduty", kind: "pagerduty", routingKey: { file: pdFile }, url: `${hook}/pagerduty/payments` },
          { name: "slack", kind: "slack", channel: "#payments", webhook: { file: slackFile } },
          { name: "hook", kind: "webhook", url: `${hook}/hook/payments` },
        ],
        escalation: {
          critical: { receivers: ["pagerduty", "slack", "hook"], ...fast },
          warning: { receivers: ["slack", "hook"], ...fast },
          // Active only outside the test: muted now, on both of its receivers.
          info: { receivers: ["slack", "hook"], activeDuring: ["not-now"], ...fast },
        },
      },
    ],
    signals: [authorizations, providerUp, settlementLag],
    slos: [
      {
        name: "authorization",
        objective: 99.5,
        sli: { kind: "ratio", bad: { metric: authorizations.name, matchers: { outcome: "error" } }, total: { metric: authorizations.name }, by: ["provider"] },
      },
      // An SLO in maintenance now: its alerts are muted, the service's others are not.
      { name: "capture", objective: 99, maintenance: ["during-test"], sli: { kind: "ratio", bad: { metric: authorizations.name, matchers: { outcome: "error" } }, total: { metric: authorizations.name } } },
    ],
    alerts: [
      { name: "AuthorizationErrorRate", expr: errorRatio, thresholds: { critical: 0.2, warning: 0.05 }, summary: "Authorization errors high for {{ $labels.provider }}", description: "{{ $value }}" },
      { name: "PaymentProviderDown", expr: "min by (provider) (payment_provider_up)", op: "==", threshold: 0, severity: "critical", summary: "Provider {{ $labels.provider }} is down", description: "d" },
      {
        name: "AuthorizationRateLow",
        expr: 'sum by (provider) (rate(payment_authorizations_total{outcome="ok"}[5m]))',
        op: "<",
        threshold: 1,
        severity: "warning",
        summary: "Few authorizations at {{ $labels.provider }}",
        description: "d",
      },
      { name: "SettlementLag", expr: "max by (provider) (payment_settlement_lag_seconds)", threshold: 3600, severity: "warning", summary: "Settlement lags at {{ $labels.provider }}", description: "d" },
      // An alert in maintenance now.
      { name: "ReconciliationLag", expr: "max by (provider) (payment_settlement_lag_seconds)", threshold: 86400, severity: "critical", maintenance: ["during-test"], summary: "Reconciliation lags", description: "d" },
      { name: "PaymentsInfo", expr: "max by (provider) (payment_settlement_lag_seconds)", threshold: 60, severity: "info", summary: "Settlement is slower", description: "d" },
    ],
    inhibitions: [{ source: "PaymentProviderDown", targets: ["AuthorizationRateLow"], equal: ["provider"], description: "a provider that is down authorizes nothing" }],
  };
  // The same team, another service, in maintenance now: every severity muted.
  const checkout: MonitoringSpec = {
    service: { name: "checkout", team: "payments", maintenance: ["during-test"] },
    teams: [{ name: "payments" }],
    signals: [authorizations],
    alerts: [{ name: "CheckoutErrorRate", expr: errorRatio, thresholds: { critical: 0.2, warning: 0.05, info: 0.01 }, summary: "Checkout errors at {{ $labels.provider }}", description: "d" }],
  };
  // A team in maintenance now, with a two-receiver critical.
  const ledger: MonitoringSpec = {
    service: { name: "ledger", team: "ledger" },
    teams: [
      {
        name: "ledger",
        maintenance: ["during-test"],
        receivers: [
          { name: "one", kind: "webhook", url: `${hook}/hook/ledger-one` },
          { name: "two", kind: "webhook", url: `${hook}/hook/ledger-two` },
        ],
        escalation: { critical: { receivers: ["one", "two"], ...fast }, warning: { receivers: ["one"], ...fast } },
      },
    ],
    signals: [settlementLag],
    alerts: [{ name: "LedgerBehind", expr: "max by (provider) (payment_settlement_lag_seconds)", thresholds: { critical: 600, warning: 60 }, summary: "Ledger behind", description: "d" }],
  };
  const paths = Object.entries({ payments, checkout, ledger }).map(([name, spec]) => {
    const p = join(work, `${name}.json`);
    writeFileSync(p, JSON.stringify(spec, null, 2));
    return p;
  });
  const result = await compile(paths, { typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);

  // 3. Alertmanager with the compiled config.
  const am = lab.start("prometheus-alertmanager", "prometheus-alertmanager", [
    `--config.file=${join(out, "alertmanager/alertmanager.yml")}`,
    `--storage.path=${join(work, "am-data")}`,
    `--web.listen-address=${HOST}:${amPort}`,
    "--cluster.listen-address=",
  ]);
  const amBase = `http://${HOST}:${amPort}`;
  await until("Alertmanager to be ready", [am], () => ready(amBase));

  // 4. The alerts, as Prometheus would send them: the rule's labels (from the routing cases) plus the series'.
  const cases = (loadYaml(readFileSync(join(out, "alertmanager/routing-tests.yml"), "utf8")) as { cases: RoutingCase[] }).cases;
  const ruleLabels = (service: string, alertname: string, severity: string): Record<string, string> => {
    const c = cases.find((x) => x.labels.service === service && x.alert === alertname && x.labels.severity === severity);
    if (!c) throw new Error(`no routing case for ${service}/${alertname}/${severity}`);
    return c.labels;
  };
  const summaryOf: Record<string, (p: string) => string> = {
    AuthorizationErrorRate: (p) => `Authorization errors high for ${p}`,
    PaymentProviderDown: (p) => `Provider ${p} is down`,
    AuthorizationRateLow: (p) => `Few authorizations at ${p}`,
    SettlementLag: (p) => `Settlement lags at ${p}`,
  };
  const key = (l: Record<string, string>) => `${l.service}/${l.alertname}/${l.severity}/${l.provider ?? "-"}`;
  const send: [string, string, string, string][] = [
    // provider a: critical and warning together (the warning is inhibited), page and ticket together (the ticket is).
    ["payments", "AuthorizationErrorRate", "critical", "a"],
    ["payments", "AuthorizationErrorRate", "warning", "a"],
    // provider d's critical shares a's notification group: the text must tell them apart.
    ["payments", "AuthorizationErrorRate", "critical", "d"],
    // provider b: only the warning and the ticket: a's critical and page must not suppress them.
    ["payments", "AuthorizationErrorRate", "warning", "b"],
    ["payments", "AuthorizationErrorBudgetBurn", "critical", "a"],
    ["payments", "AuthorizationErrorBudgetBurn", "warning", "a"],
    ["payments", "AuthorizationErrorBudgetBurn", "warning", "b"],
    // provider c is down: its low authorization rate is inhibited, a's is not, nor c's settlement lag.
    ["payments", "PaymentProviderDown", "critical", "c"],
    ["payments", "AuthorizationRateLow", "warning", "c"],
    ["payments", "AuthorizationRateLow", "warning", "a"],
    ["payments", "SettlementLag", "warning", "c"],
    // Muted now: an alert's and an SLO's maintenance, an info outside its activeDuring.
    ["payments", "ReconciliationLag", "critical", "a"],
    ["payments", "CaptureErrorBudgetBurn", "critical", "-"],
    ["payments", "PaymentsInfo", "info", "a"],
    // Muted now: a service in maintenance (every severity) and a team in maintenance.
    ["checkout", "CheckoutErrorRate", "critical", "a"],
    ["checkout", "CheckoutErrorRate", "warning", "b"],
    ["checkout", "CheckoutErrorRate", "info", "c"],
    ["ledger", "LedgerBehind", "critical", "a"],
    ["ledger", "LedgerBehind", "warning", "b"],
  ];
  const alerts = send.map(([service, alertname, severity, provider]) => {
    const labels = { ...ruleLabels(service, alertname, severity), ...(provider === "-" ? {} : { provider }) };
    return { labels, annotations: { summary: summaryOf[alertname]?.(provider) ?? `${alertname} for ${provider}`, description: "d" }, startsAt: new Date().toISOString() };
  });
  const posted = await fetch(`${amBase}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
  expect(posted.status).toBe(200);

  const delivered = [
    "payments/AuthorizationErrorRate/critical/a",
    "payments/AuthorizationErrorRate/critical/d",
    "payments/AuthorizationErrorRate/warning/b",
    "payments/AuthorizationErrorBudgetBurn/critical/a",
    "payments/AuthorizationErrorBudgetBurn/warning/b",
    "payments/PaymentProviderDown/critical/c",
    "payments/AuthorizationRateLow/warning/a",
    "payments/SettlementLag/warning/c",
  ].sort();
  const inhibited = ["payments/AuthorizationErrorRate/warning/a", "payments/AuthorizationErrorBudgetBurn/warning/a", "payments/AuthorizationRateLow/warning/c"].sort();
  const hooked = () =>
    [...new Set(received.filter((r) => r.path.startsWith("/hook/")).flatMap((r) => ((r.body as WebhookBody).alerts ?? []).filter((a) => a.status === "firing").map((a) => `${r.path} ${key(a.labels)}`)))].sort();
  const atPayments = () => hooked().filter((x) => x.startsWith("/hook/payments ")).map((x) => x.slice("/hook/payments ".length));
  const pdSummaries = () => received.filter((r) => r.path === "/pagerduty/payments").map((r) => (r.body as PagerDutyBody).payload?.summary ?? "");
  const slackTitles = () => received.filter((r) => r.path === "/slack/payments").flatMap((r) => ((r.body as SlackBody).attachments ?? []).map((a) => a.title ?? ""));
  const mutedNames = ["ReconciliationLag", "CaptureErrorBudgetBurn", "PaymentsInfo", "CheckoutErrorRate", "LedgerBehind"];
  const wrong = () => {
    const bad = [
      ...hooked().filter((x) => !x.startsWith("/hook/payments ") || !delivered.includes(x.slice("/hook/payments ".length))),
      ...[...pdSummaries(), ...slackTitles()].filter((t) => mutedNames.some((n) => t.includes(n))),
    ];
    return bad.length ? `delivered although muted or inhibited: ${bad.join(", ")}` : undefined;
  };

  interface AmAlert {
    labels: Record<string, string>;
    status: { state: string; inhibitedBy: string[] };
  }
  let amAlerts: AmAlert[] = [];
  const suppressedByInhibition = () =>
    amAlerts
      .filter((a) => a.status.inhibitedBy.length > 0)
      .map((a) => key(a.labels))
      .sort();
  await until(
    "the deliveries and inhibitions",
    [am],
    async () => {
      amAlerts = (await getJson(`${amBase}/api/v2/alerts`)) as AmAlert[];
      const pdGroup = pdSummaries().some((s) => s.includes("[provider=a]") && s.includes("[provider=d]"));
      return atPayments().join() === delivered.join() && suppressedByInhibition().join() === inhibited.join() && pdGroup;
    },
    wrong,
    30_000,
  );
  const tDelivered = Date.now() - t0;
  // Many more group cycles: a muted or inhibited alert that was going to be sent would be by now.
  await sleep(QUIET_MS);
  assertRunning([am]);
  amAlerts = (await getJson(`${amBase}/api/v2/alerts`)) as AmAlert[];

  expect(wrong()).toBeUndefined();
  expect(atPayments()).toEqual(delivered);
  // Inhibited alerts are in Alertmanager, suppressed by exactly their own series' inhibitor.
  expect(suppressedByInhibition()).toEqual(inhibited);
  expect(amAlerts.length).toBe(send.length);
  // Nothing reached the team in maintenance, on either of its critical's receivers.
  expect(received.filter((r) => r.path.startsWith("/hook/ledger"))).toEqual([]);
  // The multi-receiver critical outside the window reached all three receivers.
  expect(pdSummaries().some((s) => s.startsWith("PaymentProviderDown: Provider c is down"))).toBe(true);
  expect(slackTitles().some((t) => t.includes("PaymentProviderDown (payments, critical)"))).toBe(true);

  // The page grouping two providers' criticals says what each is: not an empty CommonAnnotations.summary.
  const grouped = pdSummaries().find((s) => s.startsWith("AuthorizationErrorRate: ") && s.includes("[provider=d]"))!;
  expect(grouped).toBe("AuthorizationErrorRate: [provider=a] Authorization errors high for a; [provider=d] Authorization errors high for d");
  const slackGrouped = received
    .filter((r) => r.path === "/slack/payments")
    .flatMap((r) => (r.body as SlackBody).attachments ?? [])
    .find((a) => a.title?.includes("AuthorizationErrorRate (payments, critical)") && a.text?.includes("provider=d"));
  expect(slackGrouped?.text).toContain("*[provider=a] Authorization errors high for a*");
  expect(slackGrouped?.text).toContain("*[provider=d] Authorization errors high for d*");

  await lab.cleanup();
  console.log(`alertmanager behaviour: delivered and inhibited after ${((tDelivered) / 1000).toFixed(1)} s, ${((Date.now() - t0) / 1000).toFixed(1)} s in all; ${received.length} requests`);
});
