/**
 * Names of the recording rules Vigil generates for SLOs (`level:metric:operation`, as Sloth
 * and the monitoring mixins name them), in one place for the emitter, checks and dashboards.
 */
import { formatDuration } from "../promql/format.js";

export const SLO_RULES = {
  errorEvents: "slo:sli_error_events:rate5m",
  totalEvents: "slo:sli_total_events:rate5m",
  /** Error and total events per second over a window (5m: the two above). */
  errorEventsOver: (windowMs: number) => `slo:sli_error_events:rate${formatDuration(windowMs)}`,
  totalEventsOver: (windowMs: number) => `slo:sli_total_events:rate${formatDuration(windowMs)}`,
  errorRatio: (windowMs: number) => `slo:sli_error:ratio_rate${formatDuration(windowMs)}`,
  objective: "slo:objective:ratio",
  errorBudget: "slo:error_budget:ratio",
  periodDays: "slo:time_period:days",
  currentBurnRate: "slo:current_burn_rate:ratio",
  periodBurnRate: "slo:period_burn_rate:ratio",
  budgetRemaining: "slo:period_error_budget_remaining:ratio",
  info: "vigil_slo_info",
} as const;

/** The label that tells one anomaly's recorded series from another's (its value: the anomaly's name). */
export const ANOMALY_LABEL = "anomaly";

/**
 * The recordings of an anomaly alert (labels `service`, `anomaly` and the spec's), from the
 * watched value to its band; `<B>` is the baseline, e.g. `avg_over_time1w`.
 */
export const ANOMALY_RULES = {
  /** The watched value. */
  value: "anomaly:value:current",
  /** Mean and standard deviation of the value over the baseline. */
  mean: (baselineMs: number) => `anomaly:value:avg_over_time${formatDuration(baselineMs)}`,
  stddev: (baselineMs: number) => `anomaly:value:stddev_over_time${formatDuration(baselineMs)}`,
  /** The value one baseline ago, averaged over the hour around it (the season's value now). */
  lastSeason: "anomaly:value:last_season",
  /** What the value is expected to be now: the season's value, or the baseline mean. */
  expected: "anomaly:value:expected",
  /** How many standard deviations the value is from the expected value. */
  zscore: "anomaly:value:zscore",
  /** Expected ± sensitivity × standard deviation. */
  upper: "anomaly:value:band_upper",
  lower: "anomaly:value:band_lower",
} as const;

const FIXED: ReadonlySet<string> = new Set([...Object.values(SLO_RULES), ...Object.values(ANOMALY_RULES)].filter((v) => typeof v === "string"));
const WINDOWED = /^slo:(sli_error:ratio_|sli_error_events:|sli_total_events:)rate(\d+(ms|[smhdwy]))+$/;
const ANOMALY_WINDOWED = /^anomaly:value:(avg|stddev)_over_time(\d+(ms|[smhdwy]))+$/;

/** Whether a series name is one Vigil's SLO or anomaly rules record (so user expressions may use it). */
export function isGeneratedRecording(name: string): boolean {
  return FIXED.has(name) || WINDOWED.test(name) || ANOMALY_WINDOWED.test(name);
}
