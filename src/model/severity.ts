/** The severity ladder, in order from most to least urgent: critical pages, warning opens a ticket, info is for the record. */
import type { Severity } from "../spec/types.js";

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
