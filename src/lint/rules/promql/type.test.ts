import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintRuleFile } from "../../rule-files.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-lint-type-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(expr: string): string[] {
  const file = join(dir, "r.yml");
  writeFileSync(file, `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(expr)}\n`);
  return lintRuleFile(file)
    .filter((d) => d.code === "promql/type")
    .map((d) => `${d.location!.line}:${d.location!.column} ${d.message}`);
}

describe("promql/type", () => {
  it.each(["rate(x[5m]) > 1", "x y" /* a syntax error, not a type error */])("valid: %s", (expr) => {
    expect(lint(expr)).toEqual([]);
  });

  it.each([
    ["rate(x) > 1", '5:21 expected type range vector in call to function "rate", got instant vector'],
    ["1 == 2", "5:18 comparisons between scalars must use BOOL modifier"],
    ["x + y[5m]", "5:20 binary expression must contain only scalar and instant vector types"],
  ])("invalid: %s", (expr, finding) => {
    expect(lint(expr)).toEqual([finding]);
  });
});
