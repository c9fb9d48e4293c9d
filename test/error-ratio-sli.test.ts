/**
 * The errorRatio SLI (the error ratio written as PromQL, e.g. Sloth's raw SLI) is checked like
 * other PromQL of a spec: a syntax error and an undeclared metric in its query are errors at
 * their place in the spec file, and a clean one compiles to SLI recordings that are the query.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { compile } from "../src/compile.js";
import { serviceRulesText } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "vigil-error-ratio-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const QUERY = "1 - (sum(sum_over_time(wifi_satisfaction_ratio[{{window}}])) / sum(count_over_time(wifi_satisfaction_ratio[{{window}}])))";
const specText = (query: string) =>
  JSON.stringify(
    {
      service: { name: "wifi", team: "home" },
      teams: [{ name: "home", receivers: [{ name: "hook", kind: "webhook", url: "http://127.0.0.1:1/hook" }] }],
      alertmanager: { catchAll: { team: "home", receiver: "hook" } },
      signals: [{ name: "wifi_satisfaction_ratio", type: "gauge" }],
      slos: [{ name: "satisfaction", objective: 95, sli: { kind: "errorRatio", query } }],
    },
    null,
    2,
  );

async function compileText(text: string) {
  const dir = mkdtempSync(join(work, "spec-"));
  writeFileSync(join(dir, "monitoring.json"), text);
  return compile([join(dir, "monitoring.json")], { typecheck: false });
}

/** 1-based line and column of `needle` in `text`. */
function position(text: string, needle: string): string {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

test("a syntax error and an undeclared metric in the query are located errors; a clean query is the SLI's 5m recording", { timeout: 120_000 }, async () => {
  const unclosed = QUERY.replace("[{{window}}]))", "[{{window}}])");
  const bad = await compileText(specText(unclosed));
  const syntax = bad.diagnostics.filter((d) => d.severity === "error");
  expect(syntax.map((d) => d.code)).toEqual(["VIG3001"]);
  expect(syntax[0]!.location!.line).toBe(Number(position(specText(unclosed), '"query"').split(":")[0]));

  const misspelt = QUERY.replace("sum_over_time(wifi_satisfaction_ratio", "sum_over_time(wifi_satisfaction_ration");
  const unknown = (await compileText(specText(misspelt))).diagnostics.filter((d) => d.severity === "error");
  expect(unknown.map((d) => `${d.code} ${d.location!.line}:${d.location!.column}`)).toEqual([`VIG2001 ${position(specText(misspelt), "wifi_satisfaction_ration")}`]);

  const good = await compileText(specText(QUERY));
  expect(good.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const rules = (parseYaml(serviceRulesText(good.files, "wifi")!) as { groups: { rules: { record?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
  expect(rules.find((r) => r.record === "slo:sli_error_events:rate5m")!.expr).toBe(`(${QUERY.replaceAll("{{window}}", "5m")})`);
  expect(rules.find((r) => r.record === "slo:sli_total_events:rate5m")!.expr).toBe(`((${QUERY.replaceAll("{{window}}", "5m")}) * 0 + 1)`);
});
