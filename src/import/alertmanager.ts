/**
 * `vigil import alertmanager alertmanager.yml`: an Alertmanager config → teams. Each child of
 * the root route that matches a `team` (match, match_re with a literal, or `team="x"` matchers)
 * is a team; the receivers it and its children use are the team's receivers (one per Slack,
 * PagerDuty, Opsgenie, e-mail or webhook config); a child matching `severity` sets that
 * severity's escalation, the team route's receiver the others. The root receiver is the
 * catch-all; `global` SMTP settings are `alertmanager.smtp`.
 *
 * Secrets never reach the spec: Slack webhook URLs, PagerDuty routing/service keys, Opsgenie API
 * keys, bearer tokens and the SMTP password become `env("NAME")` (or `file(path)` for a `*_file`
 * setting); a webhook URL that carries a credential is written without it (VIG6006). Routes
 * without a team and templates are warnings naming them.
 *
 * Time intervals (`time_intervals` and the older `mute_time_intervals`) become
 * `alertmanager.timeIntervals`; a route's `mute_time_intervals`/`active_time_intervals` become
 * the `muteDuring`/`activeDuring` of the severities that stop at that route (Alertmanager does not
 * pass them to child routes), and its group_wait/group_interval/repeat_interval (inherited, as
 * Alertmanager does) their timings. Rule files given after the configuration are imported as
 * `vigil import prometheus` would, so inhibit rules between named alerts (`alertname` and
 * `severity` matchers, `equal` labels) become `inhibitions`; a rule of the `severity` ladder kind
 * (critical over warning, equal on alertname) is what Vigil's severity ladders do (VIG6003); any
 * other inhibit rule is a comment in the spec and a VIG6004 warning saying why.
 */
import { basename } from "node:path";
import { code, obj, type Lit } from "../cli/init-files.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { findSecret } from "../lint/rules/spec/secret.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";
import { importPrometheus, nameFrom } from "./prometheus.js";
import type { DraftAlert, DraftSignal } from "./draft.js";
import { parsePromQL } from "../promql/parse.js";
import { labelFlow } from "../promql/labels.js";
import { stringify as yamlText } from "yaml";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

type Raw = Record<string, unknown>;
type Path = (string | number)[];
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const SEVERITIES = ["critical", "warning", "info"] as const;
type Sev = (typeof SEVERITIES)[number];

/** A route's timings, each the nearest set on the way from the root. */
interface Timing { group_wait?: string; group_interval?: string; repeat_interval?: string }
function timingOf(route: Raw, parent: Timing): Timing {
  const out: Timing = { ...parent };
  for (const key of ["group_wait", "group_interval", "repeat_interval"] as const) if (typeof route[key] === "string") out[key] = route[key] as string;
  return out;
}
const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

interface Matcher { label: string; op: "=" | "!=" | "=~" | "!~"; value: string }
/** One side of an inhibit rule: `*_matchers` strings, `*_match` and `*_match_re` maps; undefined if a matcher does not parse. */
function sideMatchers(rule: Raw, side: "source" | "target"): Matcher[] | undefined {
  const out: Matcher[] = [];
  for (const m of Array.isArray(rule[`${side}_matchers`]) ? (rule[`${side}_matchers`] as unknown[]) : []) {
    const r = typeof m === "string" ? /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/.exec(m) : null;
    if (!r) return undefined;
    out.push({ label: r[1]!, op: r[2] as Matcher["op"], value: r[3] !== undefined ? r[3].replace(/\\(.)/g, "$1") : r[4]! });
  }
  const match = isRecord(rule[`${side}_match`]) ? (rule[`${side}_match`] as Raw) : {};
  for (const [label, value] of Object.entries(match)) out.push({ label, op: "=", value: String(value) });
  const re = isRecord(rule[`${side}_match_re`]) ? (rule[`${side}_match_re`] as Raw) : {};
  for (const [label, value] of Object.entries(re)) out.push({ label, op: "=~", value: String(value) });
  return out;
}
/** The values an `=` matcher or an `=~` of literal alternatives (`a|b`) admits; undefined for any other matcher. */
function literalValues(m: Matcher): string[] | undefined {
  if (m.op === "=") return [m.value];
  if (m.op === "=~" && /^[A-Za-z0-9_:-]+(\|[A-Za-z0-9_:-]+)*$/.test(m.value)) return m.value.split("|");
  return undefined;
}

