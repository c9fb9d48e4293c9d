/**
 * Detection time against Sloth (issue 13, item 8), judged by the real promtool.
 *
 * From the shared Sloth corpus, each SLO of a spec (`<corpus>/<name>.yml`) is rebuilt as a
 * Vigil spec — same service, objective, 30d window and SLI queries (`{{.window}}` becomes
 * `{{window}}`), same alert name — and compiled. Sloth's own generated rules
 * (`<corpus>/_gen/<name>.yml`) and Vigil's rules then run under `promtool test rules` on the
 * same synthetic counters: 6h of steady healthy traffic, then a scenario. Every minute of the
 * scenario is an `alert_rule_test` that expects no alert, so promtool's failures ("got:") say
 * which alerts were firing at that minute; the first minute a tier fires is its detection time.
 *
 * Asserted: on the outage, the 20×-budget burn (a 2% error ratio on a 99.9% SLO) and the 5-minute
 * spike, Vigil's page and ticket fire no later than Sloth's + one evaluation interval wherever
 * Sloth's fire. Vigil keeps what Sloth lacks: below `minTraffic` (a low-traffic outage, an idle
 * service with a lone failed request) it does not page where Sloth does, and when the SLI's
 * series disappear its no-data alert fires.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec, SignalSpec, SloSpec } from "../src/spec/types.js";
import { REPO, serviceRulesText } from "./helpers.js";
import { minutesOf, runPromtool, seriesValues } from "./promtool-runs.js";

/** Sloth's own examples and generated rules (a copy of the shared peer corpus, see its README). */
const CORPUS = join(REPO, "test/fixtures/sloth");
/** promtool's evaluation interval, and the series' scrape interval. */
const EVAL_MIN = 1;
/** Healthy traffic before every scenario: fills the 6h page window. */
const HISTORY_MIN = 360;
/** Minutes watched after the scenario starts. */
const WATCH_MIN = 60;
/** Steady traffic (events/s), ten times Vigil's minTraffic. */
const RPS = 10;
const MIN_TRAFFIC = 1;
/** A bound per promtool run (about 10-20 s each on an idle 2-core machine). */
const PROMTOOL_TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------------------------------------
// The corpus: Sloth specs (ratio SLIs with error/total queries) and how to drive their series.

