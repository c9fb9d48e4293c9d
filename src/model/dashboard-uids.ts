/**
 * Dashboard uids, derived from the spec (never random) and at most 40 characters as Grafana
 * requires; shared by the Grafana emitter and the alert annotations that link to dashboards.
 */
import { createHash } from "node:crypto";

/**
 * `vigil-<service>-<dashboard>` in Grafana's uid alphabet. Over 40 characters the service part
 * is shortened and a hash of the whole added, so the dashboard part stays readable in URLs.
 */
export function dashboardUid(service: string, ...rest: string[]): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  const full = clean(["vigil", service, ...rest].join("-"));
  if (full.length <= 40) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const tail = clean(rest.join("-"));
  const room = 40 - "vigil-".length - tail.length - hash.length - 2;
  if (room >= 4) return `vigil-${clean(service).slice(0, room).replace(/-+$/, "")}-${hash}-${tail}`;
  return `${full.slice(0, 33).replace(/-+$/, "")}-${hash}`;
}

export const overviewUid = (service: string) => dashboardUid(service, "overview");
export const slosUid = (service: string) => dashboardUid(service, "slos");
