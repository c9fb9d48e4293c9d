/**
 * Stable identifiers: dashboard uids derived from the spec (never random), at most 40
 * characters as Grafana requires, and the datasource uids the dashboards and the provisioning
 * files share.
 */
import { createHash } from "node:crypto";

export const PROMETHEUS_DATASOURCE = { type: "prometheus", uid: "vigil-prometheus" } as const;

/** `vigil-<parts>` in Grafana's uid alphabet; over 40 characters, cut and suffixed with a hash of the whole. */
export function dashboardUid(...parts: string[]): string {
  const full = ["vigil", ...parts].join("-").toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  if (full.length <= 40) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, 31).replace(/-+$/, "")}-${hash}`;
}
