/**
 * `vigil import sloth`, judged by the real promtool against Sloth's own output. Each Sloth
 * `prometheus/v1` example of the shared corpus (/work/shared/corpora/sloth/examples, slok/sloth
 * v0.16.0) is imported — one monitoring.ts per service — and compiled with compile(); Vigil's
 * rules and Sloth's generated rules (`_gen/<name>.yml`) then run on the same synthetic counters
 * (the scenarios of test/sloth-scenarios.ts, shared with test/sloth-detection.test.ts).
 *
 * Asserted: wherever Sloth pages or tickets, Vigil does too, no later than Sloth + one evaluation
 * interval — including at low traffic, since Sloth has no low-traffic guard and the import sets
 * none (`minTraffic` stays unset: the intended difference is none). Intended differences, each
 * asserted as such: the no-data alert Vigil adds fires when the series disappear (Sloth has
 * none); with both tiers disabled (no-alerts.yml) neither tool pages or tickets, Vigil's no-data
 * alert still fires. home-wifi.yml (gauge-counting SLIs over subqueries, one case per SLO: both
 * count the same gauges) and raw-home-wifi.yml (a raw SLI, imported as an errorRatio SLI) are
 * driven by 50 client gauges, a scenario's error ratio being the share at 0 (the rest at 1); they
 * have no traffic to speak of, so the low-traffic scenarios are not theirs (intended difference:
 * none of Sloth's either).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, parseAllDocuments, stringify as stringifyYaml } from "yaml";
import { parsePromQL } from "../src/promql/parse.js";
import { printExpr } from "../src/promql/print.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { importSpec } from "../src/import/index.js";
import { serviceRulesText } from "./helpers.js";
import { APISERVER_DRIVE, detect, detectionKey, detectionTable, EVAL_MIN, scenarios, testFile, WATCH_MIN, type DrivenSeries, type Firing, type Scenario, type Tier, type ToolRun } from "./sloth-scenarios.js";

const CORPUS = "/work/shared/corpora/sloth/examples";
const SCENARIOS = scenarios(1);

interface Case {
  /** Label in the table: the file, and the service where a file holds several. */
  label: string;
  file: string;
  service: string;
  /** Objective per SLO name (the spec's). */
  slos: { name: string; objective: number }[];
  drive: Record<string, DrivenSeries[]>;
  /** Both tiers disabled in the spec. */
  silent?: boolean;
  /** The scenarios it runs (default all). */
  scenarios?: Scenario[];
  /** Minutes a tier may come after Sloth's beyond one evaluation interval, and why (an intended difference). */
  later?: { tier: Tier; minutes: number; why: string };
}

const requests = (job: string): DrivenSeries[] => [
  { series: `http_request_duration_seconds_count{job="${job}", code="200"}`, counts: "good" },
  { series: `http_request_duration_seconds_count{job="${job}", code="500"}`, counts: "bad" },
];

/**
 * Sloth's home-wifi clients: 10 satisfaction gauges, the bad ones at 0 (under both SLOs'
 * thresholds, 0.75 and 0.5), the good at 1. Not more: Sloth's gauge-counting rules take
 * subqueries over up to 3d, and with 20 clients promtool stops evaluating them at 4h42m of
 * history ("query processing would load too many samples"), with 50 at 1h52m.
 */
const WIFI_CLIENTS: DrivenSeries[] = Array.from({ length: 10 }, (_, i) => ({
  series: `unifipoller_client_satisfaction_ratio{name="client-${String(i + 1).padStart(2, "0")}"}`,
  gauge: { index: i, of: 10, good: 1, bad: 0 },
}));
/** Gauges have no traffic: the scenarios below minTraffic do not apply to them. */
const GAUGE_SCENARIOS = SCENARIOS.filter((s) => s.kind !== "below-min-traffic");
/** 20x the budget of 99.9% is 2% of the clients, not a whole one of 10: that SLO races in the others. */
const WHOLE_CLIENTS_AT_999 = GAUGE_SCENARIOS.filter((s) => !s.phases.some((p) => p.budgets !== undefined));

