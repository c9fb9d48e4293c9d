/**
 * Tests for an anomaly alert. Its band is learnt from a baseline of history (a week for `1w`),
 * so every test first lays down one: the value at a high level for the first part of the
 * baseline and a lower one for the rest (the spread gives the band its width, and last week's
 * high level is what the seasonal band expects now). Then, one baseline later, steps, each
 * after a while at the expected level:
 *
 *   band         a step inside the band stays silent and one just past it fires exactly when
 *                its `for` has elapsed (checked then, and one evaluation earlier) — on each
 *                watched side; a step past the other side of a one-sided anomaly stays silent;
 *                with `minTraffic`, a drop to below it fires while the expected value is busy
 *   season       the step past the band, one baseline earlier too: expected now, silent
 *                (seasonal anomalies only)
 *   minTraffic   the band test's history and one step, scaled (the z-score is the same) so that
 *                what the guard reads is just above `minTraffic` (fires) and just below it (silent,
 *                though it would fire unguarded): the value for a step above the band, the
 *                expected value for a drop to below minTraffic — a guard 10% off fails a test
 *
 * Steps are aimed at 0.97 and 1.05 band half-widths (inside and past), corrected by the band
 * the simulation shows, so a sensitivity 10% off fails a test.
 *
 * What promtool must see is computed by simulating the anomaly's recordings evaluation by
 * evaluation — the watched value by the steady-state evaluator (each level is held far longer
 * than its ranges), the baseline's mean and standard deviation, the season's value and the band
 * over the recorded samples, in both range modes (Prometheus 2.x and 3.x) — and a scenario is
 * used only where both agree and no comparison is within float noise of its edge. Rules are
 * evaluated every 30m in these tests where the `for`s allow (a week is 336 evaluations, each
 * reading a week of recorded samples; the rules' own 5m interval would be six times as many),
 * more often where a `for` would not be pinned: a `for` of F is told from F/2 only when some
 * evaluation falls between them, so the interval is at most F/2 and divides F.
 */
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import type { OutputFile } from "../../emit/types.js";
import type { AnomalyModel, ServiceModel } from "../../model/types.js";
import { ANOMALY_RULES, isGeneratedRecording } from "../../model/rule-names.js";
import { walk } from "../../promql/ast.js";
import { parsePromQLCached } from "../../promql/cache.js";
import { dropName } from "../../promql/eval/labels.js";
import { Unsupported, type Sample, type SeriesPhase } from "../../promql/eval/types.js";
import { formatDuration, formatNumber } from "../../promql/format.js";
import { parseDuration } from "../../promql/duration.js";
import { renderYaml } from "../../util/yaml.js";
import { anomalyRuleGroups, anomalyRulesFilePath, SEASON_WINDOW_MS } from "../anomaly-rules.js";
import type { RuleGroup } from "../rule-types.js";
import { rulesFilePath } from "../rules.js";
import { alertOfSample, evaluateBoth, exactInputs, TEST_INTERVAL_MS, type ExpectedAlert } from "./expect.js";
import { inputSeries, logDistance, lookbackMs, quickEval, type AlertCheck, type PlannedTest, type SynthContext } from "./plan.js";
import { buildRuleSet, type RuleSet } from "./rule-set.js";
import { memoized, search, type Judgement } from "./search.js";
import { collectLeaves, domain, dyadic, isExactFloat, UnsupportedSynthesis, variantsFor, type Param, type Variant } from "./variants.js";

const MINUTE = 60_000;
/** How often promtool may evaluate the rules in anomaly tests, longest first; never below the rules' own 5m. */
const ANOMALY_TEST_INTERVALS_MS = [30, 15, 10, 5].map((m) => m * MINUTE);

/**
 * The evaluation interval of a service's anomaly tests: the longest that divides every
 * anomaly's `for` and is at most half of it, so that an evaluation falls while the condition
 * has held for less than its `for` but at least half of it (halving the `for` then fires it
 * early). At the rules' own 5m a shorter `for` behaves the same in a real Prometheus too.
 */
