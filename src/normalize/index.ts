/**
 * Stage 2: spec values → the model. Applies defaults, resolves names and reports what is
 * wrong with the spec's meaning (its shape was already checked against the JSON Schema).
 */
import { applyKubernetesSettings, mergeTargets } from "./targets.js";
import { derivedStems } from "../model/file-names.js";
import type { Diagnostic } from "../diagnostics/index.js";
import type { DashboardModel, Model, PrometheusModel, RecordingModel, ServiceModel, TimeIntervalModel } from "../model/types.js";
import { overviewUid, slosUid } from "../model/dashboard-uids.js";
import type { MonitoringSpec, PrometheusStorageSettings, RecordingSpec } from "../spec/types.js";
import { normalizeEvents } from "./events.js";
import { linkDashboards, mergeAlertmanager, mergeGrafana, mergeProbeRunner, mergeTeams } from "./merge.js";
import { normalizeHa } from "./ha.js";
import { mergeProbeShards } from "./probe-shards.js";
import { LocationScope, mergeProbeLocations } from "./probe-locations.js";
import { checkLogServices, normalizeLogs } from "./logs.js";
import { checkLogMetricServices, normalizeLogMetrics } from "./log-metrics.js";
import { normalizeProbes } from "./probes.js";
import { probeSignals } from "../model/probe-signals.js";
import { checkIntervalRefs, normalizeTeam } from "./routing.js";
import { normalizeAlerts } from "./alerts.js";
import { normalizeAnomalies } from "./anomalies.js";
import { normalizeInhibitions, seriesLookup } from "./inhibitions.js";
import { normalizeDashboards } from "./dashboards.js";
import { NormalizeContext } from "./context.js";
import { checkRuleLabels } from "./labels.js";
import { didYouMean, HOST_PORT, METRIC_NAME, SLUG } from "./names.js";
import { SignalIndex, normalizeSignals } from "./signals.js";
import { mergeExporterJobs, normalizeExporters } from "./exporters.js";
import { isGeneratedRecording } from "../model/rule-names.js";
import { normalizeSlos } from "./slos.js";

export { SignalIndex } from "./signals.js";

const SUPPORTED_VERSION = /^(2|3)\.(\d+)(\.\d+)?$/;

/**
 * One spec → one service. `timeIntervals`: the interval names declared by every spec compiled
 * together (references may cross specs); by default this spec's own.
 */
