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
import { walk, type Expr } from "../src/promql/ast.js";
import { formatDuration } from "../src/promql/format.js";
import { parsePromQL } from "../src/promql/parse.js";
import { parseDuration } from "../src/promql/duration.js";
import { STORY_BUDGET_STEPS } from "../src/prometheus/tests/slo-stories.js";
import { listFiles } from "../src/write/writer.js";
import { runCliAsync } from "./helpers.js";

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
  alert_rule_test?: { alertname: string; eval_time: string }[];
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
  /** The rule file it replaces (`<stem>.rules.yml`); unset for the operators' own test. */
  file?: string;
  /** The mutated rule's expression before and after the change. */
  before?: string;
  after?: string;
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
        out.push({ what: `${who}: ${what}`, alert: rule.alert!, rules: copy, before: rule.expr, after: copy.groups[g]!.rules[r]!.expr });
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
 * Why a mutant is out of reach of the generated tests, if it is: an SLO burn window swapped
 * with another when the shorter of the two is longer than the story tests an SLO can afford
 * (STORY_BUDGET_STEPS evaluations every 5m); or, for an SLI whose traffic the tests cannot vary
 * (a boolean SLI over one `up` series), a condition that, before and after the change, implies
 * another condition of its tier, so the tier fires either way.
 */
export function undetectable(m: Mutant): string | undefined {
  const implied = impliedAtConstantTraffic(m);
  if (implied) return implied;
  const integral = noIntegerBetween(m);
  if (integral) return integral;
  const swap = /: burn window (\S+) → (\S+) at \d+$/.exec(m.what);
  if (!swap) return undefined;
  const budgetMs = STORY_BUDGET_STEPS * 5 * 60_000;
  const shorter = Math.min(parseDuration(swap[1]!)!, parseDuration(swap[2]!)!);
  return shorter >= budgetMs ? `telling ${swap[1]} from ${swap[2]} takes a story longer than the ${formatDuration(budgetMs)} an SLO's tests can afford` : undefined;
}

/** Aggregations and functions whose every value is a whole number. */
const COUNTS = new Set(["count", "count_values"]);
const COUNTING_FUNCTIONS = new Set(["count_over_time", "changes", "resets"]);

function integerValued(e: Expr): boolean {
  if (e.type === "paren") return integerValued(e.expr);
  if (e.type === "aggregate") return COUNTS.has(e.op) || (["sum", "min", "max"].includes(e.op) && integerValued(e.expr));
  if (e.type === "call") return COUNTING_FUNCTIONS.has(e.func);
  if (e.type === "binary" && (e.op === "and" || e.op === "or" || e.op === "unless")) return integerValued(e.lhs);
  return false;
}

/**
 * A threshold moved between two whole numbers where the value compared is a count: `> 1` and
 * `> 1.1` decide every whole number alike, so no input tells them apart.
 */
function noIntegerBetween(m: Mutant): string | undefined {
  const change = /: threshold (\S+) → (\S+) in "(\S+) /.exec(m.what);
  if (!change || !m.before) return undefined;
  const [from, to, op] = [Number(change[1]), Number(change[2]), change[3]!];
  const parsed = parsePromQL(m.before);
  if (!parsed.ok) return undefined;
  let counted = false;
  walk(parsed.expr, (node) => {
    if (node.type === "binary" && node.op === op && node.rhs.type === "number" && node.rhs.value === from && integerValued(node.lhs)) counted = true;
  });
  if (!counted) return undefined;
  const [lo, hi] = [Math.min(from, to), Math.max(from, to)];
  // `>` and `<=` differ on (lo, hi]; `<` and `>=` on [lo, hi).
  const between = op === ">" || op === "<=" ? Math.floor(hi) > lo : Math.ceil(lo) < hi;
  return between ? undefined : `the value compared is a count, and no whole number lies between ${from} and ${to}`;
}

interface BurnCondition {
  longMs: number;
  shortMs: number;
  factor: number;
  budget: number;
}

