import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./impossible.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

describe("promql/impossible", () => {
  it.each([
    'rate(http_requests_total{code="500"}[5m])',
    // Different labels, the same value repeated, compatible negatives.
    'http_requests_total{code="500", method="GET"}',
    'http_requests_total{code="500", code="500"}',
    'http_requests_total{code!="500", code!="503"}',
    'http_requests_total{code="500", code!="503"}',
    // Regexes: overlapping alternations, and regexes that are not plain alternations.
    'http_requests_total{code=~"500|503", code!="500"}',
    'http_requests_total{code=~"500|503", code=~"503|504"}',
    'http_requests_total{code=~"5..", code="404"}',
    'http_requests_total{code=~"(?i)get", code="GET"}',
    'http_requests_total{method=~"GET|", method=""}',
    'http_requests_total{code!~"5..", code="500"}',
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    ['http_requests_total{code="500", code="503"}', 'code="503"'],
    // Inside a range vector.
    ['sum(rate(http_requests_total{code="500", method="GET", code!="500"}[5m]))', 'code!="500"'],
    ['http_requests_total{code!="500", code="500"}', 'code="500"'],
    // An empty value means "without the label": it contradicts any other value.
    ['http_requests_total{method="", method="GET"}', 'method="GET"'],
    ['http_requests_total{method="", method!=""}', 'method!=""'],
    // Plain alternations are understood.
    ['http_requests_total{code=~"500|503", code="404"}', 'code="404"'],
    ['http_requests_total{code="404", code=~"500|503"}', 'code=~"500|503"'],
    ['http_requests_total{code=~"500|503", code!~"503|500"}', 'code!~"503|500"'],
    ['http_requests_total{code=~"500|503", code!="500", code!="503"}', 'code!="503"'],
    ['http_requests_total{route=~"/api/v1|/api/v2", route="/api/v3"}', 'route="/api/v3"'],
    // A selector that is not the first of the expression (an absent() of it always fires).
    ['up == 0 and on() absent(memory_bytes{pod="a", pod="b"})', 'pod="b"'],
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/impossible"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("reports one finding per selector, naming the matchers it contradicts", () => {
    const spec = specWith({ alerts: [alert('http_requests_total{code="500", code="503", code="504"}')] });
    expect(lintWith(rule, spec).map((d) => d.message)).toEqual([
      '`code="503"` contradicts `code="500"`: a series has one value of "code", so this selector never selects anything',
    ]);
  });

  it("checks SLI sources", () => {
    const spec = specWith({
      slos: [
        {
          name: "availability",
          objective: 99.9,
          sli: { kind: "ratio", bad: 'sum(rate(http_requests_total{code="500", code="503"}[{{window}}]))', total: "sum(rate(http_requests_total[{{window}}]))" },
        },
      ],
    });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/impossible"]);
    expect(pointedText(spec, found[0]!)).toBe('code="503"');
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...alert('up{job="a", job="b"}'), lintDisable: { "promql/impossible": "kept as a template" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
