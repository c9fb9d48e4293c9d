/**
 * The probe runtime in the cluster: probes.json as a ConfigMap, a Deployment running it with
 * the published package (`npx vigil-monitoring@<version> probes run`, on node:20), a Service,
 * and a ServiceMonitor scraping it as job `vigil-probes` (the Service's name, the job the
 * generated rules and dashboards read). The secrets the checks read come from the Secret
 * `vigil-probes` (optional), one key an environment variable. A change of probes.json changes
 * the pod template's checksum annotation, so the pods restart with it.
 */
import { createHash } from "node:crypto";
import type { Model } from "../model/types.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import { PROBES_JOB, probesConfig } from "../probes/emit.js";
import { envNames } from "../probes/templates.js";
import { stableJson } from "../util/json.js";
import { VIGIL_VERSION } from "../version.js";
import { resource, type Resource } from "./meta.js";

export const PROBES_IMAGE = "node:20-alpine";
const MOUNT = "/etc/vigil-probes";

export function probeResources(model: Model): Resource[] {
  const config = probesConfig(model);
  if (!config) return [];
  const service = [...model.services].filter((s) => s.probes).sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
  const namespace = kubernetesNamespace(service);
  const json = `${stableJson(config, 2)}\n`;
  const port = Number(model.probeRunner.address.split(":").pop());
  const selector = { "app.kubernetes.io/name": PROBES_JOB };
  const secrets = envNames(config);
  const container: Record<string, unknown> = {
    name: "probes",
    image: PROBES_IMAGE,
    command: ["npx", "--yes", `vigil-monitoring@${VIGIL_VERSION}`, "probes", "run", `${MOUNT}/probes.json`, "--listen", `0.0.0.0:${port}`],
    env: [{ name: "HOME", value: "/tmp" }, { name: "npm_config_update_notifier", value: "false" }],
    ...(secrets.length ? { envFrom: [{ secretRef: { name: PROBES_JOB, optional: true } }] } : {}),
    ports: [{ name: "metrics", containerPort: port, protocol: "TCP" }],
    readinessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: "/healthz", port: "metrics" }, initialDelaySeconds: 60, periodSeconds: 30 },
    securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: [
      { name: "config", mountPath: MOUNT, readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ],
  };
  return [
    resource("v1", "ConfigMap", PROBES_JOB, namespace, { data: { "probes.json": json } }, selector),
    resource(
      "apps/v1",
      "Deployment",
      PROBES_JOB,
      namespace,
      {
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: selector, annotations: { "vigil.dev/probes-json-sha256": createHash("sha256").update(json).digest("hex") } },
            spec: {
              containers: [container],
              volumes: [
                { name: "config", configMap: { name: PROBES_JOB } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      selector,
    ),
    resource("v1", "Service", PROBES_JOB, namespace, { spec: { selector, ports: [{ name: "metrics", port, targetPort: "metrics", protocol: "TCP" }] } }, selector),
    resource(
      "monitoring.coreos.com/v1",
      "ServiceMonitor",
      PROBES_JOB,
      namespace,
      { spec: { selector: { matchLabels: selector }, namespaceSelector: { matchNames: [namespace] }, endpoints: [{ port: "metrics", path: "/metrics" }] } },
      selector,
    ),
  ];
}
