/**
 * Elasticsearch 8's built-in composable index templates whose patterns can meet log indices,
 * as the stack and APM registries install them (elastic/elasticsearch, read from
 * x-pack/plugin/core/template-resources/src/main/resources/{logs,metrics,synthetics}@template.json,
 * logs-otel@template.json, metrics-otel@template.json, traces-otel@template.json,
 * activitylog/logs-elasticsearch.querylog@template.json (QueryLoggingTemplateRegistry fills in the
 * pattern), ilm-history.json, kibana-reporting@template.json, and
 * x-pack/plugin/apm-data/src/main/resources/index-templates/*.yaml), with the rule by which
 * Elasticsearch picks one for a new index and refuses a template at PUT time.
 */

export interface IndexTemplate {
  name: string;
  index_patterns: string[];
  priority: number;
  data_stream?: object;
  /** `index.lifecycle.name` of ours. */
  policy?: string;
}

export const BUILTIN_TEMPLATES: readonly IndexTemplate[] = [
  { name: "logs", index_patterns: ["logs-*-*"], priority: 100, data_stream: {} },
  { name: "metrics", index_patterns: ["metrics-*-*"], priority: 100, data_stream: {} },
  { name: "synthetics", index_patterns: ["synthetics-*-*"], priority: 100, data_stream: {} },
  { name: "logs-otel@template", index_patterns: ["logs-*.otel-*"], priority: 120, data_stream: {} },
  { name: "metrics-otel@template", index_patterns: ["metrics-*.otel-*"], priority: 120, data_stream: {} },
  { name: "traces-otel@template", index_patterns: ["traces-*.otel-*"], priority: 120, data_stream: {} },
  { name: "logs-apm.app@template", index_patterns: ["logs-apm.app.*-*"], priority: 140, data_stream: {} },
  { name: "logs-apm.error@template", index_patterns: ["logs-apm.error-*"], priority: 210, data_stream: {} },
  { name: "metrics-apm.app@template", index_patterns: ["metrics-apm.app.*-*"], priority: 210, data_stream: {} },
  { name: "traces-apm@template", index_patterns: ["traces-apm-*"], priority: 140, data_stream: {} },
  { name: "logs-elasticsearch.querylog@template", index_patterns: ["logs-elasticsearch.querylog-*"], priority: 250, data_stream: {} },
  { name: "ilm-history-7", index_patterns: ["ilm-history-7*"], priority: 2147483647, data_stream: {} },
  { name: ".kibana-reporting", index_patterns: [".kibana-reporting*"], priority: 100, data_stream: {} },
];

/** Elasticsearch's `Regex.simpleMatch`: `*` matches any run of characters. */
export function simpleMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(name);
}

/**
 * Whether two patterns' languages intersect (Elasticsearch builds automata and intersects them):
 * a breadth-first walk of the product of the two patterns' positions.
 */
export function patternsIntersect(a: string, b: string): boolean {
  const seen = new Set<string>();
  const queue: [number, number][] = [[0, 0]];
  while (queue.length) {
    const [i, j] = queue.shift()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A star may match nothing: step over it.
    if (a[i] === "*") queue.push([i + 1, j]);
    if (b[j] === "*") queue.push([i, j + 1]);
    if (i === a.length && j === b.length) return true;
    if (i === a.length || j === b.length) continue;
    // Consume one character both accept.
    const ca = a[i]!;
    const cb = b[j]!;
    if (ca === "*" && cb === "*") queue.push([i, j + 1], [i + 1, j]);
    else if (ca === "*") queue.push([i, j + 1]);
    else if (cb === "*") queue.push([i + 1, j]);
    else if (ca === cb) queue.push([i + 1, j + 1]);
  }
  return false;
}

/** PUT _index_template in order: a template that overlaps an existing one of the same priority is refused. */
export function putTemplates(templates: readonly IndexTemplate[]): { installed: IndexTemplate[]; refused: { template: IndexTemplate; conflictsWith: string }[] } {
  const installed: IndexTemplate[] = [];
  const refused: { template: IndexTemplate; conflictsWith: string }[] = [];
  for (const t of templates) {
    const clash = installed.find((x) => x.priority === t.priority && x.index_patterns.some((p) => t.index_patterns.some((q) => patternsIntersect(p, q))));
    if (clash) refused.push({ template: t, conflictsWith: clash.name });
    else installed.push(t);
  }
  return { installed, refused };
}

/** The template a new index gets: the matching one of highest priority (PUT keeps ties from overlapping). */
export function selectTemplate(templates: readonly IndexTemplate[], index: string): IndexTemplate | undefined {
  return templates.filter((t) => t.index_patterns.some((p) => simpleMatch(p, index))).sort((x, y) => y.priority - x.priority)[0];
}

/** What a write to a new index does: a data stream template takes only `create`. */
export function writeOutcome(template: IndexTemplate | undefined, opType: "index" | "create"): "ok" | "rejected: data streams take only op_type create" | "creates a plain index, not a data stream" {
  if (template?.data_stream && opType !== "create") return "rejected: data streams take only op_type create";
  if (!template?.data_stream && opType === "create") return "creates a plain index, not a data stream";
  return "ok";
}
