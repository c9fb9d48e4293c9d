import { describe, expect, it } from "vitest";
import { normalizeModel } from "../../../normalize/index.js";
import type { SloSpec } from "../../../spec/types.js";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./window.js";

const slo = (extra: Partial<SloSpec> = {}): SloSpec => ({
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  ...extra,
});
const ticket = (long: string) => ({ ticket: { windows: [{ long, short: "6h", factor: 1 }] } });

describe("slo/window", () => {
  it.each<[string, SloSpec]>([
    ["30d with the workbook's windows (3d at most)", slo()],
    ["1d: the default windows scale down", slo({ window: "1d" })],
    ["28d written in weeks", slo({ window: "4w" })],
    ["7d with a long window of exactly 7d", slo({ window: "7d", alerting: ticket("7d") })],
  ])("valid: %s", (_, s) => {
    expect(lintWith(rule, specWith({ slos: [s] }))).toEqual([]);
  });

  // [case, SLO, expected [path, pointed text] per finding]
  it.each<[string, SloSpec, [(string | number)[], string][]]>([
    ["a 36h window", slo({ window: "36h" }), [[["slos", 0, "window"], "36h"]]],
    ["a 7d12h window", slo({ window: "7d12h" }), [[["slos", 0, "window"], "7d12h"]]],
    ["a 2d SLO with a 3d ticket window", slo({ window: "2d", alerting: ticket("3d") }), [[["slos", 0, "alerting", "ticket", "windows", 0, "long"], "3d"]]],
    [
      "both at once",
      slo({ window: "2d6h", alerting: { page: { windows: [{ long: "1h", short: "5m", factor: 14.4 }, { long: "3d", short: "6h", factor: 6 }] } } }),
      [
        [["slos", 0, "window"], "2d6h"],
        [["slos", 0, "alerting", "page", "windows", 1, "long"], "3d"],
      ],
    ],
  ])("invalid: %s", (_, s, expected) => {
    const spec = specWith({ slos: [s] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(expected.map(() => "slo/window"));
    expect(found.map((d) => [d.at?.path, pointedText(spec, d)])).toEqual(expected);
  });

  it("names the windows and suggests whole days", () => {
    const [days] = lintWith(rule, specWith({ slos: [slo({ window: "36h" })] }));
    expect(days!.message).toBe('the SLO window 1d12h of "availability" is not a whole number of days');
    expect(days!.hint).toBe("use 2d: error budgets are planned and reported in days");
    const [long] = lintWith(rule, specWith({ slos: [slo({ window: "2d", alerting: ticket("3d") })] }));
    expect(long!.message).toBe('the SLO window 2d of "availability" is shorter than the 3d long window of its ticket tier');
    expect(long!.hint).toBe("use a long window of at most 2d, or a longer SLO window");
  });

  it("leaves windows under a day to normalization (VIG2013)", () => {
    const { diagnostics } = normalizeModel([specWith({ slos: [slo({ window: "12h" })] })]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["VIG2013", 'SLO window "12h" is shorter than one day']]);
  });
});
