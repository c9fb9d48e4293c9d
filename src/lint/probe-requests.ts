/** Every request of a service's checks and journey steps, with where it is in the spec. */
import type { SpecRef } from "../diagnostics/index.js";
import type { ServiceModel } from "../model/types.js";
import type { ProbeRequest } from "../probes/config.js";

export interface LintedRequest {
  /** `check "api"`, `step "pay" of journey "buy"`. */
  what: string;
  /** The request object in the spec. */
  at: SpecRef;
  request: ProbeRequest;
}

export function probeRequests(service: ServiceModel): LintedRequest[] {
  const probes = service.probes;
  if (!probes) return [];
  return [
    ...probes.checks.flatMap((c) => ("request" in c ? [{ what: `check "${c.name}"`, at: { ...c.at, path: [...c.at.path, "request"] }, request: c.request }] : [])),
    ...probes.journeys.flatMap((j) =>
      j.steps.map((s, k) => ({ what: `step "${s.name}" of journey "${j.name}"`, at: { ...j.at, path: [...j.at.path, "steps", k, "request"] }, request: s.request })),
    ),
  ];
}
