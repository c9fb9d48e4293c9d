/**
 * The probes target: `probes/probes.json` (every service's checks and journeys, no secret
 * values: only the names of the environment variables that hold them), which the runtime of
 * the installed package runs (`vigil probes run`). With `probes: { bundle: true }` also a copy
 * of that runtime, `probes/vigil-probes.mjs`, so the output directory runs without Vigil.
 * Pure: the bundle's text comes in (read only when it is written).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";
import { stableJson } from "../util/json.js";
import { PROBES_CONFIG_VERSION, type ProbeCheck, type ProbesConfig } from "./config.js";

export const PROBES_CONFIG_PATH = "probes/probes.json";
export const PROBES_BUNDLE_PATH = "probes/vigil-probes.mjs";
/** The job Prometheus scrapes the bundle as. */
export const PROBES_JOB = "vigil-probes";

export function probesConfig(model: Model): ProbesConfig | undefined {
  const services = model.services.filter((s) => s.probes).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!services.length) return undefined;
  const strip = <T extends { at: unknown }>({ at: _at, ...rest }: T): Omit<T, "at"> => rest;
  return {
    version: PROBES_CONFIG_VERSION,
    maxConcurrency: model.probeRunner.maxConcurrency,
    // Omit<> of a union is not one: each check keeps its own kind (HTTP or TCP).
    checks: services.flatMap((s) => s.probes!.checks.map((c) => strip(c) as ProbeCheck)),
    journeys: services.flatMap((s) => s.probes!.journeys.map(strip)),
    ...(model.probeRunner.locations ? { locations: model.probeRunner.locations.map((l) => l.name) } : {}),
  };
}

/** Whether the output holds the runtime: probes to run, and the spec opted in. */
export function emitsProbeBundle(model: Model): boolean {
  return model.probeRunner.bundle && model.services.some((s) => s.probes);
}

export function emitProbes(model: Model, bundle: () => string): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const config = probesConfig(model);
  if (!config) return { files: [], diagnostics: [] };
  const files: OutputFile[] = [{ path: PROBES_CONFIG_PATH, content: `${stableJson(config, 2)}\n` }];
  if (emitsProbeBundle(model)) files.push({ path: PROBES_BUNDLE_PATH, content: bundle() });
  return { files, diagnostics: [] };
}
