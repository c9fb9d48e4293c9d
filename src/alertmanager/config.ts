/**
 * alertmanager.yml: one route per team (matched on the `team` label every Vigil alert
 * carries), under it one route per severity with the team's escalation, and a loud
 * catch-all at the root. Keys are written in the order Alertmanager's docs use.
 */
import type { AlertmanagerModel, Model, ReceiverModel, SeverityRouteModel, TeamModel } from "../model/types.js";
import { SEVERITIES } from "../model/severity.js";
import { allTeams } from "../normalize/merge.js";
import { formatDuration } from "../promql/format.js";
import type { Severity } from "../spec/types.js";
import { CATCH_ALL, DISCARD, receiverName, routedTeams, severityRoute } from "./routing.js";
import { secretPath } from "./secrets.js";

type Obj = Record<string, unknown>;

const ROOT_TIMING = { group_wait: "30s", group_interval: "5m", repeat_interval: "4h" };
const UNROUTED = "[UNROUTED: no team route matched, fix its team/severity labels]";

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.service }}, {{ .CommonLabels.severity }})';
const SLACK_TEXT =
  "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}\n{{ end }}{{ end }}";
const OPSGENIE_PRIORITY = '{{ if eq .CommonLabels.severity "critical" }}P1{{ else if eq .CommonLabels.severity "warning" }}P3{{ else }}P5{{ end }}';

export function matcher(label: string, value: string, op = "="): string {
  return `${label}${op}${JSON.stringify(value)}`;
}

export function alertmanagerConfig(model: Model): Obj {
  const teams = routedTeams(allTeams(model.services));
  const am = model.alertmanager;
  const config: Obj = {};
  const global = globalSection(am);
  if (global) config.global = global;
  config.route = {
    receiver: CATCH_ALL,
    group_by: ["alertname", "service", "slo"],
    ...ROOT_TIMING,
    routes: teams.map((t) => teamRoute(t, model)),
  };
  config.inhibit_rules = inhibitRules(model);
  config.receivers = [catchAllReceiver(model, teams), { name: DISCARD }, ...teams.flatMap((t) => t.receivers.map((r) => receiver(t, r, am)))];
  if (am.timeIntervals.length) config.time_intervals = am.timeIntervals.map(timeInterval);
  return config;
}

function globalSection(am: AlertmanagerModel): Obj | undefined {
  if (!am.smtp) return undefined;
  const g: Obj = { smtp_smarthost: am.smtp.smarthost, smtp_from: am.smtp.from };
  if (am.smtp.username !== undefined) g.smtp_auth_username = am.smtp.username;
  if (am.smtp.password) g.smtp_auth_password_file = secretPath(am.smtp.password, am.secretsDir);
  g.smtp_require_tls = am.smtp.requireTls;
  return g;
}

function teamRoute(team: TeamModel, model: Model): Obj {
  // Services of this team with maintenance windows get their own severity routes, muted then.
  const maintained = model.services
    .filter((s) => s.maintenance.length > 0 && (s.team === team.name || s.alerts.some((a) => a.team === team.name) || s.slos.some((x) => x.team === team.name)))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const routes: Obj[] = [];
  for (const service of maintained) {
    for (const severity of SEVERITIES) {
      const r = severityRoute(team, severity);
      if (r) routes.push(severityRouteConfig(team, severity, r, [matcher("service", service.name)], service.maintenance));
    }
  }
  for (const severity of SEVERITIES) {
    const r = severityRoute(team, severity);
    if (r) routes.push(severityRouteConfig(team, severity, r, [], []));
  }
  return { matchers: [matcher("team", team.name)], routes };
}

function severityRouteConfig(team: TeamModel, severity: Severity, r: SeverityRouteModel, extraMatchers: string[], maintenance: string[]): Obj {
  const route: Obj = { matchers: [...extraMatchers, matcher("severity", severity)] };
  const receivers = r.receivers.map((name) => receiverName(team, name));
  // One receiver: set it here. Several: children that all match, each continuing to the next.
  if (receivers.length <= 1) route.receiver = receivers[0] ?? DISCARD;
  route.group_by = r.groupBy;
  route.group_wait = formatDuration(r.groupWaitMs);
  route.group_interval = formatDuration(r.groupIntervalMs);
  route.repeat_interval = formatDuration(r.repeatIntervalMs);
  const mute = [...new Set([...r.muteDuring, ...maintenance])];
  if (mute.length) route.mute_time_intervals = mute;
  if (r.activeDuring.length) route.active_time_intervals = r.activeDuring;
  if (receivers.length > 1) route.routes = receivers.map((name, i) => (i < receivers.length - 1 ? { receiver: name, continue: true } : { receiver: name }));
  return route;
}

