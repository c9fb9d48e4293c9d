import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./unknown-label.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });
const spec = (expr: string) =>
  specWith({
    recordings: [{ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" }],
    alerts: [alert(expr)],
  });

describe("promql/unknown-label", () => {
  it.each([
    'rate(http_requests_total{code="500", method="GET"}[5m])',
    'up{job="api", instance="host:9090"}', // target labels
    'http_request_duration_seconds_bucket{le="0.5", route="/"}', // buckets carry le
    'job:http_requests:rate5m{anything="x"}', // a recording rule: labels not declared
    'sum by (foo) (undeclared_metric{bar="x"})', // unknown metric: promql/unknown-metric reports it
    "sum by (code) (rate(http_requests_total[5m]))",
    "sum(rate(http_requests_total[5m])) by (code, job)",
    "sum without (method) (rate(http_requests_total[5m]))",
    "histogram_quantile(0.9, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))",
    'sum by (dst) (label_replace(memory_bytes, "dst", "$1", "pod", "(.*)"))', // label_replace adds dst
    "sum by (code) (rate(http_requests_total[5m])) / ignoring(code) group_left sum(rate(http_requests_total[5m]))", // one side suffices
    "memory_bytes * on(instance) group_left(code) sum by (instance, code) (rate(http_requests_total[5m]))",
    "sum by (pod) # one series per pod (not per container)\n(memory_bytes)",
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, spec(expr))).toEqual([]);
  });

  it.each([
    ['rate(http_requests_total{cdoe="500"}[5m])', "cdoe"],
    ['rate(http_request_duration_seconds_count{le="1"}[5m])', "le"], // only _bucket series have le
    ['up{pod="x"}', "pod"],
    ["sum by (route) (rate(http_requests_total[5m]))", "route"],
    ["sum(rate(http_requests_total[5m])) by (code, stauts)", "stauts"],
    ["sum without (pod) (rate(http_requests_total[5m]))", "pod"],
    ["sum by (__name__) (rate(http_requests_total[5m]))", "__name__"], // rate() drops the metric name
    ["max by (code) (sum by (method) (rate(http_requests_total[5m])))", "code"],
    ["memory_bytes / on(pood) memory_bytes", "pood"],
    ["memory_bytes / ignoring(code) up", "code"],
    ["sum by (pod) (memory_bytes) * on(pod) group_left(route) memory_bytes", "route"],
    ["up * on(job) group_right(code) sum by (job, code) (rate(http_requests_total[5m]))", "code"], // copied from up, which lacks it
  ])("invalid: %s", (expr, pointed) => {
    const s = spec(expr);
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["promql/unknown-label"]);
    expect(pointedText(s, found[0]!)).toBe(pointed);
  });

  it("points at each occurrence where it is written", () => {
    const expr = 'sum by (pod) (rate(http_requests_total{pod="x"}[5m]))';
    const found = lintWith(rule, spec(expr));
    expect(found.map((d) => d.at?.offset).sort((a, b) => a! - b!)).toEqual([expr.indexOf("pod"), expr.lastIndexOf("pod")]);
  });

  it("hints at the closest label", () => {
    expect(lintWith(rule, spec("sum by (cdoe) (rate(http_requests_total[5m]))"))[0]?.hint).toBe('did you mean "code"?');
    expect(lintWith(rule, spec("sum by (datacenter) (rate(http_requests_total[5m]))"))[0]?.hint).toBe("it can carry: code, method, job, instance");
  });
});