export function anomalyTestIntervalMs(anomalies: readonly AnomalyModel[]): number {
  const pins = (e: number) => anomalies.every((a) => a.forMs === 0 || (a.forMs % e === 0 && e <= a.forMs / 2));
  return ANOMALY_TEST_INTERVALS_MS.find(pins) ?? ANOMALY_TEST_INTERVALS_MS.at(-1)!;
}
/** Comparisons closer than this (relative) are ties: float noise could decide them. */
const TIE = 1e-9;
/**
 * How far past (or short of) the band the steps go, in band half-widths, the first that both
 * range modes decide alike and that lands where aimed: just past and just inside it first.
 */
const PAST = [1.05, 1.15, 1.3, 1.6, 2, 3];
const INSIDE = [0.97, 0.9, 0.8, 0.6, 0.3];
/** A step past the side of the band a one-sided anomaly does not watch. */
const OTHER_SIDE = [1.05, 1.15, 1.3, 1.6, 2, 3];

export function anomalyTestFilePath(service: { name: string }): string {
  return `prometheus/tests/${service.name}.anomalies.test.yml`;
}

/**
 * Anomaly tests need a baseline of history: their file evaluates only the anomaly rule file
 * (and the main one where a watched value reads its recordings), every 30m or as often as
 * their `for`s need (anomalyTestIntervalMs).
 */
export function anomalyTestFile(
  service: ServiceModel,
  groups: readonly RuleGroup[],
  main: SynthContext,
  diagnostics: Diagnostic[],
  testGroup: (t: PlannedTest) => Record<string, unknown>,
): OutputFile | undefined {
  const anomalies = service.anomalies ?? [];
  if (anomalies.length === 0) return undefined;
  const anomalyGroups = anomalyRuleGroups(service);
  const withMain = anomalies.some((a) => readsMainRecordings(a, main.rules));
  const fileGroups = [...(withMain ? groups : []), ...anomalyGroups];
  const ctx: SynthContext = { ...main, rules: buildRuleSet(fileGroups, (d) => parseDuration(d) ?? 0) };
  const E = anomalyTestIntervalMs(anomalies);
  const planned: PlannedTest[] = [];
  for (const a of anomalies) {
    const fail = (reason: string) => diagnostics.push(makeDiagnostic("VIG4001", `no unit test generated for anomaly ${a.name}: ${reason}`, a.at));
    try {
      planned.push(...anomalyTests(a, ctx, fail, E));
    } catch (err) {
      if (!(err instanceof Unsupported || err instanceof UnsupportedSynthesis)) throw err;
      fail(err.message);
    }
  }
  if (planned.length === 0) return undefined;
  const path = anomalyTestFilePath(service);
  const ruleFiles = [...(withMain ? [testRuleFile(rulesFilePath(service))] : []), testRuleFile(anomalyRulesFilePath(service))];
  const content = renderYaml(
    { rule_files: ruleFiles, evaluation_interval: formatDuration(E), group_eval_order: fileGroups.map((g) => g.name), tests: planned.map(testGroup) },
    ` Generated by vigil: tests of the anomaly alerts of service "${service.name}" (rules evaluated every ${formatDuration(E)}).\n Run: promtool test rules ${path.split("/").pop()}`,
  );
  return { path, content };
}

/** A rule file's path as a test file under prometheus/tests/ names it. */
function testRuleFile(path: string): string {
  return `../rules/${path.split("/").pop()}`;
}

/** Whether an anomaly's value reads recording rules of the service's main rule file (its tests then load that file too). */
export function readsMainRecordings(anomaly: AnomalyModel, main: RuleSet): boolean {
  const parsed = parsePromQLCached(anomaly.valueQuery);
  if (!parsed.ok) return false;
  let found = false;
  walk(parsed.expr, (node) => {
    if (node.type === "vector" && node.name !== undefined && main.recordings.has(node.name)) found = true;
  });
  return found;
}

interface Level {
  params: Param[];
  value: number;
}

/** A level held on (the previous segment's end, endMs]. */
interface Segment {
  level: Level;
  endMs: number;
}

interface Check {
  atMs: number;
  fires: boolean;
}

interface Scenario {
  name: string;
  segments: Segment[];
  checks: Check[];
}

