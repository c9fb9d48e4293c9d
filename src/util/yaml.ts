/**
 * YAML for Go consumers (Prometheus, Alertmanager and promtool read YAML 1.1 with yaml.v2):
 * YAML 1.1 quoting so `yes`/`on`/`y` stay strings, no line folding, literal blocks for
 * multi-line strings such as PromQL.
 */
import { Document } from "yaml";

export function renderYaml(value: unknown, header?: string): string {
  const doc = new Document(value, { version: "1.1", aliasDuplicateObjects: false });
  if (header) doc.commentBefore = header;
  return doc.toString({ lineWidth: 0, blockQuote: "literal", indentSeq: true });
}

/** Object with keys in code-point order (labels and annotations have no meaningful order). */
export function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
