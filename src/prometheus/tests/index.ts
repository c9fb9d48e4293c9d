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
import { comparesWithPast, ruleFilesNeeded, sloRulesStem, type RuleFile } from "../rule-files.js";
import { evaluationOrder } from "../rules.js";
import { BURST_INTERVAL_MS, historyIntervalMs, TEST_INTERVAL_MS } from "./expect.js";
import type { OutputFile } from "../../emit/types.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import { buildRuleSet } from "./rule-set.js";
import { anomalyTestFile } from "./anomaly.js";
import { sloTests } from "./slo.js";
import { thresholdTests } from "./threshold.js";
import { eventTests } from "./events.js";
import { locationTests } from "./locations.js";
import { UnsupportedSynthesis } from "./variants.js";

/** The 1m-evaluated tests of a rule file: `prometheus/tests/<stem>.test.yml`. */
export function testFilePath(file: Pick<RuleFile, "stem">): string {
  return `prometheus/tests/${file.stem}.test.yml`;
}

/** SLO burst and story tests span hours to days: their rules are evaluated every 5m, the step the windows are tiled in. */
export function burstTestFilePath(file: Pick<RuleFile, "stem">): string {
  return `prometheus/tests/${file.stem}.bursts.test.yml`;
}

/** Maintenance event tests reach days into the week: their rules are evaluated at the coarsest step their checks allow. */
export function maintenanceTestFilePath(service: ServiceModel): string {
  return `prometheus/tests/${service.name}.maintenance.test.yml`;
}

/** A planned test and the rule file holding the rules it tests. */
interface FileTest {
  file: RuleFile;
  test: PlannedTest;
}

export function renderTestFiles(service: ServiceModel, ruleFiles: readonly RuleFile[]): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const testedFiles = ruleFiles.filter((f) => !f.path.endsWith(".anomalies.rules.yml"));
  const order = evaluationOrder(ruleFiles);
  const rules = buildRuleSet(evaluationOrder(testedFiles), (d) => parseDuration(d) ?? 0);
  const recorded = new Set(service.recordings.map((r) => r.record));
  const mainFile = ruleFiles.find((f) => f.stem === service.name)!;
  const historyFile = ruleFiles.find((f) => f.groups.some((g) => g.name === `vigil:${service.name}:history`));
  const historyAlerts = service.alerts.filter(comparesWithPast);
  const ctx: SynthContext = {
    service,
    rules,
    signals: new SignalIndex(service.signals, (name) => recorded.has(name) || isGeneratedRecording(name)),
    defaults: { job: service.name, instance: "app-1:8080" },
    historyIntervalMs: historyIntervalMs(historyAlerts),
  };
  const diagnostics: Diagnostic[] = [];
  const planned: FileTest[] = [];
  const attempt = (what: string, at: Diagnostic["at"], file: RuleFile, build: () => PlannedTest[]) => {
    try {
      planned.push(...build().map((test) => ({ file, test })));
    } catch (err) {
      if (!(err instanceof Unsupported || err instanceof UnsupportedSynthesis)) throw err;
      diagnostics.push(makeDiagnostic("VIG4001", `no unit test generated for ${what}: ${err.message}`, at));
    }
  };
  for (const slo of service.slos) {
    const file = ruleFiles.find((f) => f.stem === sloRulesStem(service.name, slo.name))!;
    attempt(`SLO ${slo.name}`, slo.at, file, () => sloTests(slo, ctx));
  }
  // Event alerts: their tests come from the event (events.ts), not from the search.
  const events = eventTests(service.alerts, rules, ctx.defaults);
  // Located probes' alerts: their tests come from the locations (locations.ts).
  const located = locationTests(service.alerts, rules);
  for (const alerts of byName(service.alerts.filter((a) => !a.event && !a.locations))) {
    const name = alerts[0]!.name;
    // A severity that cannot be driven loses its own tests only, not the others'.
    const fail = (severity: string | undefined, reason: string) => {
      const at = alerts.find((a) => a.severity === severity)?.at ?? alerts[0]!.at;
      diagnostics.push(makeDiagnostic("VIG4001", `no unit test generated for alert ${name}${severity && alerts.length > 1 ? ` at ${severity}` : ""}: ${reason}`, at));
    };
    const file = historyFile && alerts.some(comparesWithPast) ? historyFile : mainFile;
    attempt(`alert ${name}`, alerts[0]!.at, file, () => thresholdTests(alerts, ctx, fail));
  }
  const files: OutputFile[] = [];
  const render = (path: string, loaded: readonly RuleFile[], intervalMs: number, what: string, tests: unknown[]) => {
    const groups = new Set(loaded.flatMap((f) => f.groups));
    const content = renderYaml(
      {
        rule_files: loaded.map((f) => `../rules/${f.path.split("/").pop()}`),
        evaluation_interval: formatDuration(intervalMs),
        // promtool otherwise evaluates the groups of one instant in random order, and an alert
        // may read the recordings of the previous evaluation: recordings first, as expected.
        group_eval_order: order.filter((g) => groups.has(g)).map((g) => g.name),
        tests,
      },
      ` Generated by vigil: ${what} of service "${service.name}".\n Run: promtool test rules ${path.split("/").pop()}`,
    );
    files.push({ path, content });
  };
  for (const file of testedFiles) {
    const mine = planned.filter((p) => p.file === file).map((p) => p.test);
    const loaded = ruleFilesNeeded(file, testedFiles);
    const kinds: [string, number, string, PlannedTest[], unknown[]][] =
      file === historyFile
        ? [[testFilePath(file), ctx.historyIntervalMs, `unit tests of the alerts that compare with the past (rules evaluated every ${formatDuration(ctx.historyIntervalMs)})`, mine, []]]
        : [
            [testFilePath(file), TEST_INTERVAL_MS, `unit tests for the rules of ${file.path.split("/").pop()}`, mine.filter((t) => (t.evalIntervalMs ?? TEST_INTERVAL_MS) === TEST_INTERVAL_MS), file === mainFile ? [...events.main, ...located] : []],
            [burstTestFilePath(file), BURST_INTERVAL_MS, "SLO burst and story tests (rules evaluated every 5m, the step SLO windows are tiled in)", mine.filter((t) => t.evalIntervalMs === BURST_INTERVAL_MS), []],
          ];
    for (const [path, intervalMs, what, tests, extra] of kinds) {
      if (tests.length || extra.length) render(path, loaded, intervalMs, what, [...tests.map(testGroup), ...extra]);
    }
  }
  if (events.maintenance) {
    const path = maintenanceTestFilePath(service);
    render(
      path,
      ruleFilesNeeded(mainFile, testedFiles),
      events.maintenance.intervalMs,
      "tests of the scheduled maintenance alerts (time only, from the Unix epoch, a Thursday 00:00 UTC)",
      events.maintenance.groups,
    );
  }
  const anomalies = anomalyTestFile(service, mainFile.groups, ctx, diagnostics, testGroup);
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
      // promtool expands `a+bxn` by adding b n times, so a phase starts from exactly that sum:
      // a counter going flat one ulp lower reads as a reset, one ulp higher as an increase
      // (`increase(x[10m]) > 0` fires on it). Shortest round-trip text where 12 digits are not exact.
      const start = last === undefined ? 0 : last + step;
      const startText = Number(formatNumber(start)) === start ? formatNumber(start) : String(start);
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
