/**
 * alertmanager.yml: one route per team (matched on the `team` label every Vigil alert
 * carries), under it one route per severity with the team's escalation, and a loud
 * catch-all at the root. Keys are written in the order Alertmanager's docs use.
 */
import type { AlertmanagerModel, LabelMatcherModel, Model, ReceiverModel, ServiceModel, SeverityRouteModel, TeamModel } from "../model/types.js";
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
/**
 * Inside `range $a`: the labels of this alert the group's alerts do not share, e.g.
 * `[provider=adyen] `, so alerts of two providers grouped together read apart.
 */
const DISTINCT = "{{ with ($a.Labels.Remove $.CommonLabels.Names).SortedPairs }}[{{ range $j, $p := . }}{{ if $j }} {{ end }}{{ $p.Name }}={{ $p.Value }}{{ end }}] {{ end }}";
const SLACK_TEXT = `{{ range $a := .Alerts }}*${DISTINCT}{{ $a.Annotations.summary }}*\n{{ $a.Annotations.description }}\n{{ if $a.Annotations.runbook_url }}Runbook: {{ $a.Annotations.runbook_url }}\n{{ end }}{{ end }}`;
/**
 * One line for pagers: the alert name, then every firing alert's summary (all alerts' once
 * resolved) with the labels that tell it apart — `CommonAnnotations` is empty as soon as
 * two alerts of a group differ.
 */
const SUMMARIES = `{{ .CommonLabels.alertname }}: {{ $alerts := .Alerts.Firing }}{{ if not $alerts }}{{ $alerts = .Alerts }}{{ end }}{{ range $i, $a := $alerts }}{{ if $i }}; {{ end }}${DISTINCT}{{ $a.Annotations.summary }}{{ end }}`;
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

/** Alerts routed through a team route that share a maintenance window: their matchers and the intervals. */
interface MaintenanceScope {
  matchers: string[];
  maintenance: string[];
  severities: readonly Severity[];
}

/**
 * The team's severity routes, most specific first (the first that matches routes the alert):
 * an alert's or an SLO's own maintenance, then a service's, then the team's plain routes.
 * Every route that delivers carries all the intervals that apply to it — Alertmanager does not
 * pass a parent's mute or active intervals down to its children.
 */
function teamRoute(team: TeamModel, model: Model): Obj {
  const services = [...model.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  const reaches = (s: ServiceModel) =>
    s.team === team.name || s.alerts.some((a) => a.team === team.name) || s.slos.some((x) => x.team === team.name) || (s.anomalies ?? []).some((a) => a.team === team.name);
  const scopes: MaintenanceScope[] = [];
  for (const service of services) {
    const svc = matcher("service", service.name);
    const own = new Map<string, { maintenance: Set<string>; severities: Set<Severity> }>();
    const anomalies = (service.anomalies ?? []).map((a) => ({ name: a.alertName, team: a.team, severity: a.severity, maintenance: a.maintenance }));
    for (const a of [...service.alerts, ...anomalies]) {
      if (a.team !== team.name || !a.maintenance?.length) continue;
      const entry = own.get(a.name) ?? { maintenance: new Set<string>(), severities: new Set<Severity>() };
      a.maintenance.forEach((m) => entry.maintenance.add(m));
      entry.severities.add(a.severity);
      own.set(a.name, entry);
    }
    for (const [name, e] of [...own].sort(([x], [y]) => (x < y ? -1 : 1))) {
      scopes.push({ matchers: [svc, matcher("alertname", name)], maintenance: [...e.maintenance, ...service.maintenance], severities: SEVERITIES.filter((x) => e.severities.has(x)) });
    }
    for (const slo of [...service.slos].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (slo.team !== team.name || !slo.maintenance?.length) continue;
      const severities = new Set<Severity>([...slo.tiers.map((t) => t.severity), ...(slo.noData ? [slo.noData.severity] : [])]);
      scopes.push({ matchers: [svc, matcher("slo", slo.name)], maintenance: [...slo.maintenance, ...service.maintenance], severities: SEVERITIES.filter((x) => severities.has(x)) });
    }
  }
  for (const service of services) {
    if (service.maintenance.length > 0 && reaches(service)) scopes.push({ matchers: [matcher("service", service.name)], maintenance: service.maintenance, severities: SEVERITIES });
  }
  scopes.push({ matchers: [], maintenance: [], severities: SEVERITIES });
  const routes: Obj[] = [];
  for (const scope of scopes) {
    for (const severity of scope.severities) {
      const r = severityRoute(team, severity);
      if (r) routes.push(severityRouteConfig(team, severity, r, scope.matchers, [...(team.maintenance ?? []), ...scope.maintenance]));
    }
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
  // Intervals go on the route that delivers: children do not inherit them from their parent.
  const intervals: Obj = {};
  const mute = [...new Set([...r.muteDuring, ...maintenance])].sort();
  if (mute.length) intervals.mute_time_intervals = mute;
  if (r.activeDuring.length) intervals.active_time_intervals = [...new Set(r.activeDuring)].sort();
  if (receivers.length <= 1) Object.assign(route, intervals);
  else route.routes = receivers.map((name, i) => ({ receiver: name, ...(i < receivers.length - 1 ? { continue: true } : {}), ...intervals }));
  return route;
}

/** The model's inhibit rules, service by service. */
function inhibitRules(model: Model): Obj[] {
  const render = (ms: readonly LabelMatcherModel[]) => ms.map((m) => matcher(m.label, m.value, m.op));
  return [...model.services]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((s) => s.inhibitions ?? [])
    .map((r) => ({ source_matchers: render(r.source), target_matchers: render(r.target), equal: [...r.equal] }));
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
      c.description = prefix + SUMMARIES;
      c.severity = "{{ .CommonLabels.severity }}";
      return { name, pagerduty_configs: [c] };
    }
    case "opsgenie": {
      const c: Obj = { send_resolved: true, api_key_file: secretPath(r.apiKey, am.secretsDir) };
      if (r.apiUrl !== undefined) c.api_url = r.apiUrl;
      c.message = prefix + SUMMARIES;
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
