import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./comparison.js";

/** An alert without Vigil's threshold: the expression must compare by itself. */
const bare = (expr: string) => ({ name: "A", expr, severity: "warning" as const, summary: "s", description: "d" });

const RATE = "rate(http_requests_total[5m])";

describe("alerts/comparison", () => {
  it.each([
    `${RATE} > 1`,
    `(sum(${RATE}) < 0.1)`,
    'absent(up{job="api"})',
    "absent_over_time(memory_bytes[10m])",
    // Built on a filtered input.
    "count(up == 0) ",
    "sum by (job) (up == 0)",
    `label_replace(${RATE} > 1, "x", "y", "", "")`,
    "max_over_time((up == 0)[10m:1m])",
    `(${RATE} > 1) * 100`,
    `${RATE} / (memory_bytes > 1e9)`,
    // Set operators: a filtered left side, or right side of `and`, or both sides of `or`.
    `${RATE} > 1 and on() up == 1`,
    `${RATE} and on() (up == 0)`,
    `${RATE} > 1 unless memory_bytes`,
    `${RATE} > 1 or absent(up)`,
    // No selector at all: an always-firing Watchdog alert, on purpose.
    "vector(1)",
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [bare(expr)] }))).toEqual([]);
  });

  it("is quiet when Vigil adds the comparison (threshold or thresholds)", () => {
    const spec = specWith({
      alerts: [
        { ...bare(RATE), threshold: 1 },
        { name: "B", expr: "memory_bytes", thresholds: { critical: 2e9, warning: 1e9 }, summary: "s", description: "d" },
      ],
    });
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it.each([
    [RATE, RATE],
    ["sum by (code) (rate(http_requests_total[5m]))", "sum by (code) (rate(http_requests_total[5m]))"],
    // Leading and trailing blanks are not part of the expression.
    ["  memory_bytes\n", "memory_bytes"],
    // `bool` returns every series, 0 or 1.
    ["up == bool 0", "up == bool 0"],
    // Only one side of `or` compares; `unless` with a comparison on the right only.
    [`${RATE} > 1 or memory_bytes`, `${RATE} > 1 or memory_bytes`],
    [`${RATE} unless memory_bytes > 1`, `${RATE} unless memory_bytes > 1`],
    ["topk(3, memory_bytes)", "topk(3, memory_bytes)"],
  ])("invalid: %j", (expr, pointed) => {
    const spec = specWith({ alerts: [bare(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["alerts/comparison"]);
    expect(found[0]?.at?.path).toEqual(["alerts", 0, "expr"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("ignores recording rules", () => {
    expect(lintWith(rule, specWith({ recordings: [{ record: "job:http_requests:rate5m", expr: `sum(${RATE})` }] }))).toEqual([]);
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...bare(RATE), lintDisable: { "alerts/comparison": "a deliberately chatty info alert" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
