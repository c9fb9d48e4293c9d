/**
 * PromQL text built from data must mean what the data says: numbers keep their value (to 12
 * significant digits, without float noise), durations keep their length, strings their bytes.
 * Each expectation is written out by hand; each output is also parsed back with the PromQL
 * parser and compared with the input, so a spelling Prometheus would misread cannot pass.
 */
import { describe, expect, it } from "vitest";
import { counter, histogram, matches, notMatches, oneOf } from "../api/index.js";
import { MAX_DURATION_MS, parseDuration, parseDurationChecked } from "./duration.js";
import { evaluateVector } from "./eval/evaluate.js";
import { formatDuration, formatMatchers, formatNumber, formatSelector, quoteString } from "./format.js";
import { parsePromQL } from "./parse.js";
import type { Expr, LabelMatcher, VectorSelector } from "./ast.js";

function parse(text: string): Expr {
  const r = parsePromQL(text);
  if (!r.ok) throw new Error(`does not parse: ${text}: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.expr;
}

/** The value PromQL reads from `vector(<text>)`. */
function promqlValue(text: string): number {
  const samples = evaluateVector(parse(`vector(${text})`), { series: [], timeMs: 0, intervalMs: 60_000, rangeMode: "closed" });
  expect(samples).toHaveLength(1);
  return samples[0]!.value;
}

function selector(text: string): VectorSelector {
  const e = parse(text);
  if (e.type !== "vector") throw new Error(`not a vector selector: ${text}`);
  return e;
}

const matcherTriples = (ms: readonly LabelMatcher[]) => ms.map((m) => [m.name, m.op, m.value]);

describe("formatNumber", () => {
  const rows: [string, number, string][] = [
    ["float noise of 0.1 + 0.2 (0.30000000000000004)", 0.1 + 0.2, "0.3"],
    ["99.9 / 100 (0.9990000000000001)", 99.9 / 100, "0.999"],
    ["1 - 0.999 (0.0010000000000000009)", 1 - 0.999, "0.001"],
    ["14.4 × 0.001 (0.014400000000000001)", 14.4 * 0.001, "0.0144"],
    ["an integer", 42, "42"],
    ["zero", 0, "0"],
    ["negative zero prints without sign", -0, "0"],
    ["a negative number", -2.5, "-2.5"],
    ["1/3 to 12 significant digits", 1 / 3, "0.333333333333"],
    ["2/3 rounds the 12th digit", 2 / 3, "0.666666666667"],
    ["a small number JavaScript writes as 1e-7, spelled out", 1e-7, "0.0000001"],
    ["a small negative number, spelled out", -2.5e-8, "-0.000000025"],
    ["1e20 has no exponent in JavaScript either", 1e20, "100000000000000000000"],
    ["1e21 keeps its exponent (the plain form would be long)", 1e21, "1e+21"],
    ["15 digits are cut to 12", 123456789012345, "123456789012000"],
    ["+Inf as PromQL writes it", Infinity, "+Inf"],
    ["-Inf as PromQL writes it", -Infinity, "-Inf"],
    ["NaN as PromQL writes it", NaN, "NaN"],
  ];

  it.each(rows)("%s", (_, n, text) => {
    expect(formatNumber(n)).toBe(text);
  });

  it.each(rows)("%s parses back as the same number (to 12 digits)", (_, n, text) => {
    const value = promqlValue(text);
    if (Number.isNaN(n)) expect(value).toBeNaN();
    else expect(value).toBe(Number(n.toPrecision(12)));
  });

  it("never prints an exponent-free form with float noise", () => {
    for (const n of [0.7 * 3, 1.1 * 1.1, 0.1 * 3, 100 - 99.95, 6 * 0.0005]) {
      expect(formatNumber(n), String(n)).toMatch(/^-?\d+(\.\d{1,12})?$/);
      expect(formatNumber(n).replace(/^-?0\.0*/, "").replace(".", "").length, String(n)).toBeLessThanOrEqual(12);
    }
    // By hand: 2.0999999999999996 → 2.1, 1.2100000000000002 → 1.21, 0.30000000000000004 → 0.3,
    // 0.04999999999999716 → 0.05, 0.003 stays 0.003.
    expect([0.7 * 3, 1.1 * 1.1, 0.1 * 3, 100 - 99.95, 6 * 0.0005].map(formatNumber)).toEqual(["2.1", "1.21", "0.3", "0.05", "0.003"]);
  });

  // Known bug: for |n| < 1e-6 the code expands the exponent with toFixed(20), which keeps only
  // 20 decimals. Numbers below 5e-21 print as "0", and tiny numbers lose significant digits:
  //   formatNumber(1e-21)          → "0"                       (expected "1e-21")
  //   formatNumber(1.23456789e-14) → "0.00000000000001234568"  (expected 1.23456789e-14)
  // Flip to `it` once fixed.
  it("keeps the value of very small numbers (12 significant digits)", () => {
    for (const n of [1e-21, 3e-22, 1.23456789e-14]) {
      expect(Number(formatNumber(n)), String(n)).toBe(Number(n.toPrecision(12)));
    }
  });
});

describe("formatDuration (Prometheus model.Duration.String)", () => {
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  const rows: [number, string][] = [
    [0, "0s"],
    [1 * S, "1s"],
    [1500, "1s500ms"],
    [5 * M, "5m"],
    [90 * M, "1h30m"], // 5_400_000 ms
    [H, "1h"],
    [D, "1d"],
    [D + 2 * H + 3 * M + 4 * S + 5, "1d2h3m4s5ms"],
    // Weeks and years are used only when they divide the whole duration exactly,
    // so 30d stays 30d (not 4w2d) and 8d stays 8d (not 1w1d).
    [7 * D, "1w"],
    [14 * D, "2w"],
    [28 * D, "4w"],
    [30 * D, "30d"],
    [8 * D, "8d"],
    [7 * D + H, "7d1h"],
    [90 * D, "90d"],
    [365 * D, "1y"],
    [366 * D, "366d"],
    [730 * D, "2y"],
  ];

  it.each(rows)("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(rows)("%d ms round-trips through parseDuration and a PromQL range", (ms) => {
    const text = formatDuration(ms);
    expect(parseDuration(text)).toBe(ms);
    if (ms > 0) {
      const e = parse(`rate(x[${text}])`);
      if (e.type !== "call" || e.args[0]?.type !== "matrix") throw new Error("expected rate(matrix)");
      expect(e.args[0].range).toBe(ms);
    }
  });

  it("parseDuration rejects units out of order or repeated, as Prometheus does", () => {
    expect(parseDuration("4w2d")).toBe(30 * D); // valid, just not the canonical spelling
    expect(parseDuration("30m1h")).toBeUndefined();
    expect(parseDuration("1h1h")).toBeUndefined();
    expect(parseDuration("1.5h")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
    expect(parseDuration("0")).toBe(0);
  });

  it("parseDuration ends where Go's time.Duration does: int64 nanoseconds", () => {
    expect(parseDuration("292y")).toBe(292 * 365 * D);
    expect(parseDuration("106751d23h47m16s854ms")).toBe(MAX_DURATION_MS);
    for (const text of ["293y", "106752d", "15251w", "106751d23h47m16s855ms", "9223372036855ms", "99999999999999999999s"]) {
      expect([text, parseDurationChecked(text)]).toEqual([text, "out of range"]);
    }
    expect(parseDurationChecked("5mo")).toBe("invalid");
  });
});

describe("quoteString (Go escaping) round-trips through the PromQL parser", () => {
  const rows: [string, string, string][] = [
    ["plain text", "api", '"api"'],
    ["empty", "", '""'],
    ["double quote", 'say "hi"', '"say \\"hi\\""'],
    ["backslash", "C:\\dir", '"C:\\\\dir"'],
    ["regex escapes keep their backslash", "\\d+\\.json", '"\\\\d+\\\\.json"'],
    ["newline", "a\nb", '"a\\nb"'],
    ["carriage return and tab", "a\r\tb", '"a\\r\\tb"'],
    ["other control characters as \\x", "\x01\x1f", '"\\x01\\x1f"'],
    ["DEL as \\x7f", "a\x7fb", '"a\\x7fb"'],
    ["single quote is not escaped in a double-quoted string", "it's", '"it\'s"'],
    ["UTF-8 passes through", "é✓😀", '"é✓😀"'],
  ];

  it.each(rows)("%s", (_, raw, quoted) => {
    expect(quoteString(raw)).toBe(quoted);
  });

  it.each(rows)("%s parses back as a label value", (_, raw) => {
    const sel = selector(`m{l=${quoteString(raw)}}`);
    expect(matcherTriples(sel.matchers)).toEqual([["l", "=", raw]]);
  });

  it.each(rows)("%s parses back as a string argument", (_, raw) => {
    const e = parse(`label_replace(m, "dst", ${quoteString(raw)}, "src", ".*")`);
    if (e.type !== "call") throw new Error("expected a call");
    expect(e.args[2]).toMatchObject({ type: "string", value: raw });
  });

  it("the result never contains a raw newline (which would end the string for PromQL)", () => {
    expect(quoteString("a\nb\r\nc")).not.toMatch(/[\n\r]/);
  });
});

describe("formatSelector and formatMatchers", () => {
  it("a bare metric has no braces", () => {
    expect(formatSelector({ metric: "up" })).toBe("up");
    expect(formatSelector({ metric: "up", matchers: {} })).toBe("up");
  });

  it("matchers keep their order; a plain string means =", () => {
    const text = formatSelector({
      metric: "http_requests_total",
      matchers: { job: "api", code: matches("5.."), path: notMatches("/health|/metrics"), method: { op: "!=", value: "GET" } },
    });
    expect(text).toBe('http_requests_total{job="api", code=~"5..", path!~"/health|/metrics", method!="GET"}');
    const sel = selector(text);
    expect(sel.name).toBe("http_requests_total");
    expect(matcherTriples(sel.matchers)).toEqual([
      ["job", "=", "api"],
      ["code", "=~", "5.."],
      ["path", "!~", "/health|/metrics"],
      ["method", "!=", "GET"],
    ]);
  });

  it("extra matchers (already PromQL) are appended", () => {
    expect(formatSelector({ metric: "lat_bucket", matchers: { job: "api" } }, ['le="0.5"'])).toBe('lat_bucket{job="api", le="0.5"}');
    expect(formatMatchers(undefined, ['le="1"'])).toBe('{le="1"}');
    expect(formatMatchers(undefined)).toBe("");
  });

  it("values with quotes and backslashes are escaped so they select the literal value", () => {
    const text = formatSelector({ metric: "m", matchers: { msg: 'a "b" \\ c' } });
    expect(text).toBe('m{msg="a \\"b\\" \\\\ c"}');
    expect(matcherTriples(selector(text).matchers)).toEqual([["msg", "=", 'a "b" \\ c']]);
  });

  it("the authoring API's selectors print through formatSelector", () => {
    const requests = counter("http_requests_total", { labels: ["code", "route"] });
    expect(String(requests.select())).toBe("http_requests_total");
    expect(String(requests.select({ code: matches("5.."), route: "/api" }))).toBe('http_requests_total{code=~"5..", route="/api"}');
    const lat = histogram("latency_seconds", { labels: ["route"] });
    expect(String(lat.bucket({ le: "0.5" }))).toBe('latency_seconds_bucket{le="0.5"}');
    expect(String(lat.count({ route: "/a" }))).toBe('latency_seconds_count{route="/a"}');
    // oneOf escapes regex metacharacters: "a.b" must not match "axb"; the backslash is then
    // escaped again for the PromQL string.
    const text = String(requests.select({ route: oneOf("a.b", "c") }));
    expect(text).toBe('http_requests_total{route=~"a\\\\.b|c"}');
    expect(matcherTriples(selector(text).matchers)).toEqual([["route", "=~", "a\\.b|c"]]);
  });
});
