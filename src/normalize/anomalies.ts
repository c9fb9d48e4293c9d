/**
 * Anomaly alerts: the watched value (a signal's rate or value, or PromQL), its baseline and
 * band settings with defaults, and the alert's labels and annotations.
 */
import { ANOMALY_LABEL } from "../model/rule-names.js";
import type { AnomalyModel, PromQLSource } from "../model/types.js";
import { formatDuration, formatNumber } from "../promql/format.js";
import type { AnomalySpec } from "../spec/types.js";
import type { AlertContext } from "./alerts.js";
import type { NormalizeContext, Path } from "./context.js";
import { checkRuleLabels } from "./labels.js";
import { camelCase, didYouMean, METRIC_NAME, SLUG } from "./names.js";
import { checkIntervalRefs } from "./routing.js";
import type { SignalIndex } from "./signals.js";
import { aggregate, resolveSelector } from "./sli.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export const DEFAULT_BASELINE_MS = WEEK;
export const MIN_BASELINE_MS = DAY;
export const MAX_BASELINE_MS = 4 * WEEK;
export const DEFAULT_SENSITIVITY = 3;
/** Half an hour: the expected value is averaged over the hour around the same time one baseline ago. */
export const DEFAULT_ANOMALY_FOR_MS = 30 * MINUTE;

export interface AnomalyContext extends AlertContext {
  signals: SignalIndex;
  /** Alert names the service's other alerts and SLOs already use. */
  takenAlertNames: ReadonlySet<string>;
}

export function normalizeAnomalies(specs: readonly AnomalySpec[], ac: AnomalyContext, ctx: NormalizeContext): AnomalyModel[] {
  const firstByName = new Map<string, number>();
  const firstByAlert = new Map<string, number>();
  const out: AnomalyModel[] = [];
  specs.forEach((spec, i) => {
    const path: Path = ["anomalies", i];
    if (!SLUG.test(spec.name)) {
      ctx.report("VIG2009", `invalid anomaly name "${spec.name}"`, [...path, "name"], { hint: "use letters, digits, '-', '_' and '.', e.g. checkout-traffic" });
    }
    const first = firstByName.get(spec.name);
    if (first !== undefined) {
      ctx.report("VIG2004", `duplicate anomaly name "${spec.name}"`, [...path, "name"], { related: [{ message: "first declared here", at: ctx.ref(["anomalies", first, "name"]) }] });
      return;
    }
    firstByName.set(spec.name, i);
    const alertName = spec.alert ?? `${camelCase(spec.name)}Anomaly`;
    const alertPath = spec.alert !== undefined ? [...path, "alert"] : [...path, "name"];
    if (!METRIC_NAME.test(alertName)) {
      ctx.report("VIG2009", `invalid alert name "${alertName}"`, alertPath, { hint: "alert names match [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. CheckoutTrafficAnomaly" });
    } else if (ac.takenAlertNames.has(alertName)) {
      ctx.report("VIG2004", `alert name "${alertName}" is already the name of another alert of the service`, alertPath, { hint: "name the anomaly's alert with `alert`" });
    } else if (firstByAlert.has(alertName)) {
      ctx.report("VIG2004", `alert name "${alertName}" is already the name of another anomaly's alert`, alertPath, {
        related: [{ message: "that anomaly", at: ctx.ref(["anomalies", firstByAlert.get(alertName)!, "name"]) }],
      });
    }
    firstByAlert.set(alertName, i);
    const model = normalizeAnomaly(spec, alertName, path, ac, ctx);
    if (model) out.push(model);
  });
  return out;
}

