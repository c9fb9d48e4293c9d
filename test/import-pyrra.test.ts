/**
 * `vigil import pyrra` over test/fixtures/import/pyrra/shop.yaml (Pyrra ServiceLevelObjectives
 * written for Vigil, one per indicator kind): the import compiles with compile(); each SLO's
 * objective and window follow `target` and `window`; the compiled 5m SLI recordings read the
 * indicator's selectors (ratio: errors and total; latency: the `le` bucket of the histogram and
 * its count; bool_gauge: the gauge), grouped by `grouping`; `alerting.disabled` leaves the SLO
 * without burn-rate alerts; what cannot map is a warning at its line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { compile } from "../src/compile.js";
import { importSpec } from "../src/import/index.js";
import { parsePromQL } from "../src/promql/parse.js";
import { printExpr } from "../src/promql/print.js";
import { REPO } from "./helpers.js";

const FILE = join(REPO, "test/fixtures/import/pyrra/shop.yaml");
const work = mkdtempSync(join(tmpdir(), "vigil-import-pyrra-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PyrraSlo {
  metadata: { name: string };
  spec: { target: string; window: string; indicator: Record<string, Record<string, { metric?: string } | string[] | string>>; alerting?: { disabled?: boolean } };
}

const canonical = (q: string) => {
  const r = parsePromQL(q);
  if (!r.ok) throw new Error(`does not parse: ${q}`);
  return printExpr(r.expr);
};

test("shop.yaml: ratio, latency and bool_gauge SLOs compile and read the indicators' selectors", { timeout: 180_000 }, async () => {
  const imported = await importSpec("pyrra", [FILE], { cwd: REPO });
  expect(imported.text).toBeDefined();
  expect((await importSpec("pyrra", [FILE], { cwd: REPO })).text).toBe(imported.text);
  const dir = mkdtempSync(join(work, "spec-"));
  writeFileSync(join(dir, "monitoring.ts"), imported.text!);
  const result = await compile([join(dir, "monitoring.ts")]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);

  const docs = parseAllDocuments(readFileSync(FILE, "utf8")).map((d) => d.toJS() as PyrraSlo);
  const imports = docs.filter((d) => d.metadata.name !== "queue-lag");
  const slos = result.model!.services[0]!.slos;
  expect(slos.map((s) => s.name)).toEqual(imports.map((d) => d.metadata.name));
  const rulesOf = (slo: string) =>
    (parseAllDocuments(result.files.find((f) => f.path === `prometheus/rules/shop.slo-${slo}.rules.yml`)!.content)[0]!.toJS() as { groups: { rules: { record?: string; alert?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
  for (const d of imports) {
    const slo = slos.find((s) => s.name === d.metadata.name)!;
    expect(slo.objective).toBe(Number(d.spec.target));
    const days = Number(/^(\d+)([dw])$/.exec(d.spec.window)![1]) * (d.spec.window.endsWith("w") ? 7 : 1);
    expect(slo.windowMs).toBe(days * 86_400_000);
    const rules = rulesOf(d.metadata.name);
    const five = (r: string) => canonical(rules.find((x) => x.record === r)!.expr);
    const [kind, indicator] = Object.entries(d.spec.indicator)[0]!;
    const metric = (k: string) => canonical((indicator[k] as { metric: string }).metric);
    const grouping = (indicator.grouping as string[] | undefined) ?? [];
    if (kind === "ratio") {
      expect(five("slo:sli_error_events:rate5m")).toContain(`rate(${metric("errors")}[5m])`);
      expect(five("slo:sli_total_events:rate5m")).toContain(`rate(${metric("total")}[5m])`);
      for (const label of grouping) expect(five("slo:sli_total_events:rate5m")).toMatch(new RegExp(`by \\([^)]*\\b${label}\\b`));
    } else if (kind === "latency") {
      // The bucket of the success selector (its le) over all observations.
      const success = (indicator.success as { metric: string }).metric;
      const le = /le="([^"]+)"/.exec(success)![1]!;
      const all = [...rules.filter((r) => r.record?.endsWith(":rate5m")).map((r) => r.expr)].join("\n");
      expect(all).toContain(`le="${le}"`);
      expect(all).toContain("http_request_duration_seconds_count");
    } else {
      expect(kind).toBe("bool_gauge");
      expect([...rules.filter((r) => r.record?.endsWith(":rate5m")).map((r) => r.expr)].join("\n")).toContain(canonical((indicator as unknown as { metric: string }).metric));
    }
    const burnAlerts = rules.filter((r) => r.alert && !r.alert.endsWith("SLINoData"));
    expect(burnAlerts.length > 0, d.metadata.name).toBe(!d.spec.alerting?.disabled);
  }
  expect(imported.diagnostics.map((x) => `${x.location!.line} ${x.code}`)).toEqual(["22 VIG6003", "64 VIG6004"]);
  expect(imported.text).toContain('alerting: { name: "CheckoutErrorBudgetBurn" }');
});
