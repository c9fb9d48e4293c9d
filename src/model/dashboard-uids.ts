/**
 * Dashboard uids, derived from the spec (never random) and at most 40 characters as Grafana
 * requires; shared by the Grafana emitter and the alert annotations that link to dashboards.
 */
import { createHash } from "node:crypto";

/** `vigil-<parts>` in Grafana's uid alphabet; over 40 characters, cut and suffixed with a hash of the whole. */
export function dashboardUid(...parts: string[]): string {
  const full = ["vigil", ...parts].join("-").toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  if (full.length <= 40) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, 31).replace(/-+$/, "")}-${hash}`;
}

export const overviewUid = (service: string) => dashboardUid(service, "overview");
export const slosUid = (service: string) => dashboardUid(service, "slos");
