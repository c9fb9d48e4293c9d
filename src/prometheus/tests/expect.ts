/**
 * What promtool must see: for an alert name at the evaluation time, every firing alert's
 * labels (series labels without `__name__`, then the rule's labels, templated) and its
 * annotations rendered as Prometheus renders them (`$labels` are the series labels).
 */
import { parsePromQLCached } from "../../promql/cache.js";
import { rangesOf } from "../rule-files.js";
import { evaluateVector } from "../../promql/eval/evaluate.js";
import { parseVersion } from "../../promql/version.js";
import { dropName, labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type EvalOptions, type InputSeries, type Sample, type SeriesPhase } from "../../promql/eval/types.js";
import { renderAlertTemplate } from "../template/template.js";
import type { ParsedAlert, RuleSet } from "./rule-set.js";
import { isExactFloat } from "./variants.js";

export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const TEST_INTERVAL_MS = 60_000;
/** Rule evaluation interval of SLO burst tests: the SLO windows are tiled in 5m steps. */
export const BURST_INTERVAL_MS = 5 * 60_000;
/**
 * Rule evaluation interval of the tests that span a week of history (alerts comparing with
 * `offset 1w`, in a rule file of their own): the coarsest step that still pins every `for`
 * and window of those alerts — each a multiple of it, and at least two of it, so that halving
 * or doubling one moves when the alert fires by a step or more.
 */
export function historyIntervalMs(alerts: readonly { forMs: number; source: { text: string } }[]): number {
  const spans = alerts.flatMap((a) => {
    const parsed = parsePromQLCached(a.source.text);
    return [a.forMs, ...(parsed.ok ? rangesOf(parsed.expr) : [])];
  }).filter((ms) => ms > 0);
  return HISTORY_STEPS_MS.find((step) => spans.every((ms) => ms % step === 0 && ms >= 2 * step)) ?? TEST_INTERVAL_MS;
}

const HISTORY_STEPS_MS = [30, 15, 10, 5, 2.5, 2].map((m) => m * 60_000);


/** A result that differs between Prometheus 2.x's closed ranges and 3.x's open ones. */
export class RangeModeDependent extends Unsupported {}

/** "both": as Prometheus 2.x and 3.x read ranges, which must agree; "closed": as 2.x alone. */
export type RangeModes = "both" | "closed";

/** Evaluates as the modes say: both (insisting they agree), or 2.x's closed ranges alone. */
export function evaluateIn(modes: RangeModes, expr: Parameters<typeof evaluateVector>[0], base: Omit<EvalOptions, "rangeMode">): Sample[] {
  return modes === "both" ? evaluateBoth(expr, base) : evaluateVector(expr, { ...base, rangeMode: "closed" });
}

/**
 * Where the two modes disagree, a spec targeting 2.x is tested as 2.x reads ranges (the
 * promtool that checks the goldens is 2.42); one targeting 3.x is not tested there.
 */
export function testsAs2x(service: { prometheus: { version: string } }): boolean {
  return parseVersion(service.prometheus.version)?.major === 2;
}

/** Evaluates in both range modes (Prometheus 2.x and 3.x) and insists they agree. */
export function evaluateBoth(expr: Parameters<typeof evaluateVector>[0], base: Omit<EvalOptions, "rangeMode">): Sample[] {
  const closed = evaluateVector(expr, { ...base, rangeMode: "closed" });
  const open = evaluateVector(expr, { ...base, rangeMode: "open" });
  if (!sameSamples(closed, open)) throw new RangeModeDependent("the result depends on whether ranges include their start (Prometheus 2.x vs 3.x)");
  return closed;
}

function sameSamples(a: readonly Sample[], b: readonly Sample[]): boolean {
  if (a.length !== b.length) return false;
  const index = new Map(b.map((s) => [labelsKey(s.labels), s.value]));
  return a.every((s) => {
    const other = index.get(labelsKey(s.labels));
    if (other === undefined) return false;
    if (Number.isNaN(s.value) && Number.isNaN(other)) return true;
    return Math.abs(s.value - other) <= 1e-9 * Math.max(1, Math.abs(s.value));
  });
}

export function expectedAlerts(rules: RuleSet, alertName: string, series: readonly InputSeries[], timeMs: number): ExpectedAlert[] {
  const out: ExpectedAlert[] = [];
  for (const rule of rules.alerts.get(alertName) ?? []) {
    for (const sample of evaluateBoth(rule.expr, { series, recordings: rules.recordings, timeMs, intervalMs: TEST_INTERVAL_MS })) out.push(alertOfSample(rule, sample, exactInputs(series)));
  }
  return sortAlerts(out);
}

/**
 * The alerts of a name as promtool sees them at each evaluation of a test, from its first
 * sample: a rule's series fires once its expression has held at every evaluation for the
 * rule's `for`. Exact where the evaluator models the test's first minutes (ranges reaching
 * before 0) and its phase changes; throws Unsupported where it does not.
 */
export class AlertTimeline {
  /** Per evaluation time: the firing alerts, or undefined where the evaluator cannot tell. */
  private readonly firing = new Map<number, ExpectedAlert[] | undefined>();
  /** Per rule and series: when its current streak of holding began. */
  private readonly since: Map<string, number>[];
  /** Per rule: the last evaluation the evaluator could not model (a range across a phase change). */
  private readonly lastUnknown: (number | undefined)[];