/** What one evaluation of the anomaly's rules yields in one range mode. */
interface Evaluation {
  value?: Sample;
  firing: boolean;
  /** The alert's condition held (it may still be pending). */
  active: boolean;
  /** A comparison of the condition is within float noise of its edge. */
  tie: boolean;
  /** Where the band exists: the expected value, the baseline's standard deviation, and how many of them the value is away. */
  expected?: number;
  sd?: number;
  z?: number;
}

/** The side of the band a step goes to: +1 above, -1 below. */
type Side = 1 | -1;

/**
 * A step of the band test: inside the band, past it on a watched side, past the side a
 * one-sided anomaly does not watch, or (with minTraffic) a drop to below minTraffic while the
 * expected value is busy.
 */
type StepKind = "inside" | "past" | "other" | "idle";

function stepText(kind: StepKind, side: Side, forText: string, direction: AnomalyModel["direction"], minTraffic: number | undefined): string {
  if (kind === "idle") return `a drop to below minTraffic ${formatNumber(minTraffic ?? 0)} fires ${forText} (the expected value is above it)`;
  const step = side === 1 ? "a step" : "a drop";
  if (kind === "inside") return `${step} ${side === 1 ? "up" : "down"} inside the band stays silent`;
  const past = side === 1 ? "a step above the band" : "a drop below the band";
  return kind === "past" ? `${past} fires ${forText}` : `${past} stays silent (direction ${direction})`;
}

