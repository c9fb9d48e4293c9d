/**
 * The probe runtime in the cluster: probes.json as a ConfigMap, a Deployment running it on
 * node:20 — with `probes: { bundle: true }` the runtime itself is in the ConfigMap too
 * (`node vigil-probes.mjs`, nothing to install; apply with `--server-side`: the ConfigMap is
 * larger than client-side apply's 256 KiB annotation), else the published package
 * (`npx vigil-monitoring@<version> probes run`) — a Service,
 * and a ServiceMonitor scraping it as job `vigil-probes` (the Service's name, the job the
 * generated rules and dashboards read). The secrets the checks read come from the Secret
 * `vigil-probes` (optional), one key an environment variable. A change of probes.json changes
 * the pod template's checksum annotation, so the pods restart with it. With `probes.locations`,
 * one Deployment per location (`vigil-probes-<location>`, `--location <location>`), its pods
 * labelled with it, all behind the one Service: each location's pods are scraped as job
 * `vigil-probes`, their series told apart by the `location` label the runtime puts on them.
 */
import { createHash } from "node:crypto";
import type { Model } from "../model/types.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import { emitsProbeBundle, PROBES_JOB, probesConfig } from "../probes/emit.js";
import { envNames } from "../probes/templates.js";
import { stableJson } from "../util/json.js";
import { VIGIL_VERSION } from "../version.js";
import { resource, type Resource } from "./meta.js";

export const PROBES_IMAGE = "node:20-alpine";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const MOUNT = "/etc/vigil-probes";

export function probeResources(model: Model, bundle: () => string): Resource[] {
  const config = probesConfig(model);
  if (!config) return [];
  const service = [...model.services].filter((s) => s.probes).sort((a, b) => (a.name < b.name ? -1 : 1))[0]!;
  const namespace = kubernetesNamespace(service);
  const json = `${stableJson(config, 2)}\n`;
  const port = Number(model.probeRunner.address.split(":").pop());
  const selector = { "app.kubernetes.io/name": PROBES_JOB };
  const secrets = envNames(config);
  const bundled = emitsProbeBundle(model);
  const data: Record<string, string> = { "probes.json": json };
  if (bundled) data["vigil-probes.mjs"] = bundle();
  const container = (location: string | undefined): Record<string, unknown> => ({
    name: "probes",
    image: PROBES_IMAGE,
    command: [
      ...(bundled
        ? ["node", `${MOUNT}/vigil-probes.mjs`, "--config", `${MOUNT}/probes.json`, "--listen", `0.0.0.0:${port}`]
        : ["npx", "--yes", `vigil-monitoring@${VIGIL_VERSION}`, "probes", "run", `${MOUNT}/probes.json`, "--listen", `0.0.0.0:${port}`]),
      ...(location !== undefined ? ["--location", location] : []),
    ],
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
  });
  const deployment = (location: string | undefined): Resource => {
    const labels = location === undefined ? selector : { ...selector, "vigil.dev/location": location };
    return resource(
      "apps/v1",
      "Deployment",
      location === undefined ? PROBES_JOB : `${PROBES_JOB}-${location}`,
      namespace,
      {
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            // A new probes.json (or runtime) is a new pod template: the pods restart with it.
            metadata: { labels, annotations: { "vigil.dev/probes-json-sha256": sha256(json), ...(bundled ? { "vigil.dev/probes-runtime-sha256": sha256(data["vigil-probes.mjs"]!) } : {}) } },
            spec: {
              containers: [container(location)],
              volumes: [
                { name: "config", configMap: { name: PROBES_JOB } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      labels,
    );
  };
  return [
    resource("v1", "ConfigMap", PROBES_JOB, namespace, { data }, selector),
    ...(config.locations ?? [undefined]).map(deployment),
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
