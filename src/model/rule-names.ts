/**
 * Names of the recording rules Vigil generates for SLOs (`level:metric:operation`, as Sloth
 * and the monitoring mixins name them), in one place for the emitter, checks and dashboards.
 */
import { formatDuration } from "../promql/format.js";

export const SLO_RULES = {
  errorEvents: "slo:sli_error_events:rate5m",
  totalEvents: "slo:sli_total_events:rate5m",
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
const ERROR_RATIO = /^slo:sli_error:ratio_rate(\d+(ms|[smhdwy]))+$/;

/** Whether a series name is one Vigil's SLO rules record (so user expressions may use it). */
export function isGeneratedRecording(name: string): boolean {
  return FIXED.has(name) || ERROR_RATIO.test(name);
}
