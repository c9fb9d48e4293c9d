/**
 * Generated promtool unit tests: for every SLO and every threshold alert, input series
 * that make it fire and input series that keep it silent, with the exact alerts promtool
 * must see. The file is part of the output, so teams run it in their own CI:
 *   promtool test rules prometheus/tests/<service>.test.yml
 */
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import type { AlertRuleModel, ServiceModel } from "../../model/types.js";
import { isGeneratedRecording } from "../../model/rule-names.js";
import { parseDuration } from "../../promql/duration.js";
import { labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type InputSeries } from "../../promql/eval/types.js";
import { formatDuration, formatNumber, quoteString } from "../../promql/format.js";
import { SignalIndex } from "../../normalize/signals.js";
import { renderYaml, sortedRecord } from "../../util/yaml.js";
import type { RuleGroup } from "../rule-types.js";
import { BURST_INTERVAL_MS, HISTORY_INTERVAL_MS, TEST_INTERVAL_MS } from "./expect.js";
import type { OutputFile } from "../../emit/types.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import { buildRuleSet } from "./rule-set.js";
import { anomalyTestFile } from "./anomaly.js";
import { sloTests } from "./slo.js";
import { thresholdTests } from "./threshold.js";
import { eventTests } from "./events.js";
import { UnsupportedSynthesis } from "./variants.js";

export function testFilePath(service: ServiceModel): string {
  return `prometheus/tests/${service.name}.test.yml`;
}

/** Tests spanning a week of history (alerts comparing with `offset 1w`) are evaluated less often. */
export function historyTestFilePath(service: ServiceModel): string {
  return `prometheus/tests/${service.name}.history.test.yml`;
}

/** SLO burst tests span hours: their rules are evaluated every 5m, the step the windows are tiled in. */
export function burstTestFilePath(service: ServiceModel): string {
  return `prometheus/tests/${service.name}.bursts.test.yml`;
}

/** Maintenance event tests reach days into the week: their rules are evaluated at the coarsest step their checks allow. */
export function maintenanceTestFilePath(service: ServiceModel): string {
  return `prometheus/tests/${service.name}.maintenance.test.yml`;
}

export function renderTestFiles(service: ServiceModel, groups: RuleGroup[]): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const rules = buildRuleSet(groups, (d) => parseDuration(d) ?? 0);
  const recorded = new Set(service.recordings.map((r) => r.record));
  const ctx: SynthContext = {
    service,
    rules,
    signals: new SignalIndex(service.signals, (name) => recorded.has(name) || isGeneratedRecording(name)),
    defaults: { job: service.name, instance: "app-1:8080" },
  };
  const diagnostics: Diagnostic[] = [];
  const planned: PlannedTest[] = [];
  const attempt = (what: string, at: Diagnostic["at"], build: () => PlannedTest[]) => {
    try {
      planned.push(...build());
    } catch (err) {
      if (!(err instanceof Unsupported || err instanceof UnsupportedSynthesis)) throw err;
      diagnostics.push(makeDiagnostic("VIG4001", `no unit test generated for ${what}: ${err.message}`, at));
    }
  };
  for (const slo of service.slos) attempt(`SLO ${slo.name}`, slo.at, () => sloTests(slo, ctx));
  // Event alerts: their tests come from the event (events.ts), not from the search.
  const events = eventTests(service.alerts, rules, ctx.defaults);
  for (const alerts of byName(service.alerts.filter((a) => !a.event))) {
    const name = alerts[0]!.name;
    // A severity that cannot be driven loses its own tests only, not the others'.
    const fail = (severity: string | undefined, reason: string) => {
      const at = alerts.find((a) => a.severity === severity)?.at ?? alerts[0]!.at;
      diagnostics.push(makeDiagnostic("VIG4001", `no unit test generated for alert ${name}${severity && alerts.length > 1 ? ` at ${severity}` : ""}: ${reason}`, at));
    };
    attempt(`alert ${name}`, alerts[0]!.at, () => thresholdTests(alerts, ctx, fail));
  }
  const files: OutputFile[] = [];
  for (const [path, intervalMs, what] of [
    [testFilePath(service), TEST_INTERVAL_MS, "unit tests for the rules"],
    [burstTestFilePath(service), BURST_INTERVAL_MS, "SLO burst tests (rules evaluated every 5m, the step SLO windows are tiled in)"],
    [historyTestFilePath(service), HISTORY_INTERVAL_MS, "unit tests of the alerts that compare with the past (rules evaluated every 30m)"],
  ] as const) {
    const tests = planned.filter((t) => (t.evalIntervalMs ?? TEST_INTERVAL_MS) === intervalMs);
    const extra = intervalMs === TEST_INTERVAL_MS ? events.main : [];
    if (tests.length === 0 && extra.length === 0) continue;
    const content = renderYaml(
      {
        rule_files: [`../rules/${service.name}.rules.yml`],
        evaluation_interval: formatDuration(intervalMs),
        // promtool otherwise evaluates the groups of one instant in random order, and an alert
        // may read the recordings of the previous evaluation: the rule file's order, as expected.
        group_eval_order: groups.map((g) => g.name),
        tests: [...tests.map(testGroup), ...extra],
      },
      ` Generated by vigil: ${what} of service "${service.name}".\n Run: promtool test rules ${path.split("/").pop()}`,
    );
    files.push({ path, content });
  }
  if (events.maintenance) {
    const path = maintenanceTestFilePath(service);
    const content = renderYaml(
      {
        rule_files: [`../rules/${service.name}.rules.yml`],
        evaluation_interval: formatDuration(events.maintenance.intervalMs),
        group_eval_order: groups.map((g) => g.name),
        tests: events.maintenance.groups,
      },
      ` Generated by vigil: tests of the scheduled maintenance alerts of service "${service.name}" (time only, from the Unix epoch, a Thursday 00:00 UTC).\n Run: promtool test rules ${path.split("/").pop()}`,
    );
    files.push({ path, content });
  }
  const anomalies = anomalyTestFile(service, groups, ctx, diagnostics, testGroup);
  if (anomalies) files.push(anomalies);
  return { files, diagnostics };
}

