/**
 * alerts/annotations: an alert without a summary, a description or a runbook link. The
 * summary is the line a pager shows, the description what the responder reads first and the
 * runbook what they do next; an alert missing one wakes somebody up with a riddle.
 *
 * In a spec the summary and description are required properties (but may be empty or be
 * overridden by `annotations`), and `runbook_url` comes from the alert's (or SLO's) `runbook`
 * or else the service's `runbookBaseUrl` (see normalize/alerts.ts and normalize/slos.ts). In a
 * plain rule file the annotations are taken as written. SLO alerts count too: the burn-rate
 * tiers and the no-data alert carry generated summaries and descriptions, but a runbook only
 * when one is configured.
 */
import type { SpecRef } from "../../../diagnostics/index.js";
import type { SloModel } from "../../../model/types.js";
import type { LintRule } from "../../types.js";

const REQUIRED = ["summary", "description", "runbook_url"] as const;

/** The required annotations an alert lacks (absent, empty or blank). */
function missing(annotations: Readonly<Record<string, string>>): string[] {
  return REQUIRED.filter((k) => !annotations[k]?.trim());
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function what(keys: readonly string[]): string {
  return `no ${list(keys)} annotation${keys.length > 1 ? "s" : ""}`;
}

function hint(keys: readonly string[], slo: boolean): string {
  const parts: string[] = [];
  const text = keys.filter((k) => k !== "runbook_url");
  if (text.length) parts.push(`give ${list(text)} a text that tells the responder what is wrong`);
  if (keys.includes("runbook_url")) {
    parts.push(`link a runbook: \`runbook\` on the ${slo ? "SLO" : "alert"} or \`service.runbookBaseUrl\` in a spec, a \`runbook_url\` annotation in a rule file`);
  }
  return parts.join("; ");
}

/** The annotations of an SLO's no-data alert, as prometheus/slo-rules.ts emits them. */
function noDataAnnotations(slo: SloModel): Record<string, string> {
  const out: Record<string, string> = { summary: "generated", description: "generated" };
  if (slo.runbookUrl) out.runbook_url = slo.runbookUrl;
  return { ...out, ...slo.alertAnnotations };
}

export const rule: LintRule = {
  meta: { id: "alerts/annotations", severity: "warning", description: "alert without a summary, a description or a runbook_url annotation" },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;

    // Rules of one severity ladder share their spec item and annotations: report the item once.
    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = alert.at.path.join(".");
      if (seen.has(key)) continue;
      seen.add(key);
      const keys = missing(alert.annotations);
      if (keys.length === 0) continue;
      ctx.report({ message: `alert "${alert.name}" has ${what(keys)}`, hint: hint(keys, false), at: alert.at, item: { kind: "alert", alert } });
    }

    for (const slo of service.slos) {
      const alerts: { label: string; keys: string[]; at: SpecRef }[] = slo.tiers.map((tier) => ({
        label: `the ${tier.tier} alert "${slo.alertName}"`,
        keys: missing(tier.annotations),
        at: tier.at,
      }));
      if (slo.noData) {
        alerts.push({ label: `the no-data alert "${slo.noData.alertName}"`, keys: missing(noDataAnnotations(slo)), at: { ...slo.at, path: [...slo.at.path, "alerting", "noData"] } });
      }
      const item = { kind: "slo" as const, slo };
      const first = alerts[0];
      // Usually every alert of the SLO lacks the same (its runbook): say so once, at the SLO.
      if (first && first.keys.length > 0 && alerts.every((a) => a.keys.join() === first.keys.join())) {
        ctx.report({ message: `the alerts of SLO "${slo.name}" have ${what(first.keys)}`, hint: hint(first.keys, true), at: slo.at, item });
        continue;
      }
      for (const a of alerts) {
        if (a.keys.length === 0) continue;
        ctx.report({ message: `${a.label} of SLO "${slo.name}" has ${what(a.keys)}`, hint: hint(a.keys, true), at: a.at, item });
      }
    }
  },
};
