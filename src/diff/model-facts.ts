/**
 * Facts of a compiled model: what the spec means, not how it is written. Source locations,
 * ids and text Vigil derives from other facts (tier annotations, budgets) are left out, and
 * PromQL is compared in canonical form, so a reformatted or refactored spec has the same facts.
 */
import { routingCases } from "../alertmanager/cases.js";
import { allTeams } from "../normalize/merge.js";
import type { Model, ServiceModel, TimeIntervalModel } from "../model/types.js";
import { formatDuration, formatNumber, formatWindow } from "../promql/format.js";
import { alertSubjects, canonicalPromQL, FactSet, flatten, matchersText } from "./facts.js";
import { routingFacts } from "./routing-facts.js";

/** Keys never compared: where things are written, ids derived from names, lint settings. */
const SKIP = ["at", "id", "spec", "lintDisable", "sourceAt"];
/** Labels every alert carries that other fields already show. */
const OWN_LABELS = ["service", "severity", "team"];

export function modelFacts(model: Model | undefined): FactSet {
  const facts = new FactSet();
  if (!model) return facts;
  for (const service of model.services) serviceFacts(service, facts);
  // Teams are shared by the specs compiled together: each once, as declared with its receivers.
  for (const team of allTeams(model.services)) {
    facts.add("team", team.name, flatten({ description: team.description, maintenance: team.maintenance, escalation: team.escalation }, [...SKIP, "explicit"]));
    for (const r of team.receivers) facts.add("receiver", `${team.name}/${r.name}`, flatten(r, SKIP));
  }
  routingFacts(routingCases(model), facts);
  for (const interval of model.alertmanager.timeIntervals) facts.add("time-interval", interval.name, intervalFields(interval));
  const { timeIntervals: _intervals, ...alertmanager } = model.alertmanager;
  facts.add("settings", "alertmanager", flatten(alertmanager, SKIP));
  facts.add("settings", "grafana", flatten(model.grafana, SKIP));
  facts.add("settings", "probe runner", flatten(model.probeRunner, SKIP));
  return facts;
}

