/**
 * Mutation test of the generated promtool tests: perturb one threshold, burn factor, error
 * budget, range window or `for` of one emitted alerting rule at a time, run the generated tests
 * against the perturbed rules with the real promtool, and count the mutants some test kills.
 * A surviving mutant is a rule change no generated test would notice.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { formatDuration } from "../src/promql/format.js";
import { parseDuration } from "../src/promql/duration.js";
import { MAX_BURST_TEST_MS } from "../src/prometheus/tests/slo-bursts.js";
import { listFiles } from "../src/write/writer.js";
import { runCli } from "./helpers.js";

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface TestGroup {
  name: string;
  alert_rule_test?: { alertname: string }[];
}
interface TestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestGroup[];
}

export interface Mutant {
  /** What was changed, for the report: `PoolSaturated (critical): threshold 0.95 → 1.045`. */
  what: string;
  alert: string;
  rules: RuleFile;
}

const NUMBER = String.raw`(?:\d+\.?\d*(?:e[+-]?\d+)?)`;
/** A plain number compared with: `> 0.95`, `< 0.5 * …`. */
const COMPARED = new RegExp(String.raw`(>=|<=|>|<|==|!=)(\s*)(${NUMBER})(?![\d.])`, "gi");
/** The SLO rules compare with `(factor * budget)`. */
const PRODUCT = new RegExp(String.raw`\((${NUMBER}) \* (${NUMBER})\)`, "g");

const scale = (text: string, k: number) => String(Number((Number(text) * k).toPrecision(6)));

/** Every single-point perturbation of the alerting rules of a rule file. */
export function mutants(file: RuleFile): Mutant[] {
  const out: Mutant[] = [];
  const recorded = [
    ...new Set(file.groups.flatMap((g) => g.rules.flatMap((r) => (r.record?.startsWith("slo:sli_error:ratio_rate") ? [parseDuration(r.record.slice("slo:sli_error:ratio_rate".length))!] : [])))),
  ].sort((a, b) => a - b);
  file.groups.forEach((group, g) =>
    group.rules.forEach((rule, r) => {
      if (!rule.alert) return;
      const who = `${rule.alert} (${rule.labels?.tier ?? rule.labels?.severity ?? ""})`;
      const mutate = (what: string, change: (rule: AlertRule) => void) => {
        const copy = structuredClone(file);
        change(copy.groups[g]!.rules[r]!);
        out.push({ what: `${who}: ${what}`, alert: rule.alert!, rules: copy });
      };
      // Thresholds, up and down by 10%; an SLO condition's factor (it appears on both of its
      // windows) and the error budget (in every condition) wherever they appear in the rule.
      const found = [...rule.expr.matchAll(PRODUCT)];
      const products = new Map(found.map((m) => [m[0], { factor: m[1]!, budget: m[2]! }]));
      for (const [product, { factor, budget }] of products) {
        for (const k of [1.1, 0.9]) {
          const value = scale(factor, k);
          mutate(`factor ${factor} → ${value} in (${factor} * ${budget})`, (x) => {
            x.expr = x.expr.split(product).join(`(${value} * ${budget})`);
          });
        }
      }
      const budgets = new Set(found.map((m) => m[2]!));
      for (const budget of budgets) {
        for (const k of [1.1, 0.9]) {
          const value = scale(budget, k);
          mutate(`budget ${budget} → ${value}`, (x) => {
            x.expr = x.expr.replace(PRODUCT, (whole: string, f: string, b: string) => (b === budget ? `(${f} * ${value})` : whole));
          });
        }
      }
      for (const m of rule.expr.matchAll(COMPARED)) {
        const [whole, op, gap, first] = m;
        if (Number(first) === 0) continue;
        for (const k of [1.1, 0.9]) {
          const start = m.index! + op!.length + gap!.length;
          const value = scale(first!, k);
          mutate(`threshold ${first} → ${value} in "${whole.trim()}"`, (x) => {
            x.expr = x.expr.slice(0, start) + value + x.expr.slice(start + first!.length);
          });
        }
      }
      // Range windows: twice and half as long.
      for (const m of rule.expr.matchAll(/\[(\d+[smhdwy])\]/g)) {
        const ms = parseDuration(m[1]!)!;
        for (const next of [ms * 2, ms / 2].filter((x) => x >= 60_000 && x % 60_000 === 0)) {
          mutate(`window [${m[1]}] → [${formatDuration(next)}]`, (x) => {
            x.expr = x.expr.slice(0, m.index!) + `[${formatDuration(next)}]` + x.expr.slice(m.index! + m[0].length);
          });
        }
      }
      // SLO burn windows: the next shorter and next longer window the file records.
      for (const m of rule.expr.matchAll(/slo:sli_error:ratio_rate(\d+[smhdwy])\b/g)) {
        const own = parseDuration(m[1]!)!;
        const shorter = recorded.filter((w) => w < own).at(-1);
        const longer = recorded.find((w) => w > own);
        for (const next of [shorter, longer].filter((w): w is number => w !== undefined)) {
          mutate(`burn window ${m[1]} → ${formatDuration(next)} at ${m.index}`, (x) => {
            x.expr = x.expr.slice(0, m.index!) + `slo:sli_error:ratio_rate${formatDuration(next)}` + x.expr.slice(m.index! + m[0].length);
          });
        }
      }
      // for: twice and half as long.
      if (rule.for) {
        const ms = parseDuration(rule.for)!;
        for (const next of [ms * 2, Math.floor(ms / 2 / 60_000) * 60_000].filter((x) => x !== ms)) {
          mutate(`for ${rule.for} → ${next ? formatDuration(next) : "none"}`, (x) => {
            if (next) x.for = formatDuration(next);
            else delete x.for;
          });
        }
      }
    }),
  );
  return out;
}