function normalizeAnomaly(spec: AnomalySpec, alertName: string, path: Path, ac: AnomalyContext, ctx: NormalizeContext): AnomalyModel | undefined {
  const value = watchedValue(spec, path, ac.signals, ctx);

  const baselineMs = ctx.duration(spec.baseline, DEFAULT_BASELINE_MS, [...path, "baseline"]);
  let ok = value !== undefined;
  if (spec.baseline !== undefined && (baselineMs < MIN_BASELINE_MS || baselineMs > MAX_BASELINE_MS || baselineMs % HOUR !== 0)) {
    ctx.report("VIG2038", `baseline "${spec.baseline}" is not a whole number of hours from 1d to 4w`, [...path, "baseline"], {
      hint: "the band is learnt from one baseline of history and expects the same time one baseline ago: use 1w (weekly patterns) or 1d (daily ones)",
    });
    ok = false;
  }
  const sensitivity = spec.sensitivity ?? DEFAULT_SENSITIVITY;
  if (!(sensitivity > 0)) {
    ctx.report("VIG2038", `sensitivity ${formatNumber(sensitivity)} must be above 0`, [...path, "sensitivity"], {
      hint: "it is the band's half-width in standard deviations: 3 fires on rare departures, 2 on more",
    });
    ok = false;
  }
  if (spec.minTraffic !== undefined && !(spec.minTraffic > 0)) {
    ctx.report("VIG2038", `minTraffic ${formatNumber(spec.minTraffic)} must be above 0`, [...path, "minTraffic"], { hint: "leave it out for no traffic guard" });
    ok = false;
  }
  const forMs = ctx.duration(spec.for, DEFAULT_ANOMALY_FOR_MS, [...path, "for"]);
  const labels = spec.labels ?? {};
  checkRuleLabels(labels, [...path, "labels"], ctx);
  if (ANOMALY_LABEL in labels) {
    ctx.report("VIG2038", `label "${ANOMALY_LABEL}" is set by Vigil to the anomaly's name`, [...path, "labels", ANOMALY_LABEL], { key: true });
    ok = false;
  }
  const team = spec.team ?? ac.team;
  if (spec.team !== undefined && !ac.teams.has(spec.team)) {
    ctx.report("VIG2008", `unknown team "${spec.team}"`, [...path, "team"], { hint: didYouMean(spec.team, ac.teams) ?? "declare it in teams" });
  }
  const maintenance = spec.maintenance?.length ? checkIntervalRefs(spec.maintenance, [...path, "maintenance"], ctx, ac.timeIntervals) : [];
  if (!ok || !value) return undefined;

  const seasonal = spec.seasonal ?? true;
  const direction = spec.direction ?? "both";
  const severity = spec.severity ?? "warning";
  const runbook = spec.runbook ?? (ac.runbookBaseUrl ? `${ac.runbookBaseUrl}#${alertName}` : undefined);
  const annotations: Record<string, string> = {
    summary: spec.summary ?? `${ac.service}: ${spec.name}${byText(value.by)} is outside its usual range`,
    description: spec.description ?? defaultDescription(spec.name, value.kind, baselineMs, seasonal, sensitivity, direction),
  };
  if (runbook) annotations.runbook_url = runbook;
  const model: AnomalyModel = {
    id: `${ac.service}/${spec.name}`,
    name: spec.name,
    alertName,
    valueQuery: value.query,
    kind: value.kind,
    by: value.by,
    baselineMs,
    seasonal,
    sensitivity,
    direction,
    forMs,
    severity,
    team,
    ruleLabels: { ...ac.serviceLabels, ...labels, [ANOMALY_LABEL]: spec.name },
    // The series' own labels again, so routing sees the service without evaluating the rule.
    labels: { ...ac.serviceLabels, ...labels, [ANOMALY_LABEL]: spec.name, severity, team },
    annotations: { ...annotations, ...(spec.annotations ?? {}) },
    at: ctx.ref(path),
  };
  if (value.source) model.source = value.source;
  if (value.unit !== undefined) model.unit = value.unit;
  if (spec.minTraffic !== undefined) model.minTraffic = spec.minTraffic;
  if (maintenance.length) model.maintenance = [...maintenance];
  return model;
}

interface WatchedValue {
  query: string;
  kind: AnomalyModel["kind"];
  by: string[];
  source?: PromQLSource;
  unit?: string;
}

