import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./histogram-quantile-le.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });
const spec = (expr: string) =>
  specWith({
    recordings: [{ record: "route:http_request_duration_seconds_bucket:rate5m", expr: "sum by (route, le) (rate(http_request_duration_seconds_bucket[5m]))" }],
    alerts: [alert(expr)],
  });

describe("promql/histogram-quantile-le", () => {
  it.each([
    "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.9, sum by (route, le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.9, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))",
    "histogram_quantile(0.9, sum without (instance) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))", // no aggregation
    "histogram_quantile(0.9, (sum by (le, job) (rate(http_request_duration_seconds_bucket[5m]))))",
    "histogram_quantile(0.9, sum(route:http_request_duration_seconds_bucket:rate5m) by (le))", // a recording rule keeping le
    "histogram_quantile(0.9, sum(rate(http_request_duration_seconds[5m])))", // a native histogram has no le
    "max by (le) (sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", // not inside histogram_quantile
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, spec(expr))).toEqual([]);
  });

  it.each([
    ["histogram_quantile(0.9, sum(rate(http_request_duration_seconds_bucket[5m])))", "sum(rate(http_request_duration_seconds_bucket[5m]))"],
    ["histogram_quantile(0.9, sum by (route) (rate(http_request_duration_seconds_bucket[5m])))", "sum by (route) (rate(http_request_duration_seconds_bucket[5m]))"],
    ["histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (route))", "sum(rate(http_request_duration_seconds_bucket[5m])) by (route)"],
    ["histogram_quantile(0.9, sum without (le) (rate(http_request_duration_seconds_bucket[5m])))", "sum without (le) (rate(http_request_duration_seconds_bucket[5m]))"],
    ["histogram_quantile(0.9, (avg(rate(http_request_duration_seconds_bucket[5m]))))", "avg(rate(http_request_duration_seconds_bucket[5m]))"],
    // the inner aggregation drops le; the outer one cannot bring it back
    ["histogram_quantile(0.9, max by (le) (sum by (route) (rate(http_request_duration_seconds_bucket[5m]))))", "sum by (route) (rate(http_request_duration_seconds_bucket[5m]))"],
    // an undeclared _bucket series: le is explicitly dropped
    ["histogram_quantile(0.5, sum without (le) (rate(rpc_latency_seconds_bucket[5m])))", "sum without (le) (rate(rpc_latency_seconds_bucket[5m]))"],
    ["histogram_quantile(0.5, sum by (job) (rate(rpc_latency_seconds_bucket[5m])))", "sum by (job) (rate(rpc_latency_seconds_bucket[5m]))"],
  ])("invalid: %s", (expr, pointed) => {
    const s = spec(expr);
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["promql/histogram-quantile-le"]);
    expect(pointedText(s, found[0]!)).toBe(pointed);
  });

  it("hints at the grouping that keeps le", () => {
    const found = lintWith(rule, spec("histogram_quantile(0.9, sum by (route) (rate(http_request_duration_seconds_bucket[5m])))"));
    expect(found[0]?.hint).toBe("keep le: sum by (route, le) (...)");
  });
});
