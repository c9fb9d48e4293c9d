import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./regexp.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

describe("promql/regexp", () => {
  it.each([
    'rate(http_requests_total{code=~"5.."}[5m])',
    'rate(http_requests_total{method=~"GET|POST"}[5m])',
    'rate(http_requests_total{code!~"2.."}[5m])',
    'memory_bytes{pod=~".+"}', // requires the label: a common idiom
    'memory_bytes{pod=~"api-.*"}',
    'memory_bytes{pod=~"(?i)API"}',
    'memory_bytes{pod=~"api\\\\$"}', // an escaped (literal) dollar is not an anchor
    'memory_bytes{pod="api"}',
    'memory_bytes{pod=~"[^a]pi"}', // ^ negating a class, not an anchor
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    ['rate(http_requests_total{code=~"^5.."}[5m])', 'code=~"^5.."'],
    ['rate(http_requests_total{code=~"5..$"}[5m])', 'code=~"5..$"'],
    ['rate(http_requests_total{method!~"^GET$"}[5m])', 'method!~"^GET$"'],
    ['rate(http_requests_total{code=~"500"}[5m])', 'code=~"500"'],
    ['rate(http_requests_total{method!~"GET"}[5m])', 'method!~"GET"'],
    ['sum(memory_bytes{pod=~".*"})', 'pod=~".*"'],
    ['sum(memory_bytes{pod =~ "^.*$"})', 'pod =~ "^.*$"'],
    ['sum(memory_bytes{pod!~".*"})', 'pod!~".*"'], // matches nothing at all
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/regexp"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("suggests the simpler matcher", () => {
    const hint = (expr: string) => lintWith(rule, specWith({ alerts: [alert(expr)] }))[0]?.hint;
    expect(hint('http_requests_total{code=~"500"}')).toBe('use code="500"');
    expect(hint('http_requests_total{code!~"500"}')).toBe('use code!="500"');
    expect(hint('http_requests_total{code=~"^500$"}')).toBe('use code="500"');
    expect(hint('http_requests_total{code=~"^5..$"}')).toBe('use code=~"5.."');
    expect(hint('http_requests_total{code=~".*"}')).toContain("remove the matcher");
  });

  it("reports one finding per matcher", () => {
    const spec = specWith({ alerts: [alert('http_requests_total{code=~"500", method=~"^GET"}')] });
    expect(lintWith(rule, spec).map((d) => pointedText(spec, d))).toEqual(['code=~"500"', 'method=~"^GET"']);
  });
});
