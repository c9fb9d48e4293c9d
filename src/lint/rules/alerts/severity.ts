/**
 * alerts/severity: an alert whose `severity` label is missing or is not one of critical,
 * warning and info. Routing, inhibition (critical silences warning of the same alert) and
 * the pager/ticket split all key on these three values; `Critical`, `page` or `P1` match
 * none of the routes and the alert falls through to the default receiver, or nowhere.
 *
 * In a spec Vigil sets the label from `severity`/`thresholds` (schema-checked) and refuses a
 * user `severity` label (VIG2018), so this mostly concerns plain rule files, whose labels are
 * taken as written; it checks the final labels either way. SLO alerts get their severity
 * from Vigil (page: critical, ticket: warning, no-data: schema-checked) and are not checked.
 *
 * A team whose rule files use a ladder of its own (say `page`/`ticket`) sets the allowed values
 * with the config file's `lint.severities` or `vigil lint --severities page,ticket`.
 */
import { isSeverity, SEVERITIES } from "../../../model/severity.js";
import type { LintRule } from "../../types.js";


/** Common spellings of the three levels elsewhere (PagerDuty, Opsgenie, syslog...). */
const ALIASES: Record<string, string> = {
  page: "critical",
  pager: "critical",
  p1: "critical",
  sev1: "critical",
  high: "critical",
  error: "critical",
  crit: "critical",
  ticket: "warning",
  warn: "warning",
  p2: "warning",
  sev2: "warning",
  medium: "warning",
  low: "info",
  p3: "info",
  p4: "info",
  none: "info",
  notice: "info",
  informational: "info",
};

export const rule: LintRule = {
  meta: { id: "alerts/severity", severity: "error", description: "alert whose severity label is not critical, warning or info" },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;
    const allowed: readonly string[] = ctx.severities ?? SEVERITIES;
    const custom = ctx.severities !== undefined;
    const isAllowed = (value: string) => allowed.includes(value);
    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = `${alert.at.path.join(".")}/${alert.labels.severity ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const value = alert.labels.severity;
      if (value !== undefined && isAllowed(value)) continue;
      const item = { kind: "alert" as const, alert };
      const labelAt = { ...alert.at, path: [...alert.at.path, "labels", "severity"] };
      if (value === undefined || value.trim() === "") {
        ctx.report({
          message: `alert "${alert.name}" has no severity label`,
          hint: `add a severity label: ${allowed.join(", ")}`,
          at: value === undefined ? alert.at : labelAt,
          item,
        });
        continue;
      }
      const lower = value.trim().toLowerCase();
      const suggestion = custom ? allowed.find((s) => s.toLowerCase() === lower) : isSeverity(lower) ? lower : ALIASES[lower];
      ctx.report({
        message: `alert "${alert.name}" has severity "${value}", which is not one of ${allowed.join(", ")}`,
        hint: suggestion
          ? `use severity "${suggestion}"`
          : custom
            ? `use one of ${allowed.join(", ")} (lint.severities or --severities)`
            : `use one of ${SEVERITIES.join(", ")}: critical pages, warning opens a ticket, info is for the record`,
        at: labelAt,
        item,
      });
    }
  },
};