/** The known alerts an imported inhibition may name: their severities, and the labels their series carry (undefined: cannot tell). */
type AlertCatalog = ReadonlyMap<string, { severities: ReadonlySet<Sev>; labels?: ReadonlySet<string> }>;

/** The labels an imported alert's series carry: its rule labels and what its expression keeps; undefined when that is open. */
function alertLabels(alert: DraftAlert, signals: readonly DraftSignal[]): Set<string> | undefined {
  const SUFFIX = { select: "", bucket: "_bucket", count: "_count", sum: "_sum" } as const;
  const text = alert.expr.map((p) => (typeof p === "string" ? p : `${p.signal}${SUFFIX[p.part]}{${p.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(",")}}`)).join("");
  const parsed = parsePromQL(text.split("{{window}}").join("5m"));
  if (!parsed.ok) return undefined;
  const byName = new Map(signals.map((s) => [s.name, s]));
  const flow = labelFlow(parsed.expr, (metric) => {
    const base = byName.get(metric) ?? byName.get(metric.replace(/_(bucket|count|sum)$/, ""));
    if (!base) return undefined;
    return metric.endsWith("_bucket") && base.type === "histogram" ? [...base.labels, "le"] : base.labels;
  });
  return flow.open ? undefined : new Set([...flow.labels, ...Object.keys(alert.labels), "alertname", "severity", "team", "service"]);
}
type InhibitMapping = { kind: "inhibition"; literal: Lit } | { kind: "ladder"; why: string } | { kind: "none"; why: string };

