/**
 * The authoring API: `import { defineMonitoring, counter, ... } from "vigil-monitoring"`.
 * Everything here builds plain spec data; nothing registers global state.
 */
import type { AlertSpec, MonitoringSpec, RecordingSpec, SloSpec } from "../spec/types.js";

export * from "../spec/types.js";
export * from "./signals.js";
export * from "./matchers.js";

/** Placeholder for the rate window in SLI queries: `sum(rate(x[{{window}}]))`. */
export const WINDOW = "{{window}}";

/** The spec a `monitoring.ts` default-exports. */
export function defineMonitoring(spec: MonitoringSpec): MonitoringSpec {
  return spec;
}

/** Typed helper for an SLO declared outside `defineMonitoring`. */
export function slo(spec: SloSpec): SloSpec {
  return spec;
}

/** Typed helper for a threshold alert declared outside `defineMonitoring`. */
export function alert(spec: AlertSpec): AlertSpec {
  return spec;
}

/** Typed helper for a recording rule declared outside `defineMonitoring`. */
export function recording(spec: RecordingSpec): RecordingSpec {
  return spec;
}
