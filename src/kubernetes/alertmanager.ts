/**
 * An `AlertmanagerConfig` (monitoring.coreos.com/v1alpha1) per team and namespace: the team's
 * route of alertmanager.yml, its receivers and the time intervals its routes name, within the
 * Prometheus Operator's rules for a namespaced config:
 *
 * - the operator adds `namespace="<the config's namespace>"` to the top route (and to inhibit
 *   rules), so a team gets a config in every namespace whose services' alerts it receives, and
 *   the services' alerting rules carry that label (rules.ts);
 * - receivers are named within the config (`slack`, not `<team>/slack`) and routes refer to them
 *   by name; the top route must name one: `catch-all`, which delivers like alertmanager.yml's
 *   catch-all (the `alertmanager.catchAll` receiver, or nobody);
 * - every secret is a key of a Kubernetes Secret in the same namespace
 *   (`vigil-<team>-receivers`, one key a secret: the environment variable's name, or the file's
 *   name), never a literal: create it with `kubectl create secret generic`.
 */
import { makeDiagnostic, type Diagnostic, type SpecRef } from "../diagnostics/index.js";
import type { Model, ReceiverModel, ServiceModel, TeamModel } from "../model/types.js";
import { alertmanagerConfig, matcher } from "../alertmanager/config.js";
import { CATCH_ALL, DISCARD, receiverName, routedTeams } from "../alertmanager/routing.js";
import { allTeams } from "../normalize/merge.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import type { SecretRef } from "../spec/types.js";
import { resource, type Obj, type Resource } from "./meta.js";

const CATCH_ALL_NAME = "catch-all";
const DISCARD_NAME = "discard";
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export function receiversSecretName(team: string): string {
  return `vigil-${team}-receivers`;
}

export function alertmanagerConfigs(model: Model): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const am = alertmanagerConfig(model) as { route: { routes: Obj[] }; receivers: Obj[] };
  const diagnostics: Diagnostic[] = [];
  const byNamespace = new Map<string, ServiceModel[]>();
  for (const s of model.services) byNamespace.set(kubernetesNamespace(s), [...(byNamespace.get(kubernetesNamespace(s)) ?? []), s]);
  const resources: Resource[] = [];
  const reported = new Set<string>();
  for (const [namespace, services] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The teams any alert of the namespace's services is routed to (declared in full in any spec).
    const routedHere = new Set(services.flatMap((s) => [s.team, ...s.alerts.map((a) => a.team), ...s.slos.map((x) => x.team), ...(s.anomalies ?? []).map((a) => a.team)]));
    const teams = routedTeams(allTeams(model.services)).filter((t) => routedHere.has(t.name));
    // Inhibitions are the owning team's (or, if it gets no config, the first team's of the namespace).
    const inhibitionsOf = (team: TeamModel) =>
      services.filter((s) => (teams.some((t) => t.name === s.team) ? s.team === team.name : team === teams[0])).flatMap((s) => s.inhibitions ?? []);
    for (const team of teams) {
      const route = am.route.routes.find((r) => (r.matchers as string[])[0] === matcher("team", team.name));
      if (!route) continue;
      const secrets = new SecretKeys(team, diagnostics, reported);
      const spec: Obj = { route: { ...convertRoute(route, team), receiver: CATCH_ALL_NAME } };
      const used = new Set<string>();
      collectReceivers(spec.route as Obj, used);
      const receivers: Obj[] = [];
      for (const name of [...used].sort()) receivers.push(convertReceiver(name, team, model, am, secrets));
      spec.receivers = receivers;
      const inhibitions = inhibitionsOf(team).map((r) => ({
        sourceMatch: r.source.map((m) => ({ name: m.label, value: m.value, matchType: m.op })),
        targetMatch: r.target.map((m) => ({ name: m.label, value: m.value, matchType: m.op })),
        ...(r.equal.length ? { equal: [...r.equal] } : {}),
      }));
      if (inhibitions.length) spec.inhibitRules = inhibitions;
      const intervals = timeIntervalsUsed(spec.route as Obj);
      const mute = model.alertmanager.timeIntervals.filter((t) => intervals.has(t.name));
      for (const t of mute) {
        const location = t.ranges.find((r) => r.location !== undefined && r.location !== "UTC")?.location;
        if (location !== undefined && !reported.has(`interval:${t.name}`)) {
          reported.add(`interval:${t.name}`);
          const at = { ...t.at, path: [...t.at.path, "ranges", t.ranges.findIndex((r) => r.location === location), "location"] };
          diagnostics.push(makeDiagnostic("VIG2051", `time interval "${t.name}" is in ${location}: an AlertmanagerConfig (v1alpha1) has no location for it`, at, { hint: "give the interval in UTC for the kubernetes target" }));
        }
      }
      if (mute.length) {
        spec.muteTimeIntervals = mute.map((t) => ({
          name: t.name,
          timeIntervals: t.ranges.map((r) => {
            const o: Obj = {};
            if (r.times) o.times = r.times.map((x) => ({ startTime: x.start, endTime: x.end }));
            if (r.weekdays) o.weekdays = r.weekdays;
            if (r.daysOfMonth) o.daysOfMonth = r.daysOfMonth.map(dayRange);
            if (r.months) o.months = r.months;
            if (r.years) o.years = r.years;
            return o;
          }),
        }));
      }
      resources.push(resource("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig", team.name, namespace, { spec }));
    }
  }
  return { resources, diagnostics };
}