/** An inhibit rule as a spec inhibition, as Vigil's severity ladders, or why it is neither. */
function mapInhibitRule(rule: Raw, catalog: AlertCatalog, service: string, rulesGiven: boolean): InhibitMapping {
  const source = sideMatchers(rule, "source");
  const target = sideMatchers(rule, "target");
  if (!source || !target) return { kind: "none", why: "a matcher does not parse" };
  const equal = names(rule.equal);
  const pick = (ms: Matcher[], label: string) => ms.filter((m) => m.label === label);
  const other = [...source, ...target].find((m) => !["alertname", "severity"].includes(m.label) && !(m.label === "service" && m.op === "=" && m.value === service));
  if (other) return { kind: "none", why: `it matches ${other.label}${other.op}${JSON.stringify(other.value)}; a spec's inhibitions select alerts by name and severity only` };
  for (const ms of [source, target]) {
    if (pick(ms, "alertname").length > 1 || pick(ms, "severity").length > 1) return { kind: "none", why: "a side has two alertname or two severity matchers" };
  }
  const sevs = (ms: Matcher[]): Sev[] | undefined | "bad" => {
    const m = pick(ms, "severity")[0];
    if (!m) return undefined;
    const values = literalValues(m);
    return values && values.every((x) => (SEVERITIES as readonly string[]).includes(x)) ? (values as Sev[]) : "bad";
  };
  const sourceSev = sevs(source);
  const targetSev = sevs(target);
  if (sourceSev === "bad" || targetSev === "bad") return { kind: "none", why: "its severity matchers name severities other than critical, warning and info" };
  const sourceName = pick(source, "alertname")[0];
  const targetName = pick(target, "alertname")[0];
  if (!sourceName && !targetName) {
    const rank = (s: Sev) => SEVERITIES.indexOf(s);
    if (sourceSev && targetSev && equal.includes("alertname") && Math.max(...sourceSev.map(rank)) < Math.min(...targetSev.map(rank))) {
      return {
        kind: "ladder",
        why: `${sourceSev.join("/")} over ${targetSev.join("/")} of the same alert is what Vigil's severity ladders do: within one alert name and series, critical inhibits warning and info, warning inhibits info (equal on the labels the alert is split by${equal.length > 1 ? `, not on ${equal.filter((l) => l !== "alertname").join(", ")} as such` : ""})`,
      };
    }
    return { kind: "none", why: "it names no alert; only a critical-over-warning rule equal on alertname is a severity ladder" };
  }
  if (!sourceName || !targetName) return { kind: "none", why: "a spec's inhibition names its source and target alerts; this rule names only one side's" };
  const sourceNames = literalValues(sourceName);
  const targetNames = literalValues(targetName);
  if (!sourceNames || sourceNames.length !== 1) return { kind: "none", why: `its source matcher alertname${sourceName.op}${JSON.stringify(sourceName.value)} is not one alert` };
  if (!targetNames) return { kind: "none", why: `its target matcher alertname${targetName.op}${JSON.stringify(targetName.value)} is not a list of alerts` };
  const src = sourceNames[0]!;
  const unknown = [src, ...targetNames].find((n) => !catalog.has(n));
  if (unknown) return { kind: "none", why: `alert "${unknown}" is not among the imported alerts${rulesGiven ? "" : " (give the rule files after the configuration: vigil import alertmanager alertmanager.yml rules.yml)"}` };
  if (targetNames.includes(src)) return { kind: "none", why: `alert "${src}" would inhibit itself; a spec's severity ladders do that within an alert` };
  if (equal.includes("alertname")) return { kind: "none", why: "it is equal on alertname between different alerts, so it never applies" };
  const lacking = (sevList: Sev[] | undefined, alerts: string[]) => (sevList ?? []).find((s) => !alerts.some((a) => catalog.get(a)!.severities.has(s)));
  const badSev = lacking(sourceSev, [src]) ?? lacking(targetSev, targetNames);
  if (badSev) return { kind: "none", why: `it selects severity ${badSev}, which the imported alerts it names have no rule for` };
  const entries: [string, Lit][] = [["source", src], ["targets", [...new Set(targetNames)].sort()]];
  // Alertmanager reads a label an alert lacks as "": one lacking on every side is equal anyway (and
  // left out, as a spec's inhibition takes only labels its alerts carry); lacking on some, never.
  const sides = [src, ...targetNames].map((n) => ({ name: n, labels: catalog.get(n)!.labels }));
  const eq: string[] = [];
  for (const label of equal.filter((l) => l !== "service" && l !== "environment")) {
    const without = sides.filter((s) => s.labels && !s.labels.has(label));
    if (without.length === sides.length) continue;
    if (without.length > 0) return { kind: "none", why: `alert "${without[0]!.name}" carries no label ${label} and ${sides.find((s) => !without.includes(s))!.name} may, so the rule's equal never holds between them` };
    eq.push(label);
  }
  if (eq.length) entries.push(["equal", eq]);
  if (sourceSev) entries.push(["sourceSeverities", sourceSev]);
  if (targetSev) entries.push(["targetSeverities", targetSev]);
  return { kind: "inhibition", literal: obj(...entries) };
}

const envName = (...parts: string[]) => parts.join("_").toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
const env = (name: string): Lit => code(`env(${JSON.stringify(name)})`);
let usesFile = false;
const fileRef = (path: string): Lit => {
  usesFile = true;
  return code(`file(${JSON.stringify(path)})`);
};

/** `team` (or `severity`) a route matches by equality, from match, match_re (a literal) or matchers. */
function matched(route: Raw, label: string): string | undefined {
  const match = isRecord(route.match) ? route.match : {};
  if (typeof match[label] === "string") return match[label] as string;
  const re = isRecord(route.match_re) ? route.match_re : {};
  if (typeof re[label] === "string" && /^[A-Za-z0-9_-]+$/.test(re[label] as string)) return re[label] as string;
  for (const m of Array.isArray(route.matchers) ? route.matchers : []) {
    const r = typeof m === "string" ? new RegExp(`^\\s*${label}\\s*=\\s*"?([^"]*)"?\\s*$`).exec(m) : null;
    if (r) return r[1];
  }
  return undefined;
}

