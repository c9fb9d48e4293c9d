import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Expr } from "./ast.js";
import { analyzePromQL } from "./frontend.js";
import { printExpr } from "./print.js";
import { parseVersion } from "./version.js";

/** The AST without source positions: what "the same expression" means. */
function shape(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value) => (key === "start" || key === "end" || key === "opStart" ? undefined : value)));
}

const HAND_PICKED = [
  "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))",
  "a + b * c ^ d ^ e",
  "-2 ^ 2",
  "(a + b) * c",
  "a - -1",
  "- -foo",
  "foo offset -5m",
  "foo[5m] offset 1m @ 5",
  "foo @ start()",
  "rate(foo[90m:1m])[1h:]",
  "topk without (a) (3, foo)",
  'count_values("v", foo)',
  "a and on (x) b or c unless ignoring (y) d",
  "a * on (x) group_left (y, z) b",
  "a / ignoring (x) group_right b",
  "a > bool 1",
  "1 + 1e-7 + 1e21 + 0x1f + .5 + Inf + -Inf + NaN",
  'count_values("a\\nb\\"c", up)',
  "`raw\\string`",
  "sum",
  "offset",
  "foo:bar:baz{a!=\"\", b!~\"x|y\"}",
  "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))",
  "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")",
  "vector(1) # a comment",
];

const TARGET = parseVersion("2.42")!;

function corpusValid(): string[] {
  const file = new URL("../../test/promql/truth-2.42.json", import.meta.url);
  if (!existsSync(file)) return [];
  const truth = JSON.parse(readFileSync(file, "utf8")) as { entries?: { expr: string; valid: boolean }[] } | { expr: string; valid: boolean }[];
  const entries = Array.isArray(truth) ? truth : (truth.entries ?? []);
  return entries.filter((e) => e.valid).map((e) => e.expr);
}

describe("printer", () => {
  const all = [...HAND_PICKED, ...corpusValid()];
  it.each(all)("parse(print(ast)) has the shape of ast: %s", (text) => {
    const first = analyzePromQL(text, TARGET);
    if (!first.ok) throw new Error(`does not parse: ${first.errors[0]!.message}`);
    const printed = printExpr(first.expr);
    const again = analyzePromQL(printed, TARGET);
    if (!again.ok) throw new Error(`printed form does not parse: ${printed}: ${again.errors[0]!.message}`);
    expect(shape(again.expr)).toEqual(shape(first.expr));
    // Canonical: printing is a fixed point.
    expect(printExpr(again.expr)).toBe(printed);
  });

  it.each([
    ["sum(rate(foo[90m])) by (job)", "sum by (job) (rate(foo[1h30m]))"],
    ["foo{a='b'}", 'foo{a="b"}'],
    ["a+on(x)group_left(y)b", "a + on (x) group_left (y) b"],
    ["0x10 * 017", "16 * 15"],
    ["foo[120s]", "foo[2m]"],
  ])("canonical form of %s is %s", (text, canonical) => {
    const r = analyzePromQL(text, TARGET);
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(printExpr(r.expr)).toBe(canonical);
  });
});

describe("node spans", () => {
  it("an aggregation with trailing grouping spans up to its closing parenthesis", () => {
    const text = "sum(rate(x[5m])) by (job) + 1";
    const r = analyzePromQL(text, TARGET);
    if (!r.ok || r.expr.type !== "binary") throw new Error("expected a binary expression");
    expect(text.slice(r.expr.lhs.start, r.expr.lhs.end)).toBe("sum(rate(x[5m])) by (job)");
  });
});
