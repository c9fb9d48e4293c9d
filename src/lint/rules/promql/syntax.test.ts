import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintRuleFile } from "../../rule-files.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-lint-syntax-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lints a one-rule file; returns `code line:col` of each finding of promql/syntax. */
function lint(expr: string): string[] {
  const file = join(dir, "r.yml");
  writeFileSync(file, `groups:\n  - name: g\n    rules:\n      - record: a:b:c\n        expr: ${JSON.stringify(expr)}\n`);
  return lintRuleFile(file)
    .filter((d) => d.code === "promql/syntax")
    .map((d) => `${d.location!.line}:${d.location!.column} ${d.message}`);
}

describe("promql/syntax", () => {
  it.each(["sum(rate(x[5m]))", "rate(x)" /* a type error, not syntax */])("valid: %s", (expr) => {
    expect(lint(expr)).toEqual([]);
  });

  // Column = 16 + offset: `        expr: "` is 15 characters.
  it.each([
    ["sum(rate(x[5m])", '5:31 unclosed left parenthesis'],
    ["x y", '5:18 unexpected identifier "y"'],
    ['sort_by_label(x, "a")', '5:16 function "sort_by_label" needs Prometheus 2.49 or later (target: Prometheus 2.42)'],
  ])("invalid: %s", (expr, finding) => {
    expect(lint(expr)).toEqual([finding]);
  });
});