/** `signal` (a counter's 5m rate or a gauge, summed by `by`) or `expr`, exactly one of them. */
function watchedValue(spec: AnomalySpec, path: Path, signals: SignalIndex, ctx: NormalizeContext): WatchedValue | undefined {
  if ((spec.signal === undefined) === (spec.expr === undefined)) {
    ctx.report("VIG2038", "an anomaly watches either a `signal` or an `expr`, not both or neither", spec.signal !== undefined ? [...path, "expr"] : path, {
      key: spec.signal !== undefined,
      hint: 'e.g. signal: requests.select(), or expr: "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))"',
    });
    return undefined;
  }
  if (spec.expr !== undefined) {
    if (spec.by !== undefined) {
      ctx.report("VIG2038", "`by` applies to a `signal`; aggregate inside `expr` instead", [...path, "by"], { key: true, hint: "e.g. sum by (route) (rate(x[5m]))" });
      return undefined;
    }
    return { query: spec.expr.trim(), kind: "expr", by: [], source: { text: spec.expr, at: ctx.ref([...path, "expr"]) } };
  }
  const sel = spec.signal!;
  const at = [...path, "signal"];
  if (signals.get(sel.metric)?.type === "histogram") {
    // `latency.select()` names the histogram itself, which has no series of that name.
    ctx.report("VIG2006", `"${sel.metric}" is a histogram: an anomaly watches one of its series`, [...at, "metric"], {
      hint: `watch ${sel.metric}_count (the rate of observations, \`latency.count()\`), or a quantile with expr`,
    });
    return undefined;
  }
  const r = resolveSelector(sel, at, signals, ctx, (s) => {
    if (s.part === "bucket") return `an anomaly watches a counter or a gauge, not the buckets of histogram "${s.signal.name}"; watch its _count (the rate of observations) or a quantile with expr`;
    if (s.signal.type === "summary" && s.part === "value") return `an anomaly watches a counter or a gauge, not the quantiles of summary "${s.signal.name}"; watch its _count, or one quantile with expr`;
    return undefined;
  });
  if (!r) return undefined;
  const by = spec.by ?? [];
  let ok = r.clean;
  by.forEach((label, k) => {
    if (r.series.labels && !r.series.labels.has(label)) {
      ctx.report("VIG2002", `signal "${r.series.signal.name}" has no label "${label}" to keep`, [...path, "by", k], {
        hint: didYouMean(label, r.series.labels) ?? `declared labels: ${[...r.series.labels].join(", ")}`,
      });
      ok = false;
    }
  });
  if (!ok) return undefined;
  const counting = r.series.signal.type === "counter" || r.series.part === "count" || r.series.part === "sum";
  const value: WatchedValue = counting
    ? { query: aggregate("sum", `rate(${r.text}[5m])`, by), kind: "rate", by: [...by] }
    : { query: aggregate("sum", r.text, by), kind: "gauge", by: [...by] };
  if (!counting && r.series.signal.unit !== undefined) value.unit = r.series.signal.unit;
  return value;
}

function byText(by: readonly string[]): string {
  return by.length ? ` (${by.map((l) => `${l}={{ $labels.${l} }}`).join(", ")})` : "";
}

function defaultDescription(name: string, kind: AnomalyModel["kind"], baselineMs: number, seasonal: boolean, sensitivity: number, direction: AnomalySpec["direction"]): string {
  const baseline = formatDuration(baselineMs);
  const what = kind === "rate" ? "{{ $value | humanize }} events/s" : "{{ $value | humanize }}";
  const side = direction === "above" ? "above" : direction === "below" ? "below" : "outside";
  const expected = seasonal ? `the value ${baseline} ago (averaged over the hour around it)` : `the mean of the last ${baseline}`;
  return (
    `${name} is ${what}, ${side} the band of ${formatNumber(sensitivity)} standard deviations (over the last ${baseline}) ` +
    `around ${expected}.`
  );
}