export function normalizeService(
  spec: MonitoringSpec,
  specIndex: number,
  timeIntervals: ReadonlySet<string> = new Set((spec.alertmanager?.timeIntervals ?? []).map((t) => t.name)),
  intervalDefs?: ReadonlyMap<string, TimeIntervalModel>,
): { service?: ServiceModel; diagnostics: Diagnostic[] } {
  const ctx = new NormalizeContext(specIndex);
  const intervals =
    intervalDefs ?? new Map((spec.alertmanager?.timeIntervals ?? []).map((t, i) => [t.name, { name: t.name, ranges: t.ranges.map((r) => ({ ...r })), at: ctx.ref(["alertmanager", "timeIntervals", i]) }]));
  const svc = spec.service;
  if (!SLUG.test(svc.name)) {
    ctx.report("VIG2009", `invalid service name "${svc.name}"`, ["service", "name"], { hint: "use letters, digits, '-', '_' and '.'" });
  }

  const teamSpecs = spec.teams ?? [];
  const teams = (teamSpecs.length ? teamSpecs : [{ name: svc.team }]).map((t, i) => normalizeTeam(t, ["teams", i], ctx, timeIntervals));
  const teamNames = new Set<string>();
  teams.forEach((t, i) => {
    if (teamNames.has(t.name)) ctx.report("VIG2004", `team "${t.name}" is declared twice`, ["teams", i, "name"]);
    teamNames.add(t.name);
  });
  if (!teamNames.has(svc.team)) {
    ctx.report("VIG2008", `unknown team "${svc.team}"`, ["service", "team"], { hint: didYouMean(svc.team, teamNames) ?? "declare it in teams" });
  }

  const prom = spec.prometheus ?? {};
  const version = prom.version ?? "2.42";
  const vm = SUPPORTED_VERSION.exec(version);
  if (!vm || (vm[1] === "2" && Number(vm[2]) < 42)) {
    ctx.report("VIG2020", `unsupported Prometheus version "${version}"`, ["prometheus", "version"], { hint: "Vigil targets Prometheus 2.42 or later, e.g. \"2.42\" or \"3.1\"" });
  }

  const serviceLabels = svc.labels ?? {};
  checkRuleLabels(serviceLabels, ["service", "labels"], ctx);
  const ruleLabels: Record<string, string> = { ...serviceLabels, service: svc.name };
  if (svc.environment !== undefined) ruleLabels.environment = svc.environment;

  const hasProbes = Boolean(spec.checks?.length || spec.journeys?.length);
  const declared = new Set((spec.signals ?? []).map((s) => s.name));
  // The bundle's metrics are declared for the spec, unless it declares them itself.
  const exporters = normalizeExporters(spec.exporters ?? [], svc, ctx);
  const signals = normalizeSignals([...(spec.signals ?? []), ...(hasProbes ? probeSignals(spec.probes?.locations !== undefined).filter((s) => !declared.has(s.name)) : [])], ctx, exporters.resolve);
  // Metrics from logs are signals too (mtail's, job `mtail`): alerts and panels read them.
  const logMetrics = spec.logs ? normalizeLogMetrics(spec.logs, new Map(signals.map((s, i) => [s.name, i < (spec.signals ?? []).length ? ["signals", i, "name"] : undefined])), ctx, exporters.resolve) : undefined;
  signals.push(...(logMetrics?.signals ?? []));
  const recordings = normalizeRecordings(spec.recordings ?? [], ctx);
  const userRecorded = new Set(recordings.map((r) => r.record));
  const index = new SignalIndex(signals, (name) => userRecorded.has(name) || isGeneratedRecording(name));

  const probeContext = { service: svc.name, team: svc.team, teams: teamNames, serviceLabels: ruleLabels, runbookBaseUrl: svc.runbookBaseUrl, timeIntervals, sharded: spec.probes?.shards !== undefined, locations: new LocationScope(spec, ctx) };
  const probes = hasProbes ? normalizeProbes(spec.checks ?? [], spec.journeys ?? [], probeContext, ctx) : undefined;
  const sloSpecs = [...(spec.slos ?? []), ...(probes?.slos.map((s) => s.spec) ?? [])];
  const sloPaths = [...(spec.slos ?? []).map((_, i) => ["slos", i]), ...(probes?.slos.map((s) => s.path) ?? [])];
  const slos = normalizeSlos(sloSpecs, { service: svc.name, team: svc.team, serviceLabels: ruleLabels, runbookBaseUrl: svc.runbookBaseUrl, signals: index, teams: teamNames, timeIntervals }, ctx, sloPaths);
  const declaredAlerts = [...normalizeAlerts(spec.alerts ?? [], probeContext, ctx), ...(probes?.alerts ?? [])];
  const taken = new Set([...declaredAlerts.map((a) => a.name), ...slos.flatMap((s) => [s.alertName, ...(s.noData ? [s.noData.alertName] : [])])]);
  const alerts = [...declaredAlerts, ...normalizeEvents(spec.events ?? [], { ...probeContext, signals: index, intervals }, taken, ctx)];
  const takenAlertNames = new Set([...alerts.map((a) => a.name), ...slos.flatMap((s) => [s.alertName, ...(s.noData ? [s.noData.alertName] : [])])]);
  const anomalies = normalizeAnomalies(spec.anomalies ?? [], { ...probeContext, signals: index, takenAlertNames }, ctx);

  const service: ServiceModel = {
    id: svc.name,
    spec: specIndex,
    name: svc.name,
    team: svc.team,
    ruleLabels,
    prometheus: {
      version: vm ? `${vm[1]}.${vm[2]}` : "2.42",
      scrapeIntervalMs: ctx.interval(prom.scrapeInterval, 15_000, ["prometheus", "scrapeInterval"]),
      evaluationIntervalMs: ctx.interval(prom.evaluationInterval, 15_000, ["prometheus", "evaluationInterval"]),
    },
    teams,
    signals,
    slos,
    alerts,
    recordings,
    lint: { rules: { ...(spec.lint?.rules ?? {}) } },
    maintenance: checkIntervalRefs(svc.maintenance ?? [], ["service", "maintenance"], ctx, timeIntervals),
    dashboards: normalizeDashboards(spec.dashboards ?? [], svc.name, ctx),
  };
  if (prom.storage) {
    const storage = normalizeStorage(prom.storage, ctx);
    if (storage) service.prometheus.storage = storage;
  }
  if (prom.externalUrl !== undefined) {
    const url = prom.externalUrl;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || /\s/.test(url)) {
      ctx.report("VIG2036", `prometheus.externalUrl "${url}" is not an http(s) URL`, ["prometheus", "externalUrl"], { hint: "e.g. http://localhost:9091 or https://prometheus.example.com" });
    } else {
      service.prometheus.externalUrl = { url, at: ctx.ref(["prometheus", "externalUrl"]) };
    }
  }
  const exporterModels = exporters.models();
  if (exporterModels.length) service.exporters = exporterModels;
  if (anomalies.length) service.anomalies = anomalies;
  if (spec.logs) service.logs = normalizeLogs(spec.logs, svc.name, ctx);
  if (logMetrics?.models.length) service.logMetrics = logMetrics.models;
  if (probes) service.probes = probes.probes;
  if (svc.scrape) {
    const scrape: NonNullable<ServiceModel["scrape"]> = { targets: [...svc.scrape.targets], path: svc.scrape.path ?? "/metrics", scheme: svc.scrape.scheme ?? "http" };
    if (svc.scrape.interval !== undefined) scrape.intervalMs = ctx.interval(svc.scrape.interval, 15_000, ["service", "scrape", "interval"]);
    svc.scrape.targets.forEach((t, i) => {
      if (!HOST_PORT.test(t)) ctx.report("VIG2009", `scrape target "${t}" is not host:port`, ["service", "scrape", "targets", i], { hint: "e.g. api:8000 or 10.0.0.5:9100" });
    });
    service.scrape = scrape;
  }
  if (svc.environment !== undefined) service.environment = svc.environment;
  if (svc.description !== undefined) service.description = svc.description;
  if (svc.runbookBaseUrl !== undefined) service.runbookBaseUrl = svc.runbookBaseUrl;
  service.inhibitions = normalizeInhibitions(spec.inhibitions ?? [], service, seriesLookup(index, recordings, service.prometheus.version), ctx);
  return { service, diagnostics: ctx.diagnostics };
}

