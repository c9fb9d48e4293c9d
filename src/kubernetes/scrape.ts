/**
 * A `ScrapeConfig` (monitoring.coreos.com/v1alpha1) per scrape job of prometheus.yml (the
 * services' and the exporters'; the probe runtime runs in the cluster and has a ServiceMonitor,
 * probes.ts), in the namespace of the first service (by name) scraping it. `jobName` keeps the
 * job label the generated rules select on.
 */
import type { Model } from "../model/types.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import { scrapeJobs } from "../prometheus/config.js";
import { PROBES_JOB } from "../probes/emit.js";
import { objectName, resource, type Obj, type Resource } from "./meta.js";

export function scrapeConfigs(model: Model): Resource[] {
  const services = [...model.services].sort((a, b) => (a.name < b.name ? -1 : 1));
  const namespaceOf = (job: string) => {
    const s = services.find((x) => (x.scrape && x.name === job) || (x.exporters ?? []).some((e) => e.job === job)) ?? services[0];
    return s ? kubernetesNamespace(s) : "monitoring";
  };
  return scrapeJobs(model)
    .filter((j) => j.job_name !== PROBES_JOB)
    .map((j) => {
      const job = j.job_name as string;
      const spec: Obj = { jobName: job };
      if (j.scrape_interval !== undefined) spec.scrapeInterval = j.scrape_interval;
      spec.metricsPath = j.metrics_path;
      spec.scheme = (j.scheme as string).toUpperCase();
      spec.staticConfigs = (j.static_configs as { targets: string[] }[]).map((c) => ({ targets: [...c.targets] }));
      return resource("monitoring.coreos.com/v1alpha1", "ScrapeConfig", objectName(job), namespaceOf(job), { spec });
    });
}
