/**
 * Exporters: the scrape jobs beside the service's own that some signals come from (`source`).
 * Each becomes a job in prometheus.yml, and its signals carry its `job` so that Vigil selects
 * them by it (SLIs, generated panels, test series). `node_exporter` is known without a
 * declaration when the service has scrape targets: port 9100 of each of their hosts, job `node`.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { ExporterModel, ServiceModel } from "../model/types.js";
import { PROBES_JOB } from "../probes/emit.js";
import type { ExporterSpec, ServiceSpec } from "../spec/types.js";
import { stableJson } from "../util/json.js";
import { NormalizeContext, type Path } from "./context.js";
import { didYouMean, HOST_PORT, SLUG } from "./names.js";

export const NODE_EXPORTER = "node_exporter";
export const NODE_EXPORTER_JOB = "node";
export const NODE_EXPORTER_PORT = 9100;
/** mtail, which counts the service's log lines for `logs.metrics`: port 3903 (its default) beside each instance, job `mtail`. */
export const MTAIL = "mtail";
export const MTAIL_JOB = "mtail";
export const MTAIL_PORT = 3903;

/** Exporters known without a declaration, on a port of each host the service is scraped on. */
const IMPLICIT: Record<string, { job: string; port: number }> = {
  [NODE_EXPORTER]: { job: NODE_EXPORTER_JOB, port: NODE_EXPORTER_PORT },
  [MTAIL]: { job: MTAIL_JOB, port: MTAIL_PORT },
};

/** Resolves a signal's `source` to its exporter's job, reporting what is wrong at `path`. */
export type SourceResolver = (source: string, path: Path) => string | undefined;

export interface Exporters {
  resolve: SourceResolver;
  /** The declared exporters and the implicit node_exporter if a signal uses it, sorted by job. */
  models(): ExporterModel[];
}

const hostOf = (target: string) => target.slice(0, target.lastIndexOf(":"));

export function normalizeExporters(specs: readonly ExporterSpec[], service: ServiceSpec, ctx: NormalizeContext): Exporters {
  const byName = new Map<string, ExporterModel>();
  const jobs = new Map<string, Path>();
  specs.forEach((e, i) => {
    const path: Path = ["exporters", i];
    if (!SLUG.test(e.name)) ctx.report("VIG2009", `invalid exporter name "${e.name}"`, [...path, "name"], { hint: "use letters, digits, '-', '_' and '.', e.g. postgres" });
    if (byName.has(e.name)) {
      ctx.report("VIG2004", `exporter "${e.name}" is declared twice`, [...path, "name"], {
        related: [{ message: "first declared here", at: ctx.ref(["exporters", specs.findIndex((x) => x.name === e.name), "name"]) }],
      });
      return;
    }
    const job = e.job ?? IMPLICIT[e.name]?.job ?? e.name;
    const jobPath: Path = e.job !== undefined ? [...path, "job"] : [...path, "name"];
    if (e.job !== undefined && !SLUG.test(e.job)) ctx.report("VIG2009", `invalid job name "${e.job}"`, jobPath, { hint: "use letters, digits, '-', '_' and '.'" });
    checkJob(job, jobPath, service, ctx);
    const first = jobs.get(job);
    if (first) {
      ctx.report("VIG2034", `exporters "${specs[first[1] as number]!.name}" and "${e.name}" are both scrape job "${job}"`, jobPath, {
        hint: "give one of them another `job`",
        related: [{ message: "the other one", at: ctx.ref(first) }],
      });
    }
    jobs.set(job, path);
    let targets = e.targets;
    if (targets === undefined) {
      const implicit = IMPLICIT[e.name];
      if (implicit) targets = hostTargets(service, implicit.port);
      if (targets === undefined || targets.length === 0) {
        ctx.report("VIG2034", `exporter "${e.name}" has no targets`, [...path, "name"], { hint: `list where it listens, e.g. targets: ["db:9187"]` });
        targets = [];
      }
    } else {
      if (targets.length === 0) ctx.report("VIG2034", `exporter "${e.name}" has no targets`, [...path, "targets"], { hint: `list where it listens, e.g. ["db:9187"]` });
      targets.forEach((t, j) => {
        if (!HOST_PORT.test(t)) ctx.report("VIG2034", `exporter target "${t}" is not host:port`, [...path, "targets", j], { hint: "e.g. db:9187 or 10.0.0.5:9100" });
      });
    }
    const model: ExporterModel = {
      name: e.name,
      job,
      targets: [...new Set(targets)].sort(),
      path: e.path ?? "/metrics",
      scheme: e.scheme ?? "http",
      at: ctx.ref(path),
    };
    if (e.path !== undefined && !e.path.startsWith("/")) ctx.report("VIG2034", `exporter path "${e.path}" does not start with "/"`, [...path, "path"], { hint: "e.g. /metrics" });
    if (e.interval !== undefined) model.intervalMs = ctx.interval(e.interval, 15_000, [...path, "interval"]);
    byName.set(e.name, model);
  });

  const used = new Set<string>();
  const implicit = new Map<string, ExporterModel>();
  const resolve: SourceResolver = (source, path) => {
    const declared = byName.get(source);
    if (declared) {
      used.add(source);
      return declared.job;
    }
    const known = Object.hasOwn(IMPLICIT, source) ? IMPLICIT[source] : undefined;
    if (known) {
      const targets = hostTargets(service, known.port);
      if (!targets) {
        ctx.report("VIG2034", `${source} has no targets: the service has no scrape targets to take its hosts from`, path, {
          hint: `declare it: exporters: [{ name: "${source}", targets: ["host:${known.port}"] }]`,
        });
        return undefined;
      }
      if (!implicit.has(source)) {
        checkJob(known.job, path, service, ctx);
        implicit.set(source, { name: source, job: known.job, targets, path: "/metrics", scheme: "http", at: ctx.ref(path) });
      }
      return known.job;
    }
    ctx.report("VIG2034", `unknown signal source "${source}"`, path, {
      hint: didYouMean(source, [...byName.keys(), NODE_EXPORTER]) ?? `declare it in exporters, e.g. { name: "${source}", targets: ["host:port"] }, or use "${NODE_EXPORTER}"`,
    });
    return undefined;
  };
  return {
    resolve,
    models: () => [...byName.values(), ...implicit.values()].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0)),
  };
}

