import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./division-nan.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

const SUM = "rate(http_request_duration_seconds_sum[5m])";
const COUNT = "rate(http_request_duration_seconds_count[5m])";

describe("promql/division-nan", () => {
  it.each([
    // At the top of an alert a NaN only fails the threshold.
    `sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))`,
    `${SUM} / ${COUNT}`,
    // min/max skip NaN; count ignores values.
    `max(${SUM} / ${COUNT})`,
    `count(${SUM} / ${COUNT})`,
    // Guards: a comparison (filtering or bool) on the quotient or the divisor, or `and` a comparison.
    `sum(${SUM} / ${COUNT} > 0)`,
    `sum(${SUM} / ${COUNT} >= bool 1)`,
    `sum(${SUM} / (${COUNT} > 0))`,
    `sum(${SUM} / ${COUNT} and ${COUNT} > 0)`,
    `sum(${SUM} / clamp_min(${COUNT}, 0.001))`,
    // Not a rate divisor.
    "sum(memory_bytes / 1024)",
    "avg(memory_bytes / memory_bytes offset 1h)",
    // Aggregating before dividing.
    `sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[5m]))`,
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    [`sum(${SUM} / ${COUNT})`, COUNT],
    [`avg by (route) (http_request_duration_seconds_sum / increase(http_request_duration_seconds_count[10m]))`, "increase(http_request_duration_seconds_count[10m])"],
    // A divisor that aggregates a rate, parenthesised: the whole divisor as written.
    [`sum(memory_bytes / (sum by (pod) (irate(http_requests_total[1m]))))`, "(sum by (pod) (irate(http_requests_total[1m])))"],
    // A comparison outside the sum comes too late: the sum is already NaN.
    [`sum(${SUM} / ${COUNT}) > 0`, COUNT],
    // A comparison on the numerator guards nothing.
    [`sum((${SUM} > 0) / ${COUNT})`, COUNT],
    // Averaging over time through a subquery is poisoned the same way.
    [`avg_over_time((${SUM} / ${COUNT})[1h:5m])`, COUNT],
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/division-nan"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("checks recording rules and names the aggregation", () => {
    const spec = specWith({ recordings: [{ record: "job:latency:avg5m", expr: `avg(${SUM} / ${COUNT})` }] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.message)).toEqual([
      "division by rate() inside avg(): where the rate is 0 the quotient is NaN or Inf, and avg() of it is NaN/Inf for all series",
    ]);
    expect(found[0]?.hint).toContain(`(${COUNT} > 0)`);
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...alert(`sum(${SUM} / ${COUNT})`), lintDisable: { "promql/division-nan": "every route always has traffic" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