export function importAlertmanager(paths: readonly string[], options: ImportOptions): DraftResult {
  usesFile = false;
  const input = readYamlInputs(paths.slice(0, 1), options.cwd);
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const doc = input.docs[0];
  if (!doc) return { diagnostics };
  const v = doc.value;
  if (!isRecord(v) || !isRecord(v.route) || !Array.isArray(v.receivers)) {
    diagnostics.push(at(doc, makeDiagnostic("VIG6002", "not an Alertmanager configuration (a `route` and `receivers`)"), { path: [] }));
    return { diagnostics };
  }
  for (const extra of input.docs.slice(1)) diagnostics.push(at(extra, makeDiagnostic("VIG6004", "a second document is not imported: one Alertmanager configuration at a time"), { path: [] }));
  const global = isRecord(v.global) ? v.global : {};
  const warn = (code: "VIG6003" | "VIG6004" | "VIG6006", message: string, path: Path, key = false) => diagnostics.push(at(doc, makeDiagnostic(code, message), { path, key }));

  // Receivers: each config one Vigil receiver, secrets as references.
  const receivers = new Map<string, Lit[]>();
  const receiverNames = new Map<string, string[]>();
  list(v.receivers).forEach((r, ri) => {
    const name = String(r.name ?? `receiver-${ri}`);
    const base = nameFrom(name);
    const out: Lit[] = [];
    const names: string[] = [];
    const add = (kind: string, entries: [string, Lit][]) => {
      const n = names.length === 0 ? base : `${base}-${kind}-${names.length + 1}`;
      names.push(n);
      out.push(obj(["name", n], ["kind", kind], ...entries));
    };
    const path = (key: string, i: number): Path => ["receivers", ri, key, i];
    list(r.slack_configs).forEach((c, i) => {
      const webhook = typeof c.api_url_file === "string" ? fileRef(c.api_url_file) : typeof global.slack_api_url_file === "string" ? fileRef(global.slack_api_url_file) : env(envName("SLACK_WEBHOOK_URL", name, String(i + 1)));
      if (typeof c.channel !== "string") warn("VIG6003", `receiver "${name}": a Slack config without a channel is imported with channel #${base}`, path("slack_configs", i));
      add("slack", [["channel", typeof c.channel === "string" ? c.channel : `#${base}`], ["webhook", webhook]]);
    });
    list(r.pagerduty_configs).forEach((c, i) => {
      const key = typeof c.routing_key_file === "string" ? fileRef(c.routing_key_file) : typeof c.service_key_file === "string" ? fileRef(c.service_key_file) : env(envName("PAGERDUTY_ROUTING_KEY", name, String(i + 1)));
      add("pagerduty", [["routingKey", key], ...(typeof c.url === "string" ? [["url", c.url] as [string, Lit]] : [])]);
    });
    list(r.opsgenie_configs).forEach((c, i) => {
      const key = typeof c.api_key_file === "string" ? fileRef(c.api_key_file) : env(envName("OPSGENIE_API_KEY", name, String(i + 1)));
      const team = list(c.responders).find((x) => x.type === "team" && typeof x.name === "string")?.name as string | undefined;
      add("opsgenie", [["apiKey", key], ...(team ? [["responderTeam", team] as [string, Lit]] : []), ...(typeof c.api_url === "string" ? [["apiUrl", c.api_url] as [string, Lit]] : [])]);
    });
    list(r.email_configs).forEach((c, i) => {
      const to = String(c.to ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (to.length === 0) warn("VIG6004", `receiver "${name}": an e-mail config without \`to\` is not imported`, path("email_configs", i));
      else add("email", [["to", to]]);
      if (c.auth_password !== undefined || c.smarthost !== undefined) warn("VIG6003", `receiver "${name}": per-receiver SMTP settings are not imported; the global SMTP settings are alertmanager.smtp`, path("email_configs", i));
    });
    list(r.webhook_configs).forEach((c, i) => {
      let url = String(c.url ?? "");
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (parsed && (parsed.password || parsed.username || parsed.search || findSecret(url))) {
        parsed.username = "";
        parsed.password = "";
        parsed.search = "";
        url = findSecret(parsed.toString()) ? `${parsed.protocol}//${parsed.host}/` : parsed.toString();
        warn("VIG6006", `receiver "${name}": the webhook URL carries a credential; it is imported as ${url}, give the token as a bearer token`, [...path("webhook_configs", i), "url"]);
      }
      const http = isRecord(c.http_config) ? c.http_config : {};
      const auth = isRecord(http.authorization) ? http.authorization : {};
      const hasToken = http.bearer_token !== undefined || auth.credentials !== undefined;
      const tokenFile = typeof http.bearer_token_file === "string" ? http.bearer_token_file : typeof auth.credentials_file === "string" ? auth.credentials_file : undefined;
      const token: [string, Lit][] = tokenFile ? [["bearerToken", fileRef(tokenFile)]] : hasToken ? [["bearerToken", env(envName("WEBHOOK_BEARER_TOKEN", name, String(i + 1)))]] : [];
      add("webhook", [["url", url], ...token]);
    });
    for (const key of Object.keys(r)) {
      if (key !== "name" && !["slack_configs", "pagerduty_configs", "opsgenie_configs", "email_configs", "webhook_configs"].includes(key)) warn("VIG6004", `receiver "${name}": ${key} is not imported (a spec's receivers are Slack, PagerDuty, Opsgenie, e-mail and webhooks)`, ["receivers", ri, key], true);
    }
    receivers.set(name, out);
    receiverNames.set(name, names);
  });

  // Team routes. A severity stops at its child route if one matches it, else at the team route:
  // that route's intervals are the severity's (Alertmanager does not pass them down), its
  // timings the nearest set on the way (Alertmanager does).
  interface SeverityRoute { receiver?: string; mute: string[]; active: string[]; timing: Timing }
  interface Team { name: string; receivers: Set<string>; escalation: Partial<Record<Sev, SeverityRoute>>; fallback: SeverityRoute }
  const teams = new Map<string, Team>();
  const root = v.route;
  const rootReceiver = typeof root.receiver === "string" ? root.receiver : undefined;
  const rootTiming = timingOf(root, {});
  list(root.routes).forEach((route, i) => {
    const teamName = matched(route, "team");
    if (!teamName) {
      warn("VIG6004", "a route without a `team` matcher is not imported: Vigil routes every alert by its team and severity", ["route", "routes", i]);
      return;
    }
    const own = typeof route.receiver === "string" ? route.receiver : rootReceiver;
    const teamTiming = timingOf(route, rootTiming);
    const team = teams.get(teamName) ?? { name: nameFrom(teamName), receivers: new Set<string>(), escalation: {}, fallback: { mute: [], active: [], timing: teamTiming } };
    teams.set(teamName, team);
    team.fallback = { ...(own ? { receiver: own } : {}), mute: names(route.mute_time_intervals), active: names(route.active_time_intervals), timing: teamTiming };
    if (own) team.receivers.add(own);
    list(route.routes).forEach((child, j) => {
      const severity = matched(child, "severity");
      const receiver = typeof child.receiver === "string" ? child.receiver : own;
      if (!severity || !(SEVERITIES as readonly string[]).includes(severity) || !receiver) {
        warn("VIG6004", `a route of team "${teamName}" that does not match severity critical, warning or info is not imported`, ["route", "routes", i, "routes", j]);
        return;
      }
      team.escalation[severity as Sev] = { receiver, mute: names(child.mute_time_intervals), active: names(child.active_time_intervals), timing: timingOf(child, teamTiming) };
      team.receivers.add(receiver);
    });
  });
  const rootTimings = (["group_wait", "group_interval", "repeat_interval"] as const).filter((k) => typeof root[k] === "string");
  if (rootTimings.length) {
    warn("VIG6003", `the root route's ${rootTimings.join(", ")} ${rootTimings.length > 1 ? "are" : "is"} imported into the teams' severities; the catch-all keeps Vigil's (group_wait 30s, group_interval 5m, repeat_interval 4h)`, ["route", rootTimings[0]!], true);
  }
  for (const key of ["mute_time_intervals", "active_time_intervals"]) {
    if (root[key] !== undefined) warn("VIG6004", `the root route's ${key} is not imported: Vigil's root route is the catch-all`, ["route", key], true);
  }
  if (v.templates !== undefined) warn("VIG6004", "templates are not imported: Vigil writes its own notification texts", ["templates"], true);

  // Time intervals, under either key.
  const intervalLiterals: Lit[] = [];
  for (const key of ["time_intervals", "mute_time_intervals"]) {
    list(v[key]).forEach((t, i) => {
      if (typeof t.name !== "string") return;
      const ranges = list(t.time_intervals).map((r) => {
        const entries: [string, Lit][] = [];
        const times = list(r.times).map((x) => obj(["start", String(x.start_time ?? "00:00")], ["end", String(x.end_time ?? "24:00")]));
        if (times.length) entries.push(["times", times]);
        for (const [from, to] of [["weekdays", "weekdays"], ["days_of_month", "daysOfMonth"], ["months", "months"], ["years", "years"]] as const) {
          if (Array.isArray(r[from])) entries.push([to, (r[from] as unknown[]).map(String)]);
        }
        if (typeof r.location === "string") entries.push(["location", r.location]);
        return obj(...entries);
      });
      if (ranges.length === 0) warn("VIG6003", `time interval "${t.name}" has no ranges; it is imported as one that always holds`, [key, i]);
      intervalLiterals.push(obj(["name", t.name], ["ranges", ranges.length ? ranges : [obj()]]));
    });
  }
  if (teams.size === 0) {
    diagnostics.push(at(doc, makeDiagnostic("VIG6002", "no route of the configuration matches a team, so there is no team to import"), { path: ["route"] }));
    return { diagnostics };
  }

  const ordered = [...teams.values()];
  const serviceTeam = options.team ?? ordered[0]!.name;
  const namesOf = (amName: string) => receiverNames.get(amName) ?? [];
  // The catch-all must be a receiver of a team: the root receiver joins the service's team if no team has it.
  const catchTeam = ordered.find((t) => rootReceiver && t.receivers.has(rootReceiver)) ?? ordered.find((t) => t.name === serviceTeam) ?? ordered[0]!;
  if (rootReceiver) catchTeam.receivers.add(rootReceiver);
  const teamLiterals = ordered.map((t) => {
    const entries: [string, Lit][] = [["name", t.name], ["receivers", [...t.receivers].sort().flatMap((r) => receivers.get(r) ?? [])]];
    const escalation = SEVERITIES.flatMap((s): [string, Lit][] => {
      const r = t.escalation[s] ?? t.fallback;
      if (!r.receiver) return [];
      const entries: [string, Lit][] = [["receivers", namesOf(r.receiver)]];
      for (const [key, value] of [["groupWait", r.timing.group_wait], ["groupInterval", r.timing.group_interval], ["repeatInterval", r.timing.repeat_interval]] as const) if (value) entries.push([key, value]);
      if (r.mute.length) entries.push(["muteDuring", r.mute]);
      if (r.active.length) entries.push(["activeDuring", r.active]);
      return [[s, obj(...entries)]];
    });
    if (escalation.length) entries.push(["escalation", obj(...escalation)]);
    return obj(...entries);
  });
  const am: [string, Lit][] = [];
  const catchReceiver = rootReceiver ? namesOf(rootReceiver)[0] : undefined;
  if (catchReceiver) am.push(["catchAll", obj(["team", catchTeam.name], ["receiver", catchReceiver])]);
  if (typeof global.smtp_smarthost === "string" && typeof global.smtp_from === "string") {
    const smtp: [string, Lit][] = [["smarthost", global.smtp_smarthost], ["from", global.smtp_from]];
    if (typeof global.smtp_auth_username === "string") smtp.push(["username", global.smtp_auth_username]);
    if (typeof global.smtp_auth_password_file === "string") smtp.push(["password", fileRef(global.smtp_auth_password_file)]);
    else if (global.smtp_auth_password !== undefined) smtp.push(["password", env("SMTP_PASSWORD")]);
    if (typeof global.smtp_require_tls === "boolean") smtp.push(["requireTls", global.smtp_require_tls]);
    am.push(["smtp", obj(...smtp)]);
  }
  if (intervalLiterals.length) am.push(["timeIntervals", intervalLiterals]);
  // Rule files after the configuration: the alerts the inhibit rules name.
  const rulePaths = paths.slice(1);
  const rules = rulePaths.length ? importPrometheus(rulePaths, { ...options, team: serviceTeam }) : undefined;
  if (rules) diagnostics.push(...rules.diagnostics);
  if (rules && !rules.draft) return { diagnostics };
  const ruleDraft = rules?.draft;
  const service = ruleDraft?.service.name ?? options.service ?? nameFrom(basename(doc.file).replace(/\.ya?ml$/, ""));
  const catalog = new Map<string, { severities: Set<Sev>; labels?: Set<string> }>();
  for (const a of ruleDraft?.alerts ?? []) {
    const known = catalog.get(a.name);
    const labels = alertLabels(a, ruleDraft!.signals);
    if (!known) catalog.set(a.name, { severities: new Set([a.severity]), ...(labels ? { labels } : {}) });
    else {
      known.severities.add(a.severity);
      if (!labels) delete known.labels;
      else if (known.labels) for (const l of labels) known.labels.add(l);
    }
  }

  const inhibitions: Lit[] = [];
  const notes: string[] = [];
  list(v.inhibit_rules).forEach((rule, i) => {
    const mapped = mapInhibitRule(rule, catalog, service, rules !== undefined);
    if (mapped.kind === "inhibition") {
      inhibitions.push(mapped.literal);
      return;
    }
    const line = doc.locate({ path: ["inhibit_rules", i] }).line;
    const text = yamlText([rule], { lineWidth: 0 }).trimEnd();
    if (mapped.kind === "ladder") {
      warn("VIG6003", `inhibit rule ${i + 1}: ${mapped.why}; it is not written as an inhibition`, ["inhibit_rules", i]);
      notes.push(`Inhibit rule ${i + 1} (line ${line}) is not written as an inhibition: ${mapped.why}.`, ...text.split("\n").map((l) => `  ${l}`));
    } else {
      warn("VIG6004", `inhibit rule ${i + 1} is not imported: ${mapped.why}`, ["inhibit_rules", i]);
      notes.push(`Inhibit rule ${i + 1} (line ${line}) is not imported: ${mapped.why}.`, ...text.split("\n").map((l) => `  ${l}`));
    }
  });

  const known = new Set(ordered.map((t) => t.name));
  const extraTeams = (ruleDraft?.teams ?? []).filter((t) => !known.has(t));
  const header = [
    `Imported by \`vigil import alertmanager\` from ${paths.map((p) => basename(p)).join(", ")}: teams, receivers and escalation${intervalLiterals.length ? ", time intervals" : ""}${inhibitions.length ? ", inhibitions" : ""}${ruleDraft ? ", the alerts and recordings of the rule files" : ""}.`,
    "Secrets are env() or file() references; no secret of the input is in this file.",
  ];
  return {
    draft: {
      header,
      ...(usesFile ? { imports: ["file"] } : {}),
      service: { name: service, team: serviceTeam },
      teams: [...ordered.map((t) => t.name), ...extraTeams],
      teamLiterals: [...teamLiterals, ...extraTeams.map((t) => obj(["name", t]))],
      alertmanager: obj(...am),
      signals: ruleDraft?.signals ?? [],
      recordings: ruleDraft?.recordings ?? [],
      alerts: ruleDraft?.alerts ?? [],
      ...(inhibitions.length || notes.length ? { inhibitions, inhibitionNotes: notes } : {}),
    },
    diagnostics,
  };
}
