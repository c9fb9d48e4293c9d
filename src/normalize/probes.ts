/**
 * `checks` and `journeys` → the probe bundle's config (kept in the model with where each came
 * from), the alerts that watch them (failing N runs in a row, certificate expiring, a journey
 * step slow), the probe-success SLOs they ask for, and the signals the bundle exposes, so
 * that rules, lint and dashboards treat the probe metrics like any declared metric.
 */
import type { AlertRuleModel, ProbesModel } from "../model/types.js";
import type { ProbeAssertion, ProbeCheck, ProbeJourney, ProbeRequest, ProbeSchedule, ProbeStep } from "../probes/config.js";
import { formatDuration, formatNumber } from "../promql/format.js";
import type { AssertionSpec, CheckSpec, JourneySpec, ProbeAlertSpec, Severity, SloSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { camelCase, didYouMean } from "./names.js";
import { probeAssertion, probeExtraction, probeRequest, type RefScope } from "./probe-requests.js";
import { probeTcpTarget, tcpAssertions } from "./probe-tcp.js";
import type { LocationScope, ProbePlacement } from "./probe-locations.js";

const PROBE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const SECOND = 1000;

export interface ProbeContext {
  service: string;
  team: string;
  teams: ReadonlySet<string>;
  serviceLabels: Record<string, string>;
  runbookBaseUrl: string | undefined;
  /** `probes.shards` is set: every check and journey gets a no-data alert (probe-shards.ts). */
  sharded?: boolean;
  /** `probes.locations` and the service's defaults (probe-locations.ts). */
  locations?: LocationScope;
}

export interface NormalizedProbes {
  probes: ProbesModel;
  alerts: AlertRuleModel[];
  /** Probe-success SLOs, with the spec path of each (`checks.0.slo`). */
  slos: { spec: SloSpec; path: Path }[];
}

export function normalizeProbes(checks: readonly CheckSpec[], journeys: readonly JourneySpec[], pc: ProbeContext, ctx: NormalizeContext): NormalizedProbes {
  const out: NormalizedProbes = { probes: { checks: [], journeys: [] }, alerts: [], slos: [] };
  const names = new Map<string, Path>();
  /** Where each located check and journey runs, and its quorum. */
  const placements = new Map<CheckSpec | JourneySpec, ProbePlacement>();
  const schedule = (spec: CheckSpec | JourneySpec, kind: "check" | "journey", path: Path, defaultIntervalMs: number): ProbeSchedule => {
    if (!PROBE_NAME.test(spec.name)) ctx.report("VIG2009", `invalid ${kind} name "${spec.name}"`, [...path, "name"], { hint: "lower-case letters, digits and '-', e.g. api-health" });
    const key = `${kind}/${spec.name}`;
    const first = names.get(key);
    if (first) ctx.report("VIG2004", `${kind} "${spec.name}" is declared twice`, [...path, "name"], { related: [{ message: "first declared here", at: ctx.ref([...first, "name"]) }] });
    names.set(key, path);
    const team = spec.team ?? pc.team;
    if (spec.team !== undefined && !pc.teams.has(spec.team)) ctx.report("VIG2008", `unknown team "${spec.team}"`, [...path, "team"], { hint: didYouMean(spec.team, pc.teams) ?? "declare it in teams" });
    const intervalMs = ctx.duration(spec.interval, defaultIntervalMs, [...path, "interval"]);
    if (intervalMs < SECOND || intervalMs % SECOND !== 0) ctx.report("VIG2032", `interval "${spec.interval}" is not a whole number of seconds, at least 1s`, [...path, "interval"]);
    const placed = pc.locations?.place(spec, kind, path, ctx);
    if (placed) placements.set(spec, placed);
    return {
      name: spec.name,
      service: pc.service,
      team,
      severity: spec.severity ?? "critical",
      intervalSeconds: Math.max(1, Math.round(intervalMs / SECOND)),
      jitter: spec.jitter ?? 0.1,
      ...(placed ? { locations: placed.locations } : {}),
    };
  };
  const timeoutFits = (timeoutMs: number, intervalSeconds: number, at: Path) => {
    if (timeoutMs >= intervalSeconds * SECOND) ctx.report("VIG2032", `timeout ${formatDuration(timeoutMs)} is not shorter than the interval ${formatDuration(intervalSeconds * SECOND)}`, at, { hint: "a run would still be going when the next is due" });
  };

  checks.forEach((spec, i) => {
    const path: Path = ["checks", i];
    const scope: RefScope = { earlier: new Map() };
    const base = {
      ...schedule(spec, "check", path, 60 * SECOND),
      retries: spec.retries ?? 0,
      backoffMs: ctx.duration(spec.retryBackoff, SECOND, [...path, "retryBackoff"]),
    };
    if ((spec.request === undefined) === (spec.tcp === undefined)) {
      ctx.report("VIG2045", `check "${spec.name}" needs ${spec.request ? "either request or tcp, not both" : "a request (HTTP) or a tcp target"}`, spec.request ? [...path, "tcp"] : [...path, "name"], {
        hint: 'e.g. request: { url: "https://api.example.com/health" } or tcp: { host: "postgres", port: 5432 }',
        ...(spec.request ? { key: true } : {}),
      });
    }
    const check: ProbeCheck = spec.tcp && !spec.request
      ? { ...base, tcp: probeTcpTarget(spec.tcp, [...path, "tcp"], ctx), assertions: tcpAssertions(spec.assertions, path, ctx) }
      : { ...base, request: probeRequest(spec.request ?? { url: "http://invalid/" }, [...path, "request"], scope, ctx), assertions: assertions(spec.assertions, path, ctx) };
    const timeoutMs = "tcp" in check ? check.tcp.timeoutMs : check.request.timeoutMs;
    timeoutFits(timeoutMs * (check.retries + 1) + check.backoffMs * (2 ** check.retries - 1), check.intervalSeconds, [...path, "tcp" in check ? "tcp" : "request", "timeout"]);
    out.probes.checks.push({ ...check, at: ctx.ref(path) });
    out.alerts.push(...probeAlerts(spec, check, "check", path, pc, ctx, placements.get(spec)));
    if (spec.slo) out.slos.push({ spec: probeSlo(spec, "check", pc.service), path: [...path, "slo"] });
  });

  journeys.forEach((spec, i) => {
    const path: Path = ["journeys", i];
    const base = schedule(spec, "journey", path, 5 * 60 * SECOND);
    const earlier = new Map<string, Set<string>>();
    const all = new Set(spec.steps.map((s) => s.name));
    const steps: ProbeStep[] = spec.steps.map((s, k) => {
      const at: Path = [...path, "steps", k];
      if (!PROBE_NAME.test(s.name)) ctx.report("VIG2009", `invalid step name "${s.name}"`, [...at, "name"], { hint: "lower-case letters, digits and '-', e.g. create-story" });
      if (earlier.has(s.name)) ctx.report("VIG2004", `step "${s.name}" is declared twice in journey "${spec.name}"`, [...at, "name"]);
      const step: ProbeStep = {
        name: s.name,
        request: probeRequest(s.request, [...at, "request"], { earlier, all }, ctx),
        assertions: assertions(s.assertions, at, ctx),
        extract: Object.entries(s.extract ?? {})
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, e]) => probeExtraction(name, e, [...at, "extract", name], ctx)),
      };
      earlier.set(s.name, new Set(step.extract.map((e) => e.name)));
      return step;
    });
    const journey: ProbeJourney = { ...base, steps };
    timeoutFits(steps.reduce((sum, s) => sum + s.request.timeoutMs, 0), journey.intervalSeconds, [...path, "interval"]);
    out.probes.journeys.push({ ...journey, at: ctx.ref(path) });
    out.alerts.push(...probeAlerts(spec, journey, "journey", path, pc, ctx, placements.get(spec)));
    if (spec.slo) out.slos.push({ spec: probeSlo(spec, "journey", pc.service), path: [...path, "slo"] });
    spec.steps.forEach((s, k) => {
      if (s.slowerThan === undefined) return;
      const ms = ctx.duration(s.slowerThan, 0, [...path, "steps", k, "slowerThan"]);
      out.alerts.push(
        alertRule(pc, ctx, {
          name: `${camelCase(spec.name)}${camelCase(s.name)}Slow`,
          severity: "warning",
          team: journey.team,
          expr: `vigil_journey_step_duration_seconds{journey="${spec.name}", step="${s.name}", service="${pc.service}"}`,
          comparison: { op: ">", threshold: ms / SECOND },
          // Slow in three runs in a row, not once.
          forMs: 2 * journey.intervalSeconds * SECOND,
          summary: `Step ${s.name} of journey ${spec.name} is slow`,
          description: `Step ${s.name} of journey ${spec.name} took {{ $value | humanizeDuration }} in its last runs (more than ${formatDuration(ms)}).`,
          runbook: spec.runbook,
          at: [...path, "steps", k, "slowerThan"],
        }),
      );
    });
  });
  return out;
}

