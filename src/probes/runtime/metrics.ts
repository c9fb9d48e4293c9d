import { Counter, Gauge, Registry } from "prom-client";
import type { FailureReason, ProbeCheck, ProbeJourney, ProbesConfig } from "../config.js";
import { PHASES, type HttpPhases } from "./http.js";
import type { RunResult, StepOutcome } from "./run.js";

type LabelName = "check" | "journey" | "step" | "service" | "team" | "location" | "phase" | "result" | "reason";
type Labels = Partial<Record<LabelName, string>>;

/** `location` only when the runtime runs with `--location` (unset labels are not exported). */
const PROBE = ["check", "journey", "service", "team", "location"] as const;

/** What the last run of a probe left behind; gauges read it at scrape time. */
interface ProbeState {
  labels: Labels;
  successLabels: Labels;
  failureLabels: Labels;
  /** Per phase, `labels` + `phase` (checks). */
  phaseLabels: Labels[];
  ran: boolean;
  /** HTTP checks and journeys: they have a status (TCP checks have none). */
  http: boolean;
  success: boolean;
  durationSeconds: number;
  status: number;
  phases: HttpPhases | undefined;
  /** Unix seconds; undefined: no series. */
  certExpiry: number | undefined;
  consecutiveFailures: number;
  lastRunSeconds: number;
  /** Journeys: the steps reached by the last run. */
  steps: StepOutcome[];
}

/**
 * The probe metrics, in a registry of their own. A run only updates a plain per-probe record and
 * two counters; the gauges are written from those records when `/metrics` is scraped, so the cost
 * of a run does not grow with the number of series. Counters of every probe exist from the start.
 */
export class ProbeMetrics {
  readonly registry = new Registry();
  private readonly state = new Map<ProbeCheck | ProbeJourney, ProbeState>();
  private readonly all: ProbeState[] = [];

  private readonly runs = this.counter("vigil_probe_runs_total", "Runs of the probe by result.", [...PROBE, "result"]);
  private readonly failures = this.counter("vigil_probe_failures_total", "Failed runs of the probe by reason (and journey step).", [...PROBE, "step", "reason"]);
  private readonly skippedRuns = this.counter("vigil_probe_skipped_total", "Runs skipped because the previous run of the probe was still going.", PROBE);

  /** `location`: every series carries it (`--location`). */
  constructor(config: Pick<ProbesConfig, "checks" | "journeys">, private readonly location?: string) {
    const self = this;
    const gauge = (name: string, help: string, labelNames: readonly LabelName[], fill: (g: Gauge<LabelName>, s: ProbeState) => void): void => {
      new Gauge<LabelName>({
        name,
        help,
        labelNames: [...labelNames],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const s of self.all) if (s.ran) fill(this, s);
        },
      });
    };
    gauge("probe_success", "Whether the last run of the probe succeeded (1) or failed (0).", PROBE, (g, s) => g.set(s.labels, s.success ? 1 : 0));
    gauge("probe_duration_seconds", "Duration of the last run of the probe, retries included.", PROBE, (g, s) => g.set(s.labels, s.durationSeconds));
    gauge("probe_http_status_code", "HTTP status of the last response of the last run (0: none).", PROBE, (g, s) => {
      if (s.http) g.set(s.labels, s.status);
    });
    gauge("probe_http_duration_seconds", "Duration of each phase of the last HTTP check run, summed over redirects.", [...PROBE, "phase"], (g, s) => {
      s.phaseLabels.forEach((labels, i) => {
        const phase = PHASES[i];
        g.set(labels, s.phases && phase ? s.phases[phase] : 0);
      });
    });
    gauge("probe_ssl_earliest_cert_expiry", "Unix time of the earliest certificate expiry in the peer chain of the last https request (or TLS handshake of a TCP check).", PROBE, (g, s) => {
      if (s.certExpiry !== undefined) g.set(s.labels, s.certExpiry);
    });
    gauge("vigil_probe_consecutive_failures", "Runs failed in a row (0 after a success).", PROBE, (g, s) => g.set(s.labels, s.consecutiveFailures));
    gauge("vigil_probe_last_run_timestamp_seconds", "Unix time when the last run ended.", PROBE, (g, s) => g.set(s.labels, s.lastRunSeconds));
    const stepLabels = (s: ProbeState, step: string): Labels => ({ journey: s.labels.journey, step, service: s.labels.service, team: s.labels.team, ...(s.labels.location !== undefined ? { location: s.labels.location } : {}) });
    gauge("vigil_journey_step_success", "Whether each step reached by the last journey run succeeded.", ["journey", "step", "service", "team", "location"], (g, s) => {
      for (const step of s.steps) g.set(stepLabels(s, step.name), step.success ? 1 : 0);
    });
    gauge("vigil_journey_step_duration_seconds", "Duration of each step reached by the last journey run.", ["journey", "step", "service", "team", "location"], (g, s) => {
      for (const step of s.steps) g.set(stepLabels(s, step.name), step.durationMs / 1000);
    });

    for (const probe of config.checks) this.stateOf(probe);
    for (const probe of config.journeys) this.stateOf(probe);
  }

  private counter(name: string, help: string, labelNames: readonly LabelName[]): Counter<LabelName> {
    return new Counter<LabelName>({ name, help, labelNames: [...labelNames], registers: [this.registry] });
  }

  private stateOf(probe: ProbeCheck | ProbeJourney): ProbeState {
    let s = this.state.get(probe);
    if (s) return s;
    const isJourney = "steps" in probe;
    const http = isJourney || !("tcp" in probe);
    const labels: Labels = isJourney ? { journey: probe.name } : { check: probe.name };
    labels.service = probe.service;
    labels.team = probe.team;
    if (this.location !== undefined) labels.location = this.location;
    s = {
      labels,
      successLabels: { ...labels, result: "success" },
      failureLabels: { ...labels, result: "failure" },
      phaseLabels: isJourney || !http ? [] : PHASES.map((phase) => ({ ...labels, phase })),
      ran: false,
      http,
      success: false,
      durationSeconds: 0,
      status: 0,
      phases: undefined,
      certExpiry: undefined,
      consecutiveFailures: 0,
      lastRunSeconds: 0,
      steps: [],
    };
    this.state.set(probe, s);
    this.all.push(s);
    this.runs.inc(s.successLabels, 0);
    this.runs.inc(s.failureLabels, 0);
    this.skippedRuns.inc(labels, 0);
    return s;
  }

  skipped(probe: ProbeCheck | ProbeJourney): void {
    this.skippedRuns.inc(this.stateOf(probe).labels, 1);
  }

  /** Records one finished run: each counter moves exactly once. */
  record(probe: ProbeCheck | ProbeJourney, r: RunResult, nowMs = Date.now()): void {
    const s = this.stateOf(probe);
    s.ran = true;
    s.success = r.success;
    s.durationSeconds = r.durationMs / 1000;
    s.status = r.status;
    s.phases = r.phases;
    // Kept while the last request was https but failed before its certificate was seen.
    if (r.certExpiry !== undefined) s.certExpiry = r.certExpiry;
    else if (r.https === false) s.certExpiry = undefined;
    s.lastRunSeconds = nowMs / 1000;
    s.steps = r.steps ?? [];
    if (r.success) {
      s.consecutiveFailures = 0;
      this.runs.inc(s.successLabels, 1);
    } else {
      s.consecutiveFailures++;
      this.runs.inc(s.failureLabels, 1);
      const reason: FailureReason = r.reason ?? "http_error";
      this.failures.inc(r.step !== undefined ? { ...s.labels, step: r.step, reason } : { ...s.labels, reason }, 1);
    }
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
