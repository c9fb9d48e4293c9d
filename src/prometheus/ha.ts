/**
 * The Prometheus config files: `prometheus/prometheus.yml`, or with `prometheus.replicas` of n ≥ 2
 * one `prometheus/prometheus-<k>.yml` per replica (k = 1..n) beside the shared rules and args.
 * Replicas scrape and evaluate alike; only their external label differs, and it is dropped from
 * their alerts, so every Alertmanager receives each alert with one label set from both replicas.
 */
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";
import { PROMETHEUS_CONFIG_PATH, renderPrometheusConfig } from "./config.js";

export const replicaConfigPath = (k: number) => `prometheus/prometheus-${k}.yml`;

export function prometheusConfigFiles(model: Model): OutputFile[] {
  const replicas = model.ha?.replicas;
  if (!replicas) return [{ path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(model) }];
  return Array.from({ length: replicas.count }, (_, i) => ({ path: replicaConfigPath(i + 1), content: renderPrometheusConfig(model, i + 1) }));
}