const CASES: Case[] = [
  { label: "getting-started.yml", file: "getting-started.yml", service: "myservice", slos: [{ name: "requests-availability", objective: 99.9 }], drive: { "requests-availability": requests("myservice") } },
  {
    label: "kubernetes-apiserver.yml",
    file: "kubernetes-apiserver.yml",
    service: "k8s-apiserver",
    slos: [
      { name: "requests-availability", objective: 99.9 },
      { name: "requests-latency", objective: 99 },
    ],
    drive: APISERVER_DRIVE,
  },
  { label: "multifile.yml myservice", file: "multifile.yml", service: "myservice", slos: [{ name: "requests-availability", objective: 99.9 }], drive: { "requests-availability": requests("myservice") } },
  { label: "multifile.yml myservice2", file: "multifile.yml", service: "myservice2", slos: [{ name: "requests-availability", objective: 99.99 }], drive: { "requests-availability": requests("myservice") } },
  { label: "no-alerts.yml", file: "no-alerts.yml", service: "myapp", slos: [{ name: "http-availability", objective: 99.99 }], drive: { "http-availability": requests("myapp") }, silent: true },
  // Both home-wifi SLOs count the same gauges: one case (and one budget to drive them by) each.
  { label: "home-wifi.yml good", file: "home-wifi.yml", service: "home-wifi", slos: [{ name: "good-wifi-client-satisfaction", objective: 95 }], drive: { "good-wifi-client-satisfaction": WIFI_CLIENTS }, scenarios: GAUGE_SCENARIOS },
  { label: "home-wifi.yml risk", file: "home-wifi.yml", service: "home-wifi", slos: [{ name: "risk-wifi-client-satisfaction", objective: 99.9 }], drive: { "risk-wifi-client-satisfaction": WIFI_CLIENTS }, scenarios: WHOLE_CLIENTS_AT_999 },
  {
    label: "raw-home-wifi.yml",
    file: "raw-home-wifi.yml",
    service: "home-wifi",
    slos: [{ name: "wifi-client-satisfaction", objective: 95 }],
    drive: { "wifi-client-satisfaction": WIFI_CLIENTS },
    // Its long windows read the query at each window, as Sloth's raw SLI does: no allowance.
    scenarios: GAUGE_SCENARIOS,
  },
];