/** `--storage.tsdb.retention.size` parses a whole number and a unit (alecthomas/units, powers of 1024). */
const RETENTION_SIZE = /^[0-9]+(B|KB|MB|GB|TB|PB|EB)$/;

function normalizeStorage(spec: PrometheusStorageSettings, ctx: NormalizeContext): PrometheusModel["storage"] {
  const path = ["prometheus", "storage"];
  const storage: NonNullable<PrometheusModel["storage"]> = { at: ctx.ref(path) };
  if (spec.retention !== undefined) {
    const ms = ctx.duration(spec.retention, -1, [...path, "retention"]);
    if (ms === 0) ctx.report("VIG2005", `duration "${spec.retention}" must be longer than 0s`, [...path, "retention"], { hint: "a retention of 0s keeps nothing; e.g. 30d" });
    if (ms > 0) storage.retention = spec.retention;
  }
  if (spec.retentionSize !== undefined) {
    if (!RETENTION_SIZE.test(spec.retentionSize) || /^0+[A-Z]/.test(spec.retentionSize)) {
      ctx.report("VIG2036", `invalid retention size "${spec.retentionSize}"`, [...path, "retentionSize"], { hint: "a whole number above 0 and B, KB, MB, GB, TB, PB or EB, e.g. 10GB (Prometheus' units are powers of 1024)" });
    } else {
      storage.retentionSize = spec.retentionSize;
    }
  }
  return storage.retention !== undefined || storage.retentionSize !== undefined ? storage : undefined;
}

