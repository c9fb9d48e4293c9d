/**
 * Tests of a located probe's alerts (`probes.locations`), built from its locations rather than
 * searched for (the search drives one series per selector, and a quorum needs several):
 *
 * - failing, quorum K of N locations, `failingRuns` R: K-1 locations at R failed runs in a row
 *   and the others at R-1 stay silent; K at R and the others at R-1 fire (after the alert's
 *   `for`, not a minute before). Changing K, R or the comparisons in the rule fails one of them.
 * - no data: with every location reporting it is silent; with one location's series missing it
 *   fires for that location alone (one group per location).
 */
import type { AlertRuleModel, LocationAlertModel } from "../../model/types.js";
import { formatDuration } from "../../promql/format.js";
import { sortedRecord } from "../../util/yaml.js";
import { seriesName } from "./events.js";
import { alertOfSample } from "./expect.js";
import type { RuleSet } from "./rule-set.js";

const MINUTE_MS = 60_000;

export function locationTests(alerts: readonly AlertRuleModel[], rules: RuleSet): Record<string, unknown>[] {
  return alerts.flatMap((alert) => {
    const located = alert.locations;
    if (!located) return [];
    const rule = rules.alerts.get(alert.name)![0]!;
    return located.kind === "failing" ? failingTests(alert, located, rule) : noDataTests(alert, located, rule);
  });
}

type Rule = Parameters<typeof alertOfSample>[0];

function series(located: LocationAlertModel, location: string, values: string): { series: string; values: string } {
  return { series: seriesName(located.metric, { ...located.matchers, ...located.labels, location, job: "vigil-probes" }), values };
}

/** Evaluated once the `for` has passed; a minute before it too when there is one. */
function evalTimes(forMs: number): { before?: number; at: number } {
  const at = Math.ceil(forMs / MINUTE_MS) * MINUTE_MS + 2 * MINUTE_MS;
  return forMs >= MINUTE_MS ? { before: Math.ceil(forMs / MINUTE_MS) * MINUTE_MS - MINUTE_MS, at } : { at };
}

function failingTests(alert: AlertRuleModel, located: LocationAlertModel, rule: Rule): Record<string, unknown>[] {
  const { names, quorum: k, runs } = located;
  const times = evalTimes(alert.forMs);
  const steps = times.at / MINUTE_MS + 1;
  const inputs = (failing: number) =>
    names.map((l, i) => series(located, l, `${i < failing ? runs : runs - 1}+0x${steps}`)).sort((a, b) => (a.series < b.series ? -1 : 1));
  const expected = alertOfSample(rule, { labels: located.matchers, value: k }, true);
  const check = (ms: number, firing: boolean) => ({
    eval_time: formatDuration(ms),
    alertname: alert.name,
    exp_alerts: firing ? [{ exp_labels: sortedRecord(expected.labels), exp_annotations: sortedRecord(expected.annotations) }] : [],
  });
  const failingIn = (n: number) => (n === 0 ? "no location" : names.slice(0, n).join(", "));
  return [
    {
      name: `${alert.name}: failing ${runs} runs in a row in ${k - 1} of ${names.length} locations (${failingIn(k - 1)}), the others ${runs - 1}: silent`,
      interval: "1m",
      input_series: inputs(k - 1),
      alert_rule_test: [check(times.at, false)],
    },
    {
      name: `${alert.name}: failing ${runs} runs in a row in ${k} of ${names.length} locations (${failingIn(k)}), the others ${runs - 1}: fires`,
      interval: "1m",
      input_series: inputs(k),
      alert_rule_test: [...(times.before !== undefined ? [check(times.before, false)] : []), check(times.at, true)],
    },
  ];
}

function noDataTests(alert: AlertRuleModel, located: LocationAlertModel, rule: Rule): Record<string, unknown>[] {
  const times = evalTimes(alert.forMs);
  const steps = times.at / MINUTE_MS + 1;
  const reporting = (except: string | undefined) => located.names.filter((l) => l !== except).map((l) => series(located, l, `1+0x${steps}`)).sort((a, b) => (a.series < b.series ? -1 : 1));
  const check = (ms: number, missing: string | undefined) => {
    const expected = missing === undefined ? undefined : alertOfSample(rule, { labels: { ...located.matchers, location: missing }, value: 1 }, true);
    return {
      eval_time: formatDuration(ms),
      alertname: alert.name,
      exp_alerts: expected ? [{ exp_labels: sortedRecord(expected.labels), exp_annotations: sortedRecord(expected.annotations) }] : [],
    };
  };
  return [
    { name: `${alert.name}: every location reporting: silent`, interval: "1m", input_series: reporting(undefined), alert_rule_test: [check(times.at, undefined)] },
    ...located.names.map((l) => ({
      name: `${alert.name}: location ${l} reporting nothing: fires for ${l} alone`,
      interval: "1m",
      input_series: reporting(l),
      alert_rule_test: [...(times.before !== undefined ? [check(times.before, undefined)] : []), check(times.at, l)],
    })),
  ];
}