/**
 * Why a mutant is out of reach of tests with constant (or two-phase) inputs, if it is:
 * - the window of an expression that compares rates only with rates of the same window, or
 *   takes a quantile of them: scaling every series alike leaves it unchanged while ranges fill;
 * - the `for` of an alert comparing with more than 6h ago, tested at 30m evaluations;
 * - an SLO condition masked, within the burst tests' 3h, by its tier's lower-factor condition
 *   whose windows both read the whole test (the ticket tier's 3× over 1d/2h by 1× over 3d/6h),
 *   or a burn window swapped for another when both are longer than those tests.
 */
export function undetectable(m: Mutant, original: RuleFile): string | undefined {
  const rule = original.groups.flatMap((g) => g.rules).find((r) => r.alert === m.alert && m.what.startsWith(`${r.alert} (${r.labels?.tier ?? r.labels?.severity ?? ""})`));
  if (!rule) return undefined;
  // SLO conditions: `ratio_rate<long> > (f * b) and ratio_rate<short> > (f * b)`.
  const conditions = [...rule.expr.matchAll(CONDITION)].map((c) => ({ start: c.index!, end: c.index! + c[0].length, long: parseDuration(c[1]!)!, short: parseDuration(c[3]!)!, factor: Number(c[2]) }));
  const factor = /: factor (\S+) → /.exec(m.what)?.[1];
  const at = /: burn window \S+ → (\S+) at (\d+)$/.exec(m.what);
  const condition = factor !== undefined ? conditions.find((c) => c.factor === Number(factor)) : at ? conditions.find((c) => c.start <= Number(at[2]) && Number(at[2]) < c.end) : undefined;
  if (condition) {
    const masking = conditions.find((c) => c.factor < condition.factor && c.long >= MAX_BURST_TEST_MS && c.short >= MAX_BURST_TEST_MS);
    if (masking) return `within the ${formatDuration(MAX_BURST_TEST_MS)} burst tests the tier's ${masking.factor}× condition (both windows ≥ ${formatDuration(MAX_BURST_TEST_MS)}) fires whenever this one can`;
    if (at) {
      const own = /: burn window (\S+) → /.exec(m.what)![1]!;
      if (parseDuration(own)! >= MAX_BURST_TEST_MS && parseDuration(at[1]!)! >= MAX_BURST_TEST_MS) return `both windows are longer than the ${formatDuration(MAX_BURST_TEST_MS)} burst tests: each reads the whole test`;
    }
    return undefined;
  }
  if (/: window \[/.test(m.what)) {
    const windows = new Set([...rule.expr.matchAll(/\[(\d+[smhdwy])\]/g)].map((w) => w[1]));
    const selectors = [...rule.expr.matchAll(/\[(\d+[smhdwy])\]/g)].length;
    if (windows.size === 1 && (selectors > 1 || rule.expr.includes("histogram_quantile("))) return "rates compared only with rates of the same window (scale-invariant)";
  }
  if (/: for /.test(m.what) && /offset\s+(\d+w|[2-9]\d*d|\d{2,}d|[7-9]h|\d{2,}h)/.test(rule.expr)) return "compares with more than 6h ago: its test evaluates every 30m";
  return undefined;
}

const CONDITION = new RegExp(String.raw`slo:sli_error:ratio_rate(\d+[smhdwy])\{[^}]*\} > \((${NUMBER}) \* ${NUMBER}\)\s*and\s*slo:sli_error:ratio_rate(\d+[smhdwy])\{[^}]*\} > \(${NUMBER} \* ${NUMBER}\)`, "g");

interface Outcome {
  mutant: Mutant;
  killed: boolean;
}

/** Runs promtool on each mutant's copy of the tests that check its alert, two at a time. */
async function runMutants(dir: string, service: string, list: Mutant[]): Promise<Outcome[]> {
  const testFiles = listFiles(join(dir, "prometheus/tests")).map((f) => parse(readFileSync(join(dir, "prometheus/tests", f), "utf8")) as TestFile);
  const work = mkdtempSync(join(tmpdir(), "vigil-mutants-"));
  const jobs = list.map((mutant, i) => {
    const root = join(work, String(i));
    mkdirSync(join(root, "rules"), { recursive: true });
    mkdirSync(join(root, "tests"), { recursive: true });
    writeFileSync(join(root, "rules", `${service}.rules.yml`), stringify(mutant.rules));
    const files: string[] = [];
    testFiles.forEach((t, k) => {
      const tests = t.tests.filter((g) => (g.alert_rule_test ?? []).some((a) => a.alertname === mutant.alert));
      if (tests.length === 0) return;
      const path = join(root, "tests", `${k}.test.yml`);
      writeFileSync(path, stringify({ ...t, rule_files: [`../rules/${service}.rules.yml`], tests }));
      files.push(path);
    });
    return { mutant, files };
  });
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (job.files.length === 0) {
        outcomes.push({ mutant: job.mutant, killed: false });
        continue;
      }
      const status = await new Promise<number>((resolve) => {
        const child = spawn("promtool", ["test", "rules", ...job.files], { stdio: "ignore" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve(code ?? -1);
        });
      });
      outcomes.push({ mutant: job.mutant, killed: status === 1 });
    }
  };
  await Promise.all([worker(), worker()]);
  rmSync(work, { recursive: true, force: true });
  return outcomes;
}