/** The `(long > f·b and short > f·b)` conditions of an SLO tier's expression. */
function burnConditions(expr: string): BurnCondition[] {
  return expr.split(/\)\s*or\s*\(/).map((part) => {
    const windows = [...part.matchAll(/slo:sli_error:ratio_rate(\w+)\{/g)].map((w) => parseDuration(w[1]!)!);
    const product = /\((\S+) \* (\S+)\)/.exec(part)!;
    return { longMs: windows[0]!, shortMs: windows[1]!, factor: Number(product[1]), budget: Number(product[2]) };
  });
}

/**
 * At constant traffic a window W ⊇ w reads at least ratio(w)·w/W, so a condition over (L, S)
 * at factor f implies one over (L', S') at factor g when each of L', S' has a window of the
 * first inside it that carries f past g. A mutant is invisible when its condition implies
 * another of the tier both before and after the change: wherever the two differ, the tier fires.
 */
function impliedAtConstantTraffic(m: Mutant): string | undefined {
  if (!m.before || !m.after || !/factor|burn window/.test(m.what)) return undefined;
  const rules = m.rules.groups.flatMap((g) => g.rules);
  // Traffic the tests cannot vary: the SLI counts samples of one gauge (a boolean SLI).
  if (!rules.some((r) => r.record === "slo:sli_total_events:rate5m" && r.expr.includes("count_over_time("))) return undefined;
  const before = burnConditions(m.before);
  const after = burnConditions(m.after);
  const changed = before.findIndex((c, i) => JSON.stringify(c) !== JSON.stringify(after[i]));
  if (changed < 0) return undefined;
  const implies = (a: BurnCondition, b: BurnCondition) => {
    const reach = (w: number) => Math.max(0, ...[a.longMs, a.shortMs].filter((x) => x <= w).map((x) => (a.factor * x) / w));
    return reach(b.longMs) >= b.factor && reach(b.shortMs) >= b.factor && a.budget === b.budget;
  };
  const other = before.find((b, i) => i !== changed && implies(before[changed]!, b) && implies(after[changed]!, b));
  if (!other) return undefined;
  return `at the constant traffic of a boolean SLI's tests, the changed condition implies the tier's ${formatDuration(other.longMs)}/${formatDuration(other.shortMs)} condition at ${other.factor}× before and after the change`;
}

/** The story tests of an SLO take promtool tens of seconds on a busy machine. */
const PROMTOOL_TIMEOUT_MS = 400_000;

interface Outcome {
  mutant: Mutant;
  killed: boolean;
}

/** Test groups that reach at most this far run first: most mutants die there, cheaply. */
const SHORT_TEST_MS = 3 * 60 * 60_000;

/**
 * Runs promtool on each mutant's copy of the tests that check its alert, two mutants at a
 * time: the short test groups first, then the long ones (the SLO stories, a week of history)
 * one at a time, shortest first, until one fails.
 */
async function runMutants(dir: string, list: Mutant[]): Promise<Outcome[]> {
  const testFiles = listFiles(join(dir, "prometheus/tests")).map((f) => parse(readFileSync(join(dir, "prometheus/tests", f), "utf8")) as TestFile);
  const ruleFiles = listFiles(join(dir, "prometheus/rules"));
  const reach = (g: TestGroup) => Math.max(0, ...(g.alert_rule_test ?? []).map((a) => parseDuration(a.eval_time) ?? Infinity));
  const work = mkdtempSync(join(tmpdir(), "vigil-mutants-"));
  const jobs = list.map((mutant, i) => {
    const root = join(work, String(i));
    mkdirSync(join(root, "rules"), { recursive: true });
    mkdirSync(join(root, "tests"), { recursive: true });
    for (const f of ruleFiles) writeFileSync(join(root, "rules", f), f === mutant.file ? stringify(mutant.rules) : readFileSync(join(dir, "prometheus/rules", f)));
    // The short groups in one run, then each long one alone, shortest first.
    const short: string[] = [];
    const long: { path: string; reach: number }[] = [];
    testFiles.forEach((t, k) => {
      const mine = t.tests.filter((g) => (g.alert_rule_test ?? []).some((a) => a.alertname === mutant.alert));
      const write = (tests: TestGroup[], name: string) => {
        const path = join(root, "tests", `${k}.${name}.test.yml`);
        writeFileSync(path, stringify({ ...t, tests }));
        return path;
      };
      const quick = mine.filter((g) => reach(g) <= SHORT_TEST_MS);
      if (quick.length) short.push(write(quick, "short"));
      mine.filter((g) => reach(g) > SHORT_TEST_MS).forEach((g, i) => long.push({ path: write([g], `long-${i}`), reach: reach(g) }));
    });
    const stages = [short, ...long.sort((a, b) => a.reach - b.reach).map((l) => [l.path])];
    return { mutant, stages: stages.filter((files) => files.length > 0) };
  });
  const promtool = (files: string[], what: string) =>
    new Promise<number>((resolve) => {
      const child = spawn("promtool", ["test", "rules", ...files], { stdio: "ignore" });
      const timer = setTimeout(() => child.kill("SIGKILL"), PROMTOOL_TIMEOUT_MS);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    }).then((status) => {
      // A promtool that timed out or crashed proves nothing either way.
      if (status !== 0 && status !== 1) throw new Error(`promtool exited with ${status} on the tests of ${what}`);
      return status;
    });
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      let killed = false;
      for (const files of job.stages) {
        if ((killed = (await promtool(files, job.mutant.what)) === 1)) break;
      }
      outcomes.push({ mutant: job.mutant, killed });
    }
  };
  await Promise.all([worker(), worker()]);
  rmSync(work, { recursive: true, force: true });
  return outcomes;
}

