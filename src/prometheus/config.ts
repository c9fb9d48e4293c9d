/**
 * prometheus.yml for the services compiled together: global intervals, the generated rule
 * files, the Alertmanager to notify, a scrape job per service that declares `scrape` (named
 * after the service, which is the `job` label its alerts select on), one per exporter the
 * services' signals come from (its `job`, e.g. `node`), and one for the probe bundle when
 * there are checks or journeys. Jobs are sorted by name, the probe bundle's last.
 */
import type { Model } from "../model/types.js";
import { formatDuration } from "../promql/format.js";
import { PROBES_JOB } from "../probes/emit.js";
import { renderYaml } from "../util/yaml.js";

export const PROMETHEUS_CONFIG_PATH = "prometheus/prometheus.yml";
/** Command-line flags for settings Prometheus does not read from its config file. */
export const PROMETHEUS_ARGS_PATH = "prometheus/prometheus.args";

/**
 * `prometheus.args`: one flag a line, nothing else (no comments), so it can be passed as it is:
 * `prometheus --config.file=prometheus.yml $(cat prometheus.args)`, `xargs -a`, or a compose
 * `command:` list. Undefined when no spec sets `prometheus.storage` or `prometheus.externalUrl`
 * (normalize checked that the specs setting them agree).
 */
export function renderPrometheusArgs(model: Model): string | undefined {
  const storage = model.services.find((s) => s.prometheus.storage)?.prometheus.storage;
  const externalUrl = model.services.find((s) => s.prometheus.externalUrl)?.prometheus.externalUrl;
  const flags: string[] = [];
  if (storage?.retention !== undefined) flags.push(`--storage.tsdb.retention.time=${storage.retention}`);
  if (storage?.retentionSize !== undefined) flags.push(`--storage.tsdb.retention.size=${storage.retentionSize}`);
  if (externalUrl) flags.push(`--web.external-url=${externalUrl.url}`);
  return flags.length ? flags.map((f) => `${f}\n`).join("") : undefined;
}

/** What a scrape job needs: the service's `scrape` or an exporter. */
interface ScrapeModel {
  targets: string[];
  path: string;
  scheme: "http" | "https";
  intervalMs?: number;
}

/**
 * `replica` (1-based) renders that replica's config (`prometheus.replicas` ≥ 2, see ha.ts): its
 * external label, and alert relabelling that drops the label again so the replicas' alerts are
 * one to Alertmanager. Alerts go to every Alertmanager peer, or to `alertmanager.address`.
 */
export function renderPrometheusConfig(model: Model, replica?: number): string {
  const first = model.services[0]?.prometheus ?? { scrapeIntervalMs: 15_000, evaluationIntervalMs: 15_000 };
  const scrapeJob = (name: string, scrape: ScrapeModel, defaultIntervalMs: number): Record<string, unknown> => {
    const intervalMs = scrape.intervalMs ?? defaultIntervalMs;
    const job: Record<string, unknown> = { job_name: name };
    if (intervalMs !== first.scrapeIntervalMs) job.scrape_interval = formatDuration(intervalMs);
    job.metrics_path = scrape.path;
    job.scheme = scrape.scheme;
    job.static_configs = [{ targets: scrape.targets }];
    return job;
  };
  const byJob = new Map<string, Record<string, unknown>>();
  for (const s of model.services) {
    if (s.scrape) byJob.set(s.name, scrapeJob(s.name, s.scrape, s.prometheus.scrapeIntervalMs));
  }
  // Exporters: one job each; services sharing one (normalize checked they scrape it alike) share its targets.
  const exporterTargets = new Map<string, Set<string>>();
  for (const s of model.services) {
    for (const e of s.exporters ?? []) {
      if (byJob.has(e.job) && !exporterTargets.has(e.job)) continue; // a service's job (VIG2034)
      const targets = exporterTargets.get(e.job) ?? new Set<string>();
      e.targets.forEach((t) => targets.add(t));
      exporterTargets.set(e.job, targets);
      if (!byJob.has(e.job)) byJob.set(e.job, scrapeJob(e.job, e, s.prometheus.scrapeIntervalMs));
    }
  }
  for (const [job, targets] of exporterTargets) byJob.get(job)!.static_configs = [{ targets: [...targets].sort() }];
  const jobs = [...byJob.keys()].sort().map((name) => byJob.get(name)!);
  if (model.services.some((s) => s.probes)) {
    // The probe bundle: its metrics carry service and team labels of their own.
    jobs.push({ job_name: PROBES_JOB, metrics_path: "/metrics", scheme: "http", static_configs: [{ targets: model.probeRunner.shards ?? [model.probeRunner.address] }] });
  }
  const global: Record<string, unknown> = { scrape_interval: formatDuration(first.scrapeIntervalMs), evaluation_interval: formatDuration(first.evaluationIntervalMs) };
  const alerting: Record<string, unknown> = { alertmanagers: [{ static_configs: [{ targets: model.ha?.peers?.map((p) => p.address) ?? [model.alertmanager.address] }] }] };
  const replicas = model.ha?.replicas;
  if (replicas && replica !== undefined) {
    global.external_labels = { [replicas.label]: String(replica) };
    alerting.alert_relabel_configs = [{ action: "labeldrop", regex: replicas.label }];
  }
  const config = {
    global,
    // Relative to this file: Prometheus resolves rule_files against the config's directory.
    rule_files: ["rules/*.rules.yml"],
    alerting,
    scrape_configs: jobs,
  };
  return renderYaml(config, " Generated by vigil. Do not edit: change the specs and run `vigil compile`.");
}
