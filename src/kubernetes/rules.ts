/**
 * A `PrometheusRule` (monitoring.coreos.com/v1) per service: the groups of its rule files, in
 * their order. Alerting rules also carry the label `namespace` (the service's namespace): the
 * operator adds `namespace="<its namespace>"` to the routes of every AlertmanagerConfig, so an
 * alert reaches the team's AlertmanagerConfig only with it (with `enforcedNamespaceLabel` set on
 * the Prometheus resource the operator sets the same value itself). Recording rules are left as
 * they are: their series keep the labels other rules join on.
 */
import type { ServiceModel } from "../model/types.js";
import { kubernetesNamespace } from "../normalize/targets.js";
import { serviceRuleFiles } from "../prometheus/rule-files.js";
import { isAlertingRule, type RuleGroup } from "../prometheus/rule-types.js";
import { sortedRecord } from "../util/yaml.js";
import { resource, type Resource } from "./meta.js";

export function prometheusRule(service: ServiceModel): Resource {
  const namespace = kubernetesNamespace(service);
  const groups: RuleGroup[] = serviceRuleFiles(service).flatMap((f) => f.groups).map((g) => ({
    ...g,
    rules: g.rules.map((r) => (isAlertingRule(r) ? { ...r, labels: sortedRecord({ ...r.labels, namespace }) } : r)),
  }));
  return resource("monitoring.coreos.com/v1", "PrometheusRule", service.name, namespace, { spec: { groups } });
}
