/**
 * alertmanager.yml from specs, without amtool: the default escalation ladder, explicit
 * receivers, fan-out with `continue`, maintenance and quiet-hour intervals, serviceDown
 * inhibition, secrets as files, and the routing intent (`intendedReceivers`) each case
 * implies. Expected trees are written out by hand from the documented behaviour. The last
 * block hands a few generated configs to the real `amtool check-config` (and routes them).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { counter, defineMonitoring, env, file, type AlertSpec, type MonitoringSpec, type ReceiverSpec, type TeamSpec } from "../api/index.js";
import type { Model } from "../model/types.js";
import { allTeams } from "../normalize/merge.js";
import { normalizeModel } from "../normalize/index.js";
import { runRoutingCases } from "./amtool.js";
import { routingCases } from "./cases.js";
import { alertmanagerConfig } from "./config.js";
import { ALERTMANAGER_CONFIG_PATH, emitAlertmanager, WRITE_SECRETS_PATH } from "./index.js";
import { CATCH_ALL, DISCARD, intendedReceivers } from "./routing.js";

type Obj = Record<string, unknown>;
interface Route {
  matchers?: string[];
  receiver?: string;
  continue?: boolean;
  routes?: Route[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
}
interface Config {
  global?: Obj;
  route: Route;
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: ({ name: string } & Obj)[];
  time_intervals?: { name: string; time_intervals: Obj[] }[];
}

const requests = counter("http_requests_total", { labels: ["code"] });

const R = {
  slack: { name: "chat", kind: "slack", channel: "#payments", webhook: env("SLACK_WEBHOOK_URL") },
  pagerduty: { name: "pager", kind: "pagerduty", routingKey: env("PAGERDUTY_KEY") },
  webhook: { name: "hook", kind: "webhook", url: "https://hooks.example.com/payments" },
  opsgenie: { name: "genie", kind: "opsgenie", apiKey: env("OPSGENIE_KEY") },
  email: { name: "mail", kind: "email", to: ["payments@example.com"] },
} satisfies Record<string, ReceiverSpec>;

const SMTP = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" };

function alert(name: string, extra: Partial<AlertSpec> = {}): AlertSpec {
  return { name, expr: `sum(rate(${requests.select({ code: "500" })}[5m]))`, threshold: 1, severity: "critical", summary: "s", description: "d", ...extra };
}

/** An alert with a severity ladder: one rule per severity. */
function ladderAlert(name: string, thresholds: AlertSpec["thresholds"]): AlertSpec {
  return { name, expr: `sum(rate(${requests.select({ code: "500" })}[5m]))`, thresholds, summary: "s", description: "d" };
}

function spec(team: TeamSpec, rest: Partial<MonitoringSpec> = {}): MonitoringSpec {
  const { service, alertmanager, ...more } = rest;
  return defineMonitoring({
    service: { name: "checkout", team: team.name, ...service },
    teams: [team],
    signals: [requests],
    alertmanager: { smtp: SMTP, ...alertmanager },
    ...more,
  });
}

/** Normalizes specs that must be free of errors. */
function model(...specs: MonitoringSpec[]): Model {
  const r = normalizeModel(specs);
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return r.model;
}

const config = (m: Model) => alertmanagerConfig(m) as unknown as Config;

function teamRoute(c: Config, team: string): Route {
  const r = c.route.routes?.find((x) => x.matchers?.join() === `team="${team}"`);
  if (!r) throw new Error(`no route for team ${team}`);
  return r;
}

/** Receivers a severity route notifies, in order: its own, or its children's. */
const notified = (r: Route): string[] => (r.routes ? r.routes.map((x) => x.receiver!) : [r.receiver!]);
/** The routes that deliver: the route itself, or its children (Alertmanager does not pass intervals down to them). */
const delivering = (r: Route): Route[] => r.routes ?? [r];
/** The mute intervals every delivering route of `r` carries (they must agree). */
function mutes(r: Route, key: "mute_time_intervals" | "active_time_intervals" = "mute_time_intervals"): string[] {
  const each = delivering(r).map((x) => x[key] ?? []);
  for (const e of each) expect(e).toEqual(each[0]);
  if (r.routes) expect(r[key]).toBeUndefined();
  return each[0] ?? [];
}

/** `matchers → receivers` of each route under the team's route, in tree order. */
function ladder(c: Config, team = "payments"): string[] {
  return (teamRoute(c, team).routes ?? []).map((r) => `${r.matchers!.join(",")} → ${notified(r).join(",")}`);
}

