/** A Prometheus release as major.minor ("2.42"): parsing and ordering, for version gating. */

export interface PromVersion {
  major: number;
  minor: number;
}

/** What a spec targets unless `prometheus.version` says otherwise (Debian bookworm's Prometheus). */
export const DEFAULT_TARGET = "2.42";

/** Accepts "2.42", "2.42.0" and "v3.1" (surrounding blanks ignored); undefined for anything else. */
export function parseVersion(text: string): PromVersion | undefined {
  const m = /^v?(\d{1,6})\.(\d{1,6})(?:\.\d{1,6})?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Negative when a is older than b, 0 when the same major.minor, positive when newer. */
export function compareVersions(a: PromVersion, b: PromVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** "2.42". */
export function formatVersion(v: PromVersion): string {
  return `${v.major}.${v.minor}`;
}
