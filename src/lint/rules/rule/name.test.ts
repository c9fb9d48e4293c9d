import { describe, expect, it } from "vitest";
import { lintWith, specWith } from "../../tester.js";
import { rule } from "./name.js";

const spec = (record: string) => specWith({ recordings: [{ record: "job:up:sum", expr: "sum(up)" }, { record, expr: "sum(rate(http_requests_total[5m]))" }] });

describe("rule/name", () => {
  it.each(["job:http_requests:rate5m", "instance_path:requests:ratio_rate5m", "service_route:http_request_duration_seconds:p99_5m", "cluster:memory_bytes:sum"])("valid: %s", (record) => {
    expect(lintWith(rule, spec(record))).toEqual([]);
  });

  // [name, the reason in the message, hint]
  it.each([
    ["http_requests_rate5m", "it has 0 colons, not 2", "name it aggregation level, metric and operations, e.g. job:http_requests:rate5m"],
    ["job:http_requests_rate5m", "it has 1 colon, not 2", "name it aggregation level, metric and operations, e.g. job:http_requests:rate5m"],
    ["job:http:requests:rate5m", "it has 3 colons, not 2", "name it aggregation level, metric and operations, e.g. job:http_requests:rate5m"],
    [":http_requests:rate5m", "a part is empty", "name it aggregation level, metric and operations, e.g. job:http_requests:rate5m"],
    ["job:httpRequests:rate5m", '"httpRequests" is not lower snake case', 'e.g. "job:http_requests:rate5m"'],
    ["Job:HTTPRequests:rate5m", '"Job" and "HTTPRequests" are not lower snake case', 'e.g. "job:http_requests:rate5m"'],
    ["job:http__requests:rate5m", '"http__requests" is not lower snake case', 'e.g. "job:http_requests:rate5m"'],
    ["_job:http_requests:rate5m", '"_job" is not lower snake case', 'e.g. "job:http_requests:rate5m"'],
  ])("invalid: %s", (record, why, hint) => {
    const found = lintWith(rule, spec(record));
    expect(found.map((d) => d.code)).toEqual(["rule/name"]);
    expect(found[0]!.at?.path).toEqual(["recordings", 1, "record"]);
    expect(found[0]!.message).toBe(`recording rule name "${record}" is not level:metric:operation: ${why}`);
    expect(found[0]!.hint).toBe(hint);
  });

  it("can be disabled for one recording with a reason", () => {
    const s = specWith({ recordings: [{ record: "legacy_requests_rate", expr: "sum(rate(http_requests_total[5m]))", lintDisable: { "rule/name": "read by an old dashboard" } }] });
    expect(lintWith(rule, s)).toEqual([]);
  });
});
