/**
 * `vigil import openslo`: the OpenSLO v1 examples of the shared corpus
 * (/work/shared/corpora/openslo/examples, OpenSLO/OpenSLO at aa5cb78) all import and compile;
 * their metric sources are `type: Any` (no query) or a threshold metric, so each SLO is named in a
 * VIG6004 warning saying why it cannot map. checkout.yaml (written for Vigil) maps: its SLIs'
 * queries, compiled, are the SLO's 5m event recordings; objectives and windows follow the
 * documents; what changes (calendar window, Timeslices budgeting) and what has no counterpart
 * (an AlertPolicy) is a warning at its line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { compile } from "../src/compile.js";
import { importSpec } from "../src/import/index.js";
import { parsePromQL } from "../src/promql/parse.js";
import { printExpr } from "../src/promql/print.js";
import { REPO } from "./helpers.js";

const CORPUS = "/work/shared/corpora/openslo/examples";
const walk = (dir: string): string[] => readdirSync(dir).sort().flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : /\.ya?ml$/.test(f) ? [join(dir, f)] : []));
const work = mkdtempSync(join(tmpdir(), "vigil-import-openslo-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function importAndCompile(file: string) {
  const imported = await importSpec("openslo", [file], { cwd: REPO });
  expect(imported.text, imported.diagnostics.map((d) => d.message).join("; ")).toBeDefined();
  const dir = mkdtempSync(join(work, "spec-"));
  writeFileSync(join(dir, "monitoring.ts"), imported.text!);
  const result = await compile([join(dir, "monitoring.ts")]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return { imported, result };
}

const canonical = (q: string) => {
  const r = parsePromQL(q);
  if (!r.ok) throw new Error(`does not parse: ${q}`);
  return printExpr(r.expr);
};

describe("vigil import openslo: the OpenSLO examples", () => {
  test.for(walk(CORPUS).map((f) => [relative(CORPUS, f), f]))("%s imports, compiles, and names what cannot map", { timeout: 120_000 }, async ([, file]) => {
    const { imported } = await importAndCompile(file!);
    const docs = parseAllDocuments(readFileSync(file!, "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { indicator?: { spec: Record<string, { metricSource?: { type: string } } & Record<string, { metricSource?: { type: string } }>> } } });
    for (const slo of docs.filter((d) => d.kind === "SLO")) {
      const warning = imported.diagnostics.find((d) => d.code === "VIG6004" && d.message.startsWith(`SLO "${slo.metadata.name}" is not imported`));
      expect(warning, slo.metadata.name).toBeDefined();
      const indicator = slo.spec.indicator!.spec;
      if (indicator.thresholdMetric) expect(warning!.message).toContain("a threshold indicator");
      else expect(warning!.message).toContain(`metric source type "${indicator.ratioMetric!.good!.metricSource!.type}" is not Prometheus`);
      // Located at the indicator in the file.
      const line = readFileSync(file!, "utf8").split("\n")[warning!.location!.line - 1]!;
      expect(line).toMatch(/ratioMetric|thresholdMetric/);
    }
  });
});

describe("vigil import openslo: Prometheus indicators", () => {
  test("checkout.yaml: SLI documents and inline indicators become ratio SLIs whose compiled 5m recordings are the queries", { timeout: 120_000 }, async () => {
    const file = join(REPO, "test/fixtures/import/openslo/checkout.yaml");
    const { imported, result } = await importAndCompile(file);
    const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    const slos = result.model!.services[0]!.slos;
    const sloDocs = docs.filter((d) => d.kind === "SLO");
    expect(slos.map((s) => s.name)).toEqual(sloDocs.map((d) => d.metadata.name));
    for (const d of sloDocs) {
      const slo = slos.find((s) => s.name === d.metadata.name)!;
      const target = (d.spec.objectives as { target: number }[])[0]!.target;
      expect(slo.objective).toBeCloseTo(target * 100, 10);
    }
    // The referenced SLI's queries, at 5m, are what the compiled SLO records.
    const sli = docs.find((d) => d.kind === "SLI")!.spec.ratioMetric as Record<string, { metricSource: { spec: { query: string } } }>;
    const rules = result.files.find((f) => f.path === "prometheus/rules/checkout.slo-checkout-availability.rules.yml")!.content;
    const recorded = (parseAllDocuments(rules)[0]!.toJS() as { groups: { rules: { record?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    const at5m = (q: string) => canonical(q.replace("{{.window}}", "5m"));
    expect(canonical(recorded.find((r) => r.record === "slo:sli_total_events:rate5m")!.expr)).toContain(at5m(sli.total!.metricSource.spec.query));
    expect(canonical(recorded.find((r) => r.record === "slo:sli_error_events:rate5m")!.expr)).toContain(at5m(sli.bad!.metricSource.spec.query));
    // Bare selectors are rated over the window; the window's days are kept (4w = 28d, 1w = 7d).
    expect(imported.text).toContain("good: `sum(rate(${paymentsTotal.select({ outcome: \"succeeded\" })}[${WINDOW}]))`");
    expect(slos.map((s) => s.windowMs / 86_400_000)).toEqual([28, 7]);
    expect(imported.diagnostics.map((d) => `${d.location!.line} ${d.code}`)).toEqual(["66 VIG6003", "71 VIG6003", "79 VIG6004"]);
    const again = await importSpec("openslo", [file], { cwd: REPO });
    expect(again.text).toBe(imported.text);
  });
});

describe("vigil import openslo: threshold indicators", () => {
  test("thresholds.yaml: each thresholdMetric SLO is a VIG6004 at its thresholdMetric key saying what it counts and why no SLI can; the ratio SLO beside them imports", { timeout: 120_000 }, async () => {
    const file = join(REPO, "test/fixtures/import/openslo/thresholds.yaml");
    const text = readFileSync(file, "utf8");
    const { imported, result } = await importAndCompile(file);
    expect(result.model!.services[0]!.slos.map((s) => s.name)).toEqual(["search-errors"]);
    // The thresholdMetric keys of the file, in order (the SLI document's, then the inline one's).
    const keys = text.split("\n").flatMap((l, i) => (/^\s*thresholdMetric:/.test(l) ? [`${i + 1}:${l.indexOf("thresholdMetric") + 1}`] : []));
    expect(keys.length).toBe(2);
    const warnings = imported.diagnostics.filter((d) => d.code === "VIG6004");
    expect(warnings.map((d) => `${d.location!.line}:${d.location!.column}`)).toEqual(keys);
    const [latency, queue] = warnings;
    // What it counts, from the document: its query, each objective's op and value, time slices for Timeslices.
    expect(latency!.message).toContain('SLO "search-latency" is not imported: a threshold indicator counts the time slices where `histogram_quantile(0.99, sum by (le) (rate(search_duration_seconds_bucket[5m])))` is <= 0.3');
    expect(latency!.message).toContain("none compares a query's value with a threshold");
    expect(latency!.hint).toContain("latency SLI over the histogram");
    expect(queue!.message).toContain('SLO "queue-depth" is not imported: a threshold indicator counts the evaluations where `max(search_indexer_queue_depth)` is < 1000');
    expect(queue!.hint).toBeUndefined();
  });
});
