/** JSON with object keys sorted: where key order is free, bytes must not depend on who built the object. */
export function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v),
    indent,
  );
}
