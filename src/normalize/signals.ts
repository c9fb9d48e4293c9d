/** Signals: validated names and labels, default histogram buckets, and lookups by series name. */
import type { SignalModel } from "../model/types.js";
import type { SignalSpec } from "../spec/types.js";
import type { NormalizeContext } from "./context.js";
import type { SourceResolver } from "./exporters.js";
import { isValidLabelName, METRIC_NAME } from "./names.js";

/** Prometheus client libraries' default histogram buckets. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Labels Prometheus attaches to every scraped series from its target. */
export const TARGET_LABELS = ["job", "instance"] as const;

/** Series every Prometheus has without a declaration (synthetic and rule-evaluation series). */
export const BUILTIN_METRICS: Record<string, SignalModel> = Object.fromEntries(
  ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE"].map(
    (name) => [
      name,
      {
        name,
        type: "gauge",
        labels: name.startsWith("ALERTS") ? ["alertname", "alertstate", "severity", "team", "service", "slo", "tier"] : [],
        buckets: [],
        quantiles: [],
        at: { path: [] },
      } satisfies SignalModel,
    ],
  ),
);

/** `resolveSource`: a signal's `source` → its exporter's job (undefined when it cannot be resolved, reported). */
export function normalizeSignals(specs: readonly SignalSpec[], ctx: NormalizeContext, resolveSource?: SourceResolver): SignalModel[] {
  const seen = new Map<string, number>();
  const out: SignalModel[] = [];
  specs.forEach((s, i) => {
    const path = ["signals", i] as const;
    if (!METRIC_NAME.test(s.name)) {
      ctx.report("VIG2009", `invalid metric name "${s.name}"`, [...path, "name"], { hint: "metric names match [a-zA-Z_:][a-zA-Z0-9_:]*" });
    }
    const first = seen.get(s.name);
    if (first !== undefined) {
      ctx.report("VIG2004", `signal "${s.name}" is declared twice`, [...path, "name"], {
        related: [{ message: "first declared here", at: ctx.ref(["signals", first, "name"]) }],
      });
      return;
    }
    seen.set(s.name, i);
    const labels = s.labels ?? [];
    labels.forEach((l, j) => {
      if (!isValidLabelName(l)) ctx.report("VIG2019", `invalid label name "${l}"`, [...path, "labels", j]);
      else if (l === "le" && s.type === "histogram") ctx.report("VIG2019", `"le" is the histogram's bucket label; do not declare it`, [...path, "labels", j]);
      else if (l === "quantile" && s.type === "summary") ctx.report("VIG2019", `"quantile" is the summary's own label; do not declare it`, [...path, "labels", j]);
    });
    let buckets = s.buckets ?? DEFAULT_BUCKETS;
    if (s.type === "histogram" && s.buckets) {
      const sorted = [...s.buckets].sort((a, b) => a - b);
      if (sorted.some((b, k) => b !== s.buckets![k]) || new Set(sorted).size !== sorted.length) {
        ctx.report("VIG2009", "histogram buckets must be strictly ascending", [...path, "buckets"]);
      }
      buckets = sorted.filter((b) => Number.isFinite(b));
    }
    const model: SignalModel = {
      name: s.name,
      type: s.type,
      labels: [...labels],
      buckets: s.type === "histogram" ? buckets : [],
      quantiles: s.type === "summary" ? [...(s.quantiles ?? [])] : [],
      at: ctx.ref(path),
    };
    if (s.help !== undefined) model.help = s.help;
    if (s.unit !== undefined) model.unit = s.unit;
    if (s.source !== undefined && resolveSource) {
      const job = resolveSource(s.source, [...path, "source"]);
      if (job !== undefined) model.job = job;
    }
    out.push(model);
  });
  return out;
}

export interface SeriesInfo {
  signal: SignalModel;
  /** Which series of the signal: the signal itself, or a histogram/summary component. */
  part: "value" | "bucket" | "count" | "sum";
  /** Label names a selector on this series may use; undefined when unknown (recording rules). */
  labels: Set<string> | undefined;
}

/** Resolves series names (`x`, `x_bucket`, `x_count`, `x_sum`) to their signals. */
export class SignalIndex {
  private readonly byName = new Map<string, SignalModel>();

  constructor(
    signals: readonly SignalModel[],
    private readonly isRecorded: (name: string) => boolean = () => false,
  ) {
    for (const s of signals) this.byName.set(s.name, s);
  }

  get(name: string): SignalModel | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** What series `name` is, or undefined if no signal, recording rule or built-in provides it. */
  series(name: string): SeriesInfo | undefined {
    const direct = this.byName.get(name);
    if (direct && (direct.type === "counter" || direct.type === "gauge")) return info(direct, "value");
    if (direct && direct.type === "summary") return info(direct, "value", ["quantile"]);
    for (const part of ["bucket", "count", "sum"] as const) {
      if (!name.endsWith(`_${part}`)) continue;
      const base = this.byName.get(name.slice(0, -part.length - 1));
      if (!base || (base.type !== "histogram" && base.type !== "summary")) continue;
      if (part === "bucket" && base.type !== "histogram") continue;
      return info(base, part, part === "bucket" ? ["le"] : []);
    }
    if (this.isRecorded(name)) {
      // Which labels a recording rule's output carries needs label flow; not checked here.
      return { signal: { name, type: "gauge", labels: [], buckets: [], quantiles: [], at: { path: [] } }, part: "value", labels: undefined };
    }
    const builtin = BUILTIN_METRICS[name];
    return builtin ? info(builtin, "value") : undefined;
  }
}

function info(signal: SignalModel, part: SeriesInfo["part"], extra: readonly string[] = []): SeriesInfo {
  return { signal, part, labels: new Set([...signal.labels, ...TARGET_LABELS, ...extra]) };
}