/** The spec's assertions, or a status below 400 when it gives none. */
function assertions(specs: readonly AssertionSpec[] | undefined, path: Path, ctx: NormalizeContext): ProbeAssertion[] {
  if (!specs?.length) return [{ subject: { kind: "status" }, comparator: "lessThan", expected: 400, label: "default: status below 400" }];
  return specs.map((a, k) => probeAssertion(a, [...path, "assertions", k], ctx));
}

interface AlertParts {
  name: string;
  severity: Severity;
  team: string;
  expr: string;
  /** Absent: the expression is the condition (a no-data alert's `absent(...)`). */
  comparison?: { op: ">" | ">=" | "<"; threshold: number };
  forMs: number;
  summary: string;
  description: string;
  runbook: string | undefined;
  at: Path;
  lintDisable?: Record<string, string>;
  locations?: AlertRuleModel["locations"];
}

function alertRule(pc: ProbeContext, ctx: NormalizeContext, a: AlertParts): AlertRuleModel {
  const annotations: Record<string, string> = { summary: a.summary, description: a.description };
  const runbook = a.runbook ?? (pc.runbookBaseUrl ? `${pc.runbookBaseUrl}#${a.name}` : undefined);
  if (runbook) annotations.runbook_url = runbook;
  return {
    id: `${pc.service}/${a.name}/${a.severity}`,
    name: a.name,
    severity: a.severity,
    source: { text: a.expr, at: ctx.ref(a.at) },
    ...(a.comparison ? { comparison: a.comparison } : {}),
    forMs: a.forMs,
    team: a.team,
    labels: { ...pc.serviceLabels, severity: a.severity, team: a.team },
    annotations,
    at: ctx.ref(a.at),
    lintDisable: a.lintDisable ?? {},
    ...(a.locations ? { locations: a.locations } : {}),
  };
}

