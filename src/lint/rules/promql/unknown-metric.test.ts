import { describe, expect, it } from "vitest";
import type { MonitoringSpec } from "../../../spec/types.js";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./unknown-metric.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });
const base = specWith({});
const spec = (exprs: string[]): MonitoringSpec =>
  specWith({
    signals: [...base.signals!, { name: "rpc_duration_seconds", type: "summary", labels: ["rpc"], quantiles: [0.5, 0.99] }],
    recordings: [{ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" }],
    alerts: exprs.map((expr, i) => ({ ...alert(expr), name: `A${i}` })),
  });

describe("promql/unknown-metric", () => {
  it.each([
    "rate(http_requests_total[5m])",
    "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
    'rpc_duration_seconds{quantile="0.99"}', // a summary's quantile series carry its own name
    "rate(rpc_duration_seconds_count[5m])",
    "job:http_requests:rate5m", // a recording rule of the service
    'ALERTS{alertstate="firing"}', // built into Prometheus
    "up == 0",
    'count({job="api"})', // no metric name: nothing to check
    '{__name__="memory_bytes"}',
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, spec([expr]))).toEqual([]);
  });

  it.each([
    ["rate(http_request_total[5m])", "http_request_total"],
    ["sum(rate(http_requests_total[5m])) / sum(rate(http_requestz_total[5m]))", "http_requestz_total"],
    ["http_request_duration_seconds > 1", "http_request_duration_seconds"], // a classic histogram has no series of its base name
    ["rate(memory_bytes_count[5m])", "memory_bytes_count"], // a gauge has no _count
    ["rate(rpc_duration_seconds_bucket[5m])", "rpc_duration_seconds_bucket"], // a summary has no buckets
    ['{__name__="http_request_total", code="500"}', "http_request_total"],
    ["absent(heartbeat_timestamp_seconds)", "heartbeat_timestamp_seconds"],
  ])("invalid: %s", (expr, pointed) => {
    const s = spec([expr]);
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["promql/unknown-metric"]);
    expect(pointedText(s, found[0]!)).toBe(pointed);
  });

  it("suggests the closest series name, histogram parts included", () => {
    const found = lintWith(rule, spec(["rate(http_request_duration_seconds_buckets[5m])"]));
    expect(found[0]?.hint).toBe('did you mean "http_request_duration_seconds_bucket"?');
    expect(lintWith(rule, spec(["rate(http_request_total[5m])"]))[0]?.hint).toBe('did you mean "http_requests_total"?');
  });

  it("checks SLI queries", () => {
    const s = specWith({
      slos: [{ name: "avail", objective: 99.9, sli: { kind: "ratio", bad: 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))', total: "sum(rate(http_request_total[{{window}}]))" } }],
    });
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["promql/unknown-metric"]);
    expect(pointedText(s, found[0]!)).toBe("http_request_total");
  });
});
