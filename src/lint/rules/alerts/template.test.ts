import { describe, expect, it } from "vitest";
import type { ServiceModel } from "../../../model/types.js";
import type { AlertSpec } from "../../../spec/types.js";
import { serviceContext } from "../../context.js";
import { runRules } from "../../run.js";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./template.js";

const BY_CODE = "sum by (code) (rate(http_requests_total[5m]))";
const RATE = "rate(http_requests_total[5m])"; // code, method, job, instance

const alert = (expr: string, extra: Partial<AlertSpec> = {}): AlertSpec => ({
  name: "A",
  expr,
  threshold: 1,
  severity: "warning",
  summary: "s",
  description: "d",
  ...extra,
});

describe("alerts/template", () => {
  it.each<[string, Partial<AlertSpec>]>([
    [BY_CODE, { summary: "{{ $labels.code }} errors", description: "{{ $value | humanizePercentage }} of requests fail" }],
    [RATE, { summary: "{{ $labels.instance }}: {{ .Labels.method }} {{ $.Labels.job }}" }],
    [RATE, { annotations: { dashboard: 'https://grafana/d/x?var-method={{ index $labels "method" }}' } }],
    [BY_CODE, { description: "{{ with $labels.code }}code {{ . }}{{ else }}no code{{ end }}" }],
    [BY_CODE, { description: "{{ with $labels }}{{ .code }}{{ end }}{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}" }],
    // The label can be carried: it may still be empty, which the template can test for.
    ['absent(up{job="api"})', { summary: "{{ $labels.job }} is gone" }],
    [`${BY_CODE} or on() vector(0)`, { summary: "{{ $labels.code }}" }],
    // Label templates.
    [BY_CODE, { labels: { route_to: "team-{{ $labels.code }}" } }],
    // Unknown labels (a recorded series): nothing to check against.
    ["job:http_requests:rate5m", { summary: "{{ $labels.anything }}" }],
    // $labels redefined by the template.
    [BY_CODE, { summary: '{{ $labels := .ExternalLabels }}{{ $labels.cluster }}' }],
  ])("valid: %s with %j", (expr, extra) => {
    const spec = specWith({ alerts: [alert(expr, extra)], recordings: [{ record: "job:http_requests:rate5m", expr: `sum by (job) (${RATE})` }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it.each<[string, Partial<AlertSpec>, (string | number)[], string]>([
    [BY_CODE, { summary: "Errors on {{ $labels.instance }}" }, ["alerts", 0, "summary"], "$labels.instance"],
    [BY_CODE, { description: "{{ .Labels.method }} fails" }, ["alerts", 0, "description"], ".Labels.method"],
    [BY_CODE, { description: "{{ $.Labels.method }} fails" }, ["alerts", 0, "description"], "$.Labels.method"],
    [BY_CODE, { annotations: { dashboard: 'https://grafana/d/x?var-method={{ index $labels "method" }}' } }, ["alerts", 0, "annotations", "dashboard"], '"method"'],
    [BY_CODE, { description: "{{ with $labels }}{{ .code }} on {{ .instance }}{{ end }}" }, ["alerts", 0, "description"], ".instance"],
    [BY_CODE, { description: "{{ if $labels.code }}{{ $labels.route }}{{ end }}" }, ["alerts", 0, "description"], "$labels.route"],
    [BY_CODE, { labels: { owner: "{{ $labels.pod }}" } }, ["alerts", 0, "labels", "owner"], "$labels.pod"],
    ["sum(memory_bytes)", { summary: "Memory of {{ $labels.pod }}" }, ["alerts", 0, "summary"], "$labels.pod"],
    // A grouping label the input cannot carry is not carried either.
    ["sum by (code) (memory_bytes)", { summary: "{{ $labels.code }}" }, ["alerts", 0, "summary"], "$labels.code"],
    // A rule label is not a label of the series: $labels.severity renders empty.
    [BY_CODE, { summary: "[{{ $labels.severity }}] errors" }, ["alerts", 0, "summary"], "$labels.severity"],
  ])("invalid: %s with %j", (expr, extra, path, pointed) => {
    const spec = specWith({ alerts: [alert(expr, extra)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["alerts/template"]);
    expect(found[0]?.at?.path).toEqual(path);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it.each<[Partial<AlertSpec>, (string | number)[], string]>([
    [{ summary: "{{ $labels.code " }, ["alerts", 0, "summary"], "unclosed action"],
    [{ description: "{{ $value | humanise }}" }, ["alerts", 0, "description"], 'function "humanise" not defined'],
    [{ annotations: { note: "{{ if $labels.code }}x" } }, ["alerts", 0, "annotations", "note"], "unexpected EOF"],
    [{ labels: { route: "{{ .Labels.code" } }, ["alerts", 0, "labels", "route"], "unclosed action"],
  ])("invalid template syntax: %j", (extra, path, message) => {
    const spec = specWith({ alerts: [alert(BY_CODE, extra)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["alerts/template"]);
    expect(found[0]?.at?.path).toEqual(path);
    expect(found[0]?.at?.offset).toBeUndefined();
    expect(found[0]?.message).toContain(message);
  });

  it("reports each missing label, with the labels the series do carry", () => {
    const spec = specWith({ alerts: [alert(BY_CODE, { summary: "{{ $labels.instance }} / {{ $labels.job }} / {{ $labels.code }}" })] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => pointedText(spec, d))).toEqual(["$labels.instance", "$labels.job"]);
    expect(found[0]?.message).toBe('annotation "summary" of alert "A" reads $labels.instance, but the alert\'s series cannot carry label "instance" (only code): it renders empty');
    expect(found[0]?.hint).toBe('keep "instance" through the aggregation (e.g. `by (code, instance)`), or drop the reference');
  });

  it("says when the label is the rule's own", () => {
    const spec = specWith({ alerts: [alert(BY_CODE, { summary: "[{{ $labels.severity }}] errors" })] });
    expect(lintWith(rule, spec)[0]?.hint).toBe('"severity" is a label of the rule, not of its series, and $labels holds only the series\' labels: write the value itself');
  });

  it("points into plain rule files, where every annotation is under `annotations`", () => {
    // A service model shaped as lintRuleFile builds it from a rule file.
    const at = { path: ["groups", 0, "rules", 0] };
    const service: ServiceModel = {
      id: "r.yml",
      spec: 0,
      name: "r.yml",
      team: "",
      ruleLabels: {},
      prometheus: { version: "2.42", scrapeIntervalMs: 15_000, evaluationIntervalMs: 15_000 },
      teams: [],
      maintenance: [],
      dashboards: [],
      signals: [],
      slos: [],
      alerts: [
        {
          id: "r.yml/A/0.0",
          name: "A",
          severity: "critical",
          source: { text: "sum by (job) (up) == 0", at: { path: [...at.path, "expr"] } },
          forMs: 0,
          team: "",
          labels: { severity: "critical" },
          annotations: { summary: "{{ $labels.instance }} down", description: "{{ $labels.job " },
          at,
          lintDisable: {},
        },
      ],
      recordings: [],
      lint: { rules: {} },
    };
    const found = runRules((report) => serviceContext(service, report), {}, [rule]);
    expect(found.map((d) => d.at)).toEqual([
      { path: ["groups", 0, "rules", 0, "annotations", "summary"], offset: 3, length: 16 },
      { path: ["groups", 0, "rules", 0, "annotations", "description"] },
    ]);
  });

  it("checks a severity ladder once", () => {
    const spec = specWith({ alerts: [{ name: "A", expr: BY_CODE, thresholds: { critical: 2, warning: 1 }, summary: "{{ $labels.pod }}", description: "d" }] });
    expect(lintWith(rule, spec).map((d) => d.at?.path)).toEqual([["alerts", 0, "summary"]]);
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [alert(BY_CODE, { summary: "{{ $labels.pod }}", lintDisable: { "alerts/template": "filled in by a relabelling rule" } })] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