/**
 * One mutant per rule (alert and severity or tier), the j-th rule taking its (3j)-th mutant
 * (wrapping), so kinds and directions vary across rules: a seed's full set takes promtool many
 * minutes, more than the test suite can spend (the full runs are measured one-off).
 */
export function sampleMutants<M extends Pick<Mutant, "what">>(list: readonly M[]): M[] {
  const rules = new Map<string, M[]>();
  for (const m of list) {
    const who = m.what.slice(0, m.what.indexOf("): ") + 1);
    rules.set(who, [...(rules.get(who) ?? []), m]);
  }
  return [...rules.values()].map((g, j) => g[(3 * j) % g.length]!);
}

/** The fixture and the smallest example in full; the seeds sampled (sampleMutants). */
const SPECS = [
  { spec: "test/fixtures/alert-tests/monitoring.ts", sampled: false },
  { spec: "examples/minimal/monitoring.ts", sampled: false },
  { spec: "examples/novel-engine/monitoring.ts", sampled: true },
  { spec: "examples/halcytone/monitoring.ts", sampled: true },
];

describe.each(SPECS)("generated tests of $spec kill every mutant of its alert thresholds, factors, windows and for (sampled: $sampled)", ({ spec, sampled }) => {
  let out: string;
  // A seed compiles in tens of seconds on a busy machine.
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "vigil-mutation-"));
    const r = await runCliAsync(["compile", spec, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("VIG4001");
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** Each rule file of the service, parsed: mutants change one rule of one file. */
  const ruleFiles = () =>
    listFiles(join(out, "prometheus/rules")).map((file) => ({ file, rules: parse(readFileSync(join(out, "prometheus/rules", file), "utf8")) as RuleFile }));

  // A seed's goldens pass promtool in the golden test; the fixtures' outputs are checked here.
  test.skipIf(sampled)("the unmutated rules pass", async () => {
    const unchanged = ruleFiles().flatMap(({ file, rules }) => [...new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))))].map((alert) => ({ what: "none", alert, rules, file })));
    expect(unchanged.length).toBeGreaterThan(0);
    const results = await runMutants(out, unchanged);
    expect(results.filter((r) => r.killed).map((r) => r.mutant.alert)).toEqual([]);
  }, 600_000);

  test("every mutant fails some generated test", async () => {
    const all = ruleFiles().flatMap(({ file, rules }) => mutants(rules).map((m) => ({ ...m, file })));
    const list = sampled ? sampleMutants(all) : all;
    expect(list.length).toBeGreaterThan(5);
    const results = await runMutants(out, list);
    const survivors = results.filter((r) => !r.killed).map((r) => r.mutant);
    const explained = survivors.map((m) => ({ what: m.what, why: undetectable(m) }));
    console.log(
      `mutation score ${spec}: ${results.length - survivors.length}/${results.length} killed${sampled ? ` (a sample of ${all.length})` : ""}` +
        explained.map((e) => `\n  survives: ${e.what} — ${e.why ?? "NO REASON"}`).join(""),
    );
    // Every survivor is of a kind the generated tests cannot see (each reason is computed from
    // the rule, not listed): anything else is a rule change no test would notice.
    expect(explained.filter((e) => e.why === undefined).map((e) => e.what)).toEqual([]);
  }, 1_500_000);
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


