import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./rate-of-sum.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

describe("promql/rate-of-sum", () => {
  it.each([
    "sum(rate(http_requests_total[5m]))",
    "rate(http_requests_total[5m:1m])", // a subquery of the raw counter
    "max_over_time(sum(rate(http_requests_total[5m]))[1h:])", // not a rate
    'rate(label_replace(http_requests_total, "route", "$1", "code", "(.*)")[5m:])', // still the counter, series by series
    "rate(topk(3, http_requests_total)[5m:])", // topk returns input series unchanged
    "deriv(sum(memory_bytes)[1h:])", // a sum of gauges is a gauge
    "delta(sum by (pod) (memory_bytes)[1h:])",
    "deriv(sum(rate(http_requests_total[5m]))[30m:])", // change of a rate: fine
    "delta(count(up)[1h:])",
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    ["rate(sum(http_requests_total)[5m:])", "sum(http_requests_total)"],
    ["increase((sum by (code) (http_requests_total))[1h:1m])", "sum by (code) (http_requests_total)"],
    ["irate(max(http_requests_total)[5m:])", "max(http_requests_total)"],
    ["rate(rate(http_requests_total[1m])[5m:])", "rate(http_requests_total[1m])"],
    ["sum(rate(count(up)[5m:]))", "count(up)"],
    ["deriv(sum(http_requests_total)[10m:])", "sum(http_requests_total)"], // a sum of counters drops on every reset
    ["delta(sum by (le) (http_request_duration_seconds_bucket)[1h:])", "sum by (le) (http_request_duration_seconds_bucket)"],
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/rate-of-sum"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("hints at aggregating the rates instead", () => {
    expect(lintWith(rule, specWith({ alerts: [alert("rate(sum(http_requests_total)[5m:])")] }))[0]?.hint).toContain("sum(rate(x[5m]))");
  });
});
