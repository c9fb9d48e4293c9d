/**
 * spec/secret: a literal secret in the spec. Everything in a spec ends up in version control
 * and in the generated files: rule files that Prometheus serves to anyone who can open its
 * /rules page or API, alert labels and annotations that travel on to every receiver, Grafana's
 * provisioned datasources and dashboards, the probes' config.
 *
 * Looks at label and annotation values, runbook URLs, descriptions, receivers' URLs, Grafana's
 * URLs, declared dashboards' texts and links, and the requests of checks and journeys (not at
 * PromQL) for: webhook URLs with their token, URLs with a password or a credential in their
 * query or path, tokens of known shapes (AWS, GitHub, Slack, Stripe, Google, JWT...), private
 * keys, `password=`-style literals, and any literal value under a name that says it is a
 * credential (a header `X-Auth`, a JSON key `pass`, a label `api_key`).
 * Placeholders (`{{ $labels.x }}`, `${TOKEN}`, `<key>`, `xxxx`, `REDACTED`) are not secrets.
 * Messages show which kind of secret and where, never the secret itself; findings point at the
 * secret inside its value and are marked `mask`, so the source excerpt prints it as `*`s.
 */
import type { SpecRef } from "../../../diagnostics/index.js";
import type { AlertRuleModel } from "../../../model/types.js";
import type { TextTemplate } from "../../../probes/config.js";
import { sentTemplates } from "../../../probes/templates.js";
import { probeRequests } from "../../probe-requests.js";
import type { LintItem, LintRule } from "../../types.js";

const PLACEHOLDER = /^(?:\{\{.*\}\}|\$\{[^}]*\}|\$[A-Za-z_]\w*|<[^>]*>|%[^%]*%|\[[^\]]*\]|x+|\*+|\.+|\?+|-+|0+|redacted|changeme|change_me|example|placeholder|secret|password|token|none|null|undefined|empty|true|false|yes|no|on|off|enabled|disabled|required|optional|basic|bearer|digest)$/i;

