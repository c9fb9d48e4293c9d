/**
 * The SLO's long-window error ratios are exact (issue 13, item 7): at every recorded window W
 * (the burn-rate windows and the 30d period), `slo:sli_error:ratio_rate<W>` agrees with
 * `increase(errors[W]) / increase(total[W])` of the raw counters within 1%, through steps of
 * traffic and of error ratio. Judged by the real promtool on the rules Vigil emits: each check is a
 * PromQL expression that is 1 when the recorded ratio is within 1% of the exact one, 0 when it is
 * not, and empty when the recording is missing; promtool must see 1 everywhere.
 *
 * Two runs: 1m samples around a step (the minutes after it are where the old form was wrong) and
 * 5m samples over 3.5 days, so the 1d and 3d windows and the 30d period are tiled from recordings
 * that all exist. The form Vigil emitted before c837517 — sum_over_time of the 5m recordings —
 * fails the first run, so the checks can tell the two apart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { SLO_RULES } from "../src/model/rule-names.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { runPromtool, seriesValues } from "./promtool-runs.js";
import { serviceRulesText } from "./helpers.js";

const TIMEOUT_MS = 60_000;
const SEL = '{service="steps", slo="availability"}';
const ERRORS = 'http_requests_total{code=~"5.."}';
const TOTAL = "http_requests_total";

const spec: MonitoringSpec = {
  service: { name: "steps", team: "platform", runbookBaseUrl: "https://runbooks.example.com/steps" },
  teams: [{ name: "platform", receivers: [{ name: "slack", kind: "slack", channel: "#alerts", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
  alertmanager: { catchAll: { team: "platform", receiver: "slack" } },
  signals: [{ name: "http_requests_total", type: "counter", help: "requests", labels: ["code"] }],
  slos: [
    {
      name: "availability",
      objective: 99.9,
      window: "30d",
      sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
    },
  ],
};

interface Group {
  name: string;
  rules: { record?: string; alert?: string; expr: string; [k: string]: unknown }[];
}

function groupsOf(yamlText: string): Group[] {
  const doc: unknown = parseYaml(yamlText);
  if (typeof doc !== "object" || doc === null || !("groups" in doc) || !Array.isArray(doc.groups)) throw new Error("not a rule file");
  return doc.groups as Group[];
}

/** The form before c837517 (c837517^:src/prometheus/slo-rules.ts): no tiles, sum_over_time of the 5m recordings. */
function oldForm(groups: readonly Group[]): Group[] {
  const tile = /^slo:sli_(error|total)_events:rate(?!5m$)/;
  return groups.map((g) => ({
    ...g,
    rules: g.rules
      .filter((r) => !(r.record && tile.test(r.record)))
      .map((r) => {
        const w = r.record?.startsWith("slo:sli_error:ratio_rate") ? r.record.slice("slo:sli_error:ratio_rate".length) : undefined;
        if (!w || w === "5m") return r;
        return { ...r, expr: `sum_over_time(${SLO_RULES.errorEvents}${SEL}[${w}])\n/\nsum_over_time(${SLO_RULES.totalEvents}${SEL}[${w}])` };
      }),
  }));
}

/** 1 when the recorded ratio over `w` is within 1% of increase(errors)/increase(total), 0 when not. */
function within1Percent(w: string): string {
  const exact = `(sum(increase(${ERRORS}[${w}])) / sum(increase(${TOTAL}[${w}])))`;
  return `abs(sum(slo:sli_error:ratio_rate${w}${SEL}) - ${exact}) <= bool 0.01 * ${exact}`;
}

/** Per-sample increments of the good (200) and bad (500) counters. */
interface Phase {
  samples: number;
  perSample: number;
  errorRatio: number;
}
function counters(phases: readonly Phase[]): { series: string; values: string }[] {
  const good: number[] = [];
  const bad: number[] = [];
  for (const p of phases) {
    for (let i = 0; i < p.samples; i++) {
      bad.push(p.perSample * p.errorRatio);
      good.push(p.perSample * (1 - p.errorRatio));
    }
  }
  return [
    { series: 'http_requests_total{code="200"}', values: seriesValues(good) },
    { series: 'http_requests_total{code="500"}', values: seriesValues(bad) },
  ];
}

interface Run {
  name: string;
  intervalMin: number;
  phases: Phase[];
  /** Minutes at which every window is checked. */
  checks: number[];
}