function inhibitRules(model: Model): Obj[] {
  const rules: Obj[] = [
    // A critical alert says it all: the warning and info alerts of the same alert and service wait.
    { source_matchers: [matcher("severity", "critical")], target_matchers: [matcher("severity", "warning|info", "=~")], equal: ["alertname", "environment", "service"] },
    { source_matchers: [matcher("severity", "warning")], target_matchers: [matcher("severity", "info")], equal: ["alertname", "environment", "service"] },
    // An SLO burning fast (page) makes its slow-burn ticket redundant.
    { source_matchers: [matcher("tier", "page")], target_matchers: [matcher("tier", "ticket")], equal: ["environment", "service", "slo"] },
  ];
  for (const service of [...model.services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const down = [...new Set(service.alerts.filter((a) => a.serviceDown).map((a) => a.name))].sort();
    if (down.length === 0) continue;
    const names = down.join("|");
    rules.push({
      source_matchers: [matcher("service", service.name), down.length === 1 ? matcher("alertname", names) : matcher("alertname", names, "=~")],
      target_matchers: [matcher("service", service.name), down.length === 1 ? matcher("alertname", names, "!=") : matcher("alertname", names, "!~")],
      equal: ["environment"],
    });
  }
  return rules;
}

function receiver(team: TeamModel, r: ReceiverModel, am: AlertmanagerModel, unrouted = false): Obj {
  const name = unrouted ? CATCH_ALL : receiverName(team, r);
  const prefix = unrouted ? `${UNROUTED} ` : "";
  switch (r.kind) {
    case "slack":
      return {
        name,
        slack_configs: [{ send_resolved: true, api_url_file: secretPath(r.webhook, am.secretsDir), channel: r.channel, title: prefix + SLACK_TITLE, text: SLACK_TEXT }],
      };
    case "email": {
      const c: Obj = { send_resolved: !unrouted, to: r.to.join(", ") };
      if (unrouted) c.headers = { Subject: `${UNROUTED} {{ .CommonLabels.alertname }}` };
      return { name, email_configs: [c] };
    }
    case "pagerduty": {
      const c: Obj = { send_resolved: true, routing_key_file: secretPath(r.routingKey, am.secretsDir) };
      if (r.url !== undefined) c.url = r.url;
      c.description = `${prefix}{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}`;
      c.severity = "{{ .CommonLabels.severity }}";
      return { name, pagerduty_configs: [c] };
    }
    case "opsgenie": {
      const c: Obj = { send_resolved: true, api_key_file: secretPath(r.apiKey, am.secretsDir) };
      if (r.apiUrl !== undefined) c.api_url = r.apiUrl;
      c.message = `${prefix}{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}`;
      c.priority = OPSGENIE_PRIORITY;
      if (r.responderTeam !== undefined) c.responders = [{ name: r.responderTeam, type: "team" }];
      return { name, opsgenie_configs: [c] };
    }
    case "webhook": {
      const c: Obj = { send_resolved: true, url: r.url };
      if (r.bearerToken) c.http_config = { authorization: { credentials_file: secretPath(r.bearerToken, am.secretsDir) } };
      return { name, webhook_configs: [c] };
    }
  }
}

/** The catch-all delivers to `alertmanager.catchAll`'s receiver, marked as unrouted; without one it has nowhere to go. */
function catchAllReceiver(model: Model, teams: readonly TeamModel[]): Obj {
  const ref = model.alertmanager.catchAll;
  const team = ref && teams.find((t) => t.name === ref.team);
  const r = team?.receivers.find((x) => x.name === ref?.receiver);
  return team && r ? receiver(team, r, model.alertmanager, true) : { name: CATCH_ALL };
}

function timeInterval(t: AlertmanagerModel["timeIntervals"][number]): Obj {
  return {
    name: t.name,
    time_intervals: t.ranges.map((r) => {
      const o: Obj = {};
      if (r.times) o.times = r.times.map((x) => ({ start_time: x.start, end_time: x.end }));
      if (r.weekdays) o.weekdays = r.weekdays;
      if (r.daysOfMonth) o.days_of_month = r.daysOfMonth;
      if (r.months) o.months = r.months;
      if (r.years) o.years = r.years;
      if (r.location) o.location = r.location;
      return o;
    }),
  };
}