test("a tier's condition that implies another at constant traffic is invisible to a boolean SLI's tests, and only then", () => {
  const cond = (long: string, short: string, factor: number) =>
    `(\n  slo:sli_error:ratio_rate${long}{slo="u"} > (${factor} * 0.001)\n  and\n  slo:sli_error:ratio_rate${short}{slo="u"} > (${factor} * 0.001)\n)`;
  const ticket = `${cond("1d", "2h", 3)}\nor\n${cond("3d", "6h", 1)}`;
  const file = (total: string): RuleFile => ({
    groups: [{ name: "g", rules: [{ record: "slo:sli_total_events:rate5m", expr: total }, { alert: "UBurn", expr: ticket, labels: { tier: "ticket" } }] }],
  });
  const boolean = mutants(file('sum(count_over_time(up{job="u"}[5m])) / 300'));
  const reason = (what: string) => undetectable(boolean.find((m) => m.what === `UBurn (ticket): ${what}`)!);
  // 3× over 1d/2h implies 1× over 3d/6h (each window a third of the other): a higher factor or
  // a longer long window changes nothing the tier does; a lower factor does.
  expect(reason("factor 3 → 3.3 in (3 * 0.001)")).toMatch(/implies the tier's 3d\/6h condition at 1×/);
  expect(reason("factor 3 → 2.7 in (3 * 0.001)")).toBeUndefined();
  expect(reason("factor 1 → 1.1 in (1 * 0.001)")).toBeUndefined();
  // An SLI whose traffic the tests can vary (a ratio of counters) gets no such excuse.
  const counters = mutants(file('sum(rate(http_requests_total[5m]))'));
  expect(undetectable(counters.find((m) => m.what === "UBurn (ticket): factor 3 → 3.3 in (3 * 0.001)")!)).toBeUndefined();
});

test("the seeds' sample takes one mutant per rule, varying kinds and directions across rules", () => {
  const file: RuleFile = {
    groups: [
      {
        name: "g",
        rules: [
          { alert: "A", expr: "rate(x[5m]) > 0.95", for: "10m", labels: { severity: "critical" } },
          { alert: "A", expr: "rate(x[5m]) > 0.8", for: "10m", labels: { severity: "warning" } },
          { alert: "B", expr: "rate(y[5m]) > 2", for: "10m", labels: { severity: "warning" } },
        ],
      },
    ],
  };
  const all = mutants(file);
  // Each rule: threshold and for two mutants each, the window one (2.5m is not a whole minute).
  expect(all).toHaveLength(15);
  expect(sampleMutants(all).map((m) => m.what)).toEqual(["A (critical): threshold 0.95 → 1.045 in \"> 0.95\"", "A (warning): for 10m → 20m", "B (warning): threshold 2 → 1.8 in \"> 2\""]);
});

test("a threshold moved between two whole numbers on a count is invisible, and only then", () => {
  const file: RuleFile = {
    groups: [
      {
        name: "g",
        rules: [
          { alert: "NewDeployment", expr: "app_build_info and on (job, instance) (count by (job, instance) (count_over_time(app_build_info[10m])) > 1)", labels: { severity: "info" } },
          { alert: "Busy", expr: "sum(rate(x[5m])) > 1", labels: { severity: "info" } },
        ],
      },
    ],
  };
  const reason = (what: string) => undetectable(mutants(file).find((m) => m.what === what)!);
  // > 1 and > 1.1 decide every count alike; > 0.9 fires on a count of 1.
  expect(reason('NewDeployment (info): threshold 1 → 1.1 in "> 1"')).toMatch(/no whole number lies between 1 and 1\.1/);
  expect(reason('NewDeployment (info): threshold 1 → 0.9 in "> 1"')).toBeUndefined();
  // A rate is not a count.
  expect(reason('Busy (info): threshold 1 → 1.1 in "> 1"')).toBeUndefined();
});