const intended = (m: Model, labels: Record<string, string>) => intendedReceivers(allTeams(m.services), labels);
const intendedBySeverity = (m: Model, team = "payments") =>
  Object.fromEntries(["critical", "warning", "info"].map((severity) => [severity, intended(m, { team, severity, alertname: "A", service: "checkout" })]));

describe("the default ladder (no escalation)", () => {
  it("critical → pagers and chat in declaration order, warning → chat, info → email", () => {
    // Declared: slack, pagerduty, email, webhook, opsgenie. Critical takes every pagerduty,
    // opsgenie, slack and webhook receiver as declared; warning the slack and webhook ones.
    const m = model(spec({ name: "payments", receivers: [R.slack, R.pagerduty, R.email, R.webhook, R.opsgenie] }));
    const c = config(m);
    expect(ladder(c)).toEqual([
      'severity="critical" → payments/chat,payments/pager,payments/hook,payments/genie',
      'severity="warning" → payments/chat,payments/hook',
      'severity="info" → payments/mail',
    ]);
    expect(intendedBySeverity(m)).toEqual({
      critical: ["payments/chat", "payments/pager", "payments/hook", "payments/genie"],
      warning: ["payments/chat", "payments/hook"],
      info: ["payments/mail"],
    });
    // Timing per severity: pages fast and often, info slow and batched.
    const timing = teamRoute(c, "payments").routes!.map((r) => [r.group_wait, r.group_interval, r.repeat_interval]);
    expect(timing).toEqual([
      ["10s", "1m", "1h"],
      ["30s", "5m", "4h"],
      ["1m", "10m", "1d"],
    ]);
    expect(teamRoute(c, "payments").routes!.map((r) => r.group_by)).toEqual(Array(3).fill(["alertname", "service", "slo"]));
  });

  it("warning falls back to email when there is no chat; critical too when there is no pager", () => {
    const pagerAndMail = model(spec({ name: "payments", receivers: [R.pagerduty, R.email] }));
    expect(ladder(config(pagerAndMail))).toEqual([
      'severity="critical" → payments/pager',
      'severity="warning" → payments/mail',
      'severity="info" → payments/mail',
    ]);
    const mailOnly = model(spec({ name: "payments", receivers: [R.email] }));
    expect(ladder(config(mailOnly))).toEqual([
      'severity="critical" → payments/mail',
      'severity="warning" → payments/mail',
      'severity="info" → payments/mail',
    ]);
    expect(intendedBySeverity(mailOnly)).toEqual({ critical: ["payments/mail"], warning: ["payments/mail"], info: ["payments/mail"] });
  });

  it("info without an email receiver gets no route: it falls to the catch-all", () => {
    const m = model(spec({ name: "payments", receivers: [R.pagerduty, R.slack] }, { alertmanager: { catchAll: { team: "payments", receiver: "chat" } } }));
    const c = config(m);
    expect(ladder(c)).toEqual(['severity="critical" → payments/pager,payments/chat', 'severity="warning" → payments/chat']);
    expect(intendedBySeverity(m)).toEqual({ critical: ["payments/pager", "payments/chat"], warning: ["payments/chat"], info: [CATCH_ALL] });
    // The root receiver is the catch-all, here the team's Slack marked as unrouted.
    expect(c.route.receiver).toBe(CATCH_ALL);
    const catchAll = c.receivers.find((r) => r.name === CATCH_ALL) as unknown as { slack_configs: { channel: string; title: string }[] };
    expect(catchAll.slack_configs[0]!.channel).toBe("#payments");
    expect(catchAll.slack_configs[0]!.title).toMatch(/^\[UNROUTED: /);
  });

  it("without catchAll the catch-all receiver is empty; unknown teams and severities go there", () => {
    const m = model(spec({ name: "payments", receivers: [R.slack] }));
    const c = config(m);
    expect(c.receivers.find((r) => r.name === CATCH_ALL)).toEqual({ name: CATCH_ALL });
    expect(intended(m, { team: "nobody", severity: "critical" })).toEqual([CATCH_ALL]);
    expect(intended(m, { team: "payments", severity: "page" })).toEqual([CATCH_ALL]);
    expect(intended(m, { severity: "critical" })).toEqual([CATCH_ALL]);
  });

  it("a team without receivers gets no route", () => {
    const m = model(
      spec({ name: "payments", receivers: [R.slack] }),
      defineMonitoring({ service: { name: "refunds", team: "ledger" }, teams: [{ name: "ledger" }] }),
    );
    const c = config(m);
    expect(c.route.routes!.map((r) => r.matchers)).toEqual([['team="payments"']]);
    expect(intended(m, { team: "ledger", severity: "critical" })).toEqual([CATCH_ALL]);
  });
});

describe("explicit escalation", () => {
  it("receivers: [] sends that severity to vigil/discard", () => {
    const m = model(spec({ name: "payments", receivers: [R.slack, R.email], escalation: { info: { receivers: [] } } }));
    const c = config(m);
    expect(ladder(c)).toEqual(['severity="critical" → payments/chat', 'severity="warning" → payments/chat', `severity="info" → ${DISCARD}`]);
    expect(c.receivers.find((r) => r.name === DISCARD)).toEqual({ name: DISCARD });
    expect(intendedBySeverity(m).info).toEqual([DISCARD]);
  });

  it("several receivers become children that continue, in the order written", () => {
    const m = model(
      spec({
        name: "payments",
        receivers: [R.slack, R.pagerduty, R.webhook, R.email],
        escalation: { critical: { receivers: ["hook", "pager", "chat"] }, warning: { receivers: ["mail"] } },
      }),
    );
    const critical = teamRoute(config(m), "payments").routes![0]!;
    expect(critical.matchers).toEqual(['severity="critical"']);
    expect(critical.receiver).toBeUndefined();
    expect(critical.routes).toEqual([
      { receiver: "payments/hook", continue: true },
      { receiver: "payments/pager", continue: true },
      { receiver: "payments/chat" },
    ]);
    const warning = teamRoute(config(m), "payments").routes![1]!;
    expect(warning.receiver).toBe("payments/mail");
    expect(warning.routes).toBeUndefined();
    expect(intendedBySeverity(m)).toEqual({ critical: ["payments/hook", "payments/pager", "payments/chat"], warning: ["payments/mail"], info: ["payments/mail"] });
  });

  it("groupBy and timing are taken as written", () => {
    const m = model(
      spec({ name: "payments", receivers: [R.slack], escalation: { warning: { receivers: ["chat"], groupBy: ["alertname"], groupWait: "45s", groupInterval: "2m", repeatInterval: "12h" } } }),
    );
    const warning = teamRoute(config(m), "payments").routes!.find((r) => r.matchers!.join() === 'severity="warning"')!;
    expect(warning).toMatchObject({ group_by: ["alertname"], group_wait: "45s", group_interval: "2m", repeat_interval: "12h" });
  });
});

describe("time intervals", () => {
  const intervals = [
    { name: "deploys", ranges: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Europe/Berlin" }] },
    { name: "nights", ranges: [{ times: [{ start: "22:00", end: "24:00" }, { start: "00:00", end: "07:00" }] }] },
    { name: "office-hours", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "America/New_York" }] },
  ];

  it("maintenance gives the service its own severity routes, muted, before the team's generic ones", () => {
    const m = model(
      spec(
        { name: "payments", receivers: [R.pagerduty, R.slack, R.email], escalation: { warning: { receivers: ["chat"], muteDuring: ["nights"] } } },
        { service: { name: "checkout", team: "payments", maintenance: ["deploys"] }, alertmanager: { timeIntervals: intervals } },
      ),
      // Another service of the team without maintenance: it takes the generic routes.
      defineMonitoring({ service: { name: "refunds", team: "payments" }, teams: [{ name: "payments" }] }),
    );
    const routes = teamRoute(config(m), "payments").routes!;
    expect(routes.map((r) => [r.matchers!.join(","), notified(r).join(","), mutes(r)])).toEqual([
      // Both children of the critical route are muted: the one that delivers is the one that must be.
      ['service="checkout",severity="critical"', "payments/pager,payments/chat", ["deploys"]],
      ['service="checkout",severity="warning"', "payments/chat", ["deploys", "nights"]],
      ['service="checkout",severity="info"', "payments/mail", ["deploys"]],
      ['severity="critical"', "payments/pager,payments/chat", []],
      ['severity="warning"', "payments/chat", ["nights"]],
      ['severity="info"', "payments/mail", []],
    ]);
    // The intent does not depend on the time: both services' alerts go to the same receivers.
    for (const service of ["checkout", "refunds"]) {
      expect(intended(m, { team: "payments", severity: "warning", service })).toEqual(["payments/chat"]);
    }
  });

  it("activeDuring becomes active_time_intervals", () => {
    const m = model(
      spec(
        { name: "payments", receivers: [R.slack, R.email], escalation: { info: { receivers: ["mail"], activeDuring: ["office-hours"] } } },
        { alertmanager: { timeIntervals: intervals } },
      ),
    );
    const info = teamRoute(config(m), "payments").routes!.find((r) => r.matchers!.join() === 'severity="info"')!;
    expect(info.active_time_intervals).toEqual(["office-hours"]);
    expect(info.mute_time_intervals).toBeUndefined();
    expect(intendedBySeverity(m).info).toEqual(["payments/mail"]);
  });

  it("activeDuring and muteDuring of a severity with two receivers sit on both children", () => {
    const m = model(
      spec(
        { name: "payments", receivers: [R.pagerduty, R.slack], escalation: { critical: { receivers: ["pager", "chat"], activeDuring: ["office-hours"], muteDuring: ["nights"] } } },
        { alertmanager: { timeIntervals: intervals } },
      ),
    );
    const critical = teamRoute(config(m), "payments").routes!.find((r) => r.matchers!.join() === 'severity="critical"')!;
    expect(critical.routes).toEqual([
      { receiver: "payments/pager", continue: true, mute_time_intervals: ["nights"], active_time_intervals: ["office-hours"] },
      { receiver: "payments/chat", mute_time_intervals: ["nights"], active_time_intervals: ["office-hours"] },
    ]);
  });

  it("maintenance per team, per alert and per SLO: the most specific routes first, each with every interval that applies", () => {
    const m = model(
      spec(
        { name: "payments", receivers: [R.pagerduty, R.slack], maintenance: ["nights"] },
        {
          service: { name: "checkout", team: "payments", maintenance: ["deploys"] },
          alertmanager: { timeIntervals: intervals },
          alerts: [{ ...ladderAlert("Errors", { critical: 10, warning: 1 }), maintenance: ["office-hours"] }, alert("Other")],
          slos: [
            {
              name: "availability",
              objective: 99.9,
              sli: { kind: "ratio", bad: requests.select({ code: "500" }), total: requests.select() },
              maintenance: ["office-hours"],
              alerting: { noData: { enabled: false } },
            },
          ],
        },
      ),
    );
    const routes = teamRoute(config(m), "payments").routes!;
    expect(routes.map((r) => [r.matchers!.join(","), mutes(r)])).toEqual([
      ['service="checkout",alertname="Errors",severity="critical"', ["deploys", "nights", "office-hours"]],
      ['service="checkout",alertname="Errors",severity="warning"', ["deploys", "nights", "office-hours"]],
      ['service="checkout",slo="availability",severity="critical"', ["deploys", "nights", "office-hours"]],
      ['service="checkout",slo="availability",severity="warning"', ["deploys", "nights", "office-hours"]],
      ['service="checkout",severity="critical"', ["deploys", "nights"]],
      ['service="checkout",severity="warning"', ["deploys", "nights"]],
      ['severity="critical"', ["nights"]],
      ['severity="warning"', ["nights"]],
    ]);
  });

  it("an SLO's team overrides the service's: its alerts route to that team", () => {
    const m = model(
      defineMonitoring({
        service: { name: "checkout", team: "payments" },
        teams: [{ name: "payments", receivers: [R.slack] }, { name: "sre", receivers: [{ ...R.webhook, name: "sre-hook" }] }],
        signals: [requests],
        slos: [{ name: "availability", objective: 99.9, team: "sre", sli: { kind: "ratio", bad: requests.select({ code: "500" }), total: requests.select() } }],
      }),
    );
    expect(m.services[0]!.slos[0]!.team).toBe("sre");
    const cases = routingCases(m).filter((c) => c.labels.slo === "availability");
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c.receivers).toEqual(["sre/sre-hook"]);
  });

  it("time_intervals use Alertmanager's field names, sorted by name", () => {
    const c = config(model(spec({ name: "payments", receivers: [R.slack] }, { alertmanager: { timeIntervals: [...intervals].reverse() } })));
    expect(c.time_intervals).toEqual([
      { name: "deploys", time_intervals: [{ times: [{ start_time: "02:00", end_time: "04:00" }], weekdays: ["sunday"], location: "Europe/Berlin" }] },
      {
        name: "nights",
        time_intervals: [
          {
            times: [
              { start_time: "22:00", end_time: "24:00" },
              { start_time: "00:00", end_time: "07:00" },
            ],
          },
        ],
      },
      { name: "office-hours", time_intervals: [{ times: [{ start_time: "09:00", end_time: "18:00" }], weekdays: ["monday:friday"], location: "America/New_York" }] },
    ]);
  });
});