function normalizeRecordings(specs: readonly RecordingSpec[], ctx: NormalizeContext): RecordingModel[] {
  const seen = new Map<string, number>();
  return specs.flatMap((r, i) => {
    const path = ["recordings", i];
    if (!METRIC_NAME.test(r.record)) {
      ctx.report("VIG2009", `invalid recording rule name "${r.record}"`, [...path, "record"], { hint: "names match [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. job:http_requests:rate5m" });
    }
    checkRuleLabels(r.labels ?? {}, [...path, "labels"], ctx);
    const key = `${r.record}${JSON.stringify(Object.entries(r.labels ?? {}).sort())}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.report("VIG2004", `recording rule "${r.record}" is declared twice with the same labels`, [...path, "record"], {
        related: [{ message: "first declared here", at: ctx.ref(["recordings", first, "record"]) }],
      });
      return [];
    }
    seen.set(key, i);
    return [{ record: r.record, source: { text: r.expr, at: ctx.ref([...path, "expr"]) }, labels: { ...(r.labels ?? {}) }, at: ctx.ref(path), lintDisable: { ...(r.lintDisable ?? {}) } }];
  });
}

/**
 * One Grafana holds every service's dashboards, by uid: service `a` with dashboard `b-c` and
 * service `a-b` with dashboard `c` are both `vigil-a-b-c`, and Grafana would keep only one.
 */
function checkDashboardUids(services: readonly ServiceModel[]): Diagnostic[] {
  const generated = new Map<string, string>();
  for (const s of services) for (const uid of [overviewUid(s.name), slosUid(s.name)]) generated.set(uid, s.name);
  const declared = new Map<string, { service: ServiceModel; dashboard: DashboardModel }>();
  const diagnostics: Diagnostic[] = [];
  for (const s of services) {
    const ctx = new NormalizeContext(s.spec);
    for (const d of s.dashboards) {
      const owner = generated.get(d.uid);
      const first = declared.get(d.uid);
      if (owner !== undefined && owner !== s.name) {
        ctx.report("VIG2004", `dashboard "${d.name}" has the Grafana uid "${d.uid}" of a dashboard generated for service "${owner}"`, [...d.at.path, "name"], { hint: "Grafana would keep only one of them; rename the dashboard" });
      } else if (first !== undefined && first.service !== s) {
        ctx.report("VIG2004", `dashboard "${d.name}" has the Grafana uid "${d.uid}" of dashboard "${first.dashboard.name}" of service "${first.service.name}"`, [...d.at.path, "name"], {
          hint: "Grafana would keep only one of them; rename the dashboard",
          related: [{ message: "that dashboard", at: { path: [...first.dashboard.at.path, "name"], spec: first.service.spec } }],
        });
      } else {
        declared.set(d.uid, { service: s, dashboard: d });
      }
    }
    diagnostics.push(...ctx.diagnostics);
  }
  return diagnostics;
}

/**
 * A service writes files named after it and after its SLOs, its history and anomaly alerts
 * (`<service>.slo-<slo>.rules.yml`, `<service>.anomalies.rules.yml`, …): a service named like
 * one of those stems would overwrite them.
 */
function checkDerivedFiles(services: readonly ServiceModel[]): Diagnostic[] {
  const byFileName = new Map(services.map((s) => [s.name.toLowerCase(), s]));
  const diagnostics: Diagnostic[] = [];
  for (const s of services) {
    for (const stem of derivedStems(s)) {
      const other = byFileName.get(stem.toLowerCase());
      if (!other) continue;
      const ctx = new NormalizeContext(other.spec);
      ctx.report("VIG2017", `service "${other.name}" collides with the files of service "${s.name}": both write prometheus/rules/${stem}.rules.yml and its tests`, ["service", "name"], {
        hint: "rename the service",
        related: [{ message: "that service", at: { path: ["service", "name"], spec: s.spec } }],
      });
      diagnostics.push(...ctx.diagnostics);
    }
  }
  return diagnostics;
}

/** What a service name becomes in file names on case-insensitive file systems and in Grafana uids. */
const serviceKey = (name: string) => name.toLowerCase().replace(/\./g, "-");

/** Several specs compile into one model; service names must be unique across them. */
export function normalizeModel(specs: readonly MonitoringSpec[]): { model: Model; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const services: ServiceModel[] = [];
  const byName = new Map<string, number>();
  const alertmanager = mergeAlertmanager(specs, diagnostics);
  const timeIntervals = new Set(alertmanager.timeIntervals.map((t) => t.name));
  const intervalDefs = new Map(alertmanager.timeIntervals.map((t) => [t.name, t]));
  specs.forEach((spec, i) => {
    const r = normalizeService(spec, i, timeIntervals, intervalDefs);
    diagnostics.push(...r.diagnostics);
    if (!r.service) return;
    const first = byName.get(r.service.name);
    if (first !== undefined) {
      const ctx = new NormalizeContext(i);
      ctx.report("VIG2017", `service "${r.service.name}" is declared by two specs`, ["service", "name"], {
        related: [{ message: "also declared here", at: { path: ["service", "name"], spec: first } }],
      });
      diagnostics.push(...ctx.diagnostics);
      return;
    }
    // File names (prometheus/rules/<service>.rules.yml) must stay apart on case-insensitive
    // file systems, and Grafana uids lower-case the name and turn '.' into '-'.
    const clash = services.find((s) => serviceKey(s.name) === serviceKey(r.service!.name));
    if (clash) {
      const ctx = new NormalizeContext(i);
      ctx.report("VIG2017", `service "${r.service.name}" collides with service "${clash.name}": the names differ only in case or '.' and '-'`, ["service", "name"], {
        hint: "their rule files would collide on a case-insensitive file system and their dashboards would share Grafana uids; rename one",
        related: [{ message: "that service", at: { path: ["service", "name"], spec: clash.spec } }],
      });
      diagnostics.push(...ctx.diagnostics);
      return;
    }
    byName.set(r.service.name, i);
    services.push(r.service);
  });
  diagnostics.push(...checkDashboardUids(services));
  diagnostics.push(...checkDerivedFiles(services));
  diagnostics.push(...mergeTeams(specs, services, alertmanager));
  diagnostics.push(...mergeExporterJobs(services));
  diagnostics.push(...checkLogServices(services));
  diagnostics.push(...checkLogMetricServices(services));
  // One prometheus.yml serves them all: rule evaluation has one global interval.
  const firstEval = services[0]?.prometheus.evaluationIntervalMs;
  for (const s of services.slice(1)) {
    if (s.prometheus.evaluationIntervalMs !== firstEval) {
      const ctx = new NormalizeContext(s.spec);
      ctx.report("VIG2022", `prometheus.evaluationInterval differs from the one of service "${services[0]!.name}"`, ["prometheus", "evaluationInterval"], {
        related: [{ message: "set differently here", at: { path: ["prometheus"], spec: services[0]!.spec } }],
      });
      diagnostics.push(...ctx.diagnostics);
    }
  }
  // ... and one set of command-line flags: the storage settings and the external URL too.
  for (const [key, value, at] of [
    ["storage", (s: ServiceModel) => (s.prometheus.storage ? JSON.stringify([s.prometheus.storage.retention, s.prometheus.storage.retentionSize]) : undefined), (s: ServiceModel) => s.prometheus.storage?.at],
    ["externalUrl", (s: ServiceModel) => s.prometheus.externalUrl?.url, (s: ServiceModel) => s.prometheus.externalUrl?.at],
  ] as const) {
    const first = services.find((s) => value(s) !== undefined);
    for (const s of services) {
      if (!first || s === first || value(s) === undefined || value(s) === value(first)) continue;
      const ctx = new NormalizeContext(s.spec);
      ctx.report("VIG2036", `prometheus.${key} differs from the one of service "${first.name}"`, ["prometheus", key], {
        hint: `one Prometheus evaluates every spec compiled together: give every spec the same ${key}, or leave it out of all but one`,
        related: [{ message: "set here", at: at(first)! }],
      });
      diagnostics.push(...ctx.diagnostics);
    }
  }
  const grafana = mergeGrafana(specs, diagnostics);
  linkDashboards(services, grafana);
  const probeRunner = mergeProbeRunner(specs, diagnostics);
  mergeProbeShards(specs, probeRunner, diagnostics);
  mergeProbeLocations(specs, probeRunner, diagnostics);
  const ha = normalizeHa(specs, diagnostics);
  const targets = mergeTargets(specs, diagnostics);
  applyKubernetesSettings(specs, { services, targets }, diagnostics);
  return { model: { services, alertmanager, grafana, probeRunner, ...(ha ? { ha } : {}), ...(targets.length > 1 ? { targets } : {}) }, diagnostics };
}

