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
import { detect, detectionKey as key, detectionTable, EVAL_MIN, record, scenarios, slothClassify, testFile, text, vigilClassify, WATCH_MIN, APISERVER_DRIVE, type DrivenSeries, type Tier, type ToolRun } from "./sloth-scenarios.js";

/** Sloth's own examples and generated rules (a copy of the shared peer corpus, see its README). */
const CORPUS = join(REPO, "test/fixtures/sloth");
/** Vigil's low-traffic guard in the hand-written specs: a tenth of the steady traffic. */
const MIN_TRAFFIC = 1;
const SCENARIOS = scenarios(MIN_TRAFFIC);

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
    drive: APISERVER_DRIVE,
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

const work = mkdtempSync(join(tmpdir(), "vigil-sloth-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let detection: Map<string, number> = new Map();
/** Firings at the minute the scenario starts (after healthy history): must be none. */
let early: string[] = [];

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

    const slothRun: ToolRun = { tool: "sloth", rulesFile: slothRules, alertnames: [...new Set(sloth.slos.map((s) => s.alertName))], classify: slothClassify };
    const vigilRun: ToolRun = { tool: "vigil", rulesFile: vigilRules, alertnames: [...new Set(sloth.slos.map((s) => s.alertName)), ...noDataNames.keys()], classify: vigilClassify(noDataNames) };
    for (const run of [slothRun, vigilRun]) {
      const testPath = join(dir, `${run.tool}.test.json`);
      writeFileSync(testPath, testFile(run, sloth.slos, c.drive, SCENARIOS));
      runs.push({ file: c.file, run, testPath });
    }
  }

  ({ detection, early } = await detect(runs));
  console.log(detectionTable(detection, SCENARIOS, CASES.map((c) => ({ file: c.file, slos: Object.keys(c.drive) }))));
}, 900_000);

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