const SPECS = [
  { spec: "test/fixtures/alert-tests/monitoring.ts", service: "shapes" },
  { spec: "examples/minimal/monitoring.ts", service: "hello" },
];

describe.each(SPECS)("generated tests of $spec kill every mutant of its alert thresholds, factors, windows and for", ({ spec, service }) => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "vigil-mutation-"));
    const r = runCli(["compile", spec, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("VIG4001");
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("the unmutated rules pass", async () => {
    const rules = parse(readFileSync(join(out, "prometheus/rules", `${service}.rules.yml`), "utf8")) as RuleFile;
    const alerts = [...new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))))];
    const results = await runMutants(out, service, alerts.map((alert) => ({ what: "none", alert, rules })));
    expect(results.filter((r) => r.killed).map((r) => r.mutant.alert)).toEqual([]);
  }, 120_000);

  test("every mutant fails some generated test", async () => {
    const rules = parse(readFileSync(join(out, "prometheus/rules", `${service}.rules.yml`), "utf8")) as RuleFile;
    const list = mutants(rules);
    expect(list.length).toBeGreaterThan(5);
    const results = await runMutants(out, service, list);
    const survivors = results.filter((r) => !r.killed).map((r) => r.mutant);
    const explained = survivors.map((m) => ({ what: m.what, why: undetectable(m, rules) }));
    console.log(
      `mutation score ${spec}: ${results.length - survivors.length}/${results.length} killed` +
        explained.map((e) => `\n  survives: ${e.what} — ${e.why ?? "NO REASON"}`).join(""),
    );
    // Every survivor is of a kind the generated tests cannot see (each reason is computed from
    // the rule, not listed): anything else is a rule change no test would notice.
    expect(explained.filter((e) => e.why === undefined).map((e) => e.what)).toEqual([]);
  }, 600_000);
});

test("the mutation operators find thresholds, SLO factors and budgets, windows and for", () => {
  const file: RuleFile = {
    groups: [
      {
        name: "g",
        rules: [
          { alert: "A", expr: "rate(x[5m]) > 0.95", for: "10m", labels: { severity: "critical" } },
          { alert: "B", expr: "(r1h > (14.4 * 0.001) and r5m > (14.4 * 0.001))", labels: { tier: "page" } },
          { record: "r", expr: "rate(x[5m]) > 2" },
        ],
      },
    ],
  };
  const what = mutants(file).map((m) => m.what);
  expect(what).toEqual([
    'A (critical): threshold 0.95 → 1.045 in "> 0.95"',
    'A (critical): threshold 0.95 → 0.855 in "> 0.95"',
    "A (critical): window [5m] → [10m]",
    "A (critical): for 10m → 20m",
    "A (critical): for 10m → 5m",
    "B (page): factor 14.4 → 15.84 in (14.4 * 0.001)",
    "B (page): factor 14.4 → 12.96 in (14.4 * 0.001)",
    "B (page): budget 0.001 → 0.0011",
    "B (page): budget 0.001 → 0.0009",
  ]);
  const factor = mutants(file).find((m) => m.what.startsWith("B (page): factor 14.4 → 15.84"))!;
  expect(factor.rules.groups[0]!.rules[1]!.expr).toBe("(r1h > (15.84 * 0.001) and r5m > (15.84 * 0.001))");
  // Each mutant changes exactly its rule.
  const first = mutants(file)[0]!;
  expect(first.rules.groups[0]!.rules[0]!.expr).toBe("rate(x[5m]) > 1.045");
  expect(first.rules.groups[0]!.rules[1]).toEqual(file.groups[0]!.rules[1]);
  expect(file.groups[0]!.rules[0]!.expr).toBe("rate(x[5m]) > 0.95");
});

