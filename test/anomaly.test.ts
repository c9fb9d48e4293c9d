/**
 * Anomaly alerts (issue 16): a fixture with every kind (a counter's rate per route against the
 * same time last week with a traffic guard, a gauge against its daily mean above only, a p99
 * latency as PromQL against the same time yesterday) compiles without a diagnostic into rules
 * promtool accepts and generated tests promtool passes — and fails once the rules are changed.
 * Then the emitted rules run in promtool on series written here by hand, a daily traffic curve
 * with noise: a step change fires, the same change one week earlier makes it expected, and the
 * same curve below minTraffic stays silent.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { compile } from "../src/compile.js";
import { emitGrafana } from "../src/grafana/index.js";
import { normalizeModel } from "../src/normalize/index.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { checkDashboardSchemas } from "./grafana-schema.js";
import { REPO, runTool } from "./helpers.js";
import { runPromtool, seriesValues } from "./promtool-runs.js";

const FIXTURE = join(REPO, "test/fixtures/anomalies/monitoring.ts");
const PROMTOOL_TIMEOUT_MS = 120_000;
const RULES = "prometheus/rules/shop.anomalies.rules.yml";
const TESTS = "prometheus/tests/shop.anomalies.test.yml";

interface TestFile {
  rule_files: string[];
  evaluation_interval: string;
  group_eval_order: string[];
  tests: { name: string; alert_rule_test: { eval_time: string; alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[] }[];
}

let work: string;
let files: Map<string, string>;

function writeTree(dir: string, tree: ReadonlyMap<string, string>): void {
  for (const [path, content] of tree) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vigil-anomaly-"));
  const result = await compile([FIXTURE]);
  expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  files = new Map(result.files.map((f) => [f.path, f.content]));
  writeTree(join(work, "out"), files);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the anomaly fixture", () => {
  test("emits a rule file of its own, one group per anomaly, evaluated every 5m", () => {
    const rules = parse(files.get(RULES)!) as { groups: { name: string; interval: string; rules: { record?: string; alert?: string; expr: string }[] }[] };
    expect(rules.groups.map((g) => [g.name, g.interval])).toEqual([
      ["vigil:shop:anomaly:checkout-traffic", "5m"],
      ["vigil:shop:anomaly:queue-depth", "5m"],
      ["vigil:shop:anomaly:slow-requests", "5m"],
    ]);
    const checkout = rules.groups[0]!.rules;
    expect(checkout.map((r) => r.record ?? r.alert)).toEqual([
      "anomaly:value:current",
      "anomaly:value:avg_over_time1w",
      "anomaly:value:stddev_over_time1w",
      "anomaly:value:last_season",
      "anomaly:value:expected",
      "anomaly:value:band_upper",
      "anomaly:value:band_lower",
      "anomaly:value:zscore",
      "CheckoutTrafficAnomaly",
    ]);
    expect(checkout[0]!.expr).toBe('sum by (route) (rate(http_requests_total{route="/checkout"}[5m]))');
    expect(checkout[3]!.expr).toBe('avg_over_time(anomaly:value:current{service="shop", anomaly="checkout-traffic"}[1h] offset 6d23h30m)');
    // The daily mean, only once a day of history exists; above the band only.
    const queue = rules.groups[1]!.rules;
    expect(queue[4]!.expr).toBe('anomaly:value:avg_over_time1d{service="shop", anomaly="queue-depth"} and anomaly:value:last_season{service="shop", anomaly="queue-depth"}');
    expect(queue[8]!.expr).toBe('anomaly:value:current{service="shop", anomaly="queue-depth"} > anomaly:value:band_upper{service="shop", anomaly="queue-depth"}');
    const r = runTool("promtool", ["check", "rules", join(work, "out", RULES)]);
    expect(r.status, r.output).toBe(0);
  });

  test("routes each anomaly alert by its team and severity", () => {
    const cases = (parse(files.get("alertmanager/routing-tests.yml")!) as { cases: { alert: string; labels: Record<string, string>; receivers: string[] }[] }).cases;
    expect(cases.map((c) => [c.alert, c.labels.severity, c.labels.team, c.receivers])).toEqual([
      ["CheckoutTrafficAnomaly", "warning", "web", ["web/slack"]],
      ["QueueDepthAnomaly", "critical", "jobs", ["jobs/pager"]],
      ["SlowRequestsAnomaly", "warning", "web", ["web/slack"]],
    ]);
  });

  test("the overview dashboard shows each value inside its band, and Grafana's schema accepts it", () => {
    const overview = JSON.parse(files.get("grafana/dashboards/vigil-shop-overview.json")!) as { panels: { title: string; targets?: { expr: string; legendFormat: string }[] }[] };
    const panel = overview.panels.find((p) => p.title === "CheckoutTrafficAnomaly: checkout-traffic in its band")!;
    expect(panel.targets!.map((t) => [t.expr.split("{")[0], t.legendFormat])).toEqual([
      ["anomaly:value:current", "value {{route}}"],
      ["anomaly:value:expected", "expected {{route}}"],
      ["anomaly:value:band_upper", "upper band {{route}}"],
      ["anomaly:value:band_lower", "lower band {{route}}"],
    ]);
    const dashboards = [...files].filter(([p]) => p.startsWith("grafana/dashboards/")).map(([name, content]) => ({ name, dashboard: JSON.parse(content) as Record<string, unknown> }));
    expect(checkDashboardSchemas(dashboards).errors).toEqual([]);
  }, 120_000);

  test("generates, per anomaly, the band test, the seasonal one and those either side of minTraffic", () => {
    const tests = (parse(files.get(TESTS)!) as TestFile).tests.map((t) => t.name);
    expect(tests).toEqual([
      "anomaly CheckoutTrafficAnomaly: 1w of history, then a step up inside the band stays silent, a step above the band fires after 30m, a drop to below minTraffic 1 fires after 30m (the expected value is above it), a drop down inside the band stays silent, a drop below the band fires after 30m",
      "anomaly CheckoutTrafficAnomaly: a step above the band that also happened 1w earlier is expected, stays silent",
      "anomaly CheckoutTrafficAnomaly: the band test's history and step above the band, scaled so that the value is just above minTraffic 1 (1.05) and the expected value below it, fire after 30m",
      "anomaly CheckoutTrafficAnomaly: the band test's history and step above the band, scaled so that the value is just below minTraffic 1 (0.95) and the expected value below it, stay silent",
      "anomaly CheckoutTrafficAnomaly: the band test's history and drop to below minTraffic, scaled so that the expected value is just above minTraffic 1 (1.05), fire after 30m",
      "anomaly CheckoutTrafficAnomaly: the band test's history and drop to below minTraffic, scaled so that the expected value is just below minTraffic 1 (0.95), stay silent",
      "anomaly QueueDepthAnomaly: 1d of history, then a step up inside the band stays silent, a step above the band fires after 1h, a drop below the band stays silent (direction above)",
      "anomaly SlowRequestsAnomaly: 1d of history, then a step up inside the band stays silent, a step above the band fires after 30m, a drop below the band stays silent (direction above)",
      "anomaly SlowRequestsAnomaly: a step above the band that also happened 1d earlier is expected, stays silent",
    ]);
    const file = parse(files.get(TESTS)!) as TestFile;
    // Only the anomaly rules are evaluated, every 15m: half the shortest for (30m), so that a
    // for of 15m would fire one evaluation early.
    expect(file.rule_files).toEqual(["../rules/shop.anomalies.rules.yml"]);
    expect(file.evaluation_interval).toBe("15m");
  });

  test("promtool passes the generated anomaly tests", async () => {
    const t0 = Date.now();
    const { code, output } = await runPromtool(join(work, "out", TESTS), PROMTOOL_TIMEOUT_MS);
    expect(output).toContain("SUCCESS");
    expect(code, output).toBe(0);
    console.log(`promtool test rules ${TESTS}: ${((Date.now() - t0) / 1000).toFixed(1)} s wall`);
  }, PROMTOOL_TIMEOUT_MS);
});

/** One change to the emitted anomaly rules that some generated test must notice. */
const MUTANTS: { what: string; from: string; to: string }[] = [
  { what: "upper band at sensitivity 3.3", from: '} + 3 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}', to: '} + 3.3 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}' },
  { what: "upper band at sensitivity 2.7", from: '} + 3 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}', to: '} + 2.7 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}' },
  { what: "lower band at sensitivity 2.7", from: '} - 3 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}', to: '} - 2.7 * anomaly:value:stddev_over_time1w{service="shop", anomaly="checkout-traffic"}' },
  { what: "expected value the weekly mean, not last week's", from: 'expr: anomaly:value:last_season{service="shop", anomaly="checkout-traffic"}', to: 'expr: anomaly:value:avg_over_time1w{service="shop", anomaly="checkout-traffic"}' },
  { what: "last week's value a day off", from: "offset 6d23h30m", to: "offset 5d23h30m" },
  { what: "no minTraffic guard", from: `checkout-traffic"} >= 1\n${" ".repeat(10)}or\n${" ".repeat(12)}anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 1`, to: 'checkout-traffic"} >= 0' },
  { what: "guard on the value alone", from: `\n${" ".repeat(10)}or\n${" ".repeat(12)}anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 1`, to: "" },
  { what: "value guard at 1.1", from: 'anomaly:value:current{service="shop", anomaly="checkout-traffic"} >= 1\n', to: 'anomaly:value:current{service="shop", anomaly="checkout-traffic"} >= 1.1\n' },
  { what: "value guard at 0.9", from: 'anomaly:value:current{service="shop", anomaly="checkout-traffic"} >= 1\n', to: 'anomaly:value:current{service="shop", anomaly="checkout-traffic"} >= 0.9\n' },
  { what: "expected-value guard at 1.1", from: 'anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 1\n', to: 'anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 1.1\n' },
  { what: "expected-value guard at 0.9", from: 'anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 1\n', to: 'anomaly:value:expected{service="shop", anomaly="checkout-traffic"} >= 0.9\n' },
  { what: "for 1h", from: "for: 30m", to: "for: 1h" },
  { what: "for 15m", from: "for: 30m", to: "for: 15m" },
  { what: "queue depth: for 30m", from: "for: 1h", to: "for: 30m" },
];

