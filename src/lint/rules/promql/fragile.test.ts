import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./fragile.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

const ERRORS = 'rate(http_requests_total{code=~"5.."}[5m])';
const TOTAL = "rate(http_requests_total[5m])";

describe("promql/fragile", () => {
  it.each([
    `sum by (method) (${ERRORS}) / sum by (method) (${TOTAL})`,
    // Same labels, written in a different order.
    `sum by (method, code) (${ERRORS}) / sum by (code, method) (${TOTAL})`,
    `sum(${ERRORS}) / sum(${TOTAL})`,
    `sum(${ERRORS}) / sum by () (${TOTAL})`,
    // Explicit matching says what is meant.
    `sum by (method) (${ERRORS}) / on() group_left sum(${TOTAL})`,
    `sum by (method, code) (${ERRORS}) / ignoring(code) group_left sum by (method) (${TOTAL})`,
    `sum by (method, code) (${ERRORS}) / on(method) group_left sum by (method) (${TOTAL})`,
    // by vs without, yielding the same labels of a declared signal.
    `sum without (code) (${ERRORS}) / sum by (method, job, instance) (${TOTAL})`,
    // Only one side aggregates, or the operator is not arithmetic.
    `sum by (method) (${ERRORS}) / ${TOTAL}`,
    `sum by (method) (${ERRORS}) > sum by (code) (${TOTAL})`,
    `sum by (method) (${ERRORS}) and sum by (code) (${TOTAL})`,
    // Scalar-like sides.
    `sum by (method) (${ERRORS}) / 2`,
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    [`topk(3, ${TOTAL})`, "topk"],
    [`bottomk by (method) (1, ${TOTAL})`, "bottomk"],
    [`count(topk(5, memory_bytes) > 1e9)`, "topk"],
    [`sum by (method) (${ERRORS}) / sum by (code) (${TOTAL})`, `sum by (method) (${ERRORS}) / sum by (code) (${TOTAL})`],
    [`sum(${ERRORS}) / sum by (method) (${TOTAL})`, `sum(${ERRORS}) / sum by (method) (${TOTAL})`],
    // Parenthesised sides, and a nested binary: points at the offending one.
    [`100 * ((sum by (method) (${ERRORS})) - (avg without (code) (${TOTAL})))`, `(sum by (method) (${ERRORS})) - (avg without (code) (${TOTAL}))`],
    [`max by (pod) (memory_bytes) ^ min(memory_bytes)`, "max by (pod) (memory_bytes) ^ min(memory_bytes)"],
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/fragile"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("allows topk() in recording rules, but not mismatched groupings", () => {
    const spec = specWith({
      recordings: [
        { record: "job:http_requests:top3", expr: `topk(3, ${TOTAL})` },
        { record: "job:http_errors:ratio_rate5m", expr: `sum by (method) (${ERRORS}) / sum by (code) (${TOTAL})` },
      ],
    });
    const found = lintWith(rule, spec);
    expect(found.map((d) => [d.at?.path, d.message])).toEqual([
      [["recordings", 1, "expr"], '"/" between sum by (method) and sum by (code) matches series on all their labels, which differ'],
    ]);
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...alert(`topk(1, ${TOTAL})`), lintDisable: { "promql/fragile": "pages for the single busiest method" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
