/**
 * `probes.locations`: the probe runtime runs once per location (`--location <name>`), each at an
 * address of its own that Prometheus scrapes. Every spec with checks or journeys sets the same
 * list (VIG2069). A check or journey runs in the locations it lists (`locations`, else
 * `service.probeDefaults.locations`, else all; VIG2070), and its failing alert needs
 * `alert.failingLocations` (else the service default, else 1) of them failing at once (VIG2071).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { Model } from "../model/types.js";
import type { CheckSpec, JourneySpec, MonitoringSpec, ProbeDefaultsSpec } from "../spec/types.js";
import { NormalizeContext, type Path } from "./context.js";
import { didYouMean, HOST_PORT } from "./names.js";
import { agreeAcrossSpecs } from "./probe-shards.js";

const LOCATION_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Sets `probeRunner.locations` from the specs, reporting what does not hold. */
export function mergeProbeLocations(specs: readonly MonitoringSpec[], probeRunner: Model["probeRunner"], diagnostics: Diagnostic[]): void {
  const first = specs.findIndex((s) => s.probes?.locations !== undefined);
  if (first < 0) return;
  const probes = specs[first]!.probes!;
  const locations = probes.locations!;
  const ctx = new NormalizeContext(first);
  locations.forEach((l, k) => {
    const at: Path = ["probes", "locations", k];
    if (!LOCATION_NAME.test(l.name)) ctx.report("VIG2069", `invalid location name "${l.name}"`, [...at, "name"], { hint: "lower-case letters, digits and '-', e.g. eu-west" });
    else if (locations.findIndex((o) => o.name === l.name) < k) ctx.report("VIG2069", `location "${l.name}" is declared twice`, [...at, "name"]);
    if (!HOST_PORT.test(l.address)) ctx.report("VIG2069", `location address "${l.address}" is not host:port`, [...at, "address"], { hint: "e.g. probes-eu-west:9464" });
    else if (locations.findIndex((o) => o.address === l.address) < k) ctx.report("VIG2069", `location address "${l.address}" is given twice`, [...at, "address"], { hint: "each location's runtime serves /metrics on an address of its own" });
  });
  for (const key of ["shards", "address"] as const) {
    if (probes[key] !== undefined) {
      ctx.report("VIG2069", `probes.${key} is set with probes.locations`, ["probes", key], { key: true, hint: "with locations, Prometheus scrapes each location's address: leave it out" });
    }
  }
  diagnostics.push(...ctx.diagnostics);
  agreeAcrossSpecs(specs, first, "locations", "VIG2069", "this spec's checks run in the probe locations of another spec but it does not set probes.locations", "its alerts then count failing locations", diagnostics);
  if (!ctx.diagnostics.length) probeRunner.locations = locations.map((l) => ({ name: l.name, address: l.address }));
}

/** Where a located probe runs and how many of those locations must fail for its alert. */
export interface ProbePlacement {
  locations: string[];
  quorum: number;
}

/** The spec's location names (`probes.locations`) and the service's defaults, checked once. */
export class LocationScope {
  readonly declared: readonly string[] | undefined;
  private readonly defaults: { locations: string[] | undefined; quorum: number | undefined; quorumOk: boolean };

  constructor(spec: MonitoringSpec, ctx: NormalizeContext) {
    this.declared = spec.probes?.locations?.map((l) => l.name);
    const d: ProbeDefaultsSpec = spec.service.probeDefaults ?? {};
    const base: Path = ["service", "probeDefaults"];
    const locations = d.locations === undefined ? undefined : this.names(d.locations, [...base, "locations"], ctx);
    const quorum = d.failingLocations;
    let quorumOk = true;
    if (quorum !== undefined) {
      quorumOk = this.quorumFits(quorum, (locations ?? this.declared ?? []).length, "the service's checks and journeys run in", [...base, "failingLocations"], ctx);
    }
    this.defaults = { locations, quorum, quorumOk };
  }

  /** Undefined without `probes.locations` (after reporting any locations or quorum given anyway). */
  place(spec: CheckSpec | JourneySpec, kind: "check" | "journey", path: Path, ctx: NormalizeContext): ProbePlacement | undefined {
    const ownQuorum = spec.alert?.failingLocations;
    if (this.declared === undefined) {
      if (spec.locations !== undefined) this.names(spec.locations, [...path, "locations"], ctx);
      if (ownQuorum !== undefined) this.quorumFits(ownQuorum, 0, `${kind} "${spec.name}" runs in`, [...path, "alert", "failingLocations"], ctx);
      return undefined;
    }
    const locations = spec.locations !== undefined ? this.names(spec.locations, [...path, "locations"], ctx) : (this.defaults.locations ?? [...this.declared]);
    const quorum = ownQuorum ?? this.defaults.quorum ?? 1;
    if (ownQuorum !== undefined) this.quorumFits(ownQuorum, locations.length, `${kind} "${spec.name}" runs in`, [...path, "alert", "failingLocations"], ctx);
    // The default quorum was checked against the default locations; this probe's own may be fewer.
    else if (spec.locations !== undefined && this.defaults.quorumOk && locations.length > 0 && quorum > locations.length) {
      ctx.report("VIG2071", `service.probeDefaults.failingLocations ${quorum} is more than the ${locations.length} location${locations.length === 1 ? "" : "s"} ${kind} "${spec.name}" runs in`, [...path, "locations"], {
        hint: `set alert.failingLocations of ${kind} "${spec.name}" to at most ${locations.length}, or list more locations`,
      });
    }
    return { locations, quorum };
  }

  private names(list: readonly string[], at: Path, ctx: NormalizeContext): string[] {
    if (this.declared === undefined) {
      ctx.report("VIG2070", "locations are given but probes.locations declares none", at, { key: true, hint: 'declare them: probes: { locations: [{ name: "eu-west", address: "probes-eu-west:9464" }] }' });
      return [];
    }
    if (list.length === 0) ctx.report("VIG2070", "no location listed", at, { hint: `one or more of ${this.declared.join(", ")}; leave locations out for all` });
    const known = new Set(this.declared);
    list.forEach((name, k) => {
      if (!known.has(name)) ctx.report("VIG2070", `unknown location "${name}"`, [...at, k], { hint: didYouMean(name, known) ?? `probes.locations declares ${this.declared!.join(", ")}` });
      else if (list.indexOf(name) < k) ctx.report("VIG2070", `location "${name}" is listed twice`, [...at, k]);
    });
    return [...new Set(list.filter((n) => known.has(n)))];
  }

  private quorumFits(quorum: number, count: number, what: string, at: Path, ctx: NormalizeContext): boolean {
    if (quorum < 1) {
      ctx.report("VIG2071", `failingLocations ${quorum} is below 1`, at, { hint: "1 fires when any location fails; more waits for that many to fail at once" });
      return false;
    }
    if (this.declared === undefined) {
      ctx.report("VIG2071", "failingLocations is set but probes.locations declares no locations", at, { key: true, hint: "declare probes.locations, or leave failingLocations out" });
      return false;
    }
    if (quorum > count && count > 0) {
      ctx.report("VIG2071", `failingLocations ${quorum} is more than the ${count} location${count === 1 ? "" : "s"} ${what}`, at, { hint: `at most ${count}: the alert could never fire` });
      return false;
    }
    return true;
  }
}