interface SlothSlo {
  name: string;
  objective: number;
  errorQuery: string;
  totalQuery: string;
  alertName: string;
}
interface SlothSpec {
  service: string;
  slos: SlothSlo[];
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what}: expected a mapping`);
  return v as Record<string, unknown>;
}
function text(v: unknown, what: string): string {
  if (typeof v !== "string") throw new Error(`${what}: expected a string`);
  return v;
}

function readSlothSpec(file: string): SlothSpec {
  const doc = record(parseYaml(readFileSync(join(CORPUS, file), "utf8")), file);
  if (doc.version !== "prometheus/v1") throw new Error(`${file}: not a Sloth prometheus/v1 spec`);
  const slos = doc.slos;
  if (!Array.isArray(slos)) throw new Error(`${file}: no slos`);
  return {
    service: text(doc.service, `${file} service`),
    slos: slos.map((raw: unknown, i): SlothSlo => {
      const slo = record(raw, `${file} slos[${i}]`);
      const events = record(record(slo.sli, `${file} slos[${i}].sli`).events, `${file} slos[${i}].sli.events (a ratio SLI)`);
      const objective = slo.objective;
      if (typeof objective !== "number") throw new Error(`${file} slos[${i}].objective: expected a number`);
      return {
        name: text(slo.name, `${file} slos[${i}].name`),
        objective,
        errorQuery: text(events.error_query, `${file} slos[${i}] error_query`),
        totalQuery: text(events.total_query, `${file} slos[${i}] total_query`),
        alertName: text(record(slo.alerting, `${file} slos[${i}].alerting`).name, `${file} slos[${i}].alerting.name`),
      };
    }),
  };
}

/** Which events a synthetic counter counts: good ones, bad ones, or all. */
type Counts = "good" | "bad" | "all";
interface DrivenSeries {
  series: string;
  counts: Counts;
}

/**
 * The counters behind each corpus SLO's queries. That they are the right ones is checked by
 * the outage scenario, where Sloth's own rules must page on every SLO.
 */
const CASES: { file: string; drive: Record<string, DrivenSeries[]> }[] = [
  {
    file: "getting-started.yml",
    drive: {
      "requests-availability": [
        { series: 'http_request_duration_seconds_count{job="myservice", code="200"}', counts: "good" },
        { series: 'http_request_duration_seconds_count{job="myservice", code="500"}', counts: "bad" },
      ],
    },
  },
  {
    file: "kubernetes-apiserver.yml",
    drive: {
      "requests-availability": [
        { series: 'apiserver_request_total{code="200", verb="GET"}', counts: "good" },
        { series: 'apiserver_request_total{code="503", verb="GET"}', counts: "bad" },
      ],
      "requests-latency": [
        { series: 'apiserver_request_duration_seconds_count{verb="GET"}', counts: "all" },
        { series: 'apiserver_request_duration_seconds_bucket{le="0.4", verb="GET"}', counts: "good" },
        { series: 'apiserver_request_duration_seconds_bucket{le="+Inf", verb="GET"}', counts: "all" },
      ],
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The equivalent Vigil spec.

const METRIC_REF = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
const HISTOGRAM_PART = /_(bucket|count|sum)$/;

/** Signals for the metrics the queries read: `_bucket/_count/_sum` of a histogram, else a counter. */
function signalsOf(queries: readonly string[]): SignalSpec[] {
  const found = new Map<string, { histogram: boolean; labels: Set<string>; buckets: Set<number> }>();
  for (const q of queries) {
    for (const m of q.matchAll(METRIC_REF)) {
      const metric = m[1]!;
      const histogram = HISTOGRAM_PART.test(metric);
      const name = metric.replace(HISTOGRAM_PART, "");
      const entry = found.get(name) ?? { histogram, labels: new Set<string>(), buckets: new Set<number>() };
      for (const [, label, value] of m[2]!.matchAll(MATCHER)) {
        if (label === "le") entry.buckets.add(Number(value));
        else if (label !== "job" && label !== "instance") entry.labels.add(label!);
      }
      found.set(name, entry);
    }
  }
  return [...found].map(([name, e]): SignalSpec => {
    const signal: SignalSpec = { name, type: e.histogram ? "histogram" : "counter", help: `${name} (from the Sloth corpus)` };
    if (e.labels.size) signal.labels = [...e.labels].sort();
    if (e.histogram && e.buckets.size) signal.buckets = [...e.buckets].sort((a, b) => a - b);
    return signal;
  });
}

const vigilQuery = (sloth: string) => sloth.trim().replace(/\{\{\s*\.window\s*\}\}/g, "{{window}}");

function vigilSpec(sloth: SlothSpec): MonitoringSpec {
  const team = "sloth-corpus";
  const slos = sloth.slos.map(
    (s): SloSpec => ({
      name: s.name,
      objective: s.objective,
      window: "30d",
      sli: { kind: "ratio", bad: vigilQuery(s.errorQuery), total: vigilQuery(s.totalQuery) },
      alerting: { name: s.alertName, minTraffic: MIN_TRAFFIC },
    }),
  );
  return {
    prometheus: { scrapeInterval: `${EVAL_MIN}m`, evaluationInterval: `${EVAL_MIN}m` },
    service: { name: sloth.service, team, runbookBaseUrl: `https://runbooks.example.com/${sloth.service}` },
    teams: [{ name: team, receivers: [{ name: "slack", kind: "slack", channel: "#alerts", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
    alertmanager: { catchAll: { team, receiver: "slack" } },
    signals: signalsOf(sloth.slos.flatMap((s) => [s.errorQuery, s.totalQuery])),
    slos,
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios: phases of traffic after the healthy history.

interface Phase {
  minutes: number;
  /** Events per second. */
  rps: number;
  /** Share of bad events; a multiple of the SLO's budget when `budgets` is set. */
  errorRatio?: number;
  budgets?: number;
}
interface Scenario {
  name: string;
  history: Phase;
  /** After the history; when they end before WATCH_MIN, the series stop (no data). */
  phases: Phase[];
  /** Asserted against Sloth (detection time) or on its own (Vigil's advantages). */
  kind: "race" | "below-min-traffic" | "no-data";
}

const healthy = (minutes: number, rps = RPS): Phase => ({ minutes, rps, errorRatio: 0 });
const SCENARIOS: Scenario[] = [
  { name: "outage (100% errors)", kind: "race", history: healthy(HISTORY_MIN), phases: [{ minutes: WATCH_MIN, rps: RPS, errorRatio: 1 }] },
  { name: "burn 20x budget (2% at 99.9%)", kind: "race", history: healthy(HISTORY_MIN), phases: [{ minutes: WATCH_MIN, rps: RPS, budgets: 20 }] },
  {
    name: "5m spike of 100% errors",
    kind: "race",
    history: healthy(HISTORY_MIN),
    phases: [{ minutes: 5, rps: RPS, errorRatio: 1 }, healthy(WATCH_MIN - 5)],
  },
  {
    name: `outage at ${MIN_TRAFFIC / 2}/s (< minTraffic)`,
    kind: "below-min-traffic",
    history: healthy(HISTORY_MIN, MIN_TRAFFIC / 2),
    phases: [{ minutes: WATCH_MIN, rps: MIN_TRAFFIC / 2, errorRatio: 1 }],
  },
  {
    name: "idle, 1 failed request / 5m",
    kind: "below-min-traffic",
    history: healthy(HISTORY_MIN, 0),
    phases: [{ minutes: WATCH_MIN, rps: 1 / 300, errorRatio: 1 }],
  },
  { name: "series disappear (no data)", kind: "no-data", history: healthy(HISTORY_MIN), phases: [] },
];

/** Per-minute increments of one counter over the whole scenario. */
function increments(scenario: Scenario, counts: Counts, budget: number): number[] {
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

// ---------------------------------------------------------------------------------------------
// promtool: one test file per tool, one group per scenario, an empty expectation every minute.

interface Firing {
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
function parseFirings(output: string): Firing[] {
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

type Tool = "sloth" | "vigil";
type Tier = "page" | "ticket" | "no-data";

interface ToolRun {
  tool: Tool;
  rulesFile: string;
  /** Alert names to watch. */
  alertnames: string[];
  /** Which SLO and tier a firing alert is; undefined for alerts of no SLO tier. */
  classify: (f: Firing) => { slo: string; tier: Tier } | undefined;
}

function testFile(run: ToolRun, sloth: SlothSpec, drive: Record<string, DrivenSeries[]>): string {
  const groups = SCENARIOS.map((scenario) => {
    const input_series = sloth.slos.flatMap((slo) => {
      const budget = 1 - slo.objective / 100;
      const driven = drive[slo.name];
      if (!driven) throw new Error(`no input series for SLO ${slo.name}`);
      return driven.map((d) => ({ series: d.series, values: seriesValues(increments(scenario, d.counts, budget)) }));
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

function ruleGroupNames(file: string): string[] {
  const groups = record(parseYaml(readFileSync(file, "utf8")), file).groups;
  if (!Array.isArray(groups)) throw new Error(`${file}: no groups`);
  return groups.map((g: unknown, i) => text(record(g, `${file} groups[${i}]`).name, `${file} groups[${i}].name`));
}

// ---------------------------------------------------------------------------------------------

/** First minute after the scenario started at which each (tool, scenario, SLO, tier) fired. */
type Detection = Map<string, number>;
const key = (tool: Tool, scenario: string, file: string, slo: string, tier: Tier) => `${tool}|${scenario}|${file}|${slo}|${tier}`;

const work = mkdtempSync(join(tmpdir(), "vigil-sloth-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const detection: Detection = new Map();
/** Firings at the minute the scenario starts (after healthy history): must be none. */
const early: string[] = [];

beforeAll(async () => {
  const runs: { file: string; run: ToolRun; testPath: string }[] = [];
  for (const c of CASES) {
    const sloth = readSlothSpec(c.file);
    const slothRules = join(CORPUS, "_gen", c.file);
    const generated = readFileSync(slothRules, "utf8");
    for (const slo of sloth.slos) {
      // The generated file is this spec's: its 5m SLI is the spec's error query.
      expect(generated, `${c.file}: _gen holds SLO ${slo.name}`).toContain(`sloth_slo: ${slo.name}`);
      const longest = slo.errorQuery.replace(/\{\{\s*\.window\s*\}\}/g, "5m").split("\n").map((l) => l.trim()).sort((a, b) => b.length - a.length)[0]!;
      expect(generated, `${c.file}: _gen has SLO ${slo.name}'s 5m error query`).toContain(longest);
    }

    const dir = mkdtempSync(join(work, `${c.file.replace(/\W/g, "_")}-`));
    const specPath = join(dir, "monitoring.json");
    writeFileSync(specPath, JSON.stringify(vigilSpec(sloth), null, 2));
    const result = await compile([specPath], { typecheck: false });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.code} ${d.message}`), `${c.file}: the Vigil spec compiles`).toEqual([]);
    const rules = serviceRulesText(result.files, sloth.service);
    if (!rules) throw new Error(`${c.file}: no rule file among ${result.files.map((f) => f.path).join(", ")}`);
    const vigilRules = join(dir, "vigil.rules.yml");
    writeFileSync(vigilRules, rules);
    const noDataNames = new Map(result.model!.services.flatMap((s) => s.slos.flatMap((slo) => (slo.noData ? [[slo.noData.alertName, slo.name] as const] : []))));

    const slothRun: ToolRun = {
      tool: "sloth",
      rulesFile: slothRules,
      alertnames: [...new Set(sloth.slos.map((s) => s.alertName))],
      classify: (f) => {
        const tier = f.labels.sloth_severity;
        const slo = f.labels.sloth_slo;
        return slo && (tier === "page" || tier === "ticket") ? { slo, tier } : undefined;
      },
    };
    const vigilRun: ToolRun = {
      tool: "vigil",
      rulesFile: vigilRules,
      alertnames: [...new Set(sloth.slos.map((s) => s.alertName)), ...noDataNames.keys()],
      classify: (f) => {
        const noData = noDataNames.get(f.alertname);
        if (noData) return { slo: noData, tier: "no-data" };
        const tier = f.labels.tier;
        const slo = f.labels.slo;
        return slo && (tier === "page" || tier === "ticket") ? { slo, tier } : undefined;
      },
    };
    for (const run of [slothRun, vigilRun]) {
      const testPath = join(dir, `${run.tool}.test.json`);
      writeFileSync(testPath, testFile(run, sloth, c.drive));
      runs.push({ file: c.file, run, testPath });
    }
  }

  // Two promtool processes at a time (one per core).
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
        const k = key(run.tool, f.group, file, what.slo, what.tier);
        if (!detection.has(k) || detection.get(k)! > rel) detection.set(k, rel);
      }
    }
  };
  await Promise.all([worker(), worker()]);

  // The table: scenario × SLO × tool, minute of first page / ticket (— = not within WATCH_MIN).
  const cell = (v: number | undefined) => (v === undefined ? "—" : `${v}`);
  const lines = [
    `Detection (minutes after the scenario starts; promtool, ${EVAL_MIN}m evaluation, ${HISTORY_MIN / 60}h healthy history, ${RPS}/s, watched ${WATCH_MIN}m)`,
    `${"scenario".padEnd(34)} ${"SLO".padEnd(46)} ${"tool".padEnd(6)} ${"page".padStart(5)} ${"ticket".padStart(7)} ${"no-data".padStart(8)}`,
  ];
  for (const s of SCENARIOS) {
    for (const c of CASES) {
      for (const slo of Object.keys(c.drive)) {
        for (const tool of ["sloth", "vigil"] as const) {
          const get = (tier: Tier) => detection.get(key(tool, s.name, c.file, slo, tier));
          lines.push(
            `${s.name.padEnd(34)} ${`${c.file} ${slo}`.padEnd(46)} ${tool.padEnd(6)} ${cell(get("page")).padStart(5)} ${cell(get("ticket")).padStart(7)} ${(tool === "sloth" ? "n/a" : cell(get("no-data"))).padStart(8)}`,
          );
        }
      }
    }
  }
  console.log(lines.join("\n"));
}, 200_000);

describe("detection time against Sloth's generated rules (promtool)", () => {
  it("the corpus SLOs are driven: Sloth pages on every SLO in the outage, nothing fires after healthy history", () => {
    for (const c of CASES) {
      for (const slo of Object.keys(c.drive)) {
        expect(detection.get(key("sloth", SCENARIOS[0]!.name, c.file, slo, "page")), `${c.file} ${slo}`).toBeDefined();
      }
    }
    expect(early).toEqual([]);
  });

  for (const scenario of SCENARIOS.filter((s) => s.kind === "race")) {
    it(`${scenario.name}: Vigil pages and tickets no later than Sloth + ${EVAL_MIN}m`, () => {
      let raced = 0;
      for (const c of CASES) {
        for (const slo of Object.keys(c.drive)) {
          for (const tier of ["page", "ticket"] as const) {
            const sloth = detection.get(key("sloth", scenario.name, c.file, slo, tier));
            if (sloth === undefined) continue;
            raced++;
            const vigil = detection.get(key("vigil", scenario.name, c.file, slo, tier));
            expect(vigil, `${c.file} ${slo} ${tier}: Sloth at ${sloth}m, Vigil never within ${WATCH_MIN}m`).toBeDefined();
            expect(vigil!, `${c.file} ${slo} ${tier}: Sloth at ${sloth}m`).toBeLessThanOrEqual(sloth + EVAL_MIN);
          }
        }
      }
      expect(raced, "Sloth fires somewhere in this scenario").toBeGreaterThan(0);
    });
  }

  for (const scenario of SCENARIOS.filter((s) => s.kind === "below-min-traffic")) {
    it(`${scenario.name}: Vigil does not page (Sloth does)`, () => {
      for (const c of CASES) {
        for (const slo of Object.keys(c.drive)) {
          expect(detection.get(key("sloth", scenario.name, c.file, slo, "page")), `${c.file} ${slo}: Sloth pages`).toBeDefined();
          expect(detection.get(key("vigil", scenario.name, c.file, slo, "page")), `${c.file} ${slo}: Vigil stays silent`).toBeUndefined();
        }
      }
    });
  }

  for (const scenario of SCENARIOS.filter((s) => s.kind === "no-data")) {
    it(`${scenario.name}: Vigil's no-data alert fires`, () => {
      for (const c of CASES) {
        for (const slo of Object.keys(c.drive)) {
          expect(detection.get(key("vigil", scenario.name, c.file, slo, "no-data")), `${c.file} ${slo}`).toBeDefined();
        }
      }
    });
  }
});

if (!existsSync(CORPUS)) throw new Error(`the Sloth corpus is missing: ${CORPUS}`);
