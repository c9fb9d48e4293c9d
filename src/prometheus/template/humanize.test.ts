import { describe, expect, it } from "vitest";
import {
  floatToTime,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  parseDuration,
} from "./humanize.js";
import { renderAlertTemplate } from "./template.js";

// Expected strings come from Prometheus v2.42.0 template/template.go
// (NewTemplateExpander funcMap: humanize, humanize1024, humanizeDuration,
// humanizePercentage, humanizeTimestamp, parseDuration) run under go1.19.8,
// with prometheus/common v0.39.0 model.ParseDuration. Inputs are passed as
// $value (a float64), exactly as an alert annotation would.

/** A template error: Prometheus renders "<error expanding template: ...>". */
const ERR = (msg: string): { error: string } => ({ error: msg });
type Expect = string | { error: string };

function viaTemplate(fn: string, v: number): Expect {
  const r = renderAlertTemplate(`{{ ${fn} $value }}`, { labels: {}, value: v });
  if (r.ok) return r.text;
  return ERR(r.reason.replace(/^error executing template: error calling \w+: /, ""));
}

describe("humanize (template.go \"humanize\": SI prefixes, %.4g)", () => {
  const rows: [number, string][] = [
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [999, "999"],
    [999.9999, "1000"],
    [1000, "1k"],
    [1234, "1.234k"],
    [999999, "1000k"],
    [1000000, "1M"],
    [1234567, "1.235M"],
    [1000000000, "1G"],
    [1000000000000, "1T"],
    [1000000000000000, "1P"],
    [1000000000000000000, "1E"],
    [1e+21, "1Z"],
    [1e+24, "1Y"],
    [1e+27, "1000Y"],
    [1e+30, "1e+06Y"],
    [-1500, "-1.5k"],
    [0.5, "500m"],
    [0.001, "1m"],
    [0.000999, "999u"],
    [0.000001, "1u"],
    [1.5e-9, "1.5n"],
    [1e-12, "1p"],
    [1e-15, "1f"],
    [1e-18, "1a"],
    [1e-21, "1z"],
    [1e-24, "1y"],
    [1e-27, "0.001y"],
    [1e-30, "1e-06y"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [0.30000000000000004, "300m"],
  ];
  it.each(rows)("humanize(%s)", (v, want) => {
    expect(humanize(v)).toBe(want);
    expect(viaTemplate("humanize", v)).toBe(want);
  });
});

describe("humanize1024 (template.go \"humanize1024\": ki/Mi/... prefixes)", () => {
  const rows: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [-1, "-1"],
    [0.5, "0.5"],
    [1.5, "1.5"],
    [1023, "1023"],
    [1024, "1ki"],
    [1025, "1.001ki"],
    [1536, "1.5ki"],
    [1048576, "1Mi"],
    [1073741824, "1Gi"],
    [1099511627776, "1Ti"],
    [1125899906842624, "1Pi"],
    [1152921504606847000, "1Ei"],
    [1.1805916207174113e+21, "1Zi"],
    [1.2089258196146292e+24, "1Yi"],
    [1.2379400392853803e+27, "1024Yi"],
    [-2048, "-2ki"],
    [1e+30, "8.272e+05Yi"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
  ];
  it.each(rows)("humanize1024(%s)", (v, want) => {
    expect(humanize1024(v)).toBe(want);
    expect(viaTemplate("humanize1024", v)).toBe(want);
  });
});

describe("humanizeDuration (template.go \"humanizeDuration\": d/h/m/s, ms/us/ns below 1s)", () => {
  const rows: [number, string][] = [
    [0, "0s"],
    [-0, "-0s"],
    [0.5, "500ms"],
    [0.001, "1ms"],
    [0.000001, "1us"],
    [1e-9, "1ns"],
    [1e-12, "1ps"],
    [0.0000015, "1.5us"],
    [1, "1s"],
    [1.5, "1.5s"],
    [59.99, "59.99s"],
    [60, "1m 0s"],
    [61, "1m 1s"],
    [3599, "59m 59s"],
    [3600, "1h 0m 0s"],
    [3661, "1h 1m 1s"],
    [86399, "23h 59m 59s"],
    [86400, "1d 0h 0m 0s"],
    [90061, "1d 1h 1m 1s"],
    [31536000, "365d 0h 0m 0s"],
    [1000000000, "11574d 1h 46m 40s"],
    [-0.5, "-500ms"],
    [-1, "-1s"],
    [-59.5, "-59.5s"],
    [-3661, "-1h 1m 1s"],
    [-90061, "-1d 1h 1m 1s"],
    [100000000000000000000, "-106751991167300d -15h -30m -8s"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
  ];
  it.each(rows)("humanizeDuration(%s)", (v, want) => {
    expect(humanizeDuration(v)).toBe(want);
    expect(viaTemplate("humanizeDuration", v)).toBe(want);
  });
});

describe("humanizePercentage (template.go \"humanizePercentage\": %.4g%%)", () => {
  const rows: [number, string][] = [
    [0, "0%"],
    [1, "100%"],
    [0.5, "50%"],
    [0.123456, "12.35%"],
    [0.99999, "100%"],
    [1.5, "150%"],
    [0.0001, "0.01%"],
    [1e-7, "1e-05%"],
    [-0.25, "-25%"],
    [12345.678, "1.235e+06%"],
    [NaN, "NaN%"],
    [Infinity, "+Inf%"],
  ];
  it.each(rows)("humanizePercentage(%s)", (v, want) => {
    expect(humanizePercentage(v)).toBe(want);
    expect(viaTemplate("humanizePercentage", v)).toBe(want);
  });
});

describe("humanizeTimestamp (template.go \"humanizeTimestamp\", floatToTime: millisecond precision, UTC)", () => {
  const rows: [number, Expect][] = [
    [0, "1970-01-01 00:00:00 +0000 UTC"],
    [1, "1970-01-01 00:00:01 +0000 UTC"],
    [1.5, "1970-01-01 00:00:01.5 +0000 UTC"],
    [1.2345678, "1970-01-01 00:00:01.234 +0000 UTC"],
    [1679000000, "2023-03-16 20:53:20 +0000 UTC"],
    [1679000000.123, "2023-03-16 20:53:20.122 +0000 UTC"],
    [-1, "1969-12-31 23:59:59 +0000 UTC"],
    [-1.5, "1969-12-31 23:59:58.5 +0000 UTC"],
    [10000000000, ERR("1e+10 cannot be represented as a nanoseconds timestamp since it overflows int64")],
    [9200000000, "2261-07-15 11:33:20 +0000 UTC"],
    [100000000000000000000, ERR("1e+20 cannot be represented as a nanoseconds timestamp since it overflows int64")],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
  ];
  it.each(rows)("humanizeTimestamp(%s)", (v, want) => {
    expect(viaTemplate("humanizeTimestamp", v)).toEqual(want);
  });
  it("floatToTime truncates toward zero to whole milliseconds", () => {
    expect(floatToTime(1.2345678)).toEqual({ ok: true, unixNanos: 1_234_000_000n });
    expect(floatToTime(-1.5)).toEqual({ ok: true, unixNanos: -1_500_000_000n });
    expect(floatToTime(NaN)).toEqual({ ok: false, nanOrInf: true });
  });
  it("toTime prints as time.Time.String()", () => {
    expect(renderAlertTemplate("{{ toTime 1679000000 }}", { labels: {}, value: 0 })).toEqual({
      ok: true,
      text: "2023-03-16 20:53:20 +0000 UTC",
    });
  });
});

describe("parseDuration (model.ParseDuration, then float64 seconds)", () => {
  const rows: [string, Expect][] = [
    ["0", "0"],
    ["1s", "1"],
    ["1m", "60"],
    ["1h30m", "5400"],
    ["1d", "86400"],
    ["1w", "604800"],
    ["1y", "3.1536e+07"],
    ["90s", "90"],
    ["500ms", "0.5"],
    ["1h1m1s1ms", "3661.001"],
    ["2y3w4d5h6m7s8ms", "6.5250367008e+07"],
    ["", ERR("empty duration string")],
    ["1.5h", ERR("not a valid duration string: \"1.5h\"")],
    ["1h 30m", ERR("not a valid duration string: \"1h 30m\"")],
    ["-1s", ERR("not a valid duration string: \"-1s\"")],
    ["1m1h", ERR("not a valid duration string: \"1m1h\"")],
    ["106751d", "9.2232864e+09"],
    ["300y", ERR("duration out of range")],
    ["292y", "9.208512e+09"],
    ["10000000000000000000s", ERR("duration out of range")],
  ];
  it.each(rows)("parseDuration(%j)", (d, want) => {
    const r = renderAlertTemplate(`{{ parseDuration ${JSON.stringify(d)} }}`, { labels: {}, value: 0 });
    expect(r.ok ? r.text : ERR(r.reason.replace(/^error executing template: error calling \w+: /, ""))).toEqual(want);
    const direct = parseDuration(d);
    expect(direct.ok).toBe(typeof want === "string");
  });
});
