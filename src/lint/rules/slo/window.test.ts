import { describe, expect, it } from "vitest";
import type { ServiceModel } from "../../../model/types.js";
import { normalizeModel } from "../../../normalize/index.js";
import type { SloSpec } from "../../../spec/types.js";
import { serviceContext } from "../../context.js";
import { runRules } from "../../run.js";
import { lintWith, specWith } from "../../tester.js";
import { rule } from "./window.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const slo = (extra: Partial<SloSpec> = {}): SloSpec => ({
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  ...extra,
});

/** The rule over a compiled spec's model after `change` (normalization rejects these specs itself, VIG2014). */
function lintChanged(s: SloSpec, change: (service: ServiceModel) => void) {
  const { model, diagnostics } = normalizeModel([specWith({ slos: [s] })]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const service = model.services[0]!;
  change(service);
  return runRules((report) => serviceContext(service, report), {}, [rule]);
}

describe("slo/window", () => {
  it.each<[string, SloSpec]>([
    ["30d with the workbook's windows (3d at most)", slo()],
    ["1d: the windows scale down", slo({ window: "1d" })],
    ["7d with a long window of exactly 7d", slo({ window: "7d", alerting: { ticket: { windows: [{ long: "7d", short: "6h", factor: 1 }] } } })],
  ])("valid: %s", (_, s) => {
    expect(lintWith(rule, specWith({ slos: [s] }))).toEqual([]);
  });

  // [case, SLO, change to the model, expected paths]
  it.each<[string, SloSpec, (service: ServiceModel) => void, (string | number)[][]]>([
    [
      "an SLO window shortened below the ticket tier's 3d",
      slo(),
      (s) => {
        s.slos[0]!.windowMs = 2 * DAY;
      },
      [["slos", 0, "alerting", "ticket", "windows", 1, "long"]],
    ],
    [
      "a 31d page window in a 30d SLO",
      slo({ alerting: { page: { windows: [{ long: "1h", short: "5m", factor: 14.4 }, { long: "6h", short: "30m", factor: 6 }] } } }),
      (s) => {
        s.slos[0]!.tiers[0]!.conditions[1]!.longMs = 31 * DAY;
      },
      [["slos", 0, "alerting", "page", "windows", 1, "long"]],
    ],
  ])("invalid: %s", (_, s, change, paths) => {
    const found = lintChanged(s, change);
    expect(found.map((d) => d.code)).toEqual(paths.map(() => "slo/window"));
    expect(found.map((d) => d.at?.path)).toEqual(paths);
  });

  it("names both windows", () => {
    const found = lintChanged(slo(), (s) => {
      s.slos[0]!.windowMs = 2 * DAY;
    });
    expect(found[0]!.message).toBe('the SLO window 2d of "availability" is shorter than the 3d long window of its ticket tier');
    expect(found[0]!.hint).toBe("use a long window of at most 2d, or a longer SLO window");
  });
});
