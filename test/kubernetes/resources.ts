/**
 * Checks a Kubernetes resource Vigil writes against its consumer's published contract:
 * - Prometheus Operator kinds with @kubernetes-models/prometheus-operator (the operator's CRD
 *   schemas), core and apps kinds with kubernetes-models: their `.validate()`;
 * - GrafanaDashboard against grafana-operator's CRD schema (grafanadashboard-crd.json, copied
 *   from the operator's repository with its commit), with ajv; an object property the schema does
 *   not declare is an error here (the API server would prune it silently), and the rules the CRD
 *   states in CEL or the operator enforces in code: exactly one source of the dashboard, `folder`
 *   not with `folderRef`/`folderUID`, the inline JSON parses and has the resource's `uid`.
 * Every object name is checked as a DNS-1123 subdomain, every namespace as a DNS-1123 label.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { ScrapeConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/ScrapeConfig";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { REPO } from "../helpers.js";

type Obj = Record<string, unknown>;

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "monitoring.coreos.com/v1 PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1 ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1alpha1 AlertmanagerConfig": AlertmanagerConfig,
  "monitoring.coreos.com/v1alpha1 ScrapeConfig": ScrapeConfig,
  "apps/v1 Deployment": Deployment,
  "v1 ConfigMap": ConfigMap,
  "v1 Service": Service,
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DASHBOARD_SOURCES = ["json", "gzipJson", "url", "configMapRef", "grafanaCom", "jsonnet", "jsonnetLib", "oci"];

const crd = JSON.parse(readFileSync(join(REPO, "test/kubernetes/grafanadashboard-crd.json"), "utf8")) as { openAPIV3Schema: Obj };
let dashboardSchema: ReturnType<Ajv["compile"]> | undefined;

/** Structural schema → JSON Schema that refuses what the API server would prune. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== "object") return schema;
  const s = Object.fromEntries(Object.entries(schema as Obj).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as Obj).map(([p, ps]) => [p, closed(ps)])) : closed(v)]));
  if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) {
    // metadata is `type: object` without properties in a CRD; other objects are closed.
    s.additionalProperties = false;
  }
  return s;
}

export function resourceProblems(resource: Obj): string[] {
  const problems: string[] = [];
  const meta = (resource.metadata ?? {}) as { name?: string; namespace?: string };
  if (!meta.name || !DNS_SUBDOMAIN.test(meta.name) || meta.name.length > 253) problems.push(`metadata.name ${JSON.stringify(meta.name)} is not a DNS-1123 subdomain`);
  if (!meta.namespace || !DNS_LABEL.test(meta.namespace) || meta.namespace.length > 63) problems.push(`metadata.namespace ${JSON.stringify(meta.namespace)} is not a DNS-1123 label`);
  const kind = `${String(resource.apiVersion)} ${String(resource.kind)}`;
  if (kind === "grafana.integreatly.org/v1beta1 GrafanaDashboard") return [...problems, ...grafanaDashboardProblems(resource)];
  const Model = MODELS[kind];
  if (!Model) return [...problems, `no published model for ${kind}`];
  try {
    new Model(resource as never).validate();
  } catch (e) {
    problems.push(`${kind}: ${(e as Error).message}`);
  }
  return problems;
}

function grafanaDashboardProblems(resource: Obj): string[] {
  dashboardSchema ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(closed(crd.openAPIV3Schema) as object);
  const problems: string[] = [];
  if (!dashboardSchema(resource)) problems.push(...(dashboardSchema.errors ?? []).map((e) => `GrafanaDashboard${e.instancePath} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`));
  const spec = (resource.spec ?? {}) as Obj;
  const sources = DASHBOARD_SOURCES.filter((k) => spec[k] !== undefined);
  if (sources.length !== 1) problems.push(`GrafanaDashboard needs exactly one source of the dashboard, has [${sources.join(", ")}]`);
  if (spec.folder !== undefined && (spec.folderRef !== undefined || spec.folderUID !== undefined)) problems.push("GrafanaDashboard: folder with folderRef or folderUID");
  if (typeof spec.json === "string") {
    try {
      const dashboard = JSON.parse(spec.json) as Obj;
      if (spec.uid !== undefined && dashboard.uid !== spec.uid) problems.push(`GrafanaDashboard: spec.uid ${String(spec.uid)} is not the dashboard's uid ${String(dashboard.uid)}`);
    } catch (e) {
      problems.push(`GrafanaDashboard: spec.json does not parse (${(e as Error).message})`);
    }
  }
  return problems;
}