const work = mkdtempSync(join(tmpdir(), "vigil-import-sloth-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let detection = new Map<string, number>();
let early: string[] = [];
const imported = new Map<string, { text: string; warnings: string[] }>();

/** An SLO of a service, as both tools' alerts name it: `service/slo`. */
const sloKey = (service: string, slo: string) => `${service}/${slo}`;

function alertNames(rulesText: string): string[] {
  const names = new Set<string>();
  for (const doc of parseAllDocuments(rulesText)) {
    for (const g of ((doc.toJS() as { groups?: { rules?: { alert?: string }[] }[] }).groups ?? [])) for (const r of g.rules ?? []) if (r.alert) names.add(r.alert);
  }
  return [...names].sort();
}

beforeAll(async () => {
  const runs: { file: string; run: ToolRun; testPath: string }[] = [];
  for (const c of CASES) {
    const result = await importSpec("sloth", [join(CORPUS, c.file)], { cwd: CORPUS, service: c.service });
    expect(result.text, `${c.label}: ${result.diagnostics.map((d) => d.message).join("; ")}`).toBeDefined();
    imported.set(c.label, { text: result.text!, warnings: result.diagnostics.map((d) => `${d.code} ${d.message}`) });
    const dir = mkdtempSync(join(work, `${c.label.replace(/\W/g, "_")}-`));
    const specPath = join(dir, "monitoring.ts");
    writeFileSync(specPath, result.text!);
    const compiled = await compile([specPath]);
    const errors = compiled.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.location?.line}:${d.location?.column} ${d.code} ${d.message}`), `${c.label}: the import compiles`).toEqual([]);
    const rules = serviceRulesText(compiled.files, c.service);
    if (!rules) throw new Error(`${c.label}: no rule file among ${compiled.files.map((f) => f.path).join(", ")}`);
    const vigilRules = join(dir, "vigil.rules.yml");
    writeFileSync(vigilRules, rules);
    const noDataNames = new Map(compiled.model!.services.flatMap((s) => s.slos.flatMap((slo) => (slo.noData ? [[slo.noData.alertName, slo.name] as const] : []))));
    // multifile.yml's rules are one document per service: promtool loads one, so they are merged.
    const slothDocs = parseAllDocuments(readFileSync(join(CORPUS, "_gen", c.file), "utf8")).map((d) => d.toJS() as { groups: unknown[] });
    const slothRules = join(dir, "sloth.rules.yml");
    writeFileSync(slothRules, stringifyYaml({ groups: slothDocs.flatMap((d) => d.groups) }, { lineWidth: 0 }));

    const classify =
      (tool: "sloth" | "vigil") =>
      (f: Firing): { slo: string; tier: Tier } | undefined => {
        if (tool === "vigil" && noDataNames.has(f.alertname)) return { slo: sloKey(c.service, noDataNames.get(f.alertname)!), tier: "no-data" };
        const tier = tool === "sloth" ? f.labels.sloth_severity : f.labels.tier;
        const service = tool === "sloth" ? f.labels.sloth_service : f.labels.service;
        const slo = tool === "sloth" ? f.labels.sloth_slo : f.labels.slo;
        return service && slo && (tier === "page" || tier === "ticket") ? { slo: sloKey(service, slo), tier } : undefined;
      };
    const slothRun: ToolRun = { tool: "sloth", rulesFile: slothRules, alertnames: alertNames(readFileSync(slothRules, "utf8")), classify: classify("sloth") };
    const vigilRun: ToolRun = { tool: "vigil", rulesFile: vigilRules, alertnames: alertNames(rules), classify: classify("vigil") };
    for (const run of [slothRun, vigilRun]) {
      const testPath = join(dir, `${run.tool}.test.json`);
      // A spec whose tiers are both disabled has no alert Sloth writes: watch the SLO's metrics anyway.
      writeFileSync(testPath, testFile(run.alertnames.length ? run : { ...run, alertnames: ["NoSuchAlert"] }, c.slos, c.drive, c.scenarios ?? SCENARIOS));
      runs.push({ file: c.label, run, testPath });
    }
  }
  ({ detection, early } = await detect(runs));
  console.log(detectionTable(detection, SCENARIOS, CASES.map((c) => ({ file: c.label, slos: c.slos.map((s) => sloKey(c.service, s.name)) }))));
}, 900_000);

const at = (tool: "sloth" | "vigil", scenario: string, c: Case, slo: string, tier: Tier) => detection.get(detectionKey(tool, scenario, c.label, sloKey(c.service, slo), tier));

describe("vigil import sloth: the imported SLOs alert as Sloth's rules do (promtool)", () => {
  it("every case is driven: Sloth pages on each alerting SLO in the outage; nothing fires after healthy history", () => {
    for (const c of CASES.filter((c) => !c.silent)) for (const s of c.slos) expect(at("sloth", SCENARIOS[0]!.name, c, s.name, "page"), `${c.label} ${s.name}`).toBeDefined();
    expect(early).toEqual([]);
  });

  for (const scenario of SCENARIOS.filter((s) => s.kind !== "no-data")) {
    it(`${scenario.name}: Vigil pages and tickets wherever Sloth does, no later than Sloth + ${EVAL_MIN}m (no minTraffic is imported: Sloth has no low-traffic guard)`, () => {
      let raced = 0;
      for (const c of CASES) {
        for (const s of c.slos) {
          for (const tier of ["page", "ticket"] as const) {
            const sloth = at("sloth", scenario.name, c, s.name, tier);
            if (sloth === undefined) continue;
            raced++;
            const vigil = at("vigil", scenario.name, c, s.name, tier);
            expect(vigil, `${c.label} ${s.name} ${tier}: Sloth at ${sloth}m, Vigil never within ${WATCH_MIN}m`).toBeDefined();
            const later = c.later?.tier === tier ? c.later : undefined;
            expect(vigil!, `${c.label} ${s.name} ${tier}: Sloth at ${sloth}m${later ? ` (intended: up to ${later.minutes}m more, as ${later.why})` : ""}`).toBeLessThanOrEqual(sloth + EVAL_MIN + (later?.minutes ?? 0));
          }
        }
      }
      expect(raced, "Sloth fires somewhere in this scenario").toBeGreaterThan(0);
    });
  }

  it("intended difference: when the series disappear Vigil's no-data alert fires (Sloth has none)", () => {
    const gone = SCENARIOS.find((s) => s.kind === "no-data")!.name;
    for (const c of CASES) for (const s of c.slos) expect(at("vigil", gone, c, s.name, "no-data"), `${c.label} ${s.name}`).toBeDefined();
    // And Sloth has none: nothing of its fires then.
    for (const c of CASES) for (const s of c.slos) for (const tier of ["page", "ticket"] as const) expect(at("sloth", gone, c, s.name, tier), `${c.label} ${s.name} ${tier}`).toBeUndefined();
  });

  it("intended difference: with both tiers disabled neither tool pages or tickets, Vigil's no-data alert remains", () => {
    const c = CASES.find((x) => x.silent)!;
    expect(imported.get(c.label)!.text).toMatch(/page: \{ enabled: false \}/);
    for (const scenario of SCENARIOS) {
      for (const tool of ["sloth", "vigil"] as const) for (const tier of ["page", "ticket"] as const) expect(at(tool, scenario.name, c, c.slos[0]!.name, tier), `${tool} ${scenario.name} ${tier}`).toBeUndefined();
    }
  });

  it("the import says what it changed: Sloth's tier severities and secret-looking labels are left out, the second service is named", () => {
    expect(imported.get("getting-started.yml")!.warnings).toEqual([
      'VIG6003 service label tier="2" is one Vigil sets itself; it is left out',
      `VIG6003 SLO "requests-availability" page alert: label severity="pageteam" is one Vigil sets itself; it is left out; Vigil's page tier is severity critical, its ticket tier warning`,
      'VIG6006 SLO "requests-availability" page alert: label routing_key looks like a credential; it is left out',
      `VIG6003 SLO "requests-availability" ticket alert: label severity="slack" is one Vigil sets itself; it is left out; Vigil's page tier is severity critical, its ticket tier warning`,
    ]);
    expect(imported.get("multifile.yml myservice")!.warnings).toContain('VIG6004 service "myservice2" is not imported: a monitoring.ts holds one service ("myservice")');
    expect(imported.get("getting-started.yml")!.text).not.toContain("routing_key");
  });
});

