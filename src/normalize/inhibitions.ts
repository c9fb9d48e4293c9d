/**
 * Inhibitions: which of a service's alerts keep which others quiet, and only within the same
 * series. A severity ladder's critical inhibits its warning and info, an SLO's page its ticket,
 * each with every label the alert or SLO is split by in `equal` (provider A's critical must not
 * silence provider B's warning); a `serviceDown` alert inhibits the rest of its service; and the
 * spec's `inhibitions` say the rest ("a provider down inhibits that provider's authorization
 * alerts"), checked against the alerts the service declares and the labels they carry.
 */
import { SEVERITIES } from "../model/severity.js";
import type { AlertRuleModel, InhibitionModel, LabelMatcherModel, RecordingModel, ServiceModel } from "../model/types.js";
import { parsePromQLCached } from "../promql/cache.js";
import { labelFlow, type SeriesLabels } from "../promql/labels.js";
import type { InhibitionSpec, Severity } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { didYouMean } from "./names.js";
import type { SignalIndex } from "./signals.js";

/** What the service's alerts of one name carry, as far as Vigil can know. */
interface AlertInfo {
  severities: Set<Severity>;
  labels: Set<string>;
  /** The alert may carry labels beyond `labels`. */
  open: boolean;
}

/**
 * Series labels for label flow: declared signals and built-ins, and the service's recording
 * rules through their own expressions (and labels).
 */
export function seriesLookup(signals: SignalIndex, recordings: readonly RecordingModel[], version: string): SeriesLabels {
  const byRecord = new Map<string, RecordingModel[]>();
  for (const r of recordings) byRecord.set(r.record, [...(byRecord.get(r.record) ?? []), r]);
  const memo = new Map<string, string[] | undefined>();
  const visiting = new Set<string>();
  const lookup: SeriesLabels = (metric) => {
    const recs = byRecord.get(metric);
    if (!recs) {
      const s = signals.series(metric);
      return s?.labels ? [...s.labels] : undefined;
    }
    if (memo.has(metric)) return memo.get(metric);
    if (visiting.has(metric)) return undefined;
    visiting.add(metric);
    let out: Set<string> | undefined = new Set();
    for (const r of recs) {
      const parsed = parsePromQLCached(r.source.text, version);
      const flow = parsed.ok ? labelFlow(parsed.expr, lookup) : undefined;
      if (!flow || flow.open) {
        out = undefined;
        break;
      }
      for (const l of flow.labels) if (l !== "__name__") out.add(l);
      for (const l of Object.keys(r.labels)) out.add(l);
    }
    visiting.delete(metric);
    const result = out && [...out].sort();
    memo.set(metric, result);
    return result;
  };
  return lookup;
}

/** The labels of an alert's result series besides the rule's own: what tells its series apart. */
export function alertSplit(alert: AlertRuleModel, lookup: SeriesLabels, version: string): { labels: string[]; open: boolean } {
  const parsed = parsePromQLCached(alert.source.text, version);
  if (!parsed.ok) return { labels: [], open: true };
  const flow = labelFlow(parsed.expr, lookup);
  const own = new Set([...Object.keys(alert.labels), "alertname", "__name__"]);
  return { labels: [...flow.labels].filter((l) => !own.has(l)).sort(), open: flow.open };
}

const eq = (label: string, value: string): LabelMatcherModel => ({ label, op: "=", value });
/** `label="a"` for one value, `label=~"a|b"` for several (values are alert names and severities: no regexp characters). */
const oneOf = (label: string, values: readonly string[]): LabelMatcherModel => (values.length === 1 ? eq(label, values[0]!) : { label, op: "=~", value: values.join("|") });
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const bySeverity = (a: Severity, b: Severity) => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);

/**
 * Sets each alert's `split` and returns the service's inhibit rules. `lookup` gives the labels
 * of series (see `seriesLookup`).
 */