function byName(alerts: readonly AlertRuleModel[]): AlertRuleModel[][] {
  const map = new Map<string, AlertRuleModel[]>();
  for (const a of alerts) map.set(a.name, [...(map.get(a.name) ?? []), a]);
  return [...map.values()];
}

function testGroup(t: PlannedTest): Record<string, unknown> {
  const evalTime = formatDuration(t.evalTimeMs);
  const group: Record<string, unknown> = {
    name: t.name,
    interval: formatDuration(TEST_INTERVAL_MS),
    input_series: seriesValues(t),
    alert_rule_test: t.alerts.map((a) => ({
      eval_time: a.evalTimeMs === undefined ? evalTime : formatDuration(a.evalTimeMs),
      alertname: a.alertName,
      exp_alerts: a.expected.map((e) => ({
        exp_labels: sortedRecord(withoutAlertname(e.labels)),
        ...(Object.keys(e.annotations).length ? { exp_annotations: sortedRecord(e.annotations) } : {}),
      })),
    })),
  };
  if (t.exprs.length) {
    group.promql_expr_test = t.exprs.map((x) => ({
      expr: x.expr,
      eval_time: evalTime,
      exp_samples: x.samples.map((s) => ({ labels: seriesName(s.labels), value: s.value })),
    }));
  }
  return group;
}

function withoutAlertname(labels: Record<string, string>): Record<string, string> {
  const { alertname: _, ...rest } = labels;
  return rest;
}

/** promtool's expanding notation, phase by phase; counters continue where they left off. */
function seriesValues(t: PlannedTest): { series: string; values: string }[] {
  const perPhase = t.phases.map((p) => new Map(inputSeries(t.variants, p.params).map((s) => [labelsKey(s.labels), s])));
  const keys = [...new Set(perPhase.flatMap((m) => [...m.keys()]))].sort();
  return keys.map((key) => {
    let last: number | undefined;
    let sample: InputSeries | undefined;
    const parts = t.phases.map((phase, i) => {
      const s = perPhase[i]!.get(key);
      const count = i === 0 ? phase.steps + 1 : phase.steps;
      if (!s) {
        last = undefined;
        return `_x${count}`;
      }
      sample = s;
      if (s.kind === "gauge") return `${formatNumber(s.value)}+0x${count - 1}`;
      const stepText = formatNumber((s.value * TEST_INTERVAL_MS) / 1000);
      const step = Number(stepText);
      // promtool expands `a+bxn` by adding b n times, so a phase starts from that sum (never
      // below it: a counter going flat one ulp lower reads as a reset).
      const start = last === undefined ? 0 : last + step;
      const startText = last !== undefined && Number(formatNumber(start)) < last ? String(start) : formatNumber(start);
      last = Number(startText);
      for (let j = 1; j < count; j++) last += step;
      return `${startText}+${stepText}x${count - 1}`;
    });
    return { series: seriesName(sample!.labels), values: parts.join(" ") };
  });
}

/** `name{a="x", b="y"}` with labels sorted. */
function seriesName(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const body = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${quoteString(rest[k]!)}`)
    .join(", ");
  return `${name ?? ""}{${body}}`;
}