const STEP_MIN = 6 * 60;
const RUNS: Run[] = [
  {
    name: "traffic step (1m samples)",
    intervalMin: 1,
    // 6h at 1/s with 10% errors, then 10/s with 50% errors.
    phases: [
      { samples: STEP_MIN, perSample: 60, errorRatio: 0.1 },
      { samples: 7 * 60, perSample: 600, errorRatio: 0.5 },
    ],
    checks: [1, 2, 3, 5, 7, 10, 17, 30, 45, 60, 90, 120, 180, 300, 360, 420].map((m) => STEP_MIN + m),
  },
  {
    name: "daily steps over 3.5 days (5m samples)",
    intervalMin: 5,
    // A day each at 1/s, 5/s, 2/s with 0%, 1%, 0.1% errors, then 20/s with 5% errors.
    phases: [
      { samples: 288, perSample: 300, errorRatio: 0 },
      { samples: 288, perSample: 1500, errorRatio: 0.01 },
      { samples: 288, perSample: 600, errorRatio: 0.001 },
      { samples: 144, perSample: 6000, errorRatio: 0.05 },
    ],
    checks: [5, 10, 30, 60, 120, 360, 720].map((m) => 3 * 1440 + m),
  },
];

const work = mkdtempSync(join(tmpdir(), "vigil-slo-window-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let windows: string[] = [];
const outcome = new Map<string, { code: number; output: string }>();

function testFile(run: Run, rulesFile: string): string {
  const promql_expr_test = run.checks.flatMap((m) => windows.map((w) => ({ expr: within1Percent(w), eval_time: `${m}m`, exp_samples: [{ labels: "{}", value: 1 }] })));
  // Recordings in file order at each evaluation: promtool otherwise orders the groups at random,
  // and a tile may read the previous evaluation of the window it is built from.
  const group_eval_order = (parseYaml(readFileSync(rulesFile, "utf8")) as { groups: { name: string }[] }).groups.map((g) => g.name);
  return JSON.stringify({
    rule_files: [rulesFile],
    evaluation_interval: `${run.intervalMin}m`,
    group_eval_order,
    tests: [{ name: run.name, interval: `${run.intervalMin}m`, input_series: counters(run.phases), promql_expr_test }],
  });
}

beforeAll(async () => {
  const specPath = join(work, "monitoring.json");
  writeFileSync(specPath, JSON.stringify(spec));
  const result = await compile([specPath], { typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  const text = serviceRulesText(result.files, "steps");
  if (!text) throw new Error("no rule file");
  const groups = groupsOf(text);
  windows = groups.flatMap((g) => g.rules.flatMap((r) => (r.record?.startsWith("slo:sli_error:ratio_rate") ? [r.record.slice("slo:sli_error:ratio_rate".length)] : [])));
  const exact = join(work, "exact.rules.yml");
  const old = join(work, "old.rules.yml");
  writeFileSync(exact, text);
  writeFileSync(old, stringifyYaml({ groups: oldForm(groups) }, { lineWidth: 0 }));
  const jobs: Promise<void>[] = [];
  for (const [form, rules] of [["exact", exact], ["old", old]] as const) {
    RUNS.forEach((run, i) => {
      if (form === "old" && i > 0) return;
      const path = join(work, `${form}-${i}.test.json`);
      writeFileSync(path, testFile(run, rules));
      jobs.push(runPromtool(path, TIMEOUT_MS).then((r) => void outcome.set(`${form}|${run.name}`, r)));
    });
  }
  await Promise.all(jobs);
}, 120_000);

describe("SLO long-window ratios equal increase(errors[W]) / increase(total[W]) (promtool)", () => {
  it("every burn window and the period is recorded", () => {
    expect(windows).toEqual(expect.arrayContaining(["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"]));
  });

  for (const run of RUNS) {
    it(`${run.name}: within 1% at every window and check time`, () => {
      const r = outcome.get(`exact|${run.name}`)!;
      expect(r.output, "promtool's failures").not.toContain("FAILED");
      expect(r.code).toBe(0);
    });
  }

  it("the checks catch the old sum_over_time form after the traffic step", () => {
    const r = outcome.get(`old|${RUNS[0]!.name}`)!;
    expect(r.code).toBe(1);
    // promtool lists each failed check: its expression (the window) and eval time.
    const failed = [...r.output.matchAll(/expr: "abs\(sum\(slo:sli_error:ratio_rate(\w+)\{/g)].map((m) => m[1]);
    console.log(`old form: ${failed.length} of ${RUNS[0]!.checks.length * windows.length} checks off by more than 1% (windows: ${[...new Set(failed)].join(", ")})`);
    expect(failed).toContain("1h");
  });
});