/** The tests of one anomaly, with promtool evaluating its rules every E. */
export function anomalyTests(a: AnomalyModel, ctx: SynthContext, fail: (reason: string) => void, E: number): PlannedTest[] {
  const parsed = parsePromQLCached(a.valueQuery);
  if (!parsed.ok) throw new Unsupported("the watched value does not parse");
  const expr = parsed.expr;
  const rule = ctx.rules.alerts.get(a.alertName)?.[0];
  if (!rule) throw new Error(`vigil internal error: no alerting rule ${a.alertName} for anomaly ${a.id}`);
  const variants = variantsFor(collectLeaves(expr, ctx.signals, ctx.rules.recordingExprs), ctx.defaults);
  const P = a.baselineMs;
  const watched: Side = a.direction === "below" ? -1 : 1;
  const forSpan = Math.ceil(a.forMs / E) * E;
  /** A step that must stay silent lasts long enough to have fired, were it outside the band. */
  const silentSpan = forSpan + 2 * E;
  /** A step past the band fires at the evaluation its `for` has elapsed since the first one that sees it. */
  const firingSpan = E + forSpan;
  const gap = 2 * E;
  // The band test's steps, in order, each after the base level for a while: inside the band,
  // past it on the watched side(s); past the other side for a one-sided anomaly.
  // With minTraffic, a drop to below it comes early, before other steps widen the band.
  const idle: { kind: StepKind; side: Side }[] = a.minTraffic !== undefined && a.direction !== "above" ? [{ kind: "idle", side: -1 }] : [];
  const kinds: { kind: StepKind; side: Side }[] =
    a.direction === "both"
      ? [{ kind: "inside", side: 1 }, { kind: "past", side: 1 }, ...idle, { kind: "inside", side: -1 }, { kind: "past", side: -1 }]
      : [{ kind: "inside", side: watched }, { kind: "past", side: watched }, ...idle, { kind: "other", side: other(watched) }];
  let from = P + SEASON_WINDOW_MS;
  const layout = kinds.map((k) => {
    const span = k.kind === "past" || k.kind === "idle" ? firingSpan : silentSpan;
    const step = { ...k, from, span };
    from += span + gap;
    return step;
  });
  const end = from - gap;
  const S2 = layout[1]!.from;
  // The steps' counterparts one baseline earlier lie in the first, high stretch of history.
  const highEnd = Math.ceil(Math.max(P / 2, end - P + SEASON_WINDOW_MS) / E) * E;
  if (highEnd > (3 * P) / 4) throw new UnsupportedSynthesis(`its for of ${formatDuration(a.forMs)} is too long for steps within one ${formatDuration(P)} baseline`);

  // Levels: the value the inputs produce, found by search (exactly the target for a signal).
  const steady = memoized((params): Sample | undefined => {
    if (params.some((p) => p === undefined)) return undefined;
    const s = quickEval(expr, ctx, inputSeries(variants, params), 60 * MINUTE);
    return s.length === 1 && Number.isFinite(s[0]!.value) ? s[0] : undefined;
  });
  const levels = new Map<number, Level | undefined>();
  const levelNear = (target: number): Level | undefined => {
    if (levels.has(target)) return levels.get(target);
    const level = findLevel(target, variants, steady);
    levels.set(target, level);
    return level;
  };

  const rules = ctx.rules;
  // Each level is held for at least one evaluation interval, longer than the value's ranges:
  // after the first evaluation the value is that of the level the evaluation falls in.
  const held = lookbackMs(expr, rules.recordingExprs, isGeneratedRecording) < E - MINUTE;
  const steadyBoth = memoized((params): Sample[] => evaluateBoth(expr, { series: inputSeries(variants, params), recordings: rules.recordings, timeMs: 60 * MINUTE, intervalMs: TEST_INTERVAL_MS }));
  /** The evaluations of a scenario, with the rule's minTraffic guard or another (null: none). */
  const simulate = (segments: readonly Segment[], guard: number | null = a.minTraffic ?? null) => {
    const minTraffic = guard ?? undefined;
    const phases: SeriesPhase[] = segments.map((s, i) => ({ endMs: i === segments.length - 1 ? Infinity : s.endMs, series: inputSeries(variants, s.level.params) }));
    const endMs = segments.at(-1)!.endMs;
    const values: (Sample | undefined)[] = [];
    let segment = 0;
    for (let t = 0; t <= endMs; t += E) {
      while (segments[segment]!.endMs < t) segment++;
      const samples = t > 0 && held ? steadyBoth(segments[segment]!.level.params) : evaluateBoth(expr, { series: [], phases, fromZero: true, recordings: rules.recordings, timeMs: t, intervalMs: TEST_INTERVAL_MS });
      if (samples.length > 1) throw new Unsupported("the watched value has more than one series in its tests");
      values.push(samples[0]);
    }
    return { phases, closed: evaluations(a, values, "closed", minTraffic, E), open: evaluations(a, values, "open", minTraffic, E) };
  };

  /** The checks' expectations, when both range modes agree on them and nothing is a tie. */
  const expectations = (scenario: Scenario): AlertCheck[] | undefined => {
    try {
      const { phases, closed, open } = simulate(scenario.segments);
      const last = Math.max(...scenario.checks.map((c) => c.atMs)) / E;
      for (let i = 0; i <= last; i++) if (closed[i]!.tie || open[i]!.tie) return undefined;
      const exact = phases.every((p) => exactInputs(p.series));
      const out: AlertCheck[] = [];
      for (const c of scenario.checks) {
        const i = c.atMs / E;
        const [x, y] = [closed[i]!, open[i]!];
        if (x.firing !== c.fires || y.firing !== c.fires) return undefined;
        const expected: ExpectedAlert[] = [];
        if (c.fires) {
          const sample: Sample = { labels: { ...dropName(x.value!.labels), ...a.ruleLabels, __name__: ANOMALY_RULES.value }, value: x.value!.value };
          expected.push(alertOfSample(rule, sample, exact));
        }
        out.push({ alertName: a.alertName, expected, evalTimeMs: c.atMs });
      }
      return out;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  };

  /**
   * The step's distance from the expected value in standard deviations, on its side: the least
   * over its evaluations when it must fire, the most when it must not (either range mode), with
   * the expected value and deviation there.
   */
  const stepZ = (segments: readonly Segment[], from: number, to: number, side: Side, fires: boolean): { z: number; expected: number; sd: number } | undefined => {
    try {
      const { closed, open } = simulate(segments);
      let worst: { z: number; expected: number; sd: number } | undefined;
      for (let i = from / E + 1; i <= to / E; i++) {
        for (const x of [closed[i]!, open[i]!]) {
          if (x.z === undefined || x.expected === undefined || x.sd === undefined || !Number.isFinite(x.z)) return undefined;
          const z = side * x.z;
          if (!worst || (fires ? z < worst.z : z > worst.z)) worst = { z, expected: x.expected, sd: x.sd };
        }
      }
      return worst;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  };

  const plan = (scenario: Scenario, checks: AlertCheck[]): PlannedTest => {
    let previous = 0;
    const phases = scenario.segments.map((s) => {
      const steps = (s.endMs - previous) / MINUTE;
      previous = s.endMs;
      return { params: s.level.params, steps };
    });
    return { name: scenario.name, variants, phases, evalTimeMs: previous, evalIntervalMs: E, alerts: checks, exprs: [] };
  };

  const forText = a.forMs > 0 ? `after ${formatDuration(a.forMs)}` : "at once";
  const baselineText = formatDuration(P);
  const sideText = (side: Side) => (side === 1 ? "a step above the band" : "a drop below the band");

  // The band test, at the first base level that works: a signal's rate is 8 × minTraffic.
  const scale = a.minTraffic ?? 1;
  const bases = [...new Set([8 * scale, 8, 1, 0.1, 0.5, 100].map(dyadic))];
  const firingChecks = (from: number): Check[] => [
    { atMs: from + firingSpan - E, fires: false },
    { atMs: from + firingSpan, fires: true },
  ];
  const silentChecks = (from: number, span: number): Check[] => Array.from({ length: span / E }, (_, i) => ({ atMs: from + (i + 1) * E, fires: false }));
  let band: { levels: BandLevels; past: Level; idle?: Level; scenario: Scenario; checks: AlertCheck[] } | undefined;
  const reasons: string[] = [];
  for (const H of bases) {
    const levels = bandLevels(a, H, highEnd / P, levelNear);
    // Greedy, in time order: a later step cannot change what an earlier one showed.
    const chosen: Step[] = [];
    const checks: Check[] = [];
    const tryStep = (from: number, span: number, side: Side, mults: readonly number[], kind: StepKind): Level | undefined => {
      const fires = kind === "past" || kind === "idle";
      const stepChecks = fires ? firingChecks(from) : silentChecks(from, span);
      const works = (level: Level) => {
        const step = { from, to: from + span, level };
        const segments = levels.history([...chosen, step]);
        if (!segments || !expectations({ name: "", segments, checks: [...checks, ...stepChecks] })) return false;
        // Inside the band at every evaluation (not only for less than `for`); past the side a
        // one-sided anomaly does not watch at every evaluation, so it is silent by its direction.
        const zs = stepZ(segments, from, from + span, side, kind !== "inside");
        if (!zs || (kind === "inside" ? zs.z >= 0.995 * a.sensitivity : kind === "other" && zs.z <= 1.01 * a.sensitivity)) return false;
        chosen.push(step);
        checks.push(...stepChecks);
        return true;
      };
      if (kind === "idle") {
        for (const share of [0.5, 0.25, 0]) {
          const level = levels.exactly(a.minTraffic! * share);
          if (level && works(level)) return level;
        }
        return undefined;
      }
      for (const mult of mults) {
        // Aim from the estimated band, then correct by the z-score the simulation shows (its
        // baseline includes the step itself), a few times.
        let level = levels.step(side, mult);
        for (let round = 0; level && round < 4; round++) {
          const segments = levels.history([...chosen, { from, to: from + span, level }]);
          const zs = segments && stepZ(segments, from, from + span, side, kind !== "inside");
          if (!zs || Math.abs(zs.z - mult * a.sensitivity) <= 0.005 * a.sensitivity) break;
          const next = levels.exactly(zs.expected + side * mult * a.sensitivity * zs.sd);
          if (!next || next.value === level.value) break;
          level = next;
        }
        if (level && works(level)) return level;
      }
      return undefined;
    };
    const parts: string[] = [];
    let past: Level | undefined;
    let idle: Level | undefined;
    let missing: string | undefined;
    for (const [i, step] of layout.entries()) {
      const level = tryStep(step.from, step.span, step.side, step.kind === "past" ? PAST : step.kind === "inside" ? INSIDE : OTHER_SIDE, step.kind);
      const what = stepText(step.kind, step.side, forText, a.direction, a.minTraffic);
      if (level && i === 1) past = level;
      if (level && step.kind === "idle") idle = level;
      if (level) parts.push(what);
      else if (i < 2) {
        missing = what;
        break;
      } else if (step.kind === "past" || step.kind === "idle") fail(`found no inputs for which ${what} (its edge may lie past what the value can reach)`);
      // A one-sided anomaly whose other edge lies past what the value can reach (below 0) fires
      // the same whatever its direction: no test of it is owed.
    }
    if (missing || !past) {
      reasons.push(`with the value around ${formatNumber(H)}, none for which ${missing} that Prometheus 2.x and 3.x decide alike`);
      continue;
    }
    const scenario: Scenario = { name: `anomaly ${a.alertName}: ${baselineText} of history, then ${parts.join(", ")}`, segments: levels.history(chosen)!, checks };
    band = { levels, past, ...(idle ? { idle } : {}), scenario, checks: expectations(scenario)! };
    break;
  }
  if (!band) throw new UnsupportedSynthesis(`found no inputs for its band test (${reasons.join("; ")})`);
  const tests: PlannedTest[] = [plan(band.scenario, band.checks)];
  const stepChecks = silentChecks(S2, firingSpan);

  // The same step one season earlier: the seasonal band expects it.
  if (a.seasonal) {
    const step: Step = { from: S2, to: S2 + firingSpan, level: band.past };
    const segments = band.levels.history([step], 1, { ...step, from: S2 - P, to: S2 - P + firingSpan })!;
    const scenario: Scenario = { name: `anomaly ${a.alertName}: ${sideText(watched)} that also happened ${baselineText} earlier is expected, stays silent`, segments, checks: stepChecks };
    const checks = expectations(scenario);
    if (checks) tests.push(plan(scenario, checks));
    else fail(`the seasonal test (${sideText(watched)} that also happened ${baselineText} earlier) is not decided alike by Prometheus 2.x and 3.x`);
  }

  // minTraffic, pinned from both sides: the band test's history and one step, scaled (the
  // z-score does not change) until what the guard reads is just above minTraffic (it fires) and
  // just below it (silent, though it would fire unguarded). What it reads is the larger of the
  // value and the expected value: the value for a step above the band, the expected value for a
  // drop to below minTraffic. Each pair is kept only if a guard 10% off decides it otherwise.
  if (a.minTraffic !== undefined) {
    const m = a.minTraffic;
    const guarded: { level: Level; reads: "value" | "expected"; what: string }[] = [
      ...(watched === 1 ? [{ level: band.past, reads: "value" as const, what: sideText(1).replace(/^a /, "") }] : []),
      ...(band.idle ? [{ level: band.idle, reads: "expected" as const, what: "drop to below minTraffic" }] : []),
    ];
    for (const g of guarded) {
      const step = (f: number): Step | undefined => {
        const level = band!.levels.exactly(g.level.value * f);
        return level && { from: S2, to: S2 + firingSpan, level };
      };
      const unscaled = band.levels.history([step(1)!]);
      const read = unscaled && guardReading(unscaled, S2, S2 + firingSpan, g.reads);
      const pair = read === undefined ? [] : [1.05, 0.95].map((k) => {
        const f = (k * m) / read;
        const s = step(f);
        const segments = s && band!.levels.history([s], f);
        const reading = segments && guardReading(segments, S2, S2 + firingSpan, g.reads);
        if (!segments || reading === undefined) return undefined;
        const fires = k > 1;
        const side = fires ? "above" : "below";
        const whose = g.reads === "value" ? `the value is just ${side} minTraffic ${formatNumber(m)} (${formatNumber(Number(reading.toPrecision(4)))}) and the expected value below it` : `the expected value is just ${side} minTraffic ${formatNumber(m)} (${formatNumber(Number(reading.toPrecision(4)))})`;
        const scenario: Scenario = {
          name: `anomaly ${a.alertName}: the band test's history and ${g.what}, scaled so that ${whose}, ${fires ? `fire ${forText}` : "stay silent"}`,
          segments,
          checks: fires ? firingChecks(S2) : stepChecks,
        };
        const checks = expectations(scenario);
        // A guard 10% further from the reading decides the last check otherwise; below, the
        // scenario fires unguarded (the test shows the guard, not a narrow band).
        const pinned = fires ? !firesWith(scenario, m * 1.1, "either") : firesWith(scenario, undefined, "both") && firesWith(scenario, m * 0.9, "both");
        return checks && pinned ? plan(scenario, checks) : undefined;
      });
      if (pair.length === 2 && pair.every((t) => t !== undefined)) tests.push(...(pair as PlannedTest[]));
      else fail(`found no inputs that put the ${g.reads === "value" ? "value" : "expected value"} either side of minTraffic ${formatNumber(m)} in its ${g.what} test`);
    }
  }
  return tests;

  /** Whether the scenario's last evaluation fires in both range modes (or in either) with the guard at `minTraffic` (none: unguarded). */
  function firesWith(scenario: Scenario, minTraffic: number | undefined, modes: "both" | "either"): boolean {
    try {
      const { closed, open } = simulate(scenario.segments, minTraffic ?? null);
      const i = scenario.segments.at(-1)!.endMs / E;
      return modes === "both" ? closed[i]!.firing && open[i]!.firing : closed[i]!.firing || open[i]!.firing;
    } catch (err) {
      if (err instanceof Unsupported) return modes === "either";
      throw err;
    }
  }

  /**
   * What the guard reads over a step's evaluations (the value, or the expected value), when it
   * is the same at all of them within 1% and exists in both range modes: its least.
   */
  function guardReading(segments: readonly Segment[], from: number, to: number, reads: "value" | "expected"): number | undefined {
    try {
      const { closed, open } = simulate(segments);
      const xs: number[] = [];
      for (let i = from / E + 1; i <= to / E; i++) {
        for (const x of [closed[i]!, open[i]!]) {
          const v = reads === "value" ? x.value?.value : x.expected;
          if (v === undefined || !Number.isFinite(v) || v <= 0) return undefined;
          xs.push(v);
        }
      }
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      return hi <= 1.01 * lo ? lo : undefined;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  }
}

/** A level held on (from, to], the base level before it. */
interface Step {
  from: number;
  to: number;
  level: Level;
}

const other = (side: Side): Side => (side === 1 ? -1 : 1);

interface BandLevels {
  /** The level `mult` band half-widths past (or short of) the expected value on `side`, as the history estimates the band. */
  step(side: Side, mult: number): Level | undefined;
  /** The level nearest `target` (scaled by a power of two, it stays exact). */
  exactly(target: number): Level | undefined;
  /**
   * The history, then the steps at the base level in between: high until `highEnd`, lower
   * until the baseline, then the base (the expected value). `lastSeason`: a step copied into
   * the high stretch.
   */
  history(steps: readonly Step[], f?: number, lastSeason?: Step): Segment[] | undefined;
}

/**
 * The levels of a test at value H: high H for the share q of the baseline, then (1 - ρ)·H; the
 * band is then centred on H (seasonal: the same time one baseline ago was high) or on the
 * mean, and ρ keeps its lower edge above 0 (ρ ≤ 1 / (1 + sensitivity)).
 */
function bandLevels(a: AnomalyModel, H: number, q: number, levelNear: (target: number) => Level | undefined): BandLevels {
  const rho = Math.min(0.5, 1 / (1 + a.sensitivity));
  const hi = H;
  const lo = H * (1 - rho);
  const mean = q * hi + (1 - q) * lo;
  const centre = a.seasonal ? hi : mean;
  const sd = (hi - lo) * Math.sqrt(q * (1 - q));
  const at = (target: number, f = 1) => (a.kind === "rate" && target < 0 ? undefined : levelNear(exactNear(target * f)));
  const highEnd = q * a.baselineMs;
  return {
    step: (side, mult) => at(centre + side * mult * a.sensitivity * sd),
    exactly: (target) => at(target),
    history(steps, f = 1, lastSeason) {
      const [h, l, base] = [at(hi, f), at(lo, f), at(centre, f)];
      if (!h || !l || !base) return undefined;
      const high: Segment[] = lastSeason
        ? [{ level: h, endMs: lastSeason.from }, { level: lastSeason.level, endMs: lastSeason.to }, { level: h, endMs: highEnd }]
        : [{ level: h, endMs: highEnd }];
      return [...high, { level: l, endMs: a.baselineMs }, ...steps.flatMap((s) => [{ level: base, endMs: s.from }, { level: s.level, endMs: s.to }])];
    },
  };
}

/** The number with 13 significant bits nearest x: exact in every engine's arithmetic, and close enough to aim a z-score. */
function exactNear(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const quantum = 2 ** (Math.floor(Math.log2(Math.abs(x))) - 12);
  return Math.round(x / quantum) * quantum;
}

/** Inputs whose watched value is within 2% of `target` (exactly it, where a signal is watched). */
function findLevel(target: number, variants: readonly Variant[], steady: (params: readonly Param[]) => Sample | undefined): Level | undefined {
  const numbers = [target, dyadic(target)].filter((x) => Number.isFinite(x));
  const domains = variants.map((v) => {
    // Thresholds either side of the target put a histogram's quantile on it (they are aimed at ±2%).
    const t = Math.abs(target) || 1;
    const d = domain(v, [t, t / 1.02, t / 0.98]);
    const own = v.signal.type === "counter" || v.signal.type === "gauge" ? numbers : [];
    return { coarse: [...own, ...d.coarse.filter((p) => p !== undefined)], fine: [...own, ...d.fine.filter((p) => p !== undefined)] };
  });
  const objective = (params: readonly Param[]): Judgement => {
    const s = steady(params);
    if (!s) return { feasible: false, score: 1e6 };
    const close = target === 0 ? s.value === 0 : Math.abs(s.value - target) <= 0.02 * Math.abs(target);
    return { feasible: close, score: logDistance(s.value, target) + (isExactFloat(s.value) ? 0 : 0.001) };
  };
  const params = search(domains, objective);
  const s = params && steady(params);
  return params && s ? { params, value: s.value } : undefined;
}

/** The anomaly's rules evaluation by evaluation (every E from 0), from the recorded value, in one range mode. */
function evaluations(a: AnomalyModel, values: readonly (Sample | undefined)[], mode: "closed" | "open", minTraffic: number | undefined, E: number): Evaluation[] {
  /** The recorded values in [from, to] (closed) or (from, to] (open): samples lie on the evaluation grid. */
  const over = (from: number, to: number): number[] => {
    const out: number[] = [];
    const first = Math.max(0, mode === "closed" ? Math.ceil(from / E) : Math.floor(from / E) + 1);
    for (let j = first; j * E <= to && j < values.length; j++) if (values[j] !== undefined) out.push(values[j]!.value);
    return out;
  };
  const avg = (xs: readonly number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const out: Evaluation[] = [];
  let activeSince: number | undefined;
  values.forEach((value, i) => {
    const t = i * E;
    const window = over(t - a.baselineMs, t);
    const season = over(t - a.baselineMs - SEASON_WINDOW_MS / 2, t - a.baselineMs + SEASON_WINDOW_MS / 2);
    let active = false;
    let tie = false;
    let band: { expected: number; sd: number; z: number } | undefined;
    if (value !== undefined && window.length > 0 && season.length > 0) {
      const mean = avg(window);
      const sd = Math.sqrt(avg(window.map((x) => (x - mean) ** 2)));
      const expected = a.seasonal ? avg(season) : mean;
      const v = value.value;
      const upper = expected + a.sensitivity * sd;
      const lower = expected - a.sensitivity * sd;
      band = { expected, sd, z: (v - expected) / sd };
      const near = (x: number, y: number) => Math.abs(x - y) <= TIE * Math.max(Math.abs(x), Math.abs(y), 1e-300);
      const above = a.direction !== "below" && v > upper;
      const below = a.direction !== "above" && v < lower;
      if ((a.direction !== "below" && near(v, upper)) || (a.direction !== "above" && near(v, lower))) tie = true;
      const busy = minTraffic === undefined || v >= minTraffic || expected >= minTraffic;
      if (minTraffic !== undefined && (near(v, minTraffic) || near(expected, minTraffic))) tie = true;
      active = (above || below) && busy;
    }
    if (!active) activeSince = undefined;
    else activeSince ??= t;
    out.push({ ...(value ? { value } : {}), ...band, active, firing: active && t - activeSince! >= a.forMs, tie });
  });
  return out;
}
