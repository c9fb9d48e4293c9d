/**
 * Filebeat's config contract, as its public source defines it (github.com/elastic/beats): the
 * keys each part of a config unpacks into (go-ucfg `config:"..."` tags) and the values its
 * enumerations take. No Filebeat binary is available to `filebeat test config`, so the emitted
 * files are checked against this, key by key: a key Filebeat does not know is an error here
 * (Filebeat itself ignores most unknown keys silently, which is worse: the setting is lost).
 *
 * Sources (path @ commit):
 * - filebeat/input/filestream/config.go @ 02012f860cba8859981322256776752c92cbb08a: `config`,
 *   `readerConfig` (inline), `closerConfig`; Validate(): paths required; ValidateInputIDs():
 *   filestream ids unique.
 * - libbeat/reader/parser/parser.go @ 79c83984b5259f7f3d20ba65031de96781541745: parsers
 *   multiline, ndjson, container, syslog (anything else: "no such parser").
 * - libbeat/reader/readjson/docker_json.go: ContainerJSONConfig { stream, format }, streams
 *   all/stdout/stderr, formats auto/cri/docker/json-file.
 * - filebeat/channel/connector.go: inputOutletConfig (EventMetadata inline: fields,
 *   fields_under_root, tags; processors, keep_null, type, service.type, pipeline, index).
 * - libbeat/processors/add_docker_metadata/config.go: host, ssl, match_fields, match_source,
 *   match_short_id, match_source_index, match_pids, system.hostfs, cleanup_timeout.
 * - libbeat/conditions/conditions.go: equals, contains, regexp, range, has_fields, network, or, and, not.
 * - libbeat/outputs/logstash/config.go @ 79c83984b5259f7f3d20ba65031de96781541745 (+ `hosts`,
 *   `worker`/`workers` read by libbeat/outputs/hosts.go and the output factory).
 * - filebeat/config/config.go: `filebeat.inputs`.
 */

type Obj = Record<string, unknown>;

const FILESTREAM_KEYS = new Set([
  // inputOutletConfig
  "type", "id", "enabled", "fields", "fields_under_root", "tags", "processors", "keep_null", "service.type", "pipeline", "index",
  // filestream config
  "paths", "close", "prospector.scanner", "file_identity", "clean_inactive", "clean_removed", "harvester_limit", "ignore_older", "ignore_inactive", "rotation", "take_over", "allow_deprecated_id_duplication",
  // readerConfig (inline) and parser.Config (inline)
  "backoff", "buffer_size", "encoding", "exclude_lines", "include_lines", "line_terminator", "message_max_bytes", "seek_to_tail", "parsers",
]);
/** The parsers Vigil writes (parser.go also knows multiline, ndjson and syslog: not in this contract, so refused here). */
const PARSERS: Record<string, Set<string>> = {
  container: new Set(["stream", "format"]),
};
const CONTAINER_STREAMS = new Set(["all", "stdout", "stderr"]);
const CONTAINER_FORMATS = new Set(["auto", "cri", "docker", "json-file"]);
const PROCESSORS: Record<string, Set<string>> = {
  add_docker_metadata: new Set(["host", "ssl", "match_fields", "match_source", "match_short_id", "match_source_index", "match_pids", "system.hostfs", "cleanup_timeout"]),
  drop_event: new Set(["when"]),
};
const CONDITIONS = new Set(["equals", "contains", "regexp", "range", "has_fields", "network", "or", "and", "not"]);
const LOGSTASH_KEYS = new Set(["hosts", "worker", "workers", "enabled", "index", "loadbalance", "bulk_max_size", "slow_start", "timeout", "ttl", "pipelining", "compression_level", "max_retries", "ssl", "proxy_url", "proxy_use_local_resolver", "backoff", "escape_html"]);
const TOP_KEYS = new Set(["filebeat", "output", "processors", "name", "tags", "fields", "logging", "path", "setup", "queue", "monitoring", "http"]);

/** go-ucfg's path separator: `a.b: x` is `a: { b: x }` (only at the top level here; nested dotted keys are kept as written and looked up whole). */
function expandTop(config: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(config)) {
    const [head, ...rest] = key.split(".");
    if (!rest.length) out[head!] = value;
    else out[head!] = { ...((out[head!] as Obj | undefined) ?? {}), [rest.join(".")]: value };
  }
  return out;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function keysIn(where: string, value: unknown, allowed: Set<string>, problems: string[]): Obj {
  if (!isObj(value)) {
    problems.push(`${where}: expected a mapping`);
    return {};
  }
  for (const k of Object.keys(value)) if (!allowed.has(k)) problems.push(`${where}: unknown key "${k}"`);
  return value;
}

