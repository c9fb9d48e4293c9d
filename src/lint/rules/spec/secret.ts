/**
 * spec/secret: a literal secret in the spec. Everything in a spec ends up in version control
 * and in the generated rule files, which Prometheus serves to anyone who can open its
 * /rules page or API, and alert labels and annotations travel on to every receiver. A webhook
 * URL with its token, a password in a URL or an API key there is a leaked credential.
 *
 * Looks at label and annotation values, runbook URLs, descriptions, receivers' URLs and the
 * requests of checks and journeys — URLs, headers (any literal Authorization, Cookie or API
 * key header), bodies (a literal under a password/token key) — (not at PromQL) for:
 * Slack, Discord and Microsoft Teams webhook URLs, URLs with a password (`https://u:p@host`)
 * or a token/key/password/signature query parameter, AWS access key ids, PagerDuty routing
 * or integration keys, and `password=`/`secret=`/`api_key=`/`token=` with a literal value.
 * Placeholders (`{{ $labels.x }}`, `${TOKEN}`, `<key>`, `xxxx`, `REDACTED`) are not secrets.
 * Messages show which kind of secret and where, never the secret itself.
 */
import type { SpecRef } from "../../../diagnostics/index.js";
import type { AlertRuleModel } from "../../../model/types.js";
import type { TextTemplate } from "../../../probes/config.js";
import { sentTemplates } from "../../../probes/templates.js";
import { probeRequests } from "../../probe-requests.js";
import type { LintItem, LintRule } from "../../types.js";

const PLACEHOLDER = /^(?:\{\{.*\}\}|\$\{[^}]*\}|\$[A-Za-z_]\w*|<[^>]*>|%[^%]*%|\[[^\]]*\]|x+|\*+|\.+|\?+|-+|0+|redacted|changeme|change_me|example|placeholder|secret|password|token|none|null|undefined|empty)$/i;

