/**
 * Every lint rule runs over deliberately odd specs and rule files and never throws: a rule bug
 * must not take `vigil compile` down (run.ts would turn a throw into a finding, which this
 * test also forbids).
 */
import { describe, expect, it } from "vitest";
import { serviceContext } from "../src/lint/context.js";
import { LINT_RULES } from "../src/lint/registry.js";
import { specWith } from "../src/lint/tester.js";
import type { Finding } from "../src/lint/types.js";
import { normalizeModel } from "../src/normalize/index.js";
import type { AlertSpec, MonitoringSpec } from "../src/spec/types.js";

const ODD_EXPRS = [
  "vector(1)",
  "1",
  "time() - 5",
  'label_replace(up, "a", "$1", "b", "(.*)")',
  "up offset 5m",
  "up @ 100",
  "max_over_time(rate(http_requests_total[5m])[1h:1m] offset 1d)",
  "sum by (le) (rate(http_request_duration_seconds_bucket[5m]))",
  'histogram_quantile(0.9, http_request_duration_seconds_bucket{route=~".*"})',
  "topk(3, memory_bytes) / on (pod) group_left memory_bytes",
  'count_values("v", up)',
  "absent(nonexistent_metric)",
  '{__name__=~"http_.*"}',
  "-(-memory_bytes)",
  "memory_bytes and on () up or vector(0) unless up",
  "sum(memory_bytes / rate(http_requests_total[1s]))",
  'up{job="a", job="b"}',
  "undeclared_metric{x=\"y\"} > 0",
  "rate(memory_bytes[5m]) / deriv(http_requests_total[5m])",
  "quantile(0.5, up) > bool 1",
];

function odd(expr: string, i: number): AlertSpec {
  return { name: `Odd${i}`, expr, severity: "info", summary: "{{ $labels.nope }} {{ $value", description: "", for: "0s" };
}

const SPECS: MonitoringSpec[] = [
  specWith({ alerts: ODD_EXPRS.map(odd) }),
  specWith({ recordings: ODD_EXPRS.map((expr, i) => ({ record: `x${i}`, expr })) }),
  specWith({
    slos: [
      { name: "s1", objective: 50, window: "1d", sli: { kind: "ratio", bad: "sum(rate(http_requests_total{code=~\"5..\"}[{{window}}]))", total: "sum(rate(http_requests_total[{{window}}]))" }, alerting: { noData: { enabled: false } } },
      { name: "s2", objective: 99.999, sli: { kind: "boolean", gauge: "up" }, alerting: { page: { enabled: false }, ticket: { enabled: false } } },
      { name: "s3", objective: 99, sli: { kind: "latency", histogram: { metric: "http_request_duration_seconds" }, threshold: 0.5 } },
    ],
    teams: [],
  }),
];

describe("every lint rule survives odd input", () => {
  const services = SPECS.flatMap((spec) => normalizeModel([spec]).model.services);
  it("builds a service from every odd spec", () => expect(services).toHaveLength(SPECS.length));
  it.each(LINT_RULES.map((r) => [r.meta.id, r] as const))("%s never throws", (_id, rule) => {
    for (const service of services) {
      const findings: Finding[] = [];
      const ctx = serviceContext(service, (f) => findings.push(f));
      expect(() => rule.check(ctx)).not.toThrow();
      expect(() => rule.check({ ...ctx, signals: undefined, seriesLabels: () => undefined })).not.toThrow();
    }
  });
});
