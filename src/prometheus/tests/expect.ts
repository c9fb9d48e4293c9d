/**
 * What promtool must see: for an alert name at the evaluation time, every firing alert's
 * labels (series labels without `__name__`, then the rule's labels, templated) and its
 * annotations rendered as Prometheus renders them (`$labels` are the series labels).
 */
import { evaluateVector } from "../../promql/eval/evaluate.js";
import { dropName, labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type EvalOptions, type InputSeries, type Sample } from "../../promql/eval/types.js";
import { renderAlertTemplate } from "../template/template.js";
import type { RuleSet } from "./rule-set.js";

export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const TEST_INTERVAL_MS = 60_000;

/** Evaluates in both range modes (Prometheus 2.x and 3.x) and insists they agree. */
export function evaluateBoth(expr: Parameters<typeof evaluateVector>[0], base: Omit<EvalOptions, "rangeMode">): Sample[] {
  const closed = evaluateVector(expr, { ...base, rangeMode: "closed" });
  const open = evaluateVector(expr, { ...base, rangeMode: "open" });
  if (!sameSamples(closed, open)) throw new Unsupported("the result depends on whether ranges include their start (Prometheus 2.x vs 3.x)");
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
    for (const sample of evaluateBoth(rule.expr, { series, recordings: rules.recordings, timeMs, intervalMs: TEST_INTERVAL_MS })) {
      const labels: Record<string, string> = { ...dropName(sample.labels) };
      for (const [k, v] of Object.entries(rule.labels)) labels[k] = render(v, sample);
      for (const k of Object.keys(labels)) if (labels[k] === "") delete labels[k];
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(rule.annotations)) annotations[k] = render(v, sample);
      out.push({ labels, annotations });
    }
  }
  return out.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1));
}

/** Whether every annotation and label template of the alert renders stably for these samples. */
export function templatesRobust(rules: RuleSet, alertName: string, samples: readonly Sample[]): boolean {
  try {
    for (const rule of rules.alerts.get(alertName) ?? []) {
      for (const sample of samples) for (const text of [...Object.values(rule.labels), ...Object.values(rule.annotations)]) render(text, sample);
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
function render(text: string, sample: Sample): string {
  if (!text.includes("{{")) return text;
  const data = { labels: { ...sample.labels }, value: sample.value };
  const result = renderAlertTemplate(text, data);
  if (!result.ok) throw new Unsupported(`template ${JSON.stringify(text)}: ${result.reason}`);
  if (/\$value|\.Value/.test(text)) {
    for (const factor of [1 + 1e-12, 1 - 1e-12]) {
      const nudged = renderAlertTemplate(text, { ...data, value: sample.value * factor });
      if (!nudged.ok || nudged.text !== result.text) throw new Unsupported("annotation text is sensitive to float rounding of $value");
    }
  }
  return result.text;
}