function literal(value: string): boolean {
  // `<your password>`, `${TOKEN}`, `{{ $labels.token }}`, `%TOKEN%`, `[redacted]`: cut at a space, still placeholders.
  return value.length >= 4 && !PLACEHOLDER.test(value) && !/^[<${%[]/.test(value) && !value.includes("{{");
}

interface Detector {
  kind: string;
  re: RegExp;
  /** The match with the secret masked, or undefined when the match holds no literal secret. */
  show(m: RegExpExecArray): string | undefined;
}

const MASK = "****";

const DETECTORS: Detector[] = [
  {
    kind: "a Slack webhook URL with its token",
    re: /https?:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9_\-/]{8,}/,
    show: (m) => `https://hooks.slack.com/${m[1]}/${MASK}`,
  },
  {
    kind: "a Discord webhook URL with its token",
    re: /https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{8,}/,
    show: () => `https://discord.com/api/webhooks/${MASK}`,
  },
  {
    kind: "a Microsoft Teams webhook URL with its token",
    re: /https?:\/\/([a-z0-9-]+\.webhook\.office\.com|outlook\.office(?:365)?\.com)\/(webhookb2|webhook)\/[^\s"'<>]{8,}/i,
    show: (m) => `https://${m[1]}/${m[2]}/${MASK}`,
  },
  {
    kind: "a URL with a password",
    re: /\b([a-z][a-z0-9+.-]*):\/\/([^\s/:@]+):([^\s/@]+)@([^\s/?#"'<>]+)/i,
    show: (m) => (literal(decodeURIComponentSafe(m[3]!)) ? `${m[1]}://${m[2]}:${MASK}@${m[4]}` : undefined),
  },
  {
    kind: "a credential in a URL query",
    re: /[?&](access_token|token|api_key|apikey|key|password|passwd|pwd|secret|client_secret|sig|signature|auth|routing_key|integration_key)=([^&#\s"'<>]+)/i,
    show: (m) => (literal(decodeURIComponentSafe(m[2]!)) ? `${m[1]}=${MASK}` : undefined),
  },
  {
    kind: "an AWS access key id",
    re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
    show: (m) => `${m[1]}${MASK}`,
  },
  {
    kind: "a PagerDuty routing/integration key",
    re: /\b(routing[_ -]?key|integration[_ -]?key|service[_ -]?key)\b["']?\s*[:=]?\s*["']?([0-9a-z]{32})\b/i,
    show: (m) => `${m[1]} ${MASK}`,
  },
  {
    kind: "a literal credential",
    re: /\b(password|passwd|pwd|client_secret|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)\s*=\s*(["']?)([^\s"'&,;]+)\2/i,
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

/** The first secret in `text`: its kind and a masked rendering of the match. */
export function findSecret(text: string): { kind: string; shown: string } | undefined {
  for (const d of DETECTORS) {
    const re = new RegExp(d.re.source, d.re.flags.includes("g") ? d.re.flags : d.re.flags + "g");
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const shown = d.show(m);
      if (shown !== undefined) return { kind: d.kind, shown };
    }
  }
  return undefined;
}

interface Target {
  text: string | undefined;
  /** A credential header (authorization, api keys, cookies): any literal value is a secret. */
  credential?: boolean;
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

export const rule: LintRule = {
  meta: { id: "spec/secret", severity: "error", description: "a literal secret (webhook token, password, API key) in a label, annotation, runbook URL, description or probe request" },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;
    const targets: Target[] = [];
    const top = (path: (string | number)[]): SpecRef => ({ path, spec: service.spec });
    const inherited = (k: string, v: string) => service.ruleLabels[k] === v;
    const base = service.runbookBaseUrl;

    // The service itself (a plain rule file's service has none of these).
    targets.push({ text: service.description, what: "the service description", at: top(["service", "description"]) });
    targets.push({ text: base, what: "the service's runbookBaseUrl", at: top(["service", "runbookBaseUrl"]) });
    targets.push({ text: service.environment, what: "the service environment", at: top(["service", "environment"]) });
    for (const [k, v] of Object.entries(service.ruleLabels)) {
      if (k !== "service" && k !== "environment") targets.push({ text: v, what: `service label ${k}`, at: top(["service", "labels", k]) });
    }
    // Teams and signals of a rule file linted with a spec are the spec's: its own lint reports them.
    if (service.ruleLabels.service === service.name) {
      service.teams.forEach((t, i) => {
        targets.push({ text: t.description, what: `the description of team "${t.name}"`, at: top(["teams", i, "description"]) });
        // Receivers take secrets by reference; their literal strings must not hold one.
        for (const r of t.receivers) {
          const at = (key: string): SpecRef => ({ ...r.at, path: [...r.at.path, key] });
          const of = `receiver "${r.name}" of team "${t.name}"`;
          if (r.kind === "webhook") targets.push({ text: r.url, what: `the URL of ${of}`, at: at("url") });
          if (r.kind === "pagerduty") targets.push({ text: r.url, what: `the URL of ${of}`, at: at("url") });
          if (r.kind === "opsgenie") targets.push({ text: r.apiUrl, what: `the API URL of ${of}`, at: at("apiUrl") });
          if (r.kind === "slack") targets.push({ text: r.channel, what: `the channel of ${of}`, at: at("channel") });
        }
      });
      for (const s of service.signals) targets.push({ text: s.help, what: `the help of signal "${s.name}"`, at: { ...s.at, path: [...s.at.path, "help"] } });
    }

    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = alert.at.path.join(".");
      if (seen.has(key)) continue; // one severity ladder, one spec item
      seen.add(key);
      const item: LintItem = { kind: "alert", alert };
      for (const [k, v] of Object.entries(alert.labels)) {
        if (!inherited(k, v)) targets.push({ text: v, what: `label ${k} of alert "${alert.name}"`, at: { ...alert.at, path: [...alert.at.path, "labels", k] }, item });
      }
      for (const [k, v] of Object.entries(alert.annotations)) {
        if (k === "runbook_url" && base !== undefined && v === `${base}#${alert.name}`) continue; // reported at runbookBaseUrl
        targets.push({ text: v, what: `the ${k} annotation of alert "${alert.name}"`, at: { ...alert.at, path: annotationPath(alert, k) }, item });
      }
    }

    for (const slo of service.slos) {
      const item: LintItem = { kind: "slo", slo };
      const at = (...rest: (string | number)[]): SpecRef => ({ ...slo.at, path: [...slo.at.path, ...rest] });
      const of = `of SLO "${slo.name}"`;
      targets.push({ text: slo.description, what: `the description ${of}`, at: at("description"), item });
      if (!(base !== undefined && slo.runbookUrl === `${base}#${slo.name}`)) targets.push({ text: slo.runbookUrl, what: `the runbook ${of}`, at: at("runbook"), item });
      for (const [k, v] of Object.entries(slo.ruleLabels)) {
        if (k !== "slo" && !inherited(k, v)) targets.push({ text: v, what: `label ${k} ${of}`, at: at("labels", k), item });
      }
      for (const [k, v] of Object.entries(slo.alertLabels)) targets.push({ text: v, what: `alert label ${k} ${of}`, at: at("alerting", "labels", k), item });
      for (const [k, v] of Object.entries(slo.alertAnnotations)) targets.push({ text: v, what: `the ${k} annotation ${of}`, at: at("alerting", "annotations", k), item });
      for (const tier of slo.tiers) {
        const tierAt = (...rest: string[]): SpecRef => ({ ...tier.at, path: [...tier.at.path, ...rest] });
        for (const [k, v] of Object.entries(tier.labels)) {
          if (slo.alertLabels[k] !== v) targets.push({ text: v, what: `label ${k} of the ${tier.tier} tier ${of}`, at: tierAt("labels", k), item });
        }
        for (const [k, v] of Object.entries(tier.annotations)) {
          if (slo.alertAnnotations[k] === v || (k === "runbook_url" && v === slo.runbookUrl)) continue;
          targets.push({ text: v, what: `the ${k} annotation of the ${tier.tier} tier ${of}`, at: tierAt("annotations", k), item });
        }
      }
    }

    for (const r of service.recordings) {
      for (const [k, v] of Object.entries(r.labels)) {
        targets.push({ text: v, what: `label ${k} of recording rule "${r.record}"`, at: { ...r.at, path: [...r.at.path, "labels", k] }, item: { kind: "recording", recording: r } });
      }
    }

    // Checks and journeys: credentials come from the environment (`env("X")`), never literally.
    for (const { what, at, request } of probeRequests(service)) {
      const under = (...rest: (string | number)[]): SpecRef => ({ ...at, path: [...at.path, ...rest] });
      for (const t of sentTemplates(request)) {
        const text = templateText(t.parts);
        if (t.where === "url") targets.push({ text, what: `the URL of ${what}`, at: under("url") });
        else if (t.where === "header") {
          const credential = t.parts.every((part) => "text" in part) && CREDENTIAL_HEADERS.test(t.header!);
          targets.push({ text, what: `header ${t.header} of ${what}`, at: under("headers", t.header!), credential });
        } else if (t.key === undefined) targets.push({ text, what: `the body of ${what}`, at: under("body", "text") });
        else targets.push({ text: CREDENTIAL_KEYS.test(t.key) && text ? `${t.key}=${text}` : text, what: `the JSON body of ${what}`, at: under("body", "json") });
      }
    }

    const reported = new Set<string>();
    for (const t of targets) {
      if (!t.text) continue;
      const found = t.credential ? credentialHeader(t.text) : findSecret(t.text);
      if (!found) continue;
      const key = `${t.at.spec ?? 0}:${t.at.path.join(".")}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const finding = {
        message: `${t.what} contains ${found.kind} (${found.shown})`,
        hint: "take the secret out of the spec — receivers and tools read it from a secret store or their own configuration at runtime — and rotate it: it is in version control and in the generated rules",
        at: t.at,
      };
      ctx.report(t.item ? { ...finding, item: t.item } : finding);
    }
  },
};

const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token)$/;
const CREDENTIAL_KEYS = /^(password|passwd|pwd|secret|client_secret|api_?key|token|access_token|refresh_token)$/i;

/** A template as text, environment variables and references as placeholders (`${NAME}`). */
function templateText(t: TextTemplate): string {
  return t.map((p) => ("text" in p ? p.text : "env" in p ? `\${${p.env}}` : `\${${p.ref.step}.${p.ref.name}}`)).join("");
}

/** A literal value of a credential header, scheme kept: `Bearer ****`. */
function credentialHeader(value: string): { kind: string; shown: string } | undefined {
  const m = /^(bearer|basic|token|digest)\s+(.*)$/i.exec(value);
  const secret = m ? m[2]! : value;
  return literal(secret) ? { kind: "a literal credential", shown: m ? `${m[1]} ${MASK}` : MASK } : undefined;
}