function condition(where: string, value: unknown, problems: string[]): void {
  const c = keysIn(where, value, CONDITIONS, problems);
  for (const [k, v] of Object.entries(c)) {
    if (k === "not") condition(`${where}.not`, v, problems);
    else if (k === "or" || k === "and") (Array.isArray(v) ? v : []).forEach((x, i) => condition(`${where}.${k}[${i}]`, x, problems));
    else if (k === "has_fields") {
      if (!Array.isArray(v)) problems.push(`${where}.has_fields: expected a list`);
    } else if (!isObj(v) || Object.keys(v).length === 0) problems.push(`${where}.${k}: expected field: value pairs`);
  }
}

/** Every way the config departs from what Filebeat unpacks; [] when it is a config Filebeat reads as meant. */
export function filebeatProblems(config: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(config)) return ["the config is not a mapping"];
  const top = keysIn("(top)", expandTop(config), TOP_KEYS, problems);
  const fb = keysIn("filebeat", top.filebeat, new Set(["inputs", "config", "modules", "registry", "shutdown_timeout", "overwrite_pipelines"]), problems);
  const inputs = fb.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) problems.push("filebeat.inputs: expected a non-empty list");
  const ids = new Set<string>();
  (Array.isArray(inputs) ? inputs : []).forEach((input, i) => {
    const where = `filebeat.inputs[${i}]`;
    const o = keysIn(where, input, FILESTREAM_KEYS, problems);
    if (o.type !== "filestream") problems.push(`${where}.type: expected filestream, got ${JSON.stringify(o.type)}`);
    if (typeof o.id !== "string" || o.id === "") problems.push(`${where}.id: a filestream input needs an id (its read offsets are kept under it)`);
    else if (ids.has(o.id)) problems.push(`${where}.id: duplicated filestream id "${o.id}"`);
    else ids.add(o.id);
    if (!Array.isArray(o.paths) || o.paths.length === 0 || !o.paths.every((p) => typeof p === "string" && p !== "")) problems.push(`${where}.paths: no path is configured`);
    (Array.isArray(o.parsers) ? o.parsers : o.parsers === undefined ? [] : [null]).forEach((p, k) => {
      const pw = `${where}.parsers[${k}]`;
      if (!isObj(p) || Object.keys(p).length !== 1) return problems.push(`${pw}: expected one parser name with its settings`);
      const [name, settings] = Object.entries(p)[0]!;
      const allowed = PARSERS[name];
      if (!allowed) return problems.push(`${pw}: no such parser: ${name}`);
      const s = keysIn(`${pw}.${name}`, settings ?? {}, allowed, problems);
      if (name === "container") {
        if (s.stream !== undefined && !CONTAINER_STREAMS.has(String(s.stream))) problems.push(`${pw}.container.stream: unknown stream ${JSON.stringify(s.stream)}`);
        if (s.format !== undefined && !CONTAINER_FORMATS.has(String(s.format))) problems.push(`${pw}.container.format: unknown container log format ${JSON.stringify(s.format)}`);
      }
    });
    (Array.isArray(o.processors) ? o.processors : o.processors === undefined ? [] : [null]).forEach((p, k) => {
      const pw = `${where}.processors[${k}]`;
      if (!isObj(p) || Object.keys(p).length !== 1) return problems.push(`${pw}: expected one processor name with its settings`);
      const [name, settings] = Object.entries(p)[0]!;
      const allowed = PROCESSORS[name];
      if (!allowed) return problems.push(`${pw}: processor ${name} is not in this contract`);
      const s = keysIn(`${pw}.${name}`, settings ?? {}, new Set([...allowed, "when"]), problems);
      if (s.when !== undefined) condition(`${pw}.${name}.when`, s.when, problems);
      if (name === "drop_event" && s.when === undefined) problems.push(`${pw}.drop_event: without when it drops every event`);
    });
  });
  const output = keysIn("output", top.output, new Set(["logstash", "elasticsearch", "kafka", "redis", "file", "console"]), problems);
  if (Object.keys(output).length !== 1) problems.push(`output: exactly one output must be enabled, got ${Object.keys(output).length}`);
  if (output.logstash !== undefined) {
    const ls = keysIn("output.logstash", output.logstash, LOGSTASH_KEYS, problems);
    if (ls.port !== undefined) problems.push("output.logstash.port: removed in 6.0, give host:port in hosts");
    if (!Array.isArray(ls.hosts) || ls.hosts.length === 0 || !ls.hosts.every((h) => typeof h === "string" && /^(\[[^\]]+\]|[^\s:/]+):\d{1,5}$/.test(h))) problems.push("output.logstash.hosts: expected host:port entries");
  }
  return problems;
}
