/**
 * Where a service's events are stored, by retention class: the service-wide class, one per
 * category kept for a different number of days, and the dead-letter class for lines that did
 * not parse. Daily indices (`logs-<service>-<class>-YYYY.MM.dd`) or data streams
 * (`logs-<dataset>-default`, one per category); each class gets a lifecycle policy and an index
 * template that applies it.
 */
import type { LogsModel, ServiceModel } from "../model/types.js";

export interface RetentionClass {
  /** File name of its policy and template, and the policy's name: `logs-<service>[-<category>]`. */
  id: string;
  /** Route name in the distributor pipeline: `main`, a category, or `deadletter`. */
  route: string;
  days: number;
  /** The category it holds alone (undefined: every category without its own class). */
  category?: string;
  /** Index pattern its template matches. */
  pattern: string;
  /** `PRIORITY_BASE` + the length of the pattern's literal prefix (see `templatePriority`). */
  priority: number;
}

/**
 * Elasticsearch 8 ships index templates for `logs-*-*` (priority 100, a data stream template,
 * which refuses the `index` op type of daily indices), `logs-*.otel-*` (120), `logs-apm.app.*-*`
 * (140), `logs-apm.error-*` (210) and, in later 8.x, `logs-elasticsearch.querylog-*` (250). Ours
 * all rank above them.
 */
export const PRIORITY_BASE = 300;

/**
 * An index gets the template of highest priority among those matching it, and Elasticsearch
 * refuses a template that overlaps another of the same priority. Ranking by the literal prefix
 * before the first `*` makes the more specific of two overlapping patterns win (a category's
 * index over the service-wide one, service `api-gateway`'s indices over service `api`'s); two
 * patterns with prefixes of one length overlap only when they are the same (daily) or share
 * their dataset (data streams), which `checkLogServices` reports.
 */
export function templatePriority(pattern: string): number {
  const star = pattern.indexOf("*");
  return PRIORITY_BASE + (star < 0 ? pattern.length : star);
}

/** Whether some index name matches both patterns (`*` is any run of characters, as in index_patterns). */
export function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (a[i] === "*") r = go(i + 1, j) || (j < b.length && go(i, j + 1)) || (j < b.length && b[j] === "*" && go(i + 1, j + 1));
    else if (b[j] === "*") r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else r = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** Data stream datasets may not hold `-`: `halcytone-content-generator` → `halcytone_content_generator`. */
export function dataset(service: ServiceModel): string {
  return service.name.toLowerCase().replace(/-/g, "_");
}

/** Index name prefix of a class in daily mode, before `-YYYY.MM.dd`. */
export function dailyIndex(service: ServiceModel, route: string): string {
  const base = `logs-${service.name.toLowerCase()}`;
  return route === "main" ? base : `${base}-${route}`;
}

export function retentionClasses(service: ServiceModel, logs: LogsModel): RetentionClass[] {
  const own = logs.categories.filter((c) => c.retentionDays !== logs.retentionDays).map((c) => ({ route: c.name, days: c.retentionDays, category: c.name }));
  const routes = [{ route: "main", days: logs.retentionDays }, ...own, { route: "deadletter", days: logs.retentionDays, category: "deadletter" }];
  return routes.map((r) => {
    const pattern = logs.indices === "daily" ? `${dailyIndex(service, r.route)}-*` : r.route === "main" ? `logs-${dataset(service)}.*-*` : `logs-${dataset(service)}.${r.route}-*`;
    return { ...r, id: dailyIndex(service, r.route), pattern, priority: templatePriority(pattern) };
  });
}

/** Categories route differently when some are kept longer: then each route is a pipeline of its own. */
export function routesDiffer(logs: LogsModel): boolean {
  return logs.indices === "daily" && logs.categories.some((c) => c.retentionDays !== logs.retentionDays);
}

/** Daily indices are rolled by their name; a data stream rolls over daily (or at 50 GB a shard). */
export function ilmPolicy(logs: LogsModel, days: number): Record<string, unknown> {
  const hot: Record<string, unknown> = { set_priority: { priority: 100 } };
  if (logs.indices === "dataStream") hot.rollover = { max_age: "1d", max_primary_shard_size: "50gb" };
  return { policy: { phases: { hot: { min_age: "0ms", actions: hot }, delete: { min_age: `${days}d`, actions: { delete: {} } } } } };
}

const ES_TYPES: Record<LogsModel["fields"][number]["type"], string> = { string: "text", keyword: "keyword", number: "double", boolean: "boolean", timestamp: "date" };

/** A field the index templates map, with its Elasticsearch type. */
export interface MappedField {
  /** Dotted name, as Kibana and queries name it. */
  name: string;
  type: string;
}

/** Every field the service's index templates map (they all map the same), in mapping order; Kibana's data views list the same. */
export function mappedFields(logs: Pick<LogsModel, "fields" | "correlation">): MappedField[] {
  const out: MappedField[] = [];
  const walk = (properties: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(properties)) {
      const m = value as { type?: string; properties?: Record<string, unknown> };
      if (m.properties) walk(m.properties, `${prefix}${key}.`);
      else out.push({ name: `${prefix}${key}`, type: m.type! });
    }
  };
  walk(templateProperties(logs), "");
  return out;
}

export function indexTemplate(service: ServiceModel, logs: LogsModel, cls: RetentionClass): Record<string, unknown> {
  const template: Record<string, unknown> = {
    index_patterns: [cls.pattern],
    priority: cls.priority,
    template: { settings: { "index.lifecycle.name": cls.id }, mappings: { properties: templateProperties(logs) } },
    _meta: { generator: "vigil", service: service.name },
  };
  if (logs.indices === "dataStream") template.data_stream = {};
  return template;
}

function templateProperties(logs: Pick<LogsModel, "fields" | "correlation">): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of logs.fields) {
    if (f.pii === "remove") continue;
    // A hashed or masked value is an opaque keyword, whatever it was.
    const type = f.pii ? "keyword" : ES_TYPES[f.type];
    // The date filter rewrote what it could read; a value it could not is kept, unindexed, not refused with the whole event.
    setMapping(properties, f.path, type === "date" ? { type, ignore_malformed: true } : { type });
  }
  properties["@timestamp"] = { type: "date" };
  properties.event = { properties: { category: { type: "keyword" } } };
  if (logs.correlation) setMapping(properties, logs.correlation.to, { type: "keyword" });
  return properties;
}

/** Sets a field's mapping at its path, creating the object mappings on the way. */
function setMapping(properties: Record<string, unknown>, path: readonly string[], mapping: Record<string, unknown>): void {
  let node = properties;
  path.forEach((p, i) => {
    if (i === path.length - 1) node[p] = mapping;
    else {
      const next = (node[p] as { properties?: Record<string, unknown> } | undefined) ?? { properties: {} };
      node[p] = next;
      node = next.properties!;
    }
  });
}
