import { describe, expect, it } from "vitest";
import type { MonitoringSpec } from "../../../spec/types.js";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./unknown-metric.js";

const spec = (exprs: string[], variableQuery = 'label_values(up{job="svc"}, instance)'): MonitoringSpec =>
  specWith({
    recordings: [{ record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" }],
    dashboards: [
      {
        name: "board",
        variables: [{ name: "instance", query: variableQuery }, { name: "metric", query: "label_values(__name__)" }],
        rows: [{ title: "Row", panels: [{ title: "P", type: "timeseries", queries: exprs.map((expr) => ({ expr })) }] }],
      },
    ],
  });

describe("dashboard/unknown-metric", () => {
  it.each([
    "sum(rate(http_requests_total[$__rate_interval]))",
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{instance=~"$instance"}[$__rate_interval])))',
    "job:http_requests:rate5m",
    'up{instance=~"$instance"}',
    "sum(rate(${metric}[5m]))", // a name made of a variable is not checked
    "rate($metric[$__interval])",
    'ALERTS{alertstate="firing"}',
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, spec([expr]))).toEqual([]);
  });

  it.each([
    ["sum(rate(http_request_total[$__rate_interval]))", "http_request_total"],
    ['sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval])) / sum(rate(http_requestz_total[$__rate_interval]))', "http_requestz_total"],
    ["http_request_duration_seconds", "http_request_duration_seconds"],
    ['{__name__="memory_byte"}', "memory_byte"],
  ])("invalid: %s", (expr, pointed) => {
    const s = spec([expr]);
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["dashboard/unknown-metric"]);
    expect(found[0]!.severity).toBe("warning");
    expect(pointedText(s, found[0]!)).toBe(pointed);
    expect(found[0]!.at?.path).toEqual(["dashboards", 0, "rows", 0, "panels", 0, "queries", 0, "expr"]);
  });

  it("checks the selector of a variable query, at its column", () => {
    const s = spec(["up"], 'label_values(upp{job="svc"}, instance)');
    const found = lintWith(rule, s);
    expect(found.map((d) => d.code)).toEqual(["dashboard/unknown-metric"]);
    expect(found[0]!.at?.path).toEqual(["dashboards", 0, "variables", 0, "query"]);
    expect(pointedText(s, found[0]!)).toBe("upp");
    expect(found[0]?.hint).toBe('did you mean "up"?');
  });

  it("suggests the closest series name", () => {
    expect(lintWith(rule, spec(["rate(http_request_duration_seconds_buckets[5m])"]))[0]?.hint).toBe('did you mean "http_request_duration_seconds_bucket"?');
  });

  it("leaves rules to promql/unknown-metric", () => {
    const s = specWith({ alerts: [{ name: "A", expr: "rate(nope_total[5m])", threshold: 1, severity: "warning", summary: "s", description: "d" }] });
    expect(lintWith(rule, s)).toEqual([]);
  });
});
