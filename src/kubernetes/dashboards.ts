/**
 * Every generated Grafana dashboard twice, for the two ways clusters load them:
 * - a `GrafanaDashboard` (grafana.integreatly.org/v1beta1) for grafana-operator: the JSON inline,
 *   in the folder `Vigil` (as the file provisioning puts them), picked up by the Grafana
 *   instances labelled `dashboards: grafana` (`instanceSelector`, the operator's examples' label);
 * - a ConfigMap labelled `grafana_dashboard: "1"`, which kube-prometheus-stack's Grafana sidecar
 *   loads (one key, `<uid>.json`).
 */
import { serviceDashboards } from "../grafana/index.js";
import type { Model } from "../model/types.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import { stableJson } from "../util/json.js";
import { objectName, resource, type Resource } from "./meta.js";

export const GRAFANA_INSTANCE_LABELS = { dashboards: "grafana" } as const;

export function dashboardResources(model: Model): { operator: Resource[]; sidecar: Resource[] } {
  const operator: Resource[] = [];
  const sidecar: Resource[] = [];
  for (const s of model.services) {
    const namespace = kubernetesNamespace(s);
    for (const d of serviceDashboards(s, model.grafana)) {
      const json = `${stableJson(d.json, 2)}\n`;
      const name = objectName(d.uid);
      operator.push(
        resource("grafana.integreatly.org/v1beta1", "GrafanaDashboard", name, namespace, {
          spec: { instanceSelector: { matchLabels: { ...GRAFANA_INSTANCE_LABELS } }, folder: "Vigil", uid: d.uid, json },
        }),
      );
      sidecar.push(resource("v1", "ConfigMap", name, namespace, { data: { [`${d.uid}.json`]: json } }, { grafana_dashboard: "1" }));
    }
  }
  return { operator, sidecar };
}