/** `1:7` → { start: 1, end: 7 }; `-1` → { start: -1, end: -1 }. */
function dayRange(range: string): Obj {
  const [start, end] = range.split(/(?<=\d):/);
  return { start: Number(start), end: Number(end ?? start) };
}

const ROUTE_KEYS: Record<string, string> = {
  group_by: "groupBy",
  group_wait: "groupWait",
  group_interval: "groupInterval",
  repeat_interval: "repeatInterval",
  mute_time_intervals: "muteTimeIntervals",
  active_time_intervals: "activeTimeIntervals",
  continue: "continue",
};

function convertRoute(route: Obj, team: TeamModel): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(route)) {
    if (k === "matchers") out.matchers = (v as string[]).map(parseMatcher);
    else if (k === "receiver") out.receiver = localReceiver(v as string, team);
    else if (k === "routes") out.routes = (v as Obj[]).map((r) => convertRoute(r, team));
    else out[ROUTE_KEYS[k] ?? k] = v;
  }
  return out;
}

function parseMatcher(m: string): Obj {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)(".*")$/.exec(m);
  if (!match) throw new Error(`vigil internal error: matcher ${m} is not label op "value"`);
  return { name: match[1], value: JSON.parse(match[3]!) as string, matchType: match[2] };
}

function localReceiver(name: string, team: TeamModel): string {
  if (name === DISCARD) return DISCARD_NAME;
  if (name === CATCH_ALL) return CATCH_ALL_NAME;
  const prefix = `${team.name}/`;
  if (!name.startsWith(prefix)) throw new Error(`vigil internal error: team ${team.name} routes to ${name}`);
  return name.slice(prefix.length);
}

function collectReceivers(route: Obj, into: Set<string>): void {
  if (typeof route.receiver === "string") into.add(route.receiver);
  for (const r of (route.routes as Obj[] | undefined) ?? []) collectReceivers(r, into);
}

function timeIntervalsUsed(route: Obj, into = new Set<string>()): Set<string> {
  for (const k of ["muteTimeIntervals", "activeTimeIntervals"]) for (const n of (route[k] as string[] | undefined) ?? []) into.add(n);
  for (const r of (route.routes as Obj[] | undefined) ?? []) timeIntervalsUsed(r, into);
  return into;
}

/** Secret key references of one team's Secret; a file name that is no Secret key is VIG2051. */
class SecretKeys {
  constructor(
    private readonly team: TeamModel,
    private readonly diagnostics: Diagnostic[],
    private readonly reported: Set<string>,
  ) {}

