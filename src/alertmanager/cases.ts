/**
 * Routing cases: every alerting rule the compiler emits, the labels its alerts carry (the
 * rule's labels plus `alertname`; series labels cannot override them), and the receivers
 * the spec intends them to reach. Checked against the generated tree by amtool.
 */
import type { Model } from "../model/types.js";
import { allTeams } from "../normalize/merge.js";
import { isAlertingRule } from "../prometheus/rule-types.js";
import { serviceRuleGroups } from "../prometheus/rules.js";
import { sortedRecord } from "../util/yaml.js";
import { intendedReceivers } from "./routing.js";

export interface RoutingCase {
  alert: string;
  labels: Record<string, string>;
  receivers: string[];
}

export function routingCases(model: Model): RoutingCase[] {
  const teams = allTeams(model.services);
  const seen = new Set<string>();
  const cases: RoutingCase[] = [];
  for (const service of model.services) {
    for (const group of serviceRuleGroups(service)) {
      for (const rule of group.rules) {
        if (!isAlertingRule(rule)) continue;
        const labels = sortedRecord({ ...(rule.labels ?? {}), alertname: rule.alert });
        const key = JSON.stringify(labels);
        if (seen.has(key)) continue;
        seen.add(key);
        cases.push({ alert: rule.alert, labels, receivers: intendedReceivers(teams, labels) });
      }
    }
  }
  return cases;
}
