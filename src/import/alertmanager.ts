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
 * without a team, inhibit rules, time intervals and templates are warnings naming them.
 */
import { basename } from "node:path";
import { code, obj, type Lit } from "../cli/init-files.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { findSecret } from "../lint/rules/spec/secret.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";
import { nameFrom } from "./prometheus.js";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

type Raw = Record<string, unknown>;
type Path = (string | number)[];
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const SEVERITIES = ["critical", "warning", "info"] as const;

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
  const input = readYamlInputs(paths, options.cwd);
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

  // Team routes.
  interface Team { name: string; receivers: Set<string>; escalation: Partial<Record<(typeof SEVERITIES)[number], string>>; fallback?: string }
  const teams = new Map<string, Team>();
  const root = v.route;
  const rootReceiver = typeof root.receiver === "string" ? root.receiver : undefined;
  list(root.routes).forEach((route, i) => {
    const teamName = matched(route, "team");
    if (!teamName) {
      warn("VIG6004", "a route without a `team` matcher is not imported: Vigil routes every alert by its team and severity", ["route", "routes", i]);
      return;
    }
    const team = teams.get(teamName) ?? { name: nameFrom(teamName), receivers: new Set<string>(), escalation: {} };
    teams.set(teamName, team);
    const own = typeof route.receiver === "string" ? route.receiver : rootReceiver;
    if (own) {
      team.fallback = own;
      team.receivers.add(own);
    }
    list(route.routes).forEach((child, j) => {
      const severity = matched(child, "severity");
      const receiver = typeof child.receiver === "string" ? child.receiver : own;
      if (!severity || !(SEVERITIES as readonly string[]).includes(severity) || !receiver) {
        warn("VIG6004", `a route of team "${teamName}" that does not match severity critical, warning or info is not imported`, ["route", "routes", i, "routes", j]);
        return;
      }
      team.escalation[severity as (typeof SEVERITIES)[number]] = receiver;
      team.receivers.add(receiver);
    });
  });
  for (const key of ["inhibit_rules", "time_intervals", "mute_time_intervals", "templates"]) {
    if (v[key] !== undefined) warn("VIG6004", `${key} is not imported: Vigil writes inhibitions from alert ladders and SLO tiers, and takes time intervals in alertmanager.timeIntervals`, [key], true);
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
      return r ? [[s, obj(["receivers", namesOf(r)])]] : [];
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
  const service = options.service ?? nameFrom(basename(doc.file).replace(/\.ya?ml$/, ""));
  const header = [`Imported by \`vigil import alertmanager\` from ${paths.map((p) => basename(p)).join(", ")}: teams, receivers and escalation.`, "Secrets are env() or file() references; no secret of the input is in this file."];
  return {
    draft: { header, ...(usesFile ? { imports: ["file"] } : {}), service: { name: service, team: serviceTeam }, teams: ordered.map((t) => t.name), teamLiterals, alertmanager: obj(...am), signals: [], recordings: [], alerts: [] },
    diagnostics,
  };
}