describe("inhibition", () => {
  const ratio = { kind: "ratio" as const, bad: requests.select({ code: "500" }), total: requests.select() };

  it("no ladder, no SLO, no serviceDown: no inhibit rules", () => {
    const c = config(model(spec({ name: "payments", receivers: [R.slack] }, { alerts: [alert("Errors")] })));
    expect(c.inhibit_rules).toEqual([]);
  });

  it("a ladder's critical inhibits its warning and info only within one series: equal has the labels it is split by", () => {
    const byCode = { ...ladderAlert("Errors", { critical: 10, warning: 5, info: 1 }), expr: `sum by (code) (rate(${requests.select()}[5m]))` };
    const c = config(model(spec({ name: "payments", receivers: [R.slack] }, { alerts: [byCode, ladderAlert("Total", { critical: 10, warning: 1 })] })));
    expect(c.inhibit_rules).toEqual([
      {
        source_matchers: ['service="checkout"', 'alertname="Errors"', 'severity="critical"'],
        target_matchers: ['service="checkout"', 'alertname="Errors"', 'severity=~"warning|info"'],
        equal: ["code", "environment", "service"],
      },
      {
        source_matchers: ['service="checkout"', 'alertname="Errors"', 'severity="warning"'],
        target_matchers: ['service="checkout"', 'alertname="Errors"', 'severity="info"'],
        equal: ["code", "environment", "service"],
      },
      {
        source_matchers: ['service="checkout"', 'alertname="Total"', 'severity="critical"'],
        target_matchers: ['service="checkout"', 'alertname="Total"', 'severity="warning"'],
        equal: ["environment", "service"],
      },
    ]);
  });

  it("an expression over a recording rule is split by the recording's labels; over an unknown series, no ladder rule", () => {
    const recorded = { ...ladderAlert("Recorded", { critical: 10, warning: 1 }), expr: "job_code:http_requests:rate5m" };
    const unknown = { ...ladderAlert("Unknown", { critical: 10, warning: 1 }), expr: "undeclared_metric", lintDisable: { "promql/unknown-metric": "test" } };
    const m = model(
      spec(
        { name: "payments", receivers: [R.slack] },
        { alerts: [recorded, unknown], recordings: [{ record: "job_code:http_requests:rate5m", expr: `sum by (job, code) (rate(${requests.select()}[5m]))` }] },
      ),
    );
    const alerts = m.services[0]!.alerts;
    expect(alerts.find((a) => a.name === "Recorded")!.split).toEqual({ labels: ["code", "job"], open: false });
    expect(alerts.find((a) => a.name === "Unknown")!.split!.open).toBe(true);
    expect(config(m).inhibit_rules.map((r) => [r.source_matchers[1], r.equal])).toEqual([['alertname="Recorded"', ["code", "environment", "job", "service"]]]);
  });

  it("an SLO's page inhibits its ticket within one series: equal has the SLI's by labels", () => {
    const c = config(model(spec({ name: "payments", receivers: [R.slack] }, { slos: [{ name: "availability", objective: 99.9, sli: { ...ratio, by: ["code"] } }] })));
    expect(c.inhibit_rules).toEqual([
      {
        source_matchers: ['service="checkout"', 'slo="availability"', 'tier="page"'],
        target_matchers: ['service="checkout"', 'slo="availability"', 'tier="ticket"'],
        equal: ["code", "environment", "service", "slo"],
      },
    ]);
  });

  it("one serviceDown alert mutes the service's other alerts, service-wide", () => {
    const c = config(model(spec({ name: "payments", receivers: [R.slack] }, { alerts: [alert("Errors"), alert("CheckoutDown", { serviceDown: true })] })));
    expect(c.inhibit_rules).toEqual([
      { source_matchers: ['service="checkout"', 'alertname="CheckoutDown"'], target_matchers: ['service="checkout"', 'alertname!="CheckoutDown"'], equal: ["environment"] },
    ]);
  });

  it("two serviceDown alerts: one rule with a sorted alternation", () => {
    const c = config(
      model(
        spec({ name: "payments", receivers: [R.slack] }, { alerts: [alert("NoTraffic", { serviceDown: true }), alert("Errors"), alert("CheckoutDown", { serviceDown: true })] }),
      ),
    );
    expect(c.inhibit_rules).toEqual([
      {
        source_matchers: ['service="checkout"', 'alertname=~"CheckoutDown|NoTraffic"'],
        target_matchers: ['service="checkout"', 'alertname!~"CheckoutDown|NoTraffic"'],
        equal: ["environment"],
      },
    ]);
  });

  it("declared inhibitions: source → targets of the service, equal labels, severities", () => {
    const byCode = (name: string, severity: "critical" | "warning" = "critical") => ({ ...alert(name, { severity }), expr: `sum by (code) (rate(${requests.select()}[5m]))` });
    const c = config(
      model(
        spec(
          { name: "payments", receivers: [R.slack] },
          {
            alerts: [byCode("CodeDown"), byCode("Slow", "warning"), byCode("Errors")],
            inhibitions: [
              { source: "CodeDown", targets: ["Slow", "Errors"], equal: ["code"], description: "one code's outage explains its other alerts" },
              { source: "Errors", targets: ["Slow"], sourceSeverities: ["critical"], targetSeverities: ["warning"] },
            ],
          },
        ),
      ),
    );
    expect(c.inhibit_rules).toEqual([
      { source_matchers: ['service="checkout"', 'alertname="CodeDown"'], target_matchers: ['service="checkout"', 'alertname=~"Errors|Slow"'], equal: ["code", "environment"] },
      {
        source_matchers: ['service="checkout"', 'alertname="Errors"', 'severity="critical"'],
        target_matchers: ['service="checkout"', 'alertname="Slow"', 'severity="warning"'],
        equal: ["environment"],
      },
    ]);
  });

  it("declared inhibitions are checked: unknown alerts, self-inhibition, severities, labels no alert carries", () => {
    const r = normalizeModel([
      spec(
        { name: "payments", receivers: [R.slack] },
        {
          alerts: [{ ...alert("CodeDown"), expr: `sum by (code) (rate(${requests.select()}[5m]))` }, alert("Errors", { severity: "warning" })],
          inhibitions: [
            { source: "CodeDwn", targets: ["Errors"] },
            { source: "CodeDown", targets: ["CodeDown", "Eror"] },
            { source: "CodeDown", targets: ["Errors"], sourceSeverities: ["info"], targetSeverities: ["critical"] },
            { source: "CodeDown", targets: ["Errors"], equal: ["code"] },
          ],
        },
      ),
    ]);
    expect(r.diagnostics.filter((d) => d.code === "VIG2033").map((d) => [d.at!.path.join("."), d.message, d.hint])).toEqual([
      ["inhibitions.0.source", 'unknown alert "CodeDwn": the service declares no such alert', 'did you mean "CodeDown"?'],
      ["inhibitions.1.targets.0", 'alert "CodeDown" cannot inhibit itself', "a severity ladder already lets its critical inhibit its warning and info"],
      ["inhibitions.1.targets.1", 'unknown alert "Eror": the service declares no such alert', 'did you mean "Errors"?'],
      ["inhibitions.2.sourceSeverities.0", 'alert "CodeDown" has no info rule', "its severities: critical"],
      ["inhibitions.2.targetSeverities.0", "none of the targets has a critical rule", undefined],
      ["inhibitions.3.equal.0", 'alert "Errors" carries no label "code": the inhibition would never apply', "it carries: service, severity, team"],
    ]);
    expect(r.model.services[0]!.inhibitions).toEqual([]);
  });
});

