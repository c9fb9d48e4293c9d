import { describe, expect, it } from "vitest";
import type { MonitoringSpec } from "../../../spec/types.js";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./rate-on-gauge.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });
const base = specWith({});
const spec = (expr: string): MonitoringSpec =>
  specWith({
    signals: [...base.signals!, { name: "rpc_duration_seconds", type: "summary", labels: ["rpc"], quantiles: [0.5, 0.99] }],
    recordings: [{ record: "job:memory_bytes:sum", expr: "sum by (job) (memory_bytes)" }],
    alerts: [alert(expr)],
  });

describe("promql/rate-on-gauge", () => {
  it.each([
    "rate(http_requests_total[5m])",
    "increase(http_requests_total[1h])",
    "resets(http_requests_total[1h])",
    "sum by (le) (rate(http_request_duration_seconds_bucket[5m]))", // buckets are counters
    "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
    "rate(rpc_duration_seconds_count[5m])", // a summary's _count is a counter
    "deriv(memory_bytes[10m])",
    "delta(memory_bytes[1h])",
    "predict_linear(memory_bytes[1h], 4 * 3600)",
    "rate(job:memory_bytes:sum[5m])", // a recording rule: type not declared
    "rate(undeclared_total[5m])",
    "avg_over_time(up[5m])", // neither kind of function
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, spec(expr))).toEqual([]);
  });

  it.each([
    ["rate(memory_bytes[5m])", "memory_bytes[5m]"],
    ['sum(irate(memory_bytes{pod="a"}[1m]))', 'memory_bytes{pod="a"}[1m]'],
    ["increase(up[1h]) > 0", "up[1h]"],
    ["resets(memory_bytes[1h])", "memory_bytes[1h]"],
    ['rate(rpc_duration_seconds{quantile="0.99"}[5m])', 'rpc_duration_seconds{quantile="0.99"}[5m]'], // summary quantiles are gauges
    ["deriv(http_requests_total[10m])", "http_requests_total[10m]"],
    ["delta(http_request_duration_seconds_count[1h])", "http_request_duration_seconds_count[1h]"],
    ["idelta(http_requests_total[5m])", "http_requests_total[5m]"],
    ["predict_linear(http_requests_total[1h], 3600)", "http_requests_total[1h]"],
  ])("invalid: %s", (expr, pointed) => {
    const s = spec(expr);
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["promql/rate-on-gauge"]);
    expect(pointedText(s, found[0]!)).toBe(pointed);
  });

  it("suggests the function for the signal's type", () => {
    expect(lintWith(rule, spec("rate(memory_bytes[5m])"))[0]?.hint).toContain("deriv()");
    expect(lintWith(rule, spec("delta(http_requests_total[1h])"))[0]?.hint).toContain("increase()");
  });
});