describe("the generated tests notice a changed rule", () => {
  test.each(MUTANTS.map((m) => [m.what, m] as const))("%s", async (_what, m) => {
    const dir = join(work, `mutant-${MUTANTS.indexOf(m)}`);
    writeTree(dir, new Map([...files].filter(([p]) => p === TESTS || p === RULES)));
    const rules = files.get(RULES)!;
    expect(rules, `${m.what}: its text is in the rules`).toContain(m.from);
    writeFileSync(join(dir, RULES), rules.replace(m.from, m.to));
    const check = runTool("promtool", ["check", "rules", join(dir, RULES)]);
    expect(check.status, check.output).toBe(0);
    // One test group at a time, in order, until one fails: each reads a week of history, and
    // most mutants fail the first.
    const file = parse(files.get(TESTS)!) as TestFile;
    let result = { code: 0, output: "" };
    for (const [i, group] of file.tests.entries()) {
      const path = join(dir, `${TESTS}.${i}.yml`);
      writeFileSync(path, stringify({ ...file, tests: [group] }, { lineWidth: 0 }));
      result = await runPromtool(path, PROMTOOL_TIMEOUT_MS);
      if (result.code !== 0) break;
    }
    const { code, output } = result;
    expect(code, `${m.what} survives:\n${output.slice(0, 2000)}`).toBe(1);
    expect(output).toContain("FAILED");
  }, PROMTOOL_TIMEOUT_MS);
});

