import { describe, expect, it } from "vitest";
import { labelFlow, type SeriesLabels } from "./labels.js";
import { parseExpr } from "./parser.js";

// A small world: two metrics with declared labels (target labels included).
const LABELS: Record<string, string[]> = {
  http_requests_total: ["job", "instance", "method", "code"],
  http_request_duration_seconds_bucket: ["job", "instance", "route", "le"],
  team_info: ["job", "team", "owner"],
};
const lookup: SeriesLabels = (m) => LABELS[m];

function flow(text: string): { labels: string[]; open: boolean } {
  const r = parseExpr(text);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  const set = labelFlow(r.expr, lookup);
  return { labels: [...set.labels].sort(), open: set.open };
}

describe("labelFlow", () => {
  it.each([
    // A selector carries its declared labels and its name.
    ["http_requests_total", ["__name__", "code", "instance", "job", "method"]],
    // rate drops the metric name.
    ["rate(http_requests_total[5m])", ["code", "instance", "job", "method"]],
    // by keeps exactly the grouping labels the input has.
    ["sum by (job, code) (rate(http_requests_total[5m]))", ["code", "job"]],
    ["sum by (job, nonexistent) (rate(http_requests_total[5m]))", ["job"]],
    // without removes the listed labels and the name.
    ["sum without (instance) (http_requests_total)", ["code", "job", "method"]],
    // No grouping: a single label-less series.
    ["sum(http_requests_total)", []],
    // topk selects input series: everything survives, name included.
    ["topk(3, http_requests_total)", ["__name__", "code", "instance", "job", "method"]],
    // count_values adds its label.
    ['count_values by (job) ("value", http_requests_total)', ["job", "value"]],
    // histogram_quantile drops le.
    ["histogram_quantile(0.9, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))", ["route"]],
    // label_replace adds the destination label and keeps the name.
    ['label_replace(http_requests_total, "status", "$1", "code", "(.*)")', ["__name__", "code", "instance", "job", "method", "status"]],
    // Comparisons without bool keep the name, arithmetic drops it.
    ["http_requests_total > 5", ["__name__", "code", "instance", "job", "method"]],
    ["http_requests_total > bool 5", ["code", "instance", "job", "method"]],
    ["http_requests_total * 2", ["code", "instance", "job", "method"]],
    // one-to-one with on(): only the matching labels.
    ["http_requests_total / on (job) team_info", ["job"]],
    // ignoring(): lhs labels minus the ignored ones.
    ["http_requests_total / ignoring (code) http_requests_total", ["instance", "job", "method"]],
    // group_left(extra): the many side's labels plus the extra labels of the one side.
    ["http_requests_total * on (job) group_left (team) team_info", ["code", "instance", "job", "method", "team"]],
    // group_right: the other way round.
    ["team_info * on (job) group_right (owner) http_requests_total", ["code", "instance", "job", "method", "owner"]],
    // Set operators: and/unless keep lhs; or unites.
    ["http_requests_total and team_info", ["__name__", "code", "instance", "job", "method"]],
    ["sum by (job) (http_requests_total) or sum by (team) (team_info)", ["job", "team"]],
    // absent() carries the equality matchers.
    ['absent(http_requests_total{job="api", code=~"5.."})', ["job"]],
    // Scalars carry nothing.
    ["scalar(sum(http_requests_total)) * 2", []],
    ["vector(1)", []],
    // Unary minus drops the name.
    ["-http_requests_total", ["code", "instance", "job", "method"]],
  ])("%s", (text, labels) => {
    expect(flow(text)).toEqual({ labels, open: false });
  });

  it("marks unknown inputs as open, knowing at least the labels they are matched on", () => {
    expect(flow('unknown_metric{env="prod"}')).toEqual({ labels: ["__name__", "env"], open: true });
    expect(flow('sum by (env) (unknown_metric)')).toEqual({ labels: ["env"], open: false });
    expect(flow("sum without (env) (unknown_metric)")).toEqual({ labels: [], open: true });
  });
});
