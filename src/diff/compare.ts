/** Compares two fact sets: what was added, removed, and which properties changed. */
import { AREAS, type Area, type Fact, type FactSet } from "./facts.js";

export interface DiffChange {
  change: "added" | "removed" | "changed";
  area: Area;
  subject: string;
  /** For `changed`: the property. */
  field?: string;
  /** For `changed`: the old and new text (absent: the property was unset on that side). */
  before?: string;
  after?: string;
  /** For `added` and `removed`: every property of the fact. */
  fields?: Record<string, string>;
}

export function compareFacts(before: FactSet, after: FactSet): DiffChange[] {
  const changes: DiffChange[] = [];
  const oldFacts = new Map(before.all().map((f) => [keyOf(f), f]));
  const newFacts = new Map(after.all().map((f) => [keyOf(f), f]));
  for (const [k, fact] of oldFacts) {
    const now = newFacts.get(k);
    if (!now) {
      changes.push({ change: "removed", area: fact.area, subject: fact.subject, fields: sorted(fact.fields) });
      continue;
    }
    const names = [...new Set([...Object.keys(fact.fields), ...Object.keys(now.fields)])].sort();
    for (const field of names) {
      const was = fact.fields[field];
      const is = now.fields[field];
      if (was === is) continue;
      const c: DiffChange = { change: "changed", area: fact.area, subject: fact.subject, field };
      if (was !== undefined) c.before = was;
      if (is !== undefined) c.after = is;
      changes.push(c);
    }
  }
  for (const [k, fact] of newFacts) if (!oldFacts.has(k)) changes.push({ change: "added", area: fact.area, subject: fact.subject, fields: sorted(fact.fields) });
  return changes.sort(order);
}

function keyOf(f: Fact): string {
  return `${f.area}\u0000${f.subject}`;
}

function sorted(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const RANK: Record<DiffChange["change"], number> = { removed: 0, changed: 1, added: 2 };

function order(a: DiffChange, b: DiffChange): number {
  return (
    AREAS.indexOf(a.area) - AREAS.indexOf(b.area) ||
    cmp(a.subject, b.subject) ||
    RANK[a.change] - RANK[b.change] ||
    cmp(a.field ?? "", b.field ?? "")
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