// Behaviour on series written here, not by Vigil's synthesis: eight and a half days of a
// daily traffic curve with noise, evaluated every 10m.
const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
/** Requests per second by hour of the day: quiet nights, busy afternoons. */
const DAILY = [2, 2, 2, 2, 2, 3, 4, 6, 8, 9, 10, 10, 10, 10, 9, 9, 8, 8, 7, 6, 5, 4, 3, 2];
const LENGTH_MINUTES = 8 * DAY_MINUTES + 12 * 60;
/** The step: traffic triples on day 8 from 14:00 to 16:00 (a traffic surge). */
const STEP = { from: 7 * DAY_MINUTES + 14 * 60, to: 7 * DAY_MINUTES + 16 * 60, factor: 3 };

function behaviourSpec(seasonal: boolean): MonitoringSpec {
  return {
    service: { name: "shop", team: "web" },
    teams: [{ name: "web", receivers: [{ name: "slack", kind: "slack", channel: "#web", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
    alertmanager: { catchAll: { team: "web", receiver: "slack" } },
    signals: [{ name: "http_requests_total", type: "counter", labels: ["route", "code"] }],
    anomalies: [
      {
        name: "traffic",
        signal: { metric: "http_requests_total" },
        by: ["route"],
        baseline: "1w",
        seasonal,
        minTraffic: 1,
        summary: "traffic on {{ $labels.route }} is unusual",
        description: "see the Anomalies row",
      },
    ],
  };
}

/** Deterministic noise in [-1, 1] per 5-minute block (a linear congruential generator). */
function noise(seed: number): (minute: number) => number {
  const blocks: number[] = [];
  let x = seed;
  for (let i = 0; i <= LENGTH_MINUTES / 5; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    blocks.push((x / 2 ** 31) * 2 - 1);
  }
  return (minute) => blocks[Math.floor(minute / 5)]!;
}

/** Per-minute increments of a counter following the daily curve × 1 ± 5%, times `scale`, with steps. */
function traffic(scale: number, steps: readonly { from: number; to: number; factor: number }[], seed: number): number[] {
  const jitter = noise(seed);
  return Array.from({ length: LENGTH_MINUTES }, (_, m) => {
    const minute = m + 1;
    const hour = Math.floor((minute % DAY_MINUTES) / 60);
    const factor = steps.filter((s) => minute > s.from && minute <= s.to).reduce((f, s) => f * s.factor, 1);
    return Number((DAILY[hour]! * (1 + 0.05 * jitter(minute)) * factor * scale * 60).toFixed(3));
  });
}

/** A minute of the test as promtool's eval_time, e.g. `7d14h20m`. */
function at(minute: number): string {
  const parts = [Math.floor(minute / DAY_MINUTES), Math.floor((minute % DAY_MINUTES) / 60), minute % 60];
  return parts.map((n, i) => (n ? `${n}${"dhm"[i]}` : "")).join("") || "0m";
}

function behaviourTest(name: string, increments: number[], checks: { minute: number; fires: boolean }[]) {
  return {
    name,
    interval: "1m",
    input_series: [{ series: 'http_requests_total{route="/checkout", code="200", job="shop", instance="app-1:8080"}', values: seriesValues(increments) }],
    alert_rule_test: checks.map((c) => ({
      eval_time: at(c.minute),
      alertname: "TrafficAnomaly",
      exp_alerts: c.fires
        ? [
            {
              exp_labels: { anomaly: "traffic", route: "/checkout", service: "shop", severity: "warning", team: "web" },
              exp_annotations: { summary: "traffic on /checkout is unusual", description: "see the Anomalies row" },
            },
          ]
        : [],
    })),
  };
}

async function runBehaviour(seasonal: boolean, tests: ReturnType<typeof behaviourTest>[]): Promise<{ code: number; output: string }> {
  const dir = join(work, `behaviour-${seasonal ? "seasonal" : "flat"}`);
  mkdirSync(join(dir, "rules"), { recursive: true });
  const specPath = join(dir, "monitoring.json");
  writeFileSync(specPath, JSON.stringify(behaviourSpec(seasonal)));
  const result = await compile([specPath]);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const rules = result.files.find((f) => f.path === "prometheus/rules/shop.anomalies.rules.yml")!;
  writeFileSync(join(dir, "rules/anomalies.yml"), rules.content);
  const groups = (parse(rules.content) as { groups: { name: string }[] }).groups.map((g) => g.name);
  writeFileSync(join(dir, "behaviour.test.yml"), stringify({ rule_files: ["rules/anomalies.yml"], evaluation_interval: "10m", group_eval_order: groups, tests }, { lineWidth: 0 }));
  return runPromtool(join(dir, "behaviour.test.yml"), PROMTOOL_TIMEOUT_MS);
}

describe("the emitted rules on hand-written series (promtool, rules every 10m)", () => {
  const normal = { minute: 7 * DAY_MINUTES + 10 * 60, fires: false };
  const during = (minutes: number, fires: boolean) => ({ minute: STEP.from + minutes, fires });

  test("a step change fires after its for; the normal days around it do not", async () => {
    const t = behaviourTest("step", traffic(1, [STEP], 7), [normal, during(20, false), during(60, true), during(120, true), { minute: STEP.to + 30, fires: false }]);
    const { code, output } = await runBehaviour(true, [t]);
    expect(code, output).toBe(0);
  }, PROMTOOL_TIMEOUT_MS);

  test("the same step one week earlier too (a weekly pattern) is expected: silent", async () => {
    const lastWeek = { from: STEP.from - 7 * DAY_MINUTES, to: STEP.to - 7 * DAY_MINUTES, factor: STEP.factor };
    const checks = [normal, during(20, false), during(60, false), during(90, false), during(120, false)];
    const seasonal = behaviourTest("weekly repetition", traffic(1, [lastWeek, STEP], 11), checks);
    const { code, output } = await runBehaviour(true, [seasonal]);
    expect(code, output).toBe(0);
    // Against the weekly mean (seasonal: false) the same series fires: the season keeps it quiet.
    const flat = behaviourTest("weekly repetition, against the mean", traffic(1, [lastWeek, STEP], 11), [during(60, true)]);
    const contrast = await runBehaviour(false, [flat]);
    expect(contrast.code, contrast.output).toBe(0);
  }, 2 * PROMTOOL_TIMEOUT_MS);

  test("the same step at a fiftieth of the traffic, below minTraffic, is silent", async () => {
    const t = behaviourTest("below minTraffic", traffic(1 / 50, [STEP], 7), [during(20, false), during(60, false), during(120, false)]);
    const { code, output } = await runBehaviour(true, [t]);
    expect(code, output).toBe(0);
  }, PROMTOOL_TIMEOUT_MS);
});

test("the anomaly model is what the spec says, defaults filled in", () => {
  const { model, diagnostics } = normalizeModel([behaviourSpec(true)]);
  expect(diagnostics).toEqual([]);
  const a = model.services[0]!.anomalies![0]!;
  expect({ alert: a.alertName, baseline: a.baselineMs, sensitivity: a.sensitivity, direction: a.direction, forMs: a.forMs, severity: a.severity }).toEqual({
    alert: "TrafficAnomaly",
    baseline: 7 * 24 * 60 * MINUTE,
    sensitivity: 3,
    direction: "both",
    forMs: 30 * MINUTE,
    severity: "warning",
  });
  expect(emitGrafana(model).files.some((f) => f.content.includes("TrafficAnomaly: traffic in its band"))).toBe(true);
});

test("a service named <other>.anomalies beside one with anomaly alerts is VIG2017: their files would collide", () => {
  const other: MonitoringSpec = { service: { name: "shop.anomalies", team: "web" } };
  const { diagnostics } = normalizeModel([behaviourSpec(true), other]);
  expect(diagnostics.map((d) => [d.code, d.message, d.at?.spec, d.at?.path.join(".")])).toEqual([
    ["VIG2017", 'service "shop.anomalies" collides with the files of service "shop": both write prometheus/rules/shop.anomalies.rules.yml and its tests', 1, "service.name"],
  ]);
});

test("an anomaly's alert may not take the name of another alert of the service", () => {
  const spec = behaviourSpec(true);
  spec.alerts = [{ name: "TrafficAnomaly", expr: "sum(rate(http_requests_total[5m])) > 100", severity: "warning", summary: "s", description: "d" }];
  const { diagnostics } = normalizeModel([spec]);
  expect(diagnostics.map((d) => [d.code, d.message, d.at?.path.join(".")])).toEqual([
    ["VIG2004", 'alert name "TrafficAnomaly" is already the name of another alert of the service', "anomalies.0.name"],
  ]);
});

test("an expr reading a recording of the main rule file: its tests load both files, and pass", async () => {
  const spec: MonitoringSpec = {
    service: { name: "rec", team: "t" },
    teams: [{ name: "t", receivers: [{ name: "s", kind: "slack", channel: "#t", webhook: { env: "W" } }] }],
    alertmanager: { catchAll: { team: "t", receiver: "s" } },
    signals: [{ name: "http_requests_total", type: "counter", labels: ["route"] }],
    recordings: [{ record: "job:http_requests:rate5m", expr: "sum(rate(http_requests_total[5m]))" }],
    anomalies: [{ name: "traffic", expr: "job:http_requests:rate5m", baseline: "1d", direction: "below", minTraffic: 2 }],
  };
  const dir = join(work, "recorded");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "monitoring.json"), JSON.stringify(spec));
  const result = await compile([join(dir, "monitoring.json")]);
  expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const tree = new Map(result.files.map((f) => [f.path, f.content]));
  writeTree(join(dir, "out"), tree);
  const file = parse(tree.get("prometheus/tests/rec.anomalies.test.yml")!) as TestFile;
  expect(file.rule_files).toEqual(["../rules/rec.rules.yml", "../rules/rec.anomalies.rules.yml"]);
  expect(file.group_eval_order).toEqual(["vigil:rec:recordings", "vigil:rec:anomaly:traffic"]);
  expect(file.tests.map((t) => t.name)).toEqual([
    "anomaly TrafficAnomaly: 1d of history, then a drop down inside the band stays silent, a drop below the band fires after 30m, a drop to below minTraffic 2 fires after 30m (the expected value is above it), a step above the band stays silent (direction below)",
    "anomaly TrafficAnomaly: a drop below the band that also happened 1d earlier is expected, stays silent",
    "anomaly TrafficAnomaly: the band test's history and drop to below minTraffic, scaled so that the expected value is just above minTraffic 2 (2.1), fire after 30m",
    "anomaly TrafficAnomaly: the band test's history and drop to below minTraffic, scaled so that the expected value is just below minTraffic 2 (1.9), stay silent",
  ]);
  const { code, output } = await runPromtool(join(dir, "out/prometheus/tests/rec.anomalies.test.yml"), PROMTOOL_TIMEOUT_MS);
  expect(code, output).toBe(0);
}, PROMTOOL_TIMEOUT_MS);

test("inhibitions may name an anomaly alert, on the labels its series carry", () => {
  const spec = behaviourSpec(true);
  spec.alerts = [{ name: "CheckoutDown", expr: "up == 0", severity: "critical", summary: "s", description: "d" }];
  spec.inhibitions = [{ source: "CheckoutDown", targets: ["TrafficAnomaly"] }];
  const { model, diagnostics } = normalizeModel([spec]);
  expect(diagnostics).toEqual([]);
  expect(model.services[0]!.inhibitions!.find((i) => i.kind === "declared")!.target).toContainEqual({ label: "alertname", op: "=", value: "TrafficAnomaly" });
  const wrong = behaviourSpec(true);
  wrong.alerts = spec.alerts;
  wrong.inhibitions = [{ source: "CheckoutDown", targets: ["TrafficAnomaly"], equal: ["instance"] }];
  expect(normalizeModel([wrong]).diagnostics.map((d) => d.message)).toEqual(['alert "TrafficAnomaly" carries no label "instance": the inhibition would never apply']);
});