export function normalizeInhibitions(specs: readonly InhibitionSpec[], service: ServiceModel, lookup: SeriesLabels, ctx: NormalizeContext): InhibitionModel[] {
  const version = service.prometheus.version;
  const svc = eq("service", service.name);
  const out: InhibitionModel[] = [];

  // Severity ladders: within one alert name, one series.
  const ladders = new Map<string, AlertRuleModel[]>();
  for (const a of service.alerts) {
    a.split = alertSplit(a, lookup, version);
    ladders.set(a.name, [...(ladders.get(a.name) ?? []), a]);
  }
  for (const [name, rules] of [...ladders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const severities = [...new Set(rules.map((r) => r.severity))].sort(bySeverity);
    if (severities.length < 2) continue;
    // Labels Vigil cannot know could tell series apart: better two notifications than a silenced one.
    if (rules.some((r) => r.split!.open)) continue;
    const equal = sorted(["environment", "service", ...rules.flatMap((r) => r.split!.labels)]);
    for (let k = 0; k < severities.length - 1; k++) {
      out.push({
        kind: "severity",
        source: [svc, eq("alertname", name), eq("severity", severities[k]!)],
        target: [svc, eq("alertname", name), oneOf("severity", severities.slice(k + 1))],
        equal,
        at: rules[0]!.at,
      });
    }
  }

  // SLO tiers: the page makes the ticket of the same SLO series redundant.
  for (const slo of [...service.slos].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const tiers = new Set(slo.tiers.map((t) => t.tier));
    if (!tiers.has("page") || !tiers.has("ticket")) continue;
    out.push({
      kind: "tier",
      source: [svc, eq("slo", slo.name), eq("tier", "page")],
      target: [svc, eq("slo", slo.name), eq("tier", "ticket")],
      equal: sorted(["environment", "service", "slo", ...slo.sli.by]),
      at: slo.at,
    });
  }

  // serviceDown: the whole service is down, so all its other alerts wait (service-wide by design).
  const down = sorted(service.alerts.filter((a) => a.serviceDown).map((a) => a.name));
  if (down.length > 0) {
    const first = service.alerts.find((a) => a.serviceDown)!;
    out.push({
      kind: "serviceDown",
      source: [svc, oneOf("alertname", down)],
      target: [svc, down.length === 1 ? { label: "alertname", op: "!=", value: down[0]! } : { label: "alertname", op: "!~", value: down.join("|") }],
      equal: ["environment"],
      at: first.at,
    });
  }

  const catalog = alertCatalog(service);
  specs.forEach((spec, i) => {
    const rule = declaredInhibition(spec, ["inhibitions", i], catalog, svc, ctx);
    if (rule) out.push(rule);
  });
  return out;
}

/** Every alert name of the service with its severities and labels. */
function alertCatalog(service: ServiceModel): Map<string, AlertInfo> {
  const catalog = new Map<string, AlertInfo>();
  const add = (name: string, severities: Iterable<Severity>, labels: Iterable<string>, open: boolean) => {
    const known = catalog.get(name) ?? { severities: new Set<Severity>(), labels: new Set<string>(), open: false };
    for (const s of severities) known.severities.add(s);
    for (const l of labels) known.labels.add(l);
    known.open ||= open;
    catalog.set(name, known);
  };
  for (const a of service.alerts) add(a.name, [a.severity], ["alertname", ...Object.keys(a.labels), ...(a.split?.labels ?? [])], a.split?.open ?? true);
  for (const slo of service.slos) {
    const common = ["alertname", "severity", "team", ...Object.keys(slo.ruleLabels), ...Object.keys(slo.alertLabels)];
    if (slo.tiers.length > 0) {
      add(
        slo.alertName,
        slo.tiers.map((t) => t.severity),
        [...common, "tier", ...slo.sli.by, ...slo.tiers.flatMap((t) => Object.keys(t.labels))],
        false,
      );
    }
    if (slo.noData) add(slo.noData.alertName, [slo.noData.severity], common, false);
  }
  // An anomaly's series carry its rule labels and `by`; an expression's may carry more.
  for (const a of service.anomalies ?? []) add(a.alertName, [a.severity], ["alertname", ...Object.keys(a.ruleLabels), ...Object.keys(a.labels), ...a.by], a.kind === "expr");
  return catalog;
}

function declaredInhibition(spec: InhibitionSpec, path: Path, catalog: ReadonlyMap<string, AlertInfo>, svc: LabelMatcherModel, ctx: NormalizeContext): InhibitionModel | undefined {
  let ok = true;
  const fail = (message: string, at: Path, hint?: string) => {
    ok = false;
    ctx.report("VIG2033", message, at, hint ? { hint } : {});
  };
  const names = [...catalog.keys()].sort();
  const unknownHint = (name: string) => didYouMean(name, names) ?? (names.length ? `the service's alerts: ${names.join(", ")}` : "the service declares no alerts");

  const source = catalog.get(spec.source);
  if (!source) fail(`unknown alert "${spec.source}": the service declares no such alert`, [...path, "source"], unknownHint(spec.source));
  const targets: { name: string; info: AlertInfo }[] = [];
  spec.targets.forEach((name, k) => {
    const info = catalog.get(name);
    if (name === spec.source) fail(`alert "${name}" cannot inhibit itself`, [...path, "targets", k], "a severity ladder already lets its critical inhibit its warning and info");
    else if (!info) fail(`unknown alert "${name}": the service declares no such alert`, [...path, "targets", k], unknownHint(name));
    else if (!targets.some((t) => t.name === name)) targets.push({ name, info });
  });

  (spec.sourceSeverities ?? []).forEach((s, k) => {
    if (source && !source.severities.has(s)) fail(`alert "${spec.source}" has no ${s} rule`, [...path, "sourceSeverities", k], `its severities: ${[...source.severities].sort(bySeverity).join(", ")}`);
  });
  (spec.targetSeverities ?? []).forEach((s, k) => {
    if (targets.length > 0 && !targets.some((t) => t.info.severities.has(s))) fail(`none of the targets has a ${s} rule`, [...path, "targetSeverities", k]);
  });

  // A label one side lacks is "" there: the rule would never hold (or, lacking on both, mean nothing).
  (spec.equal ?? []).forEach((label, k) => {
    const sides = [...(source ? [{ name: spec.source, info: source }] : []), ...targets];
    const lacking = sides.find((s) => !s.info.open && !s.info.labels.has(label));
    if (!lacking) return;
    const carried = [...lacking.info.labels].filter((l) => l !== "alertname").sort();
    fail(`alert "${lacking.name}" carries no label "${label}": the inhibition would never apply`, [...path, "equal", k], didYouMean(label, carried) ?? `it carries: ${carried.join(", ")}`);
  });
  if (!ok || !source) return undefined;

  const sourceSeverities = sorted(spec.sourceSeverities ?? []) as Severity[];
  const targetSeverities = sorted(spec.targetSeverities ?? []) as Severity[];
  const rule: InhibitionModel = {
    kind: "declared",
    source: [svc, eq("alertname", spec.source), ...(sourceSeverities.length ? [oneOf("severity", sourceSeverities.sort(bySeverity))] : [])],
    target: [svc, oneOf("alertname", sorted(targets.map((t) => t.name))), ...(targetSeverities.length ? [oneOf("severity", targetSeverities.sort(bySeverity))] : [])],
    equal: sorted(["environment", ...(spec.equal ?? [])]),
    at: ctx.ref(path),
  };
  if (spec.description !== undefined) rule.description = spec.description;
  return rule;
}
