/**
 * Output targets (`targets`) and the `kubernetes` settings: every spec compiled together writes
 * one output directory, so they must list the same targets (VIG2050); with the `kubernetes`
 * target, the names that become Kubernetes object names and the namespace must be ones the API
 * server takes (VIG2051).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { Model, ServiceModel } from "../model/types.js";
import type { MonitoringSpec, OutputTarget } from "../spec/types.js";
import { NormalizeContext } from "./context.js";

export const DEFAULT_KUBERNETES_NAMESPACE = "monitoring";
/** A namespace is a DNS-1123 label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Object names (PrometheusRule, AlertmanagerConfig, ...) are DNS-1123 subdomains; Vigil adds a suffix of its own to some. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_OBJECT_NAME = 200;

export function mergeTargets(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): OutputTarget[] {
  const listed = specs.map((s) => canonical(s.targets ?? ["files"]));
  const first = listed[0] ?? ["files"];
  specs.forEach((spec, i) => {
    if (i === 0 || listed[i]!.join() === first.join()) return;
    const ctx = new NormalizeContext(i);
    ctx.report("VIG2050", `targets [${listed[i]!.join(", ")}] differ from the first spec's [${first.join(", ")}]`, spec.targets ? ["targets"] : ["service"], {
      hint: "every spec compiled together writes one output directory: give them all the same targets",
      related: [{ message: "the first spec's targets", at: { path: specs[0]!.targets ? ["targets"] : ["service"], spec: 0 } }],
    });
    diagnostics.push(...ctx.diagnostics);
  });
  return first;
}

/** "files" is always written; the others sorted, each once. */
function canonical(targets: readonly OutputTarget[]): OutputTarget[] {
  return ["files", ...[...new Set(targets)].filter((t) => t !== "files").sort()];
}

/** The service's namespace (`kubernetes.namespace`), checked when the kubernetes target is on. */
export function applyKubernetesSettings(specs: readonly MonitoringSpec[], model: Pick<Model, "services" | "targets">, diagnostics: Diagnostic[]): void {
  const on = model.targets?.includes("kubernetes") ?? false;
  for (const service of model.services) {
    const spec = specs[service.spec];
    const namespace = spec?.kubernetes?.namespace;
    const ctx = new NormalizeContext(service.spec);
    if (namespace !== undefined) {
      if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
        ctx.report("VIG2051", `kubernetes.namespace "${namespace}" is not a Kubernetes namespace name`, ["kubernetes", "namespace"], { hint: "lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit, e.g. monitoring" });
      } else service.kubernetes = { namespace };
    }
    if (!on) {
      diagnostics.push(...ctx.diagnostics);
      continue;
    }
    checkObjectName(ctx, service.name, ["service", "name"], `service name "${service.name}"`);
    service.teams.forEach((t, i) => checkObjectName(ctx, t.name, ["teams", i, "name"], `team name "${t.name}"`));
    diagnostics.push(...ctx.diagnostics);
  }
}

function checkObjectName(ctx: NormalizeContext, name: string, path: (string | number)[], what: string): void {
  if (DNS_SUBDOMAIN.test(name) && name.length <= MAX_OBJECT_NAME) return;
  ctx.report("VIG2051", `${what} cannot name a Kubernetes object`, path, {
    hint: `the kubernetes target names resources after services and teams: lower-case letters, digits, '-' and '.', at most ${MAX_OBJECT_NAME}, e.g. ${JSON.stringify(name.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "payments")}`,
  });
}

export function kubernetesNamespace(service: ServiceModel): string {
  return service.kubernetes?.namespace ?? DEFAULT_KUBERNETES_NAMESPACE;
}