function serviceFacts(s: ServiceModel, facts: FactSet): void {
  const name = s.name;
  facts.add("service", name, {
    ...flatten({ team: s.team, environment: s.environment, description: s.description, runbookBaseUrl: s.runbookBaseUrl, maintenance: s.maintenance, scrape: s.scrape }, SKIP),
    ...prefixed("label", withoutKeys(s.ruleLabels, ["service", "environment"])),
  });
  facts.add("prometheus", name, flatten(s.prometheus, SKIP));

  const alertSubject = alertSubjects(s.alerts, (a) => ({ service: name, name: a.name, severity: a.severity }));
  for (const a of s.alerts) {
    facts.add("alert", alertSubject.get(a)!, {
      severity: a.severity,
      expr: canonicalPromQL(a.source.text),
      ...(a.comparison ? { threshold: `${a.comparison.op} ${formatNumber(a.comparison.threshold)}` } : {}),
      for: formatDuration(a.forMs),
      team: a.team,
      ...(a.maintenance?.length ? { maintenance: a.maintenance.join(", ") } : {}),
      ...(a.serviceDown ? { serviceDown: "true" } : {}),
      ...(a.split ? { "split by": (a.split.labels.join(", ") || "(none)") + (a.split.open ? " (open)" : "") } : {}),
      ...prefixed("label", withoutKeys(a.labels, OWN_LABELS)),
      ...prefixed("annotation", a.annotations),
      ...(a.event ? prefixedFlat("event", a.event) : {}),
    });
  }

  for (const slo of s.slos) {
    const subject = `${name}/${slo.name}`;
    facts.add("slo", subject, {
      objective: `${formatNumber(slo.objective)}%`,
      window: formatWindow(slo.windowMs),
      "sli.kind": slo.sli.kind,
      ...(slo.sli.by.length ? { "sli.by": slo.sli.by.join(", ") } : {}),
      "sli.errors": canonicalPromQL(slo.sli.errorQuery),
      "sli.total": canonicalPromQL(slo.sli.totalQuery),
      alert: slo.alertName,
      team: slo.team,
      ...(slo.description ? { description: slo.description } : {}),
      ...(slo.minTraffic !== undefined ? { minTraffic: formatNumber(slo.minTraffic) } : {}),
      ...(slo.maintenance?.length ? { maintenance: slo.maintenance.join(", ") } : {}),
      ...(slo.runbookUrl ? { runbook: slo.runbookUrl } : {}),
      ...(slo.noData ? { "noData.alert": slo.noData.alertName, "noData.for": formatDuration(slo.noData.forMs), "noData.severity": slo.noData.severity } : {}),
      ...prefixed("label", slo.alertLabels),
      ...prefixed("annotation", slo.alertAnnotations),
    });
    for (const tier of slo.tiers) {
      facts.add("burn-rate", `${subject} ${tier.tier}`, {
        severity: tier.severity,
        for: formatDuration(tier.forMs),
        windows: tier.conditions.map((c) => `${formatNumber(c.factor)}x over ${formatWindow(c.longMs)} and ${formatWindow(c.shortMs)}`).join("; "),
        ...prefixed("label", tier.labels),
      });
    }
  }

  for (const a of s.anomalies ?? []) {
    facts.add("anomaly", `${name}/${a.name}`, {
      ...flatten(a, [...SKIP, "ruleLabels", "labels", "annotations", "source", "valueQuery"]),
      value: canonicalPromQL(a.valueQuery),
      ...prefixed("annotation", a.annotations),
    });
  }
  for (const r of s.recordings) facts.add("recording", `${name}/${r.record}${labelText(r.labels)}`, { expr: canonicalPromQL(r.source.text) });
  for (const sig of s.signals) facts.add("signal", `${name}/${sig.name}`, flatten(sig, SKIP));
  for (const e of s.exporters ?? []) facts.add("exporter", `${name}/${e.name}`, flatten(e, SKIP));

  for (const i of s.inhibitions ?? []) {
    facts.add("inhibition", `${name}: ${matchersText(i.source)} silences ${matchersText(i.target)}`, {
      equal: i.equal.join(", ") || "(none)",
      kind: i.kind,
      ...(i.description ? { description: i.description } : {}),
    });
  }

  for (const d of s.dashboards) {
    const dash = `${name}/${d.name}`;
    facts.add("dashboard", dash, {
      ...flatten({ uid: d.uid, title: d.title, description: d.description, refresh: d.refresh }, SKIP),
      ...Object.fromEntries(d.variables.map((v) => [`variable.${v.name}`, `${v.query}${v.multi ? " (multi)" : ""}${v.includeAll ? " (all)" : ""}`])),
    });
    for (const row of d.rows) {
      for (const p of row.panels) {
        facts.add("panel", `${dash} / ${row.title} / ${p.title}`, {
          ...flatten({ ...p, queries: undefined, title: undefined }, SKIP),
          ...Object.fromEntries(p.queries.map((q, i) => [`query.${i + 1}`, canonicalPromQL(q.source.text) + (q.legend ? ` (legend ${q.legend})` : "")])),
        });
      }
    }
  }

  // An assertion's `label` is its place in the spec (`checks[0].assertions[1]`), which moves when checks are reordered.
  for (const c of s.probes?.checks ?? []) facts.add("check", `${name}/${c.name}`, flatten({ ...c, name: undefined }, [...SKIP, "label"]));
  for (const j of s.probes?.journeys ?? []) facts.add("journey", `${name}/${j.name}`, flatten({ ...j, name: undefined }, [...SKIP, "label"]));

  if (s.logs) {
    const { categories, fields, kibana, masks, keyMasks, ...rest } = s.logs;
    facts.add("logs", name, {
      ...flatten(rest, SKIP),
      masks: masks.map((m) => m.name).join(", ") || "(none)",
      ...Object.fromEntries(fields.map((f) => [`field.${f.path.join(".")}`, `${f.type}${f.pii ? `, pii ${f.pii}` : ""}${f.freeText ? ", free text" : ""}`])),
      ...prefixedFlat("kibana", kibana),
    });
    for (const c of categories) facts.add("log-category", `${name}/${c.name}`, flatten(c, [...SKIP, "name"]));
  }
  for (const m of s.logMetrics ?? []) facts.add("log-metric", `${name}/${m.name}`, flatten(m, SKIP));
}

function intervalFields(interval: TimeIntervalModel): Record<string, string> {
  return Object.fromEntries(
    interval.ranges.map((r, i) => {
      const parts = [
        r.weekdays && `weekdays ${r.weekdays.join(", ")}`,
        r.times && `times ${r.times.map((t) => `${t.start}-${t.end}`).join(", ")}`,
        r.daysOfMonth && `days ${r.daysOfMonth.join(", ")}`,
        r.months && `months ${r.months.join(", ")}`,
        r.years && `years ${r.years.join(", ")}`,
        r.location && `in ${r.location}`,
      ].filter(Boolean);
      return [`range.${i + 1}`, parts.join("; ") || "always"];
    }),
  );
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}` : "";
}

function withoutKeys(record: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

function prefixed(prefix: string, record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}.${k}`, v]));
}

function prefixedFlat(prefix: string, value: unknown): Record<string, string> {
  return prefixed(prefix, flatten(value, SKIP));
}
