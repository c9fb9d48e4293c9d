/**
 * The metrics the probe bundle exposes (blackbox exporter's names where it has them): declared
 * for every spec with checks or journeys, so rules, lint and dashboards read them like any
 * declared signal.
 */
import type { SignalSpec } from "../spec/types.js";

export const PROBE_SIGNALS: readonly SignalSpec[] = [
  { name: "probe_success", type: "gauge", help: "1 if the last run of the check or journey succeeded", labels: ["check", "journey", "service", "team"] },
  { name: "probe_duration_seconds", type: "gauge", unit: "seconds", help: "Duration of the last run", labels: ["check", "journey", "service", "team"] },
  { name: "probe_http_status_code", type: "gauge", help: "Status of the last response", labels: ["check", "journey", "service", "team"] },
  { name: "probe_http_duration_seconds", type: "gauge", unit: "seconds", help: "Duration of the last request by phase", labels: ["check", "service", "team", "phase"] },
  { name: "probe_ssl_earliest_cert_expiry", type: "gauge", unit: "seconds", help: "Unix time the earliest certificate of the chain expires", labels: ["check", "journey", "service", "team"] },
  { name: "vigil_probe_runs_total", type: "counter", help: "Runs by result", labels: ["check", "journey", "service", "team", "result"] },
  { name: "vigil_probe_failures_total", type: "counter", help: "Failed runs by reason", labels: ["check", "journey", "step", "service", "team", "reason"] },
  { name: "vigil_probe_consecutive_failures", type: "gauge", help: "Failed runs in a row", labels: ["check", "journey", "service", "team"] },
  { name: "vigil_journey_step_success", type: "gauge", help: "1 if the step succeeded in the last run", labels: ["journey", "step", "service", "team"] },
  { name: "vigil_journey_step_duration_seconds", type: "gauge", unit: "seconds", help: "Duration of the step in the last run", labels: ["journey", "step", "service", "team"] },
];

export const PROBE_SIGNAL_NAMES: ReadonlySet<string> = new Set(PROBE_SIGNALS.map((s) => s.name));


/** The probe signals of a spec: with `probes.locations`, each also carries `location`. */
export function probeSignals(located: boolean): readonly SignalSpec[] {
  return located ? PROBE_SIGNALS.map((s) => ({ ...s, labels: [...(s.labels ?? []), "location"] })) : PROBE_SIGNALS;
}
