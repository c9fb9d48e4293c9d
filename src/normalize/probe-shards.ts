/**
 * `probes.shards`: the probe runtime runs as several replicas, the k-th of n with `--shard k/n`,
 * each scraped by Prometheus. Every spec with checks or journeys sets the same list (its checks'
 * no-data alerts are generated from it, spec by spec); each entry is a host:port of its own, and
 * `probes.address`, if set, is one of them (VIG2068).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { Model } from "../model/types.js";
import type { MonitoringSpec } from "../spec/types.js";
import { NormalizeContext } from "./context.js";
import { HOST_PORT } from "./names.js";

/** Sets `probeRunner.shards` from the specs, reporting what does not hold. */
export function mergeProbeShards(specs: readonly MonitoringSpec[], probeRunner: Model["probeRunner"], diagnostics: Diagnostic[]): void {
  const first = specs.findIndex((s) => s.probes?.shards !== undefined);
  if (first < 0) return;
  const shards = specs[first]!.probes!.shards!;
  const ctx = new NormalizeContext(first);
  shards.forEach((s, k) => {
    if (!HOST_PORT.test(s)) ctx.report("VIG2068", `probe shard "${s}" is not host:port`, ["probes", "shards", k], { hint: "e.g. probes-1:9464" });
    else if (shards.indexOf(s) < k) ctx.report("VIG2068", `probe shard "${s}" is listed twice`, ["probes", "shards", k], { hint: "each shard serves /metrics on an address of its own" });
  });
  const address = specs[first]!.probes!.address;
  if (address !== undefined && !shards.includes(address)) {
    ctx.report("VIG2068", `probes.address "${address}" is none of probes.shards`, ["probes", "address"], { hint: "with shards, Prometheus scrapes every shard: leave address out, or make it one of them" });
  }
  diagnostics.push(...ctx.diagnostics);
  agreeAcrossSpecs(specs, first, "shards", "VIG2068", "this spec's checks run on sharded probe runtimes (probes.shards of another spec) but it does not set probes.shards", "its checks then get their no-data alerts too", diagnostics);
  if (!ctx.diagnostics.length) probeRunner.shards = [...shards];
}

/**
 * Every other spec sets `probes.<key>` as spec `first` does, or, when it has checks or journeys,
 * sets it at all (`missing`, with `fix` the hint's reason).
 */
export function agreeAcrossSpecs(specs: readonly MonitoringSpec[], first: number, key: "shards" | "locations", code: "VIG2068" | "VIG2069", missing: string, fix: string, diagnostics: Diagnostic[]): void {
  const value = JSON.stringify(specs[first]!.probes![key]);
  specs.forEach((spec, i) => {
    if (i === first) return;
    const other = new NormalizeContext(i);
    const own = spec.probes?.[key];
    if (own !== undefined && JSON.stringify(own) !== value) {
      other.report(code, `probes.${key} differs from the one another spec sets`, ["probes", key], { related: [{ message: "set differently here", at: { path: ["probes", key], spec: first } }] });
    } else if (own === undefined && ((spec.checks?.length ?? 0) > 0 || (spec.journeys?.length ?? 0) > 0)) {
      other.report(code, missing, [(spec.checks?.length ?? 0) > 0 ? "checks" : "journeys"], {
        hint: `give it the same probes.${key}: ${fix}`,
        related: [{ message: `probes.${key} set here`, at: { path: ["probes", key], spec: first } }],
      });
    }
    diagnostics.push(...other.diagnostics);
  });
}