describe("vigil import sloth: the other prometheus/v1 examples and the Kubernetes CRD", () => {
  it("the k8s-*.yml CRDs import and compile; raw-home-wifi.yml's raw SLI is an errorRatio SLI whose compiled 5m recording is Sloth's query at 5m", { timeout: 300_000 }, async () => {
    for (const file of ["k8s-getting-started.yml", "k8s-home-wifi.yml", "k8s-multifile.yml"]) {
      const result = await importSpec("sloth", [join(CORPUS, file)], { cwd: CORPUS });
      expect(result.text, file).toBeDefined();
      const dir = mkdtempSync(join(work, "other-"));
      writeFileSync(join(dir, "monitoring.ts"), result.text!);
      const compiled = await compile([join(dir, "monitoring.ts")]);
      expect(compiled.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), file).toEqual([]);
      expect(compiled.model!.services[0]!.slos.length, file).toBeGreaterThan(0);
    }
    const k8s = await importSpec("sloth", [join(CORPUS, "k8s-getting-started.yml")], { cwd: CORPUS });
    const plain = await importSpec("sloth", [join(CORPUS, "getting-started.yml")], { cwd: CORPUS });
    // The CRD and the prometheus/v1 spec of the same SLO import to the same spec (but the header).
    const body = (t: string) => t.slice(t.indexOf("*/"));
    expect(body(k8s.text!)).toBe(body(plain.text!));
    const raw = imported.get("raw-home-wifi.yml")!;
    expect(raw.warnings.filter((w) => w.startsWith("VIG6004"))).toEqual([]);
    expect(raw.text).toContain('kind: "errorRatio"');
    const dir = mkdtempSync(join(work, "raw-"));
    writeFileSync(join(dir, "monitoring.ts"), raw.text);
    const compiled = await compile([join(dir, "monitoring.ts")]);
    const query = (parseYaml(readFileSync(join(CORPUS, "raw-home-wifi.yml"), "utf8")) as { slos: { sli: { raw: { error_ratio_query: string } } }[] }).slos[0]!.sli.raw.error_ratio_query;
    const recordings = (parseYaml(serviceRulesText(compiled.files, "home-wifi")!) as { groups: { rules: { record?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    const canonical = (q: string) => printExpr((parsePromQL(q) as { ok: true; expr: Parameters<typeof printExpr>[0] }).expr);
    expect(canonical(recordings.find((r) => r.record === "slo:sli_error_events:rate5m")!.expr)).toBe(canonical(`(${query.replaceAll("{{.window}}", "5m")})`));
  });
});