  ref(secret: SecretRef, owner: string, at: SpecRef, secretOf = this.team.name): Obj {
    const key = "env" in secret ? secret.env : (secret.file.split("/").pop() ?? secret.file);
    if (!SECRET_KEY.test(key) && !this.reported.has(`key:${key}`)) {
      this.reported.add(`key:${key}`);
      this.diagnostics.push(makeDiagnostic("VIG2051", `secret file name "${key}" of receiver "${owner}" is not a Kubernetes Secret key`, at, { hint: "Secret keys are letters, digits, '-', '_' and '.'; name the file so" }));
    }
    return { name: receiversSecretName(secretOf), key };
  }
}

function convertReceiver(name: string, team: TeamModel, model: Model, am: { receivers: Obj[] }, secrets: SecretKeys): Obj {
  if (name === DISCARD_NAME) return { name };
  let generated: Obj | undefined;
  let source: { team: TeamModel; receiver: ReceiverModel } | undefined;
  if (name === CATCH_ALL_NAME) {
    generated = am.receivers.find((r) => r.name === CATCH_ALL);
    const ref = model.alertmanager.catchAll;
    const owner = ref && allTeams(model.services).find((t) => t.name === ref.team);
    const receiver = owner?.receivers.find((r) => r.name === ref?.receiver);
    if (owner && receiver) source = { team: owner, receiver };
  } else {
    generated = am.receivers.find((r) => r.name === receiverName(team, name));
    const receiver = team.receivers.find((r) => r.name === name);
    if (receiver) source = { team, receiver };
  }
  if (!generated || !source) return { name };
  const r = source.receiver;
  // At the receiver's field that holds it (the SMTP password: at the e-mail receiver).
  const secret = (s: SecretRef, field?: string) => secrets.ref(s, r.name, field ? { ...r.at, path: [...r.at.path, field] } : r.at, source.team.name);
  const first = (key: string) => ((generated[key] as Obj[] | undefined) ?? [])[0] ?? {};
  switch (r.kind) {
    case "slack": {
      const c = first("slack_configs");
      return { name, slackConfigs: [{ sendResolved: c.send_resolved, apiURL: secret(r.webhook, "webhook"), channel: c.channel, title: c.title, text: c.text }] };
    }
    case "email": {
      const c = first("email_configs");
      const out: Obj = { sendResolved: c.send_resolved, to: c.to };
      const smtp = model.alertmanager.smtp;
      if (smtp) {
        out.smarthost = smtp.smarthost;
        out.from = smtp.from;
        if (smtp.username !== undefined) out.authUsername = smtp.username;
        if (smtp.password) out.authPassword = secret(smtp.password);
        out.requireTLS = smtp.requireTls;
      }
      const headers = c.headers as Record<string, string> | undefined;
      if (headers) out.headers = Object.entries(headers).map(([key, value]) => ({ key, value }));
      return { name, emailConfigs: [out] };
    }
    case "pagerduty": {
      const c = first("pagerduty_configs");
      const out: Obj = { sendResolved: c.send_resolved, routingKey: secret(r.routingKey, "routingKey") };
      if (r.url !== undefined) out.url = r.url;
      return { name, pagerdutyConfigs: [{ ...out, description: c.description, severity: c.severity }] };
    }
    case "opsgenie": {
      const c = first("opsgenie_configs");
      const out: Obj = { sendResolved: c.send_resolved, apiKey: secret(r.apiKey, "apiKey") };
      if (r.apiUrl !== undefined) out.apiURL = r.apiUrl;
      out.message = c.message;
      out.priority = c.priority;
      if (c.responders) out.responders = c.responders;
      return { name, opsgenieConfigs: [out] };
    }
    case "webhook": {
      const c = first("webhook_configs");
      const out: Obj = { sendResolved: c.send_resolved, url: r.url };
      if (r.bearerToken) out.httpConfig = { authorization: { type: "Bearer", credentials: secret(r.bearerToken, "bearerToken") } };
      return { name, webhookConfigs: [out] };
    }
  }
}
