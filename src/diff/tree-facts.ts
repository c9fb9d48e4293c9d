/**
 * Facts of a compiled output directory (`vigil diff --trees OLD NEW`): alerting and recording
 * rules, the routing cases, Alertmanager's routes, inhibitions, receivers and time intervals,
 * dashboards and their panels, checks and journeys, ILM retention, Prometheus' flags and scrape
 * jobs; every other file (Logstash, Filebeat, mtail, Kibana, index templates) by its content.
 * Generated tests and the manifest follow from the rest and are not compared.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { readRoutingCases } from "../alertmanager/amtool.js";
import { ALERTMANAGER_CONFIG_PATH, ROUTING_TESTS_PATH } from "../alertmanager/paths.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { MANIFEST_PATH } from "../emit/index.js";
import { listFiles } from "../write/writer.js";
import { alertSubjects, canonicalPromQL, FactSet, flatten } from "./facts.js";
import { routingFacts } from "./routing-facts.js";

const OWN_LABELS = ["service", "severity", "team", "tier"];
/** Derived from the other files (and checked against them by `vigil test`). */
const DERIVED = [/^prometheus\/tests\//, /^manifest\.json$/];

export class TreeError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export async function treeFacts(dir: string): Promise<FactSet> {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, MANIFEST_PATH))) {
    throw new TreeError(makeDiagnostic("VIG6022", `${dir} is not a directory vigil compile wrote (no ${MANIFEST_PATH})`));
  }
  const facts = new FactSet();
  const read = (path: string): unknown => parseFile(dir, path);
  for (const path of listFiles(dir).sort()) {
    if (DERIVED.some((re) => re.test(path))) continue;
    if (/^prometheus\/rules\/.*\.ya?ml$/.test(path)) ruleFacts(read(path), facts);
    else if (path === ALERTMANAGER_CONFIG_PATH) alertmanagerFacts(read(path), facts);
    else if (path === ROUTING_TESTS_PATH) {
      read(path);
      routingFacts(await readRoutingCases(dir), facts);
    } else if (/^grafana\/dashboards\/.*\.json$/.test(path)) dashboardFacts(read(path), facts);
    else if (path === "probes/probes.json") probeFacts(read(path), facts);
    else if (/^elasticsearch\/ilm\/.*\.json$/.test(path)) facts.add("retention", path.replace(/^.*\//, "").replace(/\.json$/, ""), flatten(read(path)));
    else if (path === "prometheus/prometheus.args") facts.add("prometheus", "flags", argsFields(readFileSync(join(dir, path), "utf8")));
    else if (path === "prometheus/prometheus.yml") prometheusFacts(read(path), facts);
    else {
      const content = readFileSync(join(dir, path));
      facts.add("file", path, { content: `sha256 ${createHash("sha256").update(content).digest("hex").slice(0, 12)}`, lines: String(content.toString("utf8").split("\n").length - 1) });
    }
  }
  return facts;
}

/** YAML or JSON, or VIG6023 at the parser's line and column. */
function parseFile(dir: string, path: string): unknown {
  const file = join(dir, path);
  const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const d = makeDiagnostic("VIG6023", `${path} does not parse: ${error.message.split("\n")[0]}`);
    d.location = { file, line: pos?.line ?? 1, column: pos?.col ?? 1 };
    throw new TreeError(d);
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

function ruleFacts(doc: unknown, facts: FactSet): void {
  const rules = list(obj(doc).groups).flatMap((group) => list(obj(group).rules).map(obj));
  const labelsOf = (r: Obj): Record<string, string> => Object.fromEntries(Object.entries(obj(r.labels)).map(([k, v]) => [k, str(v)]));
  const alerts = rules.filter((r) => typeof r.alert === "string");
  const subjects = alertSubjects(alerts, (r) => {
    const l = labelsOf(r);
    return { ...(l.service ? { service: l.service } : {}), name: str(r.alert), ...(l.severity ? { severity: l.severity } : {}), ...(l.tier ? { tier: l.tier } : {}) };
  });
  for (const r of rules) {
    const labels = labelsOf(r);
    const extra = Object.entries(labels).filter(([k]) => !OWN_LABELS.includes(k));
    const subject = subjects.get(r);
    if (subject !== undefined) {
      facts.add("alert", subject, {
        expr: canonicalPromQL(str(r.expr)),
        for: str(r.for) || "0s",
        ...(labels.severity ? { severity: labels.severity } : {}),
        ...(labels.team ? { team: labels.team } : {}),
        ...Object.fromEntries(extra.map(([k, v]) => [`label.${k}`, v])),
        ...Object.fromEntries(Object.entries(obj(r.annotations)).map(([k, v]) => [`annotation.${k}`, str(v)])),
      });
    } else if (typeof r.record === "string") {
      const all = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
      facts.add("recording", `${r.record}${all.length ? `{${all.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}` : ""}`, { expr: canonicalPromQL(str(r.expr)) });
    }
  }
}

function alertmanagerFacts(doc: unknown, facts: FactSet): void {
  const config = obj(doc);
  facts.add("settings", "alertmanager global", redact(flatten(config.global)));
  const walk = (route: Obj, path: string): void => {
    const matchers = list(route.matchers).map(str).sort();
    // A child without matchers (one of a severity's several receivers) is named by its receiver.
    const step = matchers.length ? `{${matchers.join(", ")}}` : path && typeof route.receiver === "string" ? `receiver ${route.receiver}` : "";
    const here = step ? `${path}${path ? " > " : ""}${step}` : path || "(root)";
    const { routes, matchers: _m, ...own } = route;
    facts.add("route", here, flatten(own));
    for (const child of list(routes)) walk(obj(child), step || path ? here : "");
  };
  walk(obj(config.route), "");
  for (const rule of list(config.inhibit_rules).map(obj)) {
    facts.add("inhibition", `{${list(rule.source_matchers).map(str).sort().join(", ")}} silences {${list(rule.target_matchers).map(str).sort().join(", ")}}`, { equal: list(rule.equal).map(str).join(", ") || "(none)" });
  }
  for (const r of list(config.receivers).map(obj)) facts.add("receiver", str(r.name), redact(flatten({ ...r, name: undefined })));
  for (const t of list(config.time_intervals).map(obj)) facts.add("time-interval", str(t.name), flatten(t.time_intervals));
}

function dashboardFacts(doc: unknown, facts: FactSet): void {
  const d = obj(doc);
  const uid = str(d.uid);
  facts.add("dashboard", uid, flatten({ title: d.title, description: d.description, refresh: d.refresh, tags: d.tags, variables: list(obj(d.templating).list).map((v) => `${str(obj(v).name)}: ${str(obj(v).query)}`) }));
  let row = "";
  const panel = (p: Obj): void => {
    if (p.type === "row") {
      row = str(p.title);
      list(p.panels).map(obj).forEach(panel);
      return;
    }
    const defaults = obj(obj(p.fieldConfig).defaults);
    facts.add("panel", `${uid} / ${row ? `${row} / ` : ""}${str(p.title)}`, {
      type: str(p.type),
      ...flatten({ description: p.description, unit: defaults.unit, min: defaults.min, max: defaults.max }),
      ...(list(obj(defaults.thresholds).steps).length ? { thresholds: list(obj(defaults.thresholds).steps).map((s) => `${str(obj(s).value ?? "base")} ${str(obj(s).color)}`).join(", ") } : {}),
      ...Object.fromEntries(list(p.targets).map((t, i) => [`query.${i + 1}`, canonicalPromQL(str(obj(t).expr ?? obj(t).query))])),
    });
  };
  list(d.panels).map(obj).forEach(panel);
}

function probeFacts(doc: unknown, facts: FactSet): void {
  const p = obj(doc);
  for (const c of list(p.checks).map(obj)) facts.add("check", str(c.name), flatten({ ...c, name: undefined }, ["label"]));
  for (const j of list(p.journeys).map(obj)) facts.add("journey", str(j.name), flatten({ ...j, name: undefined }, ["label"]));
}

function prometheusFacts(doc: unknown, facts: FactSet): void {
  const config = obj(doc);
  facts.add("prometheus", "global", flatten({ global: config.global, rule_files: config.rule_files, alerting: config.alerting }));
  for (const job of list(config.scrape_configs).map(obj)) facts.add("prometheus", `scrape job ${str(job.job_name)}`, redact(flatten({ ...job, job_name: undefined })));
}

function argsFields(text: string): Record<string, string> {
  const flags = text.split("\n").filter((l) => l.startsWith("--"));
  return Object.fromEntries(flags.map((f) => [f.replace(/=.*$/, ""), f.includes("=") ? f.replace(/^[^=]*=/, "") : "(set)"]));
}

/**
 * Values of keys that hold credentials inline (Vigil writes `*_file` references, a hand-edited
 * tree may not): compared by a keyed hash, printed as `(inline secret)` (see `maskSecrets`).
 */
const SECRET_KEY = /(password|secret|token|api_key|routing_key|service_key|api_url|credentials)$/;
const RUN_KEY = randomBytes(16);

function redact(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, SECRET_KEY.test(k.split(".").pop() ?? k) ? `(inline secret ${createHash("sha256").update(RUN_KEY).update(v).digest("hex").slice(0, 16)})` : v]),
  );
}

/** After comparing: the hashes of inline secrets out of every text (so output does not depend on the run). */
export function maskSecrets(text: string): string {
  return text.replace(/\(inline secret [0-9a-f]{16}\)/g, "(inline secret)");
}
