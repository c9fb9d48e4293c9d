/** Naming rules (Prometheus' and Vigil's) and name transformations. */

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Service, team and SLO names end up in file names, label values and alert names. */
export const SLUG = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** An environment variable name, as secrets and Logstash `${VAR}` references take them. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `host:port`, as scrape targets, the Alertmanager address and the SMTP smarthost are written. */
export const HOST_PORT = /^[^\s/:]+:\d{1,5}$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith("__");
}

/** `api-availability` → `ApiAvailability`. */
export function camelCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Longer names are no typos of a name: no suggestion, and no O(n·m) distance over user input. */
export const MAX_SUGGESTION_INPUT = 64;

/**
 * The closest candidate within a small edit distance, as a hint. Costs at most
 * 64 × (64 + 16) steps per candidate: longer inputs get none, and a candidate whose length
 * alone puts it out of reach is never compared.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGESTION_INPUT) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 4));
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? `did you mean "${best}"?` : undefined;
}
