/**
 * The authoring API: `import { defineMonitoring, counter, ... } from "vigil-monitoring"`.
 * Everything here builds plain spec data; nothing registers global state.
 */
import type { VigilConfig } from "../config/types.js";
import type { AlertSpec, MonitoringSpec, ReceiverSpec, RecordingSpec, SecretRef, Severity, SeverityRouteSpec, SloSpec, TeamSpec } from "../spec/types.js";

export * from "../spec/types.js";
export type { ConfigPrometheusSettings, DeployConfig, DeployServerConfig, LintConfig, VigilConfig } from "../config/types.js";
export * from "./signals.js";
export * from "./matchers.js";
export * from "./probes.js";
export * from "./anomaly.js";
export * from "./log-metric.js";

/** Placeholder for the rate window in SLI queries: `sum(rate(x[{{window}}]))`. */
export const WINDOW = "{{window}}";

/** The spec a `monitoring.ts` default-exports. */
export function defineMonitoring(spec: MonitoringSpec): MonitoringSpec {
  return spec;
}

/**
 * The project config a `vigil.config.ts` default-exports: the specs, output directory,
 * Prometheus version and lint settings the commands use when the command line does not say.
 */
export function defineConfig(config: VigilConfig): VigilConfig {
  return config;
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

/**
 * A secret read from an environment variable: where Alertmanager runs (written to a file by
 * `write-secrets.sh`), or where the probe bundle runs (in check and journey requests).
 */
export function env(name: string): { env: string } {
  return { env: name };
}

/** A secret read from a file Alertmanager can read, e.g. a mounted Kubernetes or Docker secret. */
export function file(path: string): SecretRef {
  return { file: path };
}

/** A severity route whose receivers are names of `R`, the team's receivers. */
export type TypedSeverityRoute<R extends string> = Omit<SeverityRouteSpec, "receivers"> & { receivers: R[] };

/**
 * Typed helper for a team: escalation may only name the team's own receivers, so a typo is an
 * editor error (and VIG2024 at compile time for YAML/JSON specs).
 */
export function team<const R extends readonly ReceiverSpec[]>(spec: {
  name: string;
  description?: string;
  receivers: R;
  escalation?: { [S in Severity]?: TypedSeverityRoute<R[number]["name"]> };
}): TeamSpec {
  // `R` is readonly only so `const` inference keeps the names literal; the data is plain.
  return { ...spec, receivers: [...spec.receivers] };
}
