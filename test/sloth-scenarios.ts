/**
 * The scenario machinery of the Sloth detection tests (test/sloth-detection.test.ts, written
 * from hand-made specs, and test/import-sloth.test.ts, from `vigil import sloth`): synthetic
 * counters for each SLO — 6h of steady healthy traffic, then a scenario — written as promtool
 * tests whose every minute expects no alert, so promtool's failures ("got:") say which alerts
 * fired when; the first minute a tier fires is its detection time.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { minutesOf, runPromtool, seriesValues } from "./promtool-runs.js";

/** promtool's evaluation interval, and the series' scrape interval. */
export const EVAL_MIN = 1;
/** Healthy traffic before every scenario: fills the 6h page window. */
export const HISTORY_MIN = 360;
/** Minutes watched after the scenario starts. */
export const WATCH_MIN = 60;
/** Steady traffic (events/s). */
export const RPS = 10;
/** A bound per promtool run (about 10-20 s each on an idle 2-core machine, minutes when five engineers share it). */
export const PROMTOOL_TIMEOUT_MS = 240_000;

export function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what}: expected a mapping`);
  return v as Record<string, unknown>;
}
export function text(v: unknown, what: string): string {
  if (typeof v !== "string") throw new Error(`${what}: expected a string`);
  return v;
}

/** Which events a synthetic counter counts: good ones, bad ones, or all. */
export type Counts = "good" | "bad" | "all";
/**
 * A synthetic counter, or one of `of` gauges (clients of Sloth's home-wifi examples): each minute
 * the first round(ratio × of) of them are at `bad`, the rest at `good`, so the share of gauges at
 * `bad` is the scenario's error ratio (exactly: it must be a multiple of 1/of).
 */
export type DrivenSeries = { series: string; counts: Counts } | { series: string; gauge: { index: number; of: number; good: number; bad: number } };

/** The counters behind the two SLOs of Sloth's kubernetes-apiserver.yml example (availability, latency at 0.4s). */
export const APISERVER_DRIVE: Record<string, DrivenSeries[]> = {
  "requests-availability": [
    { series: 'apiserver_request_total{code="200", verb="GET"}', counts: "good" },
    { series: 'apiserver_request_total{code="503", verb="GET"}', counts: "bad" },
  ],
  "requests-latency": [
    { series: 'apiserver_request_duration_seconds_count{verb="GET"}', counts: "all" },
    { series: 'apiserver_request_duration_seconds_bucket{le="0.4", verb="GET"}', counts: "good" },
    { series: 'apiserver_request_duration_seconds_bucket{le="+Inf", verb="GET"}', counts: "all" },
  ],
};

export interface Phase {
  minutes: number;
  /** Events per second. */
  rps: number;
  /** Share of bad events; a multiple of the SLO's budget when `budgets` is set. */
  errorRatio?: number;
  budgets?: number;
}
export interface Scenario {
  name: string;
  history: Phase;
  /** After the history; when they end before WATCH_MIN, the series stop (no data). */
  phases: Phase[];
  /** Asserted against Sloth (detection time) or on its own (Vigil's advantages). */
  kind: "race" | "below-min-traffic" | "no-data";
}

export const healthy = (minutes: number, rps = RPS): Phase => ({ minutes, rps, errorRatio: 0 });

/** The scenarios, the low-traffic ones around `minTraffic` (events/s). */
export function scenarios(minTraffic: number): Scenario[] {
  return [
    { name: "outage (100% errors)", kind: "race", history: healthy(HISTORY_MIN), phases: [{ minutes: WATCH_MIN, rps: RPS, errorRatio: 1 }] },
    { name: "burn 20x budget (2% at 99.9%)", kind: "race", history: healthy(HISTORY_MIN), phases: [{ minutes: WATCH_MIN, rps: RPS, budgets: 20 }] },
    {
      name: "5m spike of 100% errors",
      kind: "race",
      history: healthy(HISTORY_MIN),
      phases: [{ minutes: 5, rps: RPS, errorRatio: 1 }, healthy(WATCH_MIN - 5)],
    },
    {
      name: `outage at ${minTraffic / 2}/s (< minTraffic)`,
      kind: "below-min-traffic",
      history: healthy(HISTORY_MIN, minTraffic / 2),
      phases: [{ minutes: WATCH_MIN, rps: minTraffic / 2, errorRatio: 1 }],
    },
    {
      name: "idle, 1 failed request / 5m",
      kind: "below-min-traffic",
      history: healthy(HISTORY_MIN, 0),
      phases: [{ minutes: WATCH_MIN, rps: 1 / 300, errorRatio: 1 }],
    },
    { name: "series disappear (no data)", kind: "no-data", history: healthy(HISTORY_MIN), phases: [] },
  ];
}

/** The error ratio of each minute of the scenario. */
function ratios(scenario: Scenario, budget: number): number[] {
  const out: number[] = [];
  for (const p of [scenario.history, ...scenario.phases]) {
    const ratio = p.budgets !== undefined ? p.budgets * budget : (p.errorRatio ?? 0);
    if (ratio > 1 + 1e-12) throw new Error(`${scenario.name}: error ratio ${ratio} > 1`);
    for (let i = 0; i < p.minutes; i++) out.push(Math.min(ratio, 1));
  }
  return out;
}

/**
 * One gauge's samples over the scenario, in promtool's notation: the sample at minute k + 1 is
 * minute k's state (as a counter's increment of minute k is in its sample k + 1), the first is
 * minute 0's.
 */
export function gaugeValues(scenario: Scenario, g: { index: number; of: number; good: number; bad: number }, budget: number): string {
  const minutes = ratios(scenario, budget);
  const samples = [minutes[0] ?? 0, ...minutes].map((ratio) => {
    const bad = ratio * g.of;
    if (Math.abs(bad - Math.round(bad)) > 1e-9) throw new Error(`${scenario.name}: error ratio ${ratio} is not a multiple of 1/${g.of}`);
    return g.index < Math.round(bad) ? g.bad : g.good;
  });
  const parts: string[] = [];
  for (let i = 0; i < samples.length; ) {
    let j = i;
    while (j < samples.length && samples[j] === samples[i]) j++;
    parts.push(j - i === 1 ? `${samples[i]}` : `${samples[i]}x${j - i - 1}`);
    i = j;
  }
  return parts.join(" ");
}

/** Per-minute increments of one counter over the whole scenario. */
export function increments(scenario: Scenario, counts: Counts, budget: number): number[] {
  const out: number[] = [];
  for (const p of [scenario.history, ...scenario.phases]) {
    const ratio = p.budgets !== undefined ? p.budgets * budget : (p.errorRatio ?? 0);
    if (ratio > 1) throw new Error(`${scenario.name}: error ratio ${ratio} > 1`);
    const all = p.rps * 60 * EVAL_MIN;
    const inc = counts === "all" ? all : counts === "bad" ? all * ratio : all * (1 - ratio);
    for (let i = 0; i < p.minutes; i++) out.push(inc);
  }
  return out;
}

export interface Firing {
  group: string;
  alertname: string;
  minute: number;
  labels: Record<string, string>;
}

function parseLabels(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The alerts promtool reports under "got:" for every failed (= not silent) minute. */
export function parseFirings(output: string): Firing[] {
  const firings: Firing[] = [];
  const blocks = output.split(/\n\s*name: /).slice(1);
  for (const block of blocks) {
    const head = /^(.*?),\s*\n\s*alertname: (\S+), time: (\S+),/.exec(block);
    if (!head) throw new Error(`unexpected promtool output:\n${block.slice(0, 400)}`);
    const got = block.slice(block.indexOf("got:"));
    for (const m of got.matchAll(/Labels:\{([^}]*)\}/g)) {
      firings.push({ group: head[1]!, alertname: head[2]!, minute: minutesOf(head[3]!), labels: parseLabels(m[1]!) });
    }
  }
  return firings;
}

export type Tool = "sloth" | "vigil";
export type Tier = "page" | "ticket" | "no-data";

export interface ToolRun {
  tool: Tool;
  rulesFile: string;
  /** Alert names to watch. */
  alertnames: string[];
  /** Which SLO and tier a firing alert is; undefined for alerts of no SLO tier. */
  classify: (f: Firing) => { slo: string; tier: Tier } | undefined;
}

/** Sloth's alerts: its `sloth_slo` and `sloth_severity` labels say the SLO and tier. */
export function slothClassify(f: Firing): { slo: string; tier: Tier } | undefined {
  const tier = f.labels.sloth_severity;
  const slo = f.labels.sloth_slo;
  return slo && (tier === "page" || tier === "ticket") ? { slo, tier } : undefined;
}

/** Vigil's alerts: `slo` and `tier` labels; the no-data alerts by name (alert name → SLO). */
export function vigilClassify(noDataNames: ReadonlyMap<string, string>): (f: Firing) => { slo: string; tier: Tier } | undefined {
  return (f) => {
    const noData = noDataNames.get(f.alertname);
    if (noData) return { slo: noData, tier: "no-data" };
    const tier = f.labels.tier;
    const slo = f.labels.slo;
    return slo && (tier === "page" || tier === "ticket") ? { slo, tier } : undefined;
  };
}

export function ruleGroupNames(file: string): string[] {
  const groups = record(parseYaml(readFileSync(file, "utf8")), file).groups;
  if (!Array.isArray(groups)) throw new Error(`${file}: no groups`);
  return groups.map((g: unknown, i) => text(record(g, `${file} groups[${i}]`).name, `${file} groups[${i}].name`));
}

/** The promtool test file of one tool: one group per scenario, an empty expectation every minute. */
export function testFile(run: ToolRun, slos: readonly { name: string; objective: number }[], drive: Record<string, DrivenSeries[]>, all: readonly Scenario[]): string {
  const groups = all.map((scenario) => {
    const input_series = slos.flatMap((slo) => {
      const budget = 1 - slo.objective / 100;
      const driven = drive[slo.name];
      if (!driven) throw new Error(`no input series for SLO ${slo.name}`);
      return driven.map((d) => ({ series: d.series, values: "gauge" in d ? gaugeValues(scenario, d.gauge, budget) : seriesValues(increments(scenario, d.counts, budget)) }));
    });
    const alert_rule_test = [];
    for (let m = HISTORY_MIN; m <= HISTORY_MIN + WATCH_MIN; m += EVAL_MIN) {
      for (const alertname of run.alertnames) alert_rule_test.push({ eval_time: `${m}m`, alertname, exp_alerts: [] });
    }
    return { name: scenario.name, interval: `${EVAL_MIN}m`, input_series, alert_rule_test };
  });
  // Without an order promtool evaluates the groups of one instant in map order, so an alert
  // group may read this minute's recordings or the last minute's at random; file order (the
  // recordings first, as both tools write them) makes the race deterministic. A real
  // Prometheus runs groups at independent phases: the "+ one evaluation interval" allowance.
  const group_eval_order = ruleGroupNames(run.rulesFile);
  return JSON.stringify({ rule_files: [run.rulesFile], evaluation_interval: `${EVAL_MIN}m`, group_eval_order, tests: groups }, null, 1);
}

export const detectionKey = (tool: Tool, scenario: string, file: string, slo: string, tier: Tier) => `${tool}|${scenario}|${file}|${slo}|${tier}`;

/**
 * Runs every test file with promtool, two at a time (one per core): the first minute after the
 * scenario started at which each (tool, scenario, case, SLO, tier) fired, and the firings at the
 * scenario's first minute (after healthy history: there must be none).
 */
export async function detect(runs: readonly { file: string; run: ToolRun; testPath: string }[]): Promise<{ detection: Map<string, number>; early: string[] }> {
  const detection = new Map<string, number>();
  const early: string[] = [];
  const queue = [...runs];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { file, run, testPath } = next;
      const { code, output } = await runPromtool(testPath, PROMTOOL_TIMEOUT_MS);
      if (code !== 0 && !output.includes("FAILED:")) throw new Error(`promtool test rules ${testPath} exited ${code}:\n${output.slice(0, 2000)}`);
      for (const f of parseFirings(output)) {
        const what = run.classify(f);
        if (!what) throw new Error(`${run.tool}: unexpected alert ${JSON.stringify(f)}`);
        const rel = f.minute - HISTORY_MIN;
        if (rel === 0) early.push(`${run.tool} ${f.group} ${what.slo} ${what.tier}`);
        const k = detectionKey(run.tool, f.group, file, what.slo, what.tier);
        if (!detection.has(k) || detection.get(k)! > rel) detection.set(k, rel);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return { detection, early };
}

/** The table: scenario × case SLO × tool, minute of first page / ticket / no-data (— = not within WATCH_MIN). */
export function detectionTable(detection: ReadonlyMap<string, number>, all: readonly Scenario[], cases: readonly { file: string; slos: readonly string[] }[]): string {
  const cell = (v: number | undefined) => (v === undefined ? "—" : `${v}`);
  const lines = [
    `Detection (minutes after the scenario starts; promtool, ${EVAL_MIN}m evaluation, ${HISTORY_MIN / 60}h healthy history, ${RPS}/s, watched ${WATCH_MIN}m)`,
    `${"scenario".padEnd(34)} ${"SLO".padEnd(52)} ${"tool".padEnd(6)} ${"page".padStart(5)} ${"ticket".padStart(7)} ${"no-data".padStart(8)}`,
  ];
  for (const s of all) {
    for (const c of cases) {
      for (const slo of c.slos) {
        for (const tool of ["sloth", "vigil"] as const) {
          const get = (tier: Tier) => detection.get(detectionKey(tool, s.name, c.file, slo, tier));
          lines.push(
            `${s.name.padEnd(34)} ${`${c.file} ${slo}`.padEnd(52)} ${tool.padEnd(6)} ${cell(get("page")).padStart(5)} ${cell(get("ticket")).padStart(7)} ${(tool === "sloth" ? "n/a" : cell(get("no-data"))).padStart(8)}`,
          );
        }
      }
    }
  }
  return lines.join("\n");
}