function literal(value: string): boolean {
  // `<your password>`, `${TOKEN}`, `{{ $labels.token }}`, `%TOKEN%`, `[redacted]`: cut at a space, still placeholders.
  return value.length >= 4 && !PLACEHOLDER.test(value) && !/^[<${%[]/.test(value) && !value.includes("{{");
}

/** A secret found in a text: its kind, a masked rendering, and where the secret itself sits in the text. */
export interface SecretHit {
  kind: string;
  shown: string;
  /** The secret's characters are [start, end) of the text searched. */
  start: number;
  end: number;
}

interface Detector {
  kind: string;
  re: RegExp;
  /** The capture group that is the secret (0: the whole match); of several, the first that took part. */
  group: number | number[];
  /** The match with the secret masked, or undefined when the match holds no literal secret. */
  show(m: RegExpExecArray): string | undefined;
}

const MASK = "****";

/** The words of a name: `X-Auth-Token` → x, auth, token; `clientSecret` → client, secret. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_WORDS = new Set([
  "pass", "passwd", "password", "passwords", "passphrase", "passcode", "pwd", "pw",
  "secret", "secrets", "token", "tokens", "apikey", "apikeys", "auth", "authorization", "authtoken",
  "credential", "credentials", "creds", "cookie", "session", "sessionid", "signature", "sig", "jwt", "bearer",
  "privatekey", "otp", "accesstoken", "refreshtoken", "clientsecret",
]);
/** `<word> key` names a secret for these words: api-key, access_key, private key, x-license-key. */
const KEY_QUALIFIERS = new Set(["api", "access", "private", "secret", "client", "auth", "signing", "encryption", "master", "license", "subscription", "integration", "routing", "service", "app", "account", "shared"]);
/** Names ending in one of these say where or what a secret is, not the secret: token_url, secret_name. */
const NOT_A_VALUE = new Set(["url", "uri", "endpoint", "file", "path", "name", "ref", "type", "kind", "method", "header", "policy", "env", "var", "length", "expiry", "expires", "ttl", "hint", "scheme", "format", "id"]);

/** Whether a header, JSON key, label or query-parameter name says its value is a credential. */
export function secretName(name: string): boolean {
  const w = words(name);
  if (w.length === 0) return false;
  if (NOT_A_VALUE.has(w[w.length - 1]!) && w.length > 1) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  for (let i = 1; i < w.length; i++) if (w[i] === "key" && KEY_QUALIFIERS.has(w[i - 1]!)) return true;
  return false;
}

const DETECTORS: Detector[] = [
  {
    kind: "a Slack webhook URL with its token",
    re: /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/([A-Za-z0-9_\-/]{8,})/,
    group: 2,
    show: (m) => `https://hooks.slack.com/${m[1]}/${MASK}`,
  },
  {
    kind: "a Discord webhook URL with its token",
    re: /https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/(\d+\/[A-Za-z0-9_-]{8,})/,
    group: 1,
    show: () => `https://discord.com/api/webhooks/${MASK}`,
  },
  {
    kind: "a Microsoft Teams webhook URL with its token",
    re: /https?:\/\/([a-z0-9-]+\.webhook\.office\.com|outlook\.office(?:365)?\.com)\/(webhookb2|webhook)\/([^\s"'<>]{8,})/i,
    group: 3,
    show: (m) => `https://${m[1]}/${m[2]}/${MASK}`,
  },
  {
    kind: "a URL with a password",
    re: /\b([a-z][a-z0-9+.-]*):\/\/([^\s/:@]+):([^\s/@]+)@([^\s/?#"'<>]+)/i,
    group: 3,
    show: (m) => (literal(decodeURIComponentSafe(m[3]!)) ? `${m[1]}://${m[2]}:${MASK}@${m[4]}` : undefined),
  },
  {
    kind: "a credential in a URL query",
    re: /[?&]([^=&#\s"'<>?]+)=([^&#\s"'<>]+)/,
    group: 2,
    show: (m) => {
      const name = decodeURIComponentSafe(m[1]!);
      const known = /^(key|sig|signature|auth|routing_key|integration_key)$/i.test(name) || secretName(name);
      return known && literal(decodeURIComponentSafe(m[2]!)) ? `${m[1]}=${MASK}` : undefined;
    },
  },
  {
    kind: "a token in a URL path",
    // A segment after one that names a secret (`/token/…`, `/api_key/…`, IFTTT's `/with/key/…`), or a Telegram bot token.
    re: /https?:\/\/[^\s/"'<>]+(?:\/[^\s/?#"'<>]*)*?\/(?:(token|tokens|key|keys|apikey|api_key|api-key|secret|secrets|password|auth|access_token|access-token)\/([^\s/?#"'<>]{8,})|bot(\d{5,}:[A-Za-z0-9_-]{20,}))/i,
    group: [2, 3],
    show: (m) => {
      if (m[3] !== undefined) return `/bot${MASK}`;
      const v = m[2]!;
      return literal(v) && /\d/.test(v) && /[A-Za-z]/.test(v) ? `/${m[1]}/${MASK}` : undefined;
    },
  },
  {
    kind: "a token in a URL path",
    // A long random-looking segment: 32+ characters mixing upper and lower case and digits (uuids and hex ids are one case).
    re: /https?:\/\/[^\s/"'<>]+(?:\/[^\s/?#"'<>]*)*?\/([A-Za-z0-9_-]{32,})(?=[/?#\s"'<>]|$)/,
    group: 1,
    show: (m) => (/[a-z]/.test(m[1]!) && /[A-Z]/.test(m[1]!) && /\d/.test(m[1]!) ? `/${MASK}` : undefined),
  },
  {
    kind: "an AWS access key id",
    re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
    group: 0,
    show: (m) => `${m[1]}${MASK}`,
  },
  {
    kind: "an API token",
    // GitHub, GitLab, Slack, Stripe, Google, npm, SendGrid tokens, and JWTs: prefixes these services put on their tokens.
    re: /\b(gh[pousr]_|github_pat_|glpat-|xox[abposr]-|sk_live_|rk_live_|sk_test_|AIza|npm_|SG\.|eyJ)([A-Za-z0-9_\-.]{16,})/,
    group: 0,
    show: (m) => (m[1] !== "eyJ" || /^[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(m[2]!) ? `${m[1]}${MASK}` : undefined),
  },
  {
    kind: "a private key",
    re: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/,
    group: 0,
    show: () => "-----BEGIN PRIVATE KEY-----",
  },
  {
    kind: "a PagerDuty routing/integration key",
    re: /\b(routing[_ -]?key|integration[_ -]?key|service[_ -]?key)\b["']?\s*[:=]?\s*["']?([0-9a-z]{32})\b/i,
    group: 2,
    show: (m) => `${m[1]} ${MASK}`,
  },
  {
    kind: "a literal credential",
    re: /\b(password|passwd|pwd|pass|client_secret|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)\s*=\s*(["']?)([^\s"'&,;]+)\2/i,
    group: 3,
    show: (m) => (literal(m[3]!) ? `${m[1]}=${MASK}` : undefined),
  },
];

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The first secret in `text`: its kind, a masked rendering of the match, and the secret's range in `text`. */
export function findSecret(text: string): SecretHit | undefined {
  for (const d of DETECTORS) {
    const re = new RegExp(d.re.source, `${d.re.flags.replace(/[gd]/g, "")}gd`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const shown = d.show(m);
      if (shown === undefined) {
        if (m[0].length === 0) re.lastIndex++;
        else re.lastIndex = m.index + 1;
        continue;
      }
      const groups = typeof d.group === "number" ? [d.group] : d.group;
      const range = groups.map((g) => m.indices![g]).find((r) => r !== undefined) ?? m.indices![0]!;
      return { kind: d.kind, shown, start: range[0], end: range[1] };
    }
  }
  return undefined;
}

/** A literal value under a name that says it is a credential (`password`, `X-Auth`, a label `api_key`). */
function namedSecret(name: string, value: string, showName: boolean): SecretHit | undefined {
  if (!secretName(name)) return undefined;
  const m = /^(bearer|basic|token|digest)\s+(.*)$/i.exec(value);
  const secret = m ? m[2]! : value;
  if (!literal(secret)) return undefined;
  return { kind: "a literal credential", shown: m ? `${m[1]} ${MASK}` : showName ? `${name}=${MASK}` : MASK, start: value.length - secret.length, end: value.length };
}

interface Target {
  text: string | undefined;
  /** The name the value sits under (a label, annotation, header, JSON key): a secret-like name makes any literal value a secret. */
  name?: string;
  /** A request header: its value is shown masked whole (`****`, `Bearer ****`). */
  header?: boolean;
  /** `text` is the spec's string at `at`, character for character: the finding points at the secret inside it. */
  verbatim?: boolean;
  /** `the description annotation of alert "A"`. */
  what: string;
  at: SpecRef;
  item?: LintItem;
}

/** Where an alert annotation is written: a spec's `summary`/`description`/`runbook`, or `annotations.<key>`. */
function annotationPath(alert: AlertRuleModel, key: string): (string | number)[] {
  const spec: Record<string, string> = { summary: "summary", description: "description", runbook_url: "runbook" };
  const field = alert.at.path[0] === "alerts" ? spec[key] : undefined;
  return field ? [...alert.at.path, field] : [...alert.at.path, "annotations", key];
}

const GRAFANA_URLS = ["url", "prometheusUrl", "elasticsearchUrl", "jaegerUrl"] as const;

export const rule: LintRule = {
  meta: {
    id: "spec/secret",
    severity: "error",
    description: "a literal secret (webhook token, password, API key) in a label, annotation, runbook URL, description, Grafana URL, dashboard or probe request",
  },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;
    const targets: Target[] = [];
    const top = (path: (string | number)[]): SpecRef => ({ path, spec: service.spec });
    const under = (at: SpecRef, ...rest: (string | number)[]): SpecRef => ({ ...at, path: [...at.path, ...rest] });
    const inherited = (k: string, v: string) => service.ruleLabels[k] === v;
    const base = service.runbookBaseUrl;
    const grafana = ctx.grafana;

    // The service itself (a plain rule file's service has none of these).
    targets.push({ text: service.description, what: "the service description", at: top(["service", "description"]), verbatim: true });
    targets.push({ text: base, what: "the service's runbookBaseUrl", at: top(["service", "runbookBaseUrl"]), verbatim: true });
    targets.push({ text: service.environment, what: "the service environment", at: top(["service", "environment"]), verbatim: true });
    for (const [k, v] of Object.entries(service.ruleLabels)) {
      if (k !== "service" && k !== "environment") targets.push({ text: v, name: k, what: `service label ${k}`, at: top(["service", "labels", k]), verbatim: true });
    }
    // Teams and signals of a rule file linted with a spec are the spec's: its own lint reports them.
    if (service.ruleLabels.service === service.name) {
      service.teams.forEach((t, i) => {
        targets.push({ text: t.description, what: `the description of team "${t.name}"`, at: top(["teams", i, "description"]), verbatim: true });
        // Receivers take secrets by reference; their literal strings must not hold one.
        for (const r of t.receivers) {
          const at = (key: string): SpecRef => under(r.at, key);
          const of = `receiver "${r.name}" of team "${t.name}"`;
          if (r.kind === "webhook") targets.push({ text: r.url, what: `the URL of ${of}`, at: at("url"), verbatim: true });
          if (r.kind === "pagerduty") targets.push({ text: r.url, what: `the URL of ${of}`, at: at("url"), verbatim: true });
          if (r.kind === "opsgenie") targets.push({ text: r.apiUrl, what: `the API URL of ${of}`, at: at("apiUrl"), verbatim: true });
          if (r.kind === "slack") targets.push({ text: r.channel, what: `the channel of ${of}`, at: at("channel"), verbatim: true });
        }
      });
      for (const s of service.signals) targets.push({ text: s.help, what: `the help of signal "${s.name}"`, at: under(s.at, "help"), verbatim: true });
    }

    // Grafana's URLs go into the provisioned datasources (and alert links): reported once, by the service of the spec that sets them.
    for (const key of GRAFANA_URLS) {
      const at = grafana?.at?.[key];
      if (at && (at.spec ?? 0) === service.spec) targets.push({ text: grafana?.[key], what: `grafana.${key}`, at, verbatim: true });
    }
    /** A dashboard link Vigil made from grafana.url: its secret is reported there. */
    const generatedLink = (k: string, v: string) => k === "dashboard" && grafana?.url !== undefined && v.startsWith(`${grafana.url}/d/`) && /^[\w-]+$/.test(v.slice(grafana.url.length + 3));

    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = alert.at.path.join(".");
      if (seen.has(key)) continue; // one severity ladder, one spec item
      seen.add(key);
      const item: LintItem = { kind: "alert", alert };
      for (const [k, v] of Object.entries(alert.labels)) {
        if (!inherited(k, v)) targets.push({ text: v, name: k, what: `label ${k} of alert "${alert.name}"`, at: under(alert.at, "labels", k), item, verbatim: true });
      }
      for (const [k, v] of Object.entries(alert.annotations)) {
        if (k === "runbook_url" && base !== undefined && v === `${base}#${alert.name}`) continue; // reported at runbookBaseUrl
        if (generatedLink(k, v)) continue;
        targets.push({ text: v, name: k, what: `the ${k} annotation of alert "${alert.name}"`, at: { ...alert.at, path: annotationPath(alert, k) }, item, verbatim: true });
      }
    }

    for (const slo of service.slos) {
      const item: LintItem = { kind: "slo", slo };
      const at = (...rest: (string | number)[]): SpecRef => under(slo.at, ...rest);
      const of = `of SLO "${slo.name}"`;
      targets.push({ text: slo.description, what: `the description ${of}`, at: at("description"), item, verbatim: true });
      if (!(base !== undefined && slo.runbookUrl === `${base}#${slo.name}`)) targets.push({ text: slo.runbookUrl, what: `the runbook ${of}`, at: at("runbook"), item, verbatim: true });
      for (const [k, v] of Object.entries(slo.ruleLabels)) {
        if (k !== "slo" && !inherited(k, v)) targets.push({ text: v, name: k, what: `label ${k} ${of}`, at: at("labels", k), item, verbatim: true });
      }
      for (const [k, v] of Object.entries(slo.alertLabels)) targets.push({ text: v, name: k, what: `alert label ${k} ${of}`, at: at("alerting", "labels", k), item, verbatim: true });
      for (const [k, v] of Object.entries(slo.alertAnnotations)) {
        if (!generatedLink(k, v)) targets.push({ text: v, name: k, what: `the ${k} annotation ${of}`, at: at("alerting", "annotations", k), item, verbatim: true });
      }
      for (const tier of slo.tiers) {
        const tierAt = (...rest: string[]): SpecRef => under(tier.at, ...rest);
        for (const [k, v] of Object.entries(tier.labels)) {
          if (slo.alertLabels[k] !== v) targets.push({ text: v, name: k, what: `label ${k} of the ${tier.tier} tier ${of}`, at: tierAt("labels", k), item, verbatim: true });
        }
        for (const [k, v] of Object.entries(tier.annotations)) {
          if (slo.alertAnnotations[k] === v || (k === "runbook_url" && v === slo.runbookUrl) || generatedLink(k, v)) continue;
          targets.push({ text: v, name: k, what: `the ${k} annotation of the ${tier.tier} tier ${of}`, at: tierAt("annotations", k), item, verbatim: true });
        }
      }
    }

    for (const r of service.recordings) {
      for (const [k, v] of Object.entries(r.labels)) {
        targets.push({ text: v, name: k, what: `label ${k} of recording rule "${r.record}"`, at: under(r.at, "labels", k), item: { kind: "recording", recording: r }, verbatim: true });
      }
    }

    // Declared dashboards: their texts and links are in the committed dashboard JSON.
    for (const d of service.dashboards) {
      const of = `dashboard "${d.name}"`;
      targets.push({ text: d.title, what: `the title of ${of}`, at: under(d.at, "title"), verbatim: true });
      targets.push({ text: d.description, what: `the description of ${of}`, at: under(d.at, "description"), verbatim: true });
      for (const v of d.variables) targets.push({ text: v.label, what: `the label of variable "${v.name}" of ${of}`, at: under(v.at, "label"), verbatim: true });
      d.rows.forEach((row, r) => {
        targets.push({ text: row.title, what: `the title of row ${r} of ${of}`, at: under(d.at, "rows", r, "title"), verbatim: true });
        for (const p of row.panels) {
          const panel = `panel "${p.title}" of ${of}`;
          targets.push({ text: p.title, what: `the title of ${panel}`, at: under(p.at, "title"), verbatim: true });
          targets.push({ text: p.description, what: `the description of ${panel}`, at: under(p.at, "description"), verbatim: true });
          targets.push({ text: p.text, what: `the text of ${panel}`, at: under(p.at, "text"), verbatim: true });
          p.queries.forEach((q, i) => targets.push({ text: q.legend, what: `the legend of query ${i} of ${panel}`, at: under(p.at, "queries", i, "legend"), verbatim: true }));
          p.links.forEach((l, i) => {
            targets.push({ text: l.url, what: `the URL of link "${l.title}" of ${panel}`, at: under(p.at, "links", i, "url"), verbatim: true });
            targets.push({ text: l.title, what: `the title of link ${i} of ${panel}`, at: under(p.at, "links", i, "title"), verbatim: true });
          });
        }
      });
    }

    // Checks and journeys: credentials come from the environment (`env("X")`), never literally.
    for (const { what, at, request } of probeRequests(service)) {
      for (const t of sentTemplates(request)) {
        const text = templateText(t.parts);
        const plain = t.parts.length === 1 && "text" in t.parts[0]!;
        if (t.where === "url") targets.push({ text, what: `the URL of ${what}`, at: under(at, "url"), verbatim: plain });
        else if (t.where === "header") targets.push({ text, name: t.header!, header: true, what: `header ${t.header} of ${what}`, at: under(at, "headers", t.header!) });
        else if (t.key === undefined) targets.push({ text, what: `the body of ${what}`, at: under(at, "body", "text"), verbatim: plain });
        else targets.push({ text, ...(t.key ? { name: t.key } : {}), what: `the JSON body of ${what}`, at: under(at, "body", "json") });
      }
    }

    const reported = new Set<string>();
    for (const t of targets) {
      if (!t.text) continue;
      const found = findSecret(t.text) ?? (t.name !== undefined ? namedSecret(t.name, t.text, !t.header) : undefined);
      if (!found) continue;
      const key = `${t.at.spec ?? 0}:${t.at.path.join(".")}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const finding = {
        message: `${t.what} contains ${found.kind} (${found.shown})`,
        hint: "take the secret out of the spec — receivers and tools read it from a secret store or their own configuration at runtime — and rotate it: it is in version control and in the generated files",
        // The excerpt under the message must not print what the message masks.
        at: t.verbatim ? { ...t.at, offset: found.start, length: found.end - found.start } : t.at,
        mask: true,
      };
      ctx.report(t.item ? { ...finding, item: t.item } : finding);
    }
  },
};

/** A template as text, environment variables and references as placeholders (`${NAME}`). */
function templateText(t: TextTemplate): string {
  return t.map((p) => ("text" in p ? p.text : "env" in p ? `\${${p.env}}` : `\${${p.ref.step}.${p.ref.name}}`)).join("");
}
