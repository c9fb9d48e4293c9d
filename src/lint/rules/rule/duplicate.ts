/**
 * rule/duplicate: two rules that Prometheus and Alertmanager cannot tell apart.
 *
 * - Two recording rules with the same name and labels write the same series twice per
 *   evaluation ("duplicate sample" errors, a metric that flips between two expressions).
 * - Two alerting rules with the same name and labels fire as one alert whose expression
 *   depends on which rule evaluated last, and silence or inhibit each other.
 * - An alert with the name and severity of an alert Vigil generates for an SLO (or two SLOs
 *   whose generated alerts share a name: `api-availability` and `api_availability` both
 *   become `ApiAvailabilityErrorBudgetBurn`) is grouped, inhibited and silenced together
 *   with it: severity ladders make name + severity the identity of a Vigil alert.
 * - A recording rule named like a series Vigil records for one of the service's SLOs
 *   (`slo:sli_error:ratio_rate5m`, `slo:objective:ratio`, ...) mixes into Vigil's SLO series
 *   and the dashboards and rules that read them.
 *
 * Within a spec, normalization already rejects two alerts with the same name and severity and
 * two recordings with the same name and labels (VIG2004), so for specs this rule covers the
 * collisions with Vigil's generated SLO rules; for plain rule files it compares the rules as
 * written.
 */
import { formatPath, type SpecRef } from "../../../diagnostics/index.js";
import { SLO_RULES } from "../../../model/rule-names.js";
import { sloWindows } from "../../../prometheus/slo-rules.js";
import type { LintItem, LintRule } from "../../types.js";

interface AlertEntry {
  name: string;
  severity: string;
  labels: Readonly<Record<string, string>>;
  /** For rules Vigil generates from an SLO: "the page alert of SLO \"x\"". */
  generated?: string;
  /** Where findings point (the name). */
  at: SpecRef;
  /** The rule as a whole, named in "first at ..." messages. */
  origin: SpecRef;
  item: LintItem;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** `groups[0].rules[2]`, `alerts[1]`: where the first of two duplicates is. */
function where(at: SpecRef): string {
  return formatPath(at.path);
}

export const rule: LintRule = {
  meta: { id: "rule/duplicate", severity: "error", description: "two rules with the same name and labels, or a rule named like one Vigil generates for an SLO" },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;

    // Alerting rules: the SLOs' generated ones first, so a user's alert is the one reported.
    const alerts: AlertEntry[] = [];
    for (const slo of service.slos) {
      const item: LintItem = { kind: "slo", slo };
      for (const tier of slo.tiers) {
        alerts.push({ name: slo.alertName, severity: tier.severity, labels: tier.labels, generated: `the ${tier.tier} alert of SLO "${slo.name}"`, at: { ...slo.at, path: [...slo.at.path, "alerting", "name"] }, origin: slo.at, item });
      }
      if (slo.noData) {
        alerts.push({ name: slo.noData.alertName, severity: slo.noData.severity, labels: {}, generated: `the no-data alert of SLO "${slo.name}"`, at: { ...slo.at, path: [...slo.at.path, "name"] }, origin: slo.at, item });
      }
    }
    for (const alert of service.alerts) {
      // Point at the name: `name` in a spec, `alert` in a rule file.
      const at = { ...alert.at, path: [...alert.at.path, alert.at.path[0] === "alerts" ? "name" : "alert"] };
      alerts.push({ name: alert.name, severity: alert.severity, labels: alert.labels, at, origin: alert.at, item: { kind: "alert", alert } });
    }
    alerts.forEach((b, j) => {
      const a = alerts.slice(0, j).find((a) => a.name === b.name && (a.generated || b.generated ? a.severity === b.severity : sameLabels(a.labels, b.labels)));
      if (!a) return;
      if (!a.generated) {
        ctx.report({ message: `alert "${b.name}" is declared twice with the same labels (first at ${where(a.origin)})`, hint: "remove one, or tell them apart by name or labels", at: b.at, item: b.item });
      } else if (!b.generated) {
        ctx.report({
          message: `alert "${b.name}" (${b.severity}) has the name and severity of ${a.generated}`,
          hint: "rename the alert: Alertmanager groups, inhibits and silences the two together",
          at: b.at,
          item: b.item,
        });
      } else {
        ctx.report({
          message: `${b.generated} has the name "${b.name}" and severity ${b.severity} of ${a.generated}`,
          hint: "give the SLOs distinct alert names (alerting.name)",
          at: b.at,
          item: b.item,
        });
      }
    });

    // Recording rules: against each other, then against the SLOs' generated series.
    const generated = new Map<string, string>();
    for (const slo of service.slos) {
      const names = [...Object.values(SLO_RULES).filter((v): v is Extract<typeof v, string> => typeof v === "string"), ...sloWindows(slo).map(SLO_RULES.errorRatio)];
      for (const name of names) if (!generated.has(name)) generated.set(name, slo.name);
    }
    service.recordings.forEach((r, j) => {
      const at = { ...r.at, path: [...r.at.path, "record"] };
      const item: LintItem = { kind: "recording", recording: r };
      const first = service.recordings.slice(0, j).find((q) => q.record === r.record && sameLabels(q.labels, r.labels));
      if (first) {
        ctx.report({ message: `recording rule "${r.record}" is declared twice with the same labels (first at ${where(first.at)})`, hint: "remove one, or tell them apart by labels", at, item });
        return;
      }
      const slo = generated.get(r.record);
      if (slo !== undefined) {
        ctx.report({
          message: `recording rule "${r.record}" has the name of a series Vigil records for SLO "${slo}"`,
          hint: "the slo: names belong to Vigil's SLO rules; record under your own level, e.g. job:<metric>:<operation>",
          at,
          item,
        });
      }
    });
  },
};