describe("secrets", () => {
  const SENTINELS: Record<string, string> = {
    SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/TSENTINEL/BSENTINEL/sentinel-slack-token",
    PAGERDUTY_KEY: "sentinel0pagerduty0routing0key00",
    OPSGENIE_KEY: "sentinel-opsgenie-api-key",
    HOOK_TOKEN: "sentinel-hook-bearer",
    SMTP_PASSWORD: "sentinel-smtp-password",
  };
  const saved = Object.fromEntries(Object.keys(SENTINELS).map((k) => [k, process.env[k]]));
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const everyKind = () =>
    spec(
      {
        name: "payments",
        receivers: [
          R.slack,
          R.pagerduty,
          { ...R.opsgenie, apiKey: file("/run/secrets/opsgenie") },
          { ...R.webhook, bearerToken: env("HOOK_TOKEN") },
          { name: "pager-file", kind: "pagerduty", routingKey: file("secrets/pd-key") },
          R.email,
        ],
      },
      { alertmanager: { secretsDir: "/var/lib/vigil/secrets/", smtp: { ...SMTP, username: "alertmanager", password: env("SMTP_PASSWORD") } } },
    );

  it("{ env } is read from <secretsDir>/<NAME>, { file } from the path as given", () => {
    const c = config(model(everyKind()));
    const field = (name: string) => c.receivers.find((r) => r.name === name);
    expect(field("payments/chat")).toMatchObject({ slack_configs: [{ api_url_file: "/var/lib/vigil/secrets/SLACK_WEBHOOK_URL" }] });
    expect(field("payments/pager")).toMatchObject({ pagerduty_configs: [{ routing_key_file: "/var/lib/vigil/secrets/PAGERDUTY_KEY" }] });
    expect(field("payments/genie")).toMatchObject({ opsgenie_configs: [{ api_key_file: "/run/secrets/opsgenie" }] });
    expect(field("payments/hook")).toMatchObject({ webhook_configs: [{ url: "https://hooks.example.com/payments", http_config: { authorization: { credentials_file: "/var/lib/vigil/secrets/HOOK_TOKEN" } } }] });
    expect(field("payments/pager-file")).toMatchObject({ pagerduty_configs: [{ routing_key_file: "secrets/pd-key" }] });
    expect(c.global).toEqual({
      smtp_smarthost: "smtp.example.com:587",
      smtp_from: "alertmanager@example.com",
      smtp_auth_username: "alertmanager",
      smtp_auth_password_file: "/var/lib/vigil/secrets/SMTP_PASSWORD",
      smtp_require_tls: true,
    });
    // Never the inline fields, which would hold the secret itself.
    const text = JSON.stringify(c);
    for (const inline of ['"api_url"', '"routing_key"', '"service_key"', '"api_key"', '"credentials"', '"smtp_auth_password"']) expect(text).not.toContain(inline);
  });

  it("write-secrets.sh writes each env secret (and no file secret) to the secrets dir", () => {
    const { files } = emitAlertmanager(model(everyKind()));
    const script = files.find((f) => f.path === WRITE_SECRETS_PATH)?.content;
    expect(script).toBeDefined();
    expect(script!.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain("set -eu\n");
    // No variable of its own (a secret named dir would be overwritten by it): the path on each line.
    expect(script).toContain("mkdir -p '/var/lib/vigil/secrets'\n");
    expect(script).not.toMatch(/^\w+=/m);
    const written = [...script!.matchAll(/^printf '%s' "\$([A-Z_]+)" > '\/var\/lib\/vigil\/secrets\/([A-Z_]+)'$/gm)].map((m) => [m[1], m[2]]);
    expect(written).toEqual([
      ["HOOK_TOKEN", "HOOK_TOKEN"],
      ["PAGERDUTY_KEY", "PAGERDUTY_KEY"],
      ["SLACK_WEBHOOK_URL", "SLACK_WEBHOOK_URL"],
      ["SMTP_PASSWORD", "SMTP_PASSWORD"],
    ]);
    for (const name of ["HOOK_TOKEN", "PAGERDUTY_KEY", "SLACK_WEBHOOK_URL", "SMTP_PASSWORD"]) expect(script).toContain(`: "\${${name}:?${name} is not set}"`);
    expect(script).not.toMatch(/opsgenie|pd-key/);
  });

  it("no write-secrets.sh when every secret is a file", () => {
    const { files } = emitAlertmanager(model(spec({ name: "payments", receivers: [{ ...R.slack, webhook: file("/run/secrets/slack") }] })));
    expect(files.map((f) => f.path)).not.toContain(WRITE_SECRETS_PATH);
  });

  it("no secret value and no environment value appears in any output", () => {
    Object.assign(process.env, SENTINELS);
    const { files } = emitAlertmanager(model(everyKind()));
    const all = files.map((f) => f.content).join("\n");
    for (const value of Object.values(SENTINELS)) expect(all).not.toContain(value);
    expect(all).not.toMatch(/sentinel/i);
  });
});

describe("routing cases carry the intent", () => {
  it("every generated alert, with its labels and intended receivers", () => {
    const m = model(
      spec(
        { name: "payments", receivers: [R.pagerduty, R.slack], escalation: { warning: { receivers: [] } } },
        { alerts: [ladderAlert("Errors", { critical: 10, warning: 1, info: 0.1 })] },
      ),
    );
    expect(routingCases(m)).toEqual([
      { alert: "Errors", labels: { alertname: "Errors", service: "checkout", severity: "critical", team: "payments" }, receivers: ["payments/pager", "payments/chat"] },
      { alert: "Errors", labels: { alertname: "Errors", service: "checkout", severity: "warning", team: "payments" }, receivers: [DISCARD] },
      { alert: "Errors", labels: { alertname: "Errors", service: "checkout", severity: "info", team: "payments" }, receivers: [CATCH_ALL] },
    ]);
  });
});

/** The real consumer: amtool 0.25+ validates the generated configs and routes their cases. */
describe("amtool accepts the generated configs", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigil-am-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const kitchenSink = () =>
    spec(
      {
        name: "payments",
        receivers: [
          R.slack,
          { ...R.pagerduty, url: "https://events.eu.pagerduty.com/v2/enqueue" },
          { ...R.opsgenie, responderTeam: "Payments", apiUrl: "https://api.eu.opsgenie.com/" },
          { ...R.webhook, bearerToken: file("/run/secrets/hook") },
          R.email,
        ],
        escalation: {
          critical: { receivers: ["pager", "genie", "chat"], muteDuring: ["freeze"] },
          warning: { receivers: ["chat", "hook"], groupBy: ["alertname", "service"], repeatInterval: "8h" },
          info: { receivers: ["mail"], activeDuring: ["office-hours"] },
        },
      },
      {
        service: { name: "checkout", team: "payments", environment: "production", maintenance: ["deploys"] },
        alerts: [ladderAlert("Errors", { critical: 10, warning: 1, info: 0.1 }), alert("CheckoutDown", { serviceDown: true })],
        alertmanager: {
          catchAll: { team: "payments", receiver: "mail" },
          secretsDir: "/etc/alertmanager/secrets",
          smtp: { ...SMTP, username: "am", password: env("SMTP_PASSWORD"), requireTls: false },
          timeIntervals: [
            { name: "deploys", ranges: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "Europe/Berlin" }] },
            { name: "office-hours", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "America/New_York" }] },
            { name: "freeze", ranges: [{ months: ["december"], daysOfMonth: ["24:31", "-1"], years: ["2026:2027"] }, { months: ["1"], daysOfMonth: ["1"] }] },
          ],
        },
      },
    );

  const checked = (name: string, m: Model) => {
    const path = join(dir, `${name}.yml`);
    const content = emitAlertmanager(m).files.find((f) => f.path === ALERTMANAGER_CONFIG_PATH)!.content;
    writeFileSync(path, content);
    const r = spawnSync("amtool", ["check-config", path], { encoding: "utf8", timeout: 60_000 });
    if (r.error) throw new Error(`amtool could not run (${r.error.message}); install prometheus-alertmanager`);
    expect(`${r.stdout}${r.stderr}`).toContain("SUCCESS");
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    return path;
  };

  it("every receiver kind, SMTP with a password file, time intervals with locations, maintenance, serviceDown", async () => {
    const m = model(kitchenSink());
    const path = checked("kitchen-sink", m);
    const cases = routingCases(m);
    expect(cases.map((c) => `${c.alert}/${c.labels.severity} → ${c.receivers.join(",")}`)).toEqual([
      "Errors/critical → payments/pager,payments/genie,payments/chat",
      "Errors/warning → payments/chat,payments/hook",
      "Errors/info → payments/mail",
      "CheckoutDown/critical → payments/pager,payments/genie,payments/chat",
    ]);
    const results = await runRoutingCases(path, cases);
    expect(results.filter((r) => !r.ok).map((r) => ({ alert: r.case.alert, labels: r.case.labels, expected: r.case.receivers, amtool: r.actual, error: r.error }))).toEqual([]);
    // An alert of no team reaches the catch-all.
    const stray = await runRoutingCases(path, [{ alert: "Stray", labels: { alertname: "Stray", severity: "critical" }, receivers: [CATCH_ALL] }]);
    expect(stray[0]!.ok).toBe(true);
  });

  it("explicit discard, default ladder and no SMTP", async () => {
    const m = model(
      defineMonitoring({
        service: { name: "refunds", team: "ledger" },
        teams: [{ name: "ledger", receivers: [R.slack, R.webhook], escalation: { warning: { receivers: [] } } }],
        signals: [requests],
        alerts: [ladderAlert("Refunds", { critical: 2, warning: 1 })],
      }),
    );
    const path = checked("discard", m);
    const results = await runRoutingCases(path, routingCases(m));
    expect(results.map((r) => [r.case.labels.severity, r.ok, r.actual.join(",")])).toEqual([
      ["critical", true, "ledger/chat,ledger/hook"],
      ["warning", true, DISCARD],
    ]);
  });
});
