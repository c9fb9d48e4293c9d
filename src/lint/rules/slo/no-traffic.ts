/**
 * slo/no-traffic: an SLO with neither a no-data alert nor a minimum-traffic guard. Both ends of
 * the traffic scale break a ratio SLI quietly: with no events the error ratio is 0/0 (NaN) or no
 * series at all, so the burn alerts cannot fire and a dead target looks like a healthy SLO; with very
 * few events one failure is a 100% error ratio and pages at 3 a.m. The no-data alert
 * (`alerting.noData`, on by default) covers the first, `alerting.minTraffic` the second; an SLO
 * that switched the first off and has not set the second has neither.
 */
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "slo/no-traffic", severity: "warning", description: "SLO with neither a no-data alert nor a minimum-traffic guard", needsSpec: true },
  check(ctx) {
    for (const slo of ctx.service?.slos ?? []) {
      if (slo.noData || slo.minTraffic !== undefined) continue;
      ctx.report({
        message: `SLO "${slo.name}" has neither a no-data alert nor a minimum-traffic guard: without traffic its alerts go silent`,
        // minTraffic needs events to count: boolean SLIs (a 0/1 gauge) only have the no-data alert.
        hint:
          slo.sli.kind === "boolean" || slo.sli.kind === "errorRatio"
            ? "enable the no-data alert (alerting.noData)"
            : "enable the no-data alert (alerting.noData), or set alerting.minTraffic to the events per second below which the page tier should not fire",
        at: slo.at,
        item: { kind: "slo", slo },
      });
    }
  },
};