/**
 * Failing N runs in a row (with locations: in at least the quorum of them at once); for HTTPS,
 * the certificate expiring; sharded or located, no results.
 */
function probeAlerts(
  spec: CheckSpec | JourneySpec,
  probe: ProbeCheck | ProbeJourney,
  kind: "check" | "journey",
  path: Path,
  pc: ProbeContext,
  ctx: NormalizeContext,
  placed: ProbePlacement | undefined,
): AlertRuleModel[] {
  const alert: ProbeAlertSpec = spec.alert ?? {};
  if (alert.enabled === false) return [];
  // The service too: two services may each have a check of this name.
  const label = `${kind}="${spec.name}", service="${pc.service}"`;
  const matchers = { [kind]: spec.name, service: pc.service };
  const runs = alert.failingRuns ?? 2;
  const what = kind === "check" ? `Check ${spec.name}` : `Journey ${spec.name}`;
  const Kind = kind === "check" ? "Check" : "Journey";
  const reasons = kind === "check" ? "the reason" : "the failing step and the reason";
  const failing: AlertParts = {
    name: `${camelCase(spec.name)}${Kind}Failing`,
    severity: probe.severity,
    team: probe.team,
    expr: `vigil_probe_consecutive_failures{${label}}`,
    comparison: { op: ">=", threshold: runs },
    forMs: ctx.duration(alert.for, 0, [...path, "alert", "for"]),
    summary: `${what} is failing`,
    description: `${what} failed {{ $value | printf "%.0f" }} runs in a row (${runs} or more alert). vigil_probe_failures_total{${label}} has ${reasons}.`,
    runbook: spec.runbook,
    at: [...path, "name"],
    lintDisable: { "alerts/for": "the gauge counts failed runs in a row: the runs are the duration" },
  };
  const located = placed
    ? { metric: "vigil_probe_consecutive_failures", matchers, labels: { team: probe.team }, names: placed.locations, quorum: placed.quorum, runs }
    : undefined;
  const n = placed?.locations.length ?? 0;
  const alerts = [
    alertRule(
      pc,
      ctx,
      located
        ? {
            ...failing,
            // Locations whose last `runs` runs failed; a location reporting nothing counts as
            // neither (its no-data alert below says so).
            expr: `count by (${kind}, service) (vigil_probe_consecutive_failures{${label}} >= ${runs})`,
            comparison: { op: ">=", threshold: located.quorum },
            summary: `${what} is failing in ${located.quorum === 1 ? "a location" : `${located.quorum} or more locations`}`,
            description: `${what} failed ${runs} or more runs in a row in {{ $value | printf "%.0f" }} of its ${n} location${n === 1 ? "" : "s"} (${located.quorum} or more alert). vigil_probe_failures_total{${label}} has ${reasons} by location.`,
            locations: { kind: "failing", ...located },
          }
        : failing,
    ),
  ];
  if (pc.sharded || located) {
    // Its results are gone (stale when its runtime's scrape fails): nobody is running it.
    const forMs = 2 * probe.intervalSeconds * SECOND;
    alerts.push(
      alertRule(pc, ctx, {
        name: `${camelCase(spec.name)}${Kind}NoData`,
        severity: "warning",
        team: probe.team,
        expr: located ? located.names.map((l) => `absent(probe_success{${label}, location="${l}"})`).join(" or ") : `absent(probe_success{${label}})`,
        forMs,
        summary: `${what} has no results`,
        description: located
          ? `${what} has reported no result from location {{ $labels.location }} for ${formatDuration(forMs)}: the probe runtime there is down or not scraped (up{job="vigil-probes"}). Until it reports again, that location counts toward neither passing nor failing.`
          : `${what} has reported no result for ${formatDuration(forMs)}: the probe runtime shard that runs it is down or not scraped (up{job="vigil-probes"}).`,
        runbook: spec.runbook,
        at: [...path, "name"],
        ...(located ? { locations: { ...located, kind: "noData" as const, metric: "probe_success" } } : {}),
      }),
    );
  }
  const days = alert.certificateDays ?? 14;
  const https = kind === "check" ? checkTls(probe as ProbeCheck) : (probe as ProbeJourney).steps.some((s) => isHttps(s.request.url));
  if (https && days > 0) {
    alerts.push(
      alertRule(pc, ctx, {
        name: `${camelCase(spec.name)}CertificateExpiring`,
        severity: "warning",
        team: probe.team,
        expr: `(min by (${kind}) (probe_ssl_earliest_cert_expiry{${label}}) - time()) / 86400`,
        comparison: { op: "<", threshold: days },
        forMs: 10 * 60 * SECOND,
        summary: `The TLS certificate of ${kind} ${spec.name} expires soon`,
        description: `The earliest certificate ${kind} ${spec.name} sees expires in {{ $value | printf "%.1f" }} days (alert below ${formatNumber(days)}).`,
        runbook: spec.runbook,
        at: [...path, "alert", "certificateDays"],
      }),
    );
  }
  return alerts;
}

/** An https URL, or a TCP check that handshakes TLS: it has a certificate to watch. */
function checkTls(check: ProbeCheck): boolean {
  return "tcp" in check ? check.tcp.tls !== undefined : isHttps(check.request.url);
}

function isHttps(url: ProbeRequest["url"]): boolean {
  const first = url[0];
  return first !== undefined && "text" in first && /^https:/i.test(first.text);
}

/** Successful runs over all runs, from the bundle's run counter. */
function probeSlo(spec: CheckSpec | JourneySpec, kind: "check" | "journey", service: string): SloSpec {
  const slo = spec.slo!;
  const runs = (extra: Record<string, string>) => ({ metric: "vigil_probe_runs_total", matchers: { [kind]: spec.name, service, ...extra } });
  const out: SloSpec = {
    name: `${kind}-${spec.name}`,
    description: `Share of successful runs of ${kind} ${spec.name}`,
    objective: slo.objective,
    sli: { kind: "ratio", bad: runs({ result: "failure" }), total: runs({}) },
  };
  if (slo.window !== undefined) out.window = slo.window;
  if (spec.runbook !== undefined) out.runbook = spec.runbook;
  return out;
}
