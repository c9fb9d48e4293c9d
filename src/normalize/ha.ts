/**
 * High availability settings, shared by every spec compiled together: Prometheus replicas
 * (`prometheus.replicas`, `prometheus.replicaLabel`) and the Alertmanager cluster
 * (`alertmanager.peers`). Specs that set them must agree (VIG2065; peers as any alertmanager
 * setting, VIG2022); the replica label must be one no alert needs (VIG2066), since it is
 * dropped from every alert so that Alertmanager sees the replicas' copies as one alert.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import { DEFAULT_REPLICA_LABEL, type AlertmanagerPeerModel, type HaModel } from "../model/ha.js";
import type { MonitoringSpec } from "../spec/types.js";
import { NormalizeContext, type Path } from "./context.js";
import { HOST_PORT, isValidLabelName } from "./names.js";

export function normalizeHa(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): HaModel | undefined {
  const ha: HaModel = {};
  const replicas = mergeReplicas(specs, diagnostics);
  if (replicas) {
    ha.replicas = replicas;
    specs.forEach((spec, i) => diagnostics.push(...replicaLabelUses(spec, i, replicas.label)));
  }
  const peers = peersOf(specs, diagnostics);
  if (peers) ha.peers = peers;
  return ha.replicas || ha.peers ? ha : undefined;
}

function mergeReplicas(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): HaModel["replicas"] {
  let first: { spec: number; count: number; label: string } | undefined;
  specs.forEach((spec, i) => {
    const prom = spec.prometheus;
    if (prom?.replicas === undefined && prom?.replicaLabel === undefined) return;
    const ctx = new NormalizeContext(i);
    const label = prom.replicaLabel ?? DEFAULT_REPLICA_LABEL;
    if (prom.replicaLabel !== undefined && !isValidLabelName(label)) {
      ctx.report("VIG2065", `prometheus.replicaLabel "${label}" is not a label name`, ["prometheus", "replicaLabel"], { hint: 'letters, digits and _, not starting with a digit or __, e.g. "replica"' });
    }
    const count = prom.replicas ?? 1;
    if (!first) first = { spec: i, count, label };
    else {
      for (const [key, value, was] of [
        ["replicas", count, first.count],
        ["replicaLabel", label, first.label],
      ] as const) {
        if (value === was) continue;
        const path = prom[key] === undefined ? ["prometheus"] : ["prometheus", key];
        ctx.report("VIG2065", `prometheus.${key} differs from the one of spec ${first.spec + 1} (${was})`, path, {
          hint: `the specs compiled together run on one set of Prometheus replicas: give every spec the same ${key}, or leave it out of all but one`,
          related: [{ message: "set here", at: { path: ["prometheus"], spec: first.spec } }],
        });
      }
    }
    diagnostics.push(...ctx.diagnostics);
  });
  if (!first || first.count < 2 || !isValidLabelName(first.label)) return undefined;
  return { count: first.count, label: first.label, at: { path: ["prometheus", "replicas"], spec: first.spec } };
}

/** Every place a spec names a label that alerts carry to Alertmanager or that Alertmanager compares. */
function replicaLabelUses(spec: MonitoringSpec, i: number, label: string): Diagnostic[] {
  const ctx = new NormalizeContext(i);
  const why = `the replica label "${label}" is dropped from every alert before it reaches Alertmanager`;
  const hint = `rename it, or set prometheus.replicaLabel to a label no alert needs`;
  const inRecord = (labels: Record<string, string> | undefined, path: Path, what: string) => {
    if (labels && Object.hasOwn(labels, label)) ctx.report("VIG2066", `${what} label "${label}" would be lost: ${why}`, [...path, label], { hint, key: true });
  };
  const inList = (labels: readonly string[] | undefined, path: Path, what: string) => {
    const k = labels?.indexOf(label) ?? -1;
    if (k >= 0) ctx.report("VIG2066", `${what} "${label}": ${why}`, [...path, k], { hint });
  };
  inRecord(spec.service.labels, ["service", "labels"], "service");
  for (const key of ["alerts", "events", "anomalies", "recordings"] as const) {
    (spec[key] ?? []).forEach((item, k) => inRecord((item as { labels?: Record<string, string> }).labels, [key, k, "labels"], key.replace(/s$/, "")));
  }
  (spec.signals ?? []).forEach((s, k) => inList(s.labels, ["signals", k, "labels"], `signal ${s.name} has the label`));
  (spec.inhibitions ?? []).forEach((r, k) => inList(r.equal, ["inhibitions", k, "equal"], "the inhibition compares"));
  (spec.teams ?? []).forEach((t, k) => {
    for (const severity of ["critical", "warning", "info"] as const) {
      inList(t.escalation?.[severity]?.groupBy, ["teams", k, "escalation", severity, "groupBy"], `team ${t.name}'s ${severity} route groups by`);
    }
  });
  return ctx.diagnostics;
}

/** The peers (merged like any alertmanager setting), checked here: host:port, no address twice, `address` among them. */
function peersOf(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): AlertmanagerPeerModel[] | undefined {
  const i = specs.findIndex((s) => s.alertmanager?.peers !== undefined);
  if (i < 0) return undefined;
  const ctx = new NormalizeContext(i);
  const list = specs[i]!.alertmanager!.peers!;
  const seen = new Map<string, Path>();
  list.forEach((p, k) => {
    for (const key of ["address", "cluster"] as const) {
      const path = ["alertmanager", "peers", k, key];
      if (!HOST_PORT.test(p[key])) {
        ctx.report("VIG2067", `peer ${key} "${p[key]}" is not host:port`, path, { hint: key === "address" ? "e.g. alertmanager-1:9093" : "e.g. alertmanager-1:9094" });
        continue;
      }
      const other = seen.get(p[key]);
      if (other) ctx.report("VIG2067", `peer ${key} "${p[key]}" is also ${other.slice(1).join(".")}`, path, { hint: "each peer listens on an address of its own for its API and another for gossip" });
      else seen.set(p[key], path);
    }
  });
  const address = specs.map((s, k) => [s.alertmanager?.address, k] as const).find(([a]) => a !== undefined);
  if (address && !list.some((p) => p.address === address[0])) {
    const actx = new NormalizeContext(address[1]);
    actx.report("VIG2067", `alertmanager.address "${address[0]}" is none of alertmanager.peers' addresses`, ["alertmanager", "address"], {
      hint: "with peers, Prometheus sends to every peer: leave address out, or make it one of them",
    });
    diagnostics.push(...actx.diagnostics);
  }
  diagnostics.push(...ctx.diagnostics);
  if (ctx.diagnostics.length) return undefined;
  return list.map((p) => ({ address: p.address, cluster: p.cluster }));
}