/** An implicit exporter beside each instance of the service: the scrape targets' hosts on its port. */
function hostTargets(service: ServiceSpec, port: number): string[] | undefined {
  const targets = service.scrape?.targets.filter((t) => HOST_PORT.test(t));
  if (!targets?.length) return undefined;
  return [...new Set(targets.map((t) => `${hostOf(t)}:${port}`))].sort();
}

/** An exporter's job may not be the service's (its series would mix) nor the probe bundle's. */
function checkJob(job: string, path: Path, service: ServiceSpec, ctx: NormalizeContext): void {
  if (job === service.name) {
    ctx.report("VIG2034", `exporter job "${job}" is the service's own scrape job`, path, { hint: "give the exporter another `job`, e.g. " + JSON.stringify(`${job}-exporter`) });
  } else if (job === PROBES_JOB) {
    ctx.report("VIG2034", `exporter job "${job}" is the probe bundle's scrape job`, path, { hint: "give the exporter another `job`" });
  }
}

/**
 * One prometheus.yml for every service compiled together: an exporter job may not be another
 * service's job, and services that share one (each host's node_exporter) must scrape it alike;
 * their targets are then one job's.
 */
export function mergeExporterJobs(services: readonly ServiceModel[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const serviceJobs = new Map(services.map((s) => [s.name, s]));
  const seen = new Map<string, { exporter: ExporterModel; service: ServiceModel }>();
  for (const service of services) {
    const ctx = new NormalizeContext(service.spec);
    for (const e of service.exporters ?? []) {
      const other = serviceJobs.get(e.job);
      if (other && other !== service) {
        ctx.report("VIG2034", `exporter job "${e.job}" is the scrape job of service "${other.name}"`, [...e.at.path], {
          hint: "give the exporter another `job`",
          related: [{ message: "that service", at: { path: ["service", "name"], spec: other.spec } }],
        });
        continue;
      }
      const first = seen.get(e.job);
      if (!first) {
        seen.set(e.job, { exporter: e, service });
        continue;
      }
      if (first.service === service) continue;
      const how = (x: ExporterModel) => stableJson({ path: x.path, scheme: x.scheme, intervalMs: x.intervalMs ?? null });
      if (how(first.exporter) !== how(e)) {
        ctx.report("VIG2022", `exporter job "${e.job}" is scraped differently by service "${first.service.name}"`, [...e.at.path], {
          hint: "one scrape job has one path, scheme and interval; give this one another `job`",
          related: [{ message: "scraped differently here", at: first.exporter.at }],
        });
      }
    }
    diagnostics.push(...ctx.diagnostics);
  }
  return diagnostics;
}
