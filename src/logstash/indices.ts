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
  /** More specific classes win over the service-wide pattern they also match. */
  priority: number;
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
  // Built-in Elasticsearch templates (`logs-*-*`, priority 100) must lose to ours.
  return routes.map((r) => ({
    ...r,
    id: dailyIndex(service, r.route),
    pattern: logs.indices === "daily" ? `${dailyIndex(service, r.route)}-*` : r.route === "main" ? `logs-${dataset(service)}.*-*` : `logs-${dataset(service)}.${r.route}-*`,
    priority: (r.route === "main" ? 100 : 200) + (logs.indices === "daily" ? 0 : 100),
  }));
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

export function indexTemplate(service: ServiceModel, logs: LogsModel, cls: RetentionClass): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of logs.fields) {
    if (f.pii === "remove") continue;
    // A hashed or masked value is an opaque keyword, whatever it was.
    const type = f.pii ? "keyword" : ES_TYPES[f.type];
    setMapping(properties, f.path, type);
  }
  properties["@timestamp"] = { type: "date" };
  properties.event = { properties: { category: { type: "keyword" } } };
  if (logs.correlation) setMapping(properties, logs.correlation.to, "keyword");
  const template: Record<string, unknown> = {
    index_patterns: [cls.pattern],
    priority: cls.priority,
    template: { settings: { "index.lifecycle.name": cls.id }, mappings: { properties } },
    _meta: { generator: "vigil", service: service.name },
  };
  if (logs.indices === "dataStream") template.data_stream = {};
  return template;
}

/** Sets `{ type }` at a field path, creating the object mappings on the way. */
function setMapping(properties: Record<string, unknown>, path: readonly string[], type: string): void {
  let node = properties;
  path.forEach((p, i) => {
    if (i === path.length - 1) node[p] = { type };
    else {
      const next = (node[p] as { properties?: Record<string, unknown> } | undefined) ?? { properties: {} };
      node[p] = next;
      node = next.properties!;
    }
  });
}