  constructor(
    rules: RuleSet,
    alertName: string,
    phases: readonly SeriesPhase[],
    untilMs: number,
    private readonly evalIntervalMs = TEST_INTERVAL_MS,
    /** "closed": as Prometheus 2.x reads ranges only (where 3.x would read them otherwise). */
    rangeMode: RangeModes = "both",
  ) {
    const list = rules.alerts.get(alertName) ?? [];
    const exact = phases.every((p) => exactInputs(p.series));
    this.since = list.map(() => new Map<string, number>());
    this.lastUnknown = list.map(() => undefined);
    for (let t = 0; t <= untilMs; t += evalIntervalMs) {
      let now: ExpectedAlert[] | undefined = [];
      list.forEach((rule, i) => {
        const since = this.since[i]!;
        let samples: Sample[];
        try {
          samples = evaluateIn(rangeMode, rule.expr, { series: [], phases, fromZero: true, recordings: rules.recordings, timeMs: t, intervalMs: TEST_INTERVAL_MS });
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
          since.clear();
          this.lastUnknown[i] = t;
          now = undefined;
          return;
        }
        const keys = new Set(samples.map((s) => labelsKey(s.labels)));
        for (const key of [...since.keys()]) if (!keys.has(key)) since.delete(key);
        for (const sample of samples) {
          const key = labelsKey(sample.labels);
          if (!since.has(key)) since.set(key, t);
          const held = t - since.get(key)!;
          if (held >= rule.forMs) now?.push(alertOfSample(rule, sample, exact));
          else if (!this.exact(i, since.get(key)!)) now = undefined; // it may have held before the unmodelled stretch
        }
      });
      this.firing.set(t, now === undefined ? undefined : sortAlerts(now));
    }
  }

  /** The alerts firing at an evaluation; Unsupported where the evaluator cannot tell. */
  at(timeMs: number): ExpectedAlert[] {
    if (!this.firing.has(timeMs)) throw new Error(`vigil internal error: no evaluation at ${timeMs}ms`);
    const alerts = this.firing.get(timeMs);
    if (!alerts) throw new Unsupported("the alert's state follows a stretch the evaluator does not model");
    return alerts;
  }

  /** When each series of a rule started holding, if known exactly (undefined otherwise). */
  exactSince(ruleIndex: number): number[] | undefined {
    const starts = [...(this.since[ruleIndex]?.values() ?? [])];
    return starts.every((t) => this.exact(ruleIndex, t)) ? starts : undefined;
  }

  private exact(ruleIndex: number, start: number): boolean {
    const unknown = this.lastUnknown[ruleIndex];
    return unknown === undefined || start - this.evalIntervalMs > unknown;
  }
}

/** Whether every input value is a dyadic rational, so that the arithmetic on it is exact. */
export function exactInputs(series: readonly InputSeries[]): boolean {
  return series.every((s) => isExactFloat(s.value));
}

/** The alert a rule's output sample fires as: labels and annotations rendered. */
export function alertOfSample(rule: ParsedAlert, sample: Sample, exact: boolean): ExpectedAlert {
  const labels: Record<string, string> = { ...dropName(sample.labels) };
  for (const [k, v] of Object.entries(rule.labels)) labels[k] = render(v, sample, exact);
  for (const k of Object.keys(labels)) if (labels[k] === "") delete labels[k];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(rule.annotations)) annotations[k] = render(v, sample, exact);
  return { labels, annotations };
}

function sortAlerts(alerts: ExpectedAlert[]): ExpectedAlert[] {
  return alerts.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1));
}

/** Whether every annotation and label template of the alert renders stably for these samples. */
export function templatesRobust(rules: RuleSet, alertName: string, samples: readonly Sample[], exact = false): boolean {
  try {
    for (const rule of rules.alerts.get(alertName) ?? []) {
      for (const sample of samples) for (const text of [...Object.values(rule.labels), ...Object.values(rule.annotations)]) render(text, sample, exact);
    }
    return true;
  } catch (e) {
    if (e instanceof Unsupported) return false;
    throw e;
  }
}

/**
 * Renders a template for a sample. Text that depends on `$value` must not change within
 * float noise (our arithmetic vs Prometheus'), or the expectation could be off by an ulp.
 */
function render(text: string, sample: Sample, exact: boolean): string {
  if (!text.includes("{{")) return text;
  const data = { labels: { ...sample.labels }, value: sample.value };
  const result = renderAlertTemplate(text, data);
  if (!result.ok) throw new Unsupported(`template ${JSON.stringify(text)}: ${result.reason}`);
  // From dyadic inputs, a dyadic value is computed exactly by every engine (each operation's
  // exact result is representable); anything else must not show its last bits.
  if (/\$value|\.Value/.test(text) && !(exact && isExactFloat(sample.value))) {
    for (const factor of [1 + 1e-12, 1 - 1e-12]) {
      const nudged = renderAlertTemplate(text, { ...data, value: sample.value * factor });
      if (!nudged.ok || nudged.text !== result.text) throw new Unsupported("annotation text is sensitive to float rounding of $value");
    }
  }
  return result.text;
}
