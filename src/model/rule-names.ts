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

const FIXED: ReadonlySet<string> = new Set(Object.values(SLO_RULES).filter((v) => typeof v === "string"));
const WINDOWED = /^slo:(sli_error:ratio_|sli_error_events:|sli_total_events:)rate(\d+(ms|[smhdwy]))+$/;

/** Whether a series name is one Vigil's SLO rules record (so user expressions may use it). */
export function isGeneratedRecording(name: string): boolean {
  return FIXED.has(name) || WINDOWED.test(name);
}
