/**
 * `probes/probes.json`: the contract between the compiler (which writes it from the spec's
 * `checks` and `journeys`) and the probe runtime (`src/probes/runtime/`, bundled into
 * `probes/vigil-probes.mjs`). Plain JSON data: no secret values, only the names of the
 * environment variables that hold them. Everything the runtime needs is resolved here
 * (defaults applied, JSON paths split, references checked), so the runtime never guesses.
 */

export const PROBES_CONFIG_VERSION = 1;

export interface ProbesConfig {
  version: typeof PROBES_CONFIG_VERSION;
  /** At most this many checks/journeys run at once (default 64). */
  maxConcurrency: number;
  checks: ProbeCheck[];
  journeys: ProbeJourney[];
  /**
   * `probes.locations`: the names of the locations; each runtime runs with `--location <name>`
   * the probes that list it, and labels every metric with it. Absent: not located.
   */
  locations?: string[];
}

/** What every scheduled probe shares. */
export interface ProbeSchedule {
  /** Unique among the service's checks, and among its journeys; a label value on every metric (with `service`). */
  name: string;
  service: string;
  team: string;
  severity: "critical" | "warning" | "info";
  /** Seconds between runs. */
  intervalSeconds: number;
  /** Each run starts up to this fraction of the interval late (0–0.5), so probes spread out. */
  jitter: number;
  /** With `locations` in the config: the locations that run it. */
  locations?: string[];
}

/** An HTTP check (`request`) or a TCP connect check (`tcp`). */
export type ProbeCheck = ProbeHttpCheck | ProbeTcpCheck;

export interface ProbeCheckBase extends ProbeSchedule {
  /** HTTP: about the response; TCP: `responseTimeMs` only (connect and handshake). */
  assertions: ProbeAssertion[];
  /** Attempts after the first failure, within one run. */
  retries: number;
  /** Wait before the first retry; doubled for each next one. */
  backoffMs: number;
}

export interface ProbeHttpCheck extends ProbeCheckBase {
  request: ProbeRequest;
}

export interface ProbeTcpCheck extends ProbeCheckBase {
  tcp: ProbeTcpTarget;
}

/** A TCP connection to `host:port`, then (with `tls`) a TLS handshake; closed as soon as it is up. */
export interface ProbeTcpTarget {
  host: string;
  port: number;
  /** Connect and handshake together. */
  timeoutMs: number;
  tls?: {
    /** SNI and the name the certificate must hold (default: `host`). */
    serverName: string;
    insecureSkipVerify: boolean;
    minValidityDays?: number;
  };
}

export interface ProbeJourney extends ProbeSchedule {
  /** Run in order; the first failing step ends the run and is recorded. */
  steps: ProbeStep[];
}

export interface ProbeStep {
  /** Unique in its journey. */
  name: string;
  request: ProbeRequest;
  assertions: ProbeAssertion[];
  /** Values later steps use through `{ ref }` template parts. */
  extract: ProbeExtraction[];
}

import type { AssertionComparison, HttpMethod } from "../spec/types.js";

export type { HttpMethod };

export interface ProbeRequest {
  method: HttpMethod;
  url: TextTemplate;
  /** Header name (lower-case) → value; sorted by name. */
  headers: Record<string, TextTemplate>;
  body?: { kind: "json"; value: JsonTemplate } | { kind: "text"; value: TextTemplate };
  /** The whole request, connect to last body byte. */
  timeoutMs: number;
  followRedirects: boolean;
  /** Bodies larger than this fail the run with reason `body_too_large` (default 10 MiB). */
  maxBodyBytes: number;
  tls: {
    /** Accept any certificate (self-signed test targets); the expiry is still measured. */
    insecureSkipVerify: boolean;
    /** Fail when the earliest certificate of the chain expires in fewer days than this. */
    minValidityDays?: number;
  };
}

/**
 * A string assembled at run time from literal text, environment variables (secrets) and
 * values extracted by earlier journey steps. Never parsed from a string, so no placeholder
 * syntax can be mistyped or injected.
 */
export type TextTemplate = TemplatePart[];
export type TemplatePart = { text: string } | { env: string } | { ref: StepRef };

/** A value an earlier step of the same journey extracted. */
export interface StepRef {
  step: string;
  name: string;
}

/**
 * A JSON body whose strings may be templates, and whose values may be whole extracted
 * values (keeping their JSON type, e.g. a numeric id).
 */
export type JsonTemplate =
  | { kind: "null" }
  | { kind: "boolean"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "string"; value: TextTemplate }
  | { kind: "ref"; ref: StepRef }
  | { kind: "array"; items: JsonTemplate[] }
  | { kind: "object"; entries: [string, JsonTemplate][] };

/** A JSON path, split: `$.data.items[0].id` → `["data", "items", 0, "id"]`. */
export type JsonPath = (string | number)[];

export type ProbeSubject =
  | { kind: "status" }
  /** Response header, lower-case name. */
  | { kind: "header"; name: string }
  | { kind: "jsonBody"; path: JsonPath }
  | { kind: "textBody" }
  /** Whole request time in milliseconds. */
  | { kind: "responseTimeMs" };

/** The spec's comparisons, one to one. */
export type Comparator = AssertionComparison;

export interface ProbeAssertion {
  subject: ProbeSubject;
  comparator: Comparator;
  /** Absent for exists/notExists; an RE2 pattern for matches (run by a linear-time engine). */
  expected?: string | number | boolean | null;
  /** Where it came from in the spec, for failure messages (`checks[0].assertions[1]`). */
  label: string;
}

export type ProbeExtraction =
  | { name: string; from: "jsonBody"; path: JsonPath }
  | { name: string; from: "header"; header: string }
  /** First capture group of the RE2 pattern (the whole match without groups). */
  | { name: string; from: "textBody"; regex: string };

/**
 * Reasons a run fails, the `reason` label of `vigil_probe_failures_total`. Stable: alerts and
 * dashboards select on them.
 */
export const FAILURE_REASONS = [
  "assertion",
  "timeout",
  "connection_refused",
  "connection_reset",
  "dns",
  "tls",
  "cert_expiring",
  "body_too_large",
  "invalid_json",
  "extraction",
  "missing_env",
  "too_many_redirects",
  "http_error",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
