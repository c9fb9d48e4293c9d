import { describe, expect, it } from "vitest";
import type { SloSpec } from "../../../spec/types.js";
import { lintWith, specWith } from "../../tester.js";
import { rule } from "./objective.js";

const slo = (objective: number, alerting: SloSpec["alerting"] = {}): SloSpec => ({
  name: "availability",
  objective,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  alerting,
});

describe("slo/objective", () => {
  // Workbook factors: page 14.4 and 6, ticket 3 and 1. A tier is dead when all its factor × budget ≥ 1.
  it.each<[string, SloSpec]>([
    ["99.9%", slo(99.9)],
    ["90%: 14.4 × 0.1 ≥ 1 but 6 × 0.1 = 0.6 keeps the page tier alive", slo(90)],
    ["84%: 6 × 0.16 = 0.96", slo(84)],
    ["50% without a page tier: the ticket's 1 × 0.5 fires", slo(50, { page: { enabled: false } })],
  ])("valid: %s", (_, s) => {
    expect(lintWith(rule, specWith({ slos: [s] }))).toEqual([]);
  });

  // [case, SLO, paths, first message, first hint]
  it.each<[string, SloSpec, string[], string, string]>([
    [
      "80%: 14.4 × 0.2 = 2.88 and 6 × 0.2 = 1.2",
      slo(80),
      ["page"],
      'the page tier of SLO "availability" can never fire: at objective 80% the error budget is 0.2, and even its lowest burn factor 6 puts the threshold at 1.2, above the highest possible error ratio of 1',
      // 100 × (1 - 1/6) = 83.333…; 1 / 0.2 = 5
      "raise the objective above 83.3333333333%, or give the tier a burn factor below 5",
    ],
    [
      "99% with page factors 100 and 150: 100 × 0.01 = 1",
      slo(99, { page: { windows: [{ long: "1h", short: "5m", factor: 150 }, { long: "6h", short: "30m", factor: 100 }] } }),
      ["page"],
      'the page tier of SLO "availability" can never fire: at objective 99% the error budget is 0.01, and even its lowest burn factor 100 puts the threshold at 1, above the highest possible error ratio of 1',
      "raise the objective above 99%, or give the tier a burn factor below 100",
    ],
    [
      "40% with a ticket factor of 2: 2 × 0.6 = 1.2",
      slo(40, { ticket: { windows: [{ long: "1d", short: "2h", factor: 2 }] } }),
      ["page", "ticket"],
      'the page tier of SLO "availability" can never fire: at objective 40% the error budget is 0.6, and even its lowest burn factor 6 puts the threshold at 3.6, above the highest possible error ratio of 1',
      // 1 / 0.6 = 1.666…
      "raise the objective above 83.3333333333%, or give the tier a burn factor below 1.66666666667",
    ],
  ])("invalid: %s", (_, s, tiers, message, hint) => {
    const found = lintWith(rule, specWith({ slos: [s] }));
    expect(found.map((d) => d.code)).toEqual(tiers.map(() => "slo/objective"));
    expect(found.map((d) => d.at?.path)).toEqual(tiers.map(() => ["slos", 0, "objective"]));
    expect(found[0]!.message).toBe(message);
    expect(found[0]!.hint).toBe(hint);
  });

  it("can be disabled for one SLO with a reason", () => {
    expect(lintWith(rule, specWith({ slos: [{ ...slo(80), lintDisable: { "slo/objective": "batch job, tickets only" } }] }))).toEqual([]);
  });
});
