/**
 * The spec language: the plain data a `monitoring.ts` default-exports (or a
 * `monitoring.yaml` / `monitoring.json` holds). `schema.ts` is the JSON Schema for these
 * types, typed as `JSONSchemaType<MonitoringSpec>` so the compiler keeps both in agreement.
 */

/** A Prometheus duration: `30s`, `5m`, `1h30m`, `30d`, `2w`. */
export type Duration = string;

/** Alert severity ladder: critical pages, warning opens a ticket, info is for the record. */
export type Severity = "critical" | "warning" | "info";

/** Comparison applied between an alert expression and its threshold. */
export type Comparison = ">" | ">=" | "<" | "<=" | "==" | "!=";

export interface MonitoringSpec {
  /** JSON Schema reference, for YAML/JSON editors; ignored by the compiler. */
  $schema?: string;
  /** Settings of the Prometheus that evaluates the generated rules. */
  prometheus?: PrometheusSettings;
  /** The service this spec monitors. */
  service: ServiceSpec;
  /** Teams that own the service, its SLOs and alerts. */
  teams?: TeamSpec[];
  /** Metrics the service (and its infrastructure) exposes, with their label names. */
  signals?: SignalSpec[];
  /** Exporters some signals come from (their `source`): each is a scrape job of its own in `prometheus.yml`. */
  exporters?: ExporterSpec[];
  /** Service level objectives; each gets SLI recording rules and burn-rate alerts. */
  slos?: SloSpec[];
  /** Threshold alerts. */
  alerts?: AlertSpec[];
  /**
   * Info alerts for events: a new deployment or a configuration change (read from a gauge the
   * service exposes), a scheduled maintenance window (from `alertmanager.timeIntervals`).
   */
  events?: EventSpec[];
  /** Anomaly alerts: a value outside the band its own history predicts (see `AnomalySpec`). */
  anomalies?: AnomalySpec[];
  /** Alerts of this service that make others redundant while they fire (see `InhibitionSpec`). */
  inhibitions?: InhibitionSpec[];
  /** User-defined recording rules. */
  recordings?: RecordingSpec[];
  /** Lint configuration: severity per rule id, or "off" to disable it project-wide. */
  lint?: LintSpec;
  /** Alertmanager settings shared by every spec compiled together: time intervals, catch-all, SMTP. */
  alertmanager?: AlertmanagerSettings;
  /** Grafana settings shared by every spec compiled together. */
  grafana?: GrafanaSettings;
  /** Dashboards written by hand (besides the generated overview and SLO dashboards). */
  dashboards?: DashboardSpec[];
  /** The service's structured logs: how Logstash reads, cleans, categorises and stores them. */
  logs?: LogsSpec;
  /** Synthetic HTTP and TCP checks, run by the probe runtime (`vigil probes run probes/probes.json`). */
  checks?: CheckSpec[];
  /** Multi-step user journeys: requests in order, values from one step used in the next. */
  journeys?: JourneySpec[];
  /** Where the probe runtime runs, shared by every spec compiled together. */
  probes?: ProbeRunnerSettings;
  /**
   * What `vigil compile` writes besides the plain config files (`"files"`, always written):
   * `"kubernetes"` adds `kubernetes/` (Prometheus Operator and grafana-operator resources),
   * `"ruler"` adds `ruler/` (one rule namespace a service for the Mimir, Cortex or Thanos ruler).
   * Every spec compiled together must list the same targets. Default `["files"]`.
   */
  targets?: OutputTarget[];
  /** Settings of the `kubernetes` target. */
  kubernetes?: KubernetesSettings;
}

export type OutputTarget = "files" | "kubernetes" | "ruler";

export interface KubernetesSettings {
  /**
   * The namespace of this service's resources (PrometheusRule, ScrapeConfig, its teams'
   * AlertmanagerConfigs, dashboards, the probe runtime), default `monitoring`. Its rules carry
   * a `namespace` label of this value: the operator only routes alerts of an AlertmanagerConfig's
   * own namespace to it.
   */
  namespace?: string;
}

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A value a journey step extracted, used in a later step (`login.extracted.token` from `step()`). */
export interface StepRefSpec {
  ref: { step: string; name: string };
}

/** Part of a text built at run time: literal text, an environment variable (a secret), or an extracted value. */
export type TemplatePartSpec = string | { env: string } | StepRefSpec;

/** Text, or parts joined at run time, e.g. `["Bearer ", login.extracted.token]`. */
export type TemplateSpec = string | TemplatePartSpec[];

export interface HttpRequestSpec {
  url: TemplateSpec;
  /** Default GET. */
  method?: HttpMethod;
  headers?: Record<string, TemplateSpec>;
  /**
   * A JSON body — plain JSON where `env("X")` and extracted values may stand for values — or a
   * text body (a template).
   */
  body?: { json?: unknown; text?: TemplateSpec };
  /** Whole request, connect to last byte (default `10s`). */
  timeout?: Duration;
  /** Default true (at most 10 redirects). */
  followRedirects?: boolean;
  /** Larger bodies fail the run (default 10 MiB). */
  maxBodyBytes?: number;
  tls?: {
    /** Accept any certificate (self-signed staging targets). */
    insecureSkipVerify?: boolean;
    /** The run fails when the certificate expires in fewer days (also alerted on, see `alert.certificateDays`). */
    minValidityDays?: number;
  };
}

export type AssertionSource = "status" | "header" | "jsonBody" | "textBody" | "responseTime";

export type AssertionComparison =
  | "equals"
  | "notEquals"
  | "lessThan"
  | "lessThanOrEqual"
  | "greaterThan"
  | "greaterThanOrEqual"
  | "contains"
  | "notContains"
  | "matches"
  | "exists"
  | "notExists";

/** What a response must satisfy; built with `assertStatus()`, `assertJson("$.status")` and friends. */
export interface AssertionSpec {
  source: AssertionSource;
  /** Header name (`header`), JSON path such as `$.data.items[0].id` (`jsonBody`). */
  property?: string;
  comparison: AssertionComparison;
  /** What to compare with; absent for exists/notExists; a regexp for matches; milliseconds for responseTime. */
  target?: string | number | boolean | null;
}

export interface ExtractSpec {
  from: "jsonBody" | "header" | "textBody";
  /** JSON path (`jsonBody`) or header name (`header`). */
  property?: string;
  /** `textBody`: a regexp whose first group (or whole match) is the value. */
  regex?: string;
}

export interface ProbeAlertSpec {
  /** Set to false for no alerts (the SLO, if any, still alerts). */
  enabled?: boolean;
  /** Fire after this many failed runs in a row (default 2). */
  failingRuns?: number;
  /** And after failing for this long (default `0s`: the runs are the duration). */
  for?: Duration;
  /**
   * With `probes.locations`: fire only when the probe fails (`failingRuns` in a row) in at least
   * this many of its locations at once (default: `service.probeDefaults.failingLocations`, else 1).
   */
  failingLocations?: number;
  /** HTTPS: warn when the certificate expires within this many days (default 14; 0 for no alert). */
  certificateDays?: number;
}

export interface ProbeSloSpec {
  /** Share of successful runs in percent, e.g. 99.5. */
  objective: number;
  window?: Duration;
}

/** What checks and journeys share: name, owner, schedule, alerts and SLO. */
export interface ProbeSpecBase {
  /** Lower-case name, unique among the service's checks (or journeys), e.g. `api-health`. */
  name: string;
  description?: string;
  /** Owning team (default: the service's team). */
  team?: string;
  /** Severity of the failing alert (default `critical`). */
  severity?: Severity;
  /** Between runs (default `60s` for a check, `5m` for a journey). */
  interval?: Duration;
  /** Runs start up to this fraction of the interval late, 0–0.5 (default 0.1). */
  jitter?: number;
  alert?: ProbeAlertSpec;
  /** Probe success as an SLI: successful runs over all runs. */
  slo?: ProbeSloSpec;
  runbook?: string;
  /**
   * With `probes.locations`: the locations it runs from, by name (default:
   * `service.probeDefaults.locations`, else every location).
   */
  locations?: string[];
}

/**
 * A TCP connect check: the probe opens a connection to `host:port` (and, with `tls`, completes a
 * TLS handshake), then closes it; it fails when the connection is refused, reset, not made within
 * the timeout, or the certificate is invalid. For a database, a queue or a dependency's port.
 */
export interface TcpCheckSpec {
  /** Host name or address, without scheme or port, e.g. `postgres` or `crm.example.com`. */
  host: string;
  port: number;
  /** Connect and TLS handshake together (default `10s`). */
  timeout?: Duration;
  /** Handshake TLS after connecting (`{}` for the defaults). */
  tls?: {
    /** SNI and the name the certificate must hold (default: `host`). */
    serverName?: string;
    /** Accept any certificate (self-signed targets); the expiry is still measured. */
    insecureSkipVerify?: boolean;
    /** The run fails when the certificate expires in fewer days (also alerted on, see `alert.certificateDays`). */
    minValidityDays?: number;
  };
}

/** An HTTP check (`request`) or a TCP connect check (`tcp`): exactly one of the two. */
export interface CheckSpec extends ProbeSpecBase {
  /** An HTTP(S) request. */
  request?: HttpRequestSpec;
  /** A TCP connection (optionally TLS) instead of a request. */
  tcp?: TcpCheckSpec;
  /** Default: the status is below 400 (HTTP); none (TCP). A TCP check takes `responseTime` assertions only (connect and handshake). */
  assertions?: AssertionSpec[];
  /** Attempts after a failure within one run (default 0). */
  retries?: number;
  /** Wait before the first retry, doubled each time (default `1s`). */
  retryBackoff?: Duration;
}

export interface StepSpec {
  /** Lower-case name, unique in the journey. */
  name: string;
  request: HttpRequestSpec;
  assertions?: AssertionSpec[];
  /** Values later steps use, by name. */
  extract?: Record<string, ExtractSpec>;
  /** Warn when this step takes longer, e.g. `2s`. */
  slowerThan?: Duration;
}

export interface JourneySpec extends ProbeSpecBase {
  steps: StepSpec[];
}

export interface ProbeRunnerSettings {
  /** host:port Prometheus scrapes the bundle at (default `localhost:9464`). */
  address?: string;
  /** Probes running at once (default 64). */
  maxConcurrency?: number;
  /**
   * Also write the self-contained runtime, `probes/vigil-probes.mjs`, into the output (default
   * false: run `probes/probes.json` with the runtime of the installed package, `vigil probes run`).
   * Opt in to deploy the output directory alone, without Vigil installed where the probes run.
   */
  bundle?: boolean;
  /**
   * Sharding: `host:port` of each replica of the probe runtime, instead of `address`. The k-th of
   * n runs `vigil probes run --shard k/n` and takes its share of the checks and journeys
   * (rendezvous hashing of service and name: adding a shard moves checks only to it); Prometheus
   * scrapes every one, and each check and journey gets a `<Name>CheckNoData` (`JourneyNoData`)
   * warning that fires when its results are gone, as when its shard stops.
   */
  shards?: string[];
  /**
   * Multi-location checks: each location runs a replica of the probe runtime, `vigil probes run
   * --location <name>`, at `address`, which Prometheus scrapes. A check or journey runs in every
   * location it lists (`locations`, default all), its metrics carry a `location` label, and its
   * failing alert fires only when it fails in `alert.failingLocations` of them; each location
   * that stops reporting gets its own no-data warning. Instead of `address` and `shards`.
   */
  locations?: ProbeLocationSpec[];
}

/** A place the probe runtime runs from (a region, a data centre). */
export interface ProbeLocationSpec {
  /** Lower-case name, the `location` label value, e.g. `eu-west`. */
  name: string;
  /** host:port Prometheus scrapes this location's runtime at, e.g. `probes-eu-west:9464`. */
  address: string;
}

/** Defaults for a service's checks and journeys (each may set its own). */
export interface ProbeDefaultsSpec {
  /** Where they run (names from `probes.locations`; default all). */
  locations?: string[];
  /** Fire when failing in at least this many locations (default 1). */
  failingLocations?: number;
}

export type LogFieldType = "string" | "number" | "boolean" | "timestamp" | "keyword";

export interface LogFieldSpec {
  /** Field name in the JSON line; nested fields as `a.b`. */
  name: string;
  type: LogFieldType;
  /** Personal data: removed, masked, or replaced by a keyed hash (joins still work). */
  pii?: "remove" | "mask" | "hash";
  /**
   * Free text: e-mail addresses, bearer tokens, passwords in query strings, payment card
   * numbers (any run of 13–19 digits, single spaces or dashes allowed between them) and every
   * pattern of `logs.masks` are masked.
   */
  freeText?: boolean;
}

/** The categories Vigil suggests; any lower-case name (`[a-z][a-z0-9_]*`) is a category too. */
export type LogCategory = "request" | "application" | "error" | "performance" | "security" | "audit";

/** A masking pattern of your own, applied with the built-in ones to free-text fields and dead-letter lines. */
export interface LogMaskSpec {
  /** Unique name, for messages and the reader of the spec, e.g. `iban`. */
  name: string;
  /**
   * A Ruby (Logstash) regular expression, e.g. `\bDE[0-9]{20}\b` (in a TypeScript string
   * `"\\bDE[0-9]{20}\\b"`); a leading `(?i)` makes it case-insensitive. It may not match the
   * empty string.
   */
  pattern: string;
  /** What each match becomes (default `[REDACTED]`); `\1` is the text of the first group. */
  replacement?: string;
}

/** Conditions on an event; a category or sampling rule says how they combine. */
export interface LogConditionSpec {
  /** The `logger` field starts with one of these. */
  loggerPrefix?: string[];
  /** The `level` field is one of these. */
  level?: string[];
  /** The field is present. */
  fieldPresent?: string[];
  /** Field name → the value it must equal, e.g. `{ environment: "production" }`. */
  fieldEquals?: Record<string, string>;
}

export interface LogCategorySpec {
  /** One of `LogCategory`, or a name of your own: lower case, `[a-z][a-z0-9_]*`, not `main` or `deadletter`. */
  name: LogCategory | (string & {});
  /** Tagged when any given condition holds. */
  when: LogConditionSpec;
  /** Days its events are kept (default `logs.retentionDays`); a different value gives it its own index and pipeline. */
  retentionDays?: number;
}

export interface LogSamplingSpec {
  /** Sampled when every given condition holds (one of a list is enough), e.g. DEBUG in production. */
  when: LogConditionSpec;
  /** Share of matching events kept, 0–100 (0 drops them all). */
  keepPercent: number;
}

export interface LogSourceSpec {
  /** Beats (Filebeat) on a port, an HTTP endpoint on a port, or files Logstash tails itself. */
  kind: "beats" | "http" | "file";
  /** Port for `beats` (default 5044) and `http` (default 8080). */
  port?: number;
  /** Absolute paths or globs for `file`, e.g. `/var/log/app/*.log`. */
  paths?: string[];
  /** `beats`: also write `filebeat/<service>.filebeat.yml`, a Filebeat that reads these logs and ships them to this input. */
  filebeat?: FilebeatSpec;
}

/**
 * What Filebeat reads: container logs (Docker's json-file or CRI files, whose wrapper it decodes)
 * and log files the service writes. Lines reach Logstash as they were written, in `message`: the
 * pipeline parses the JSON, masks what does not parse and drops PII before anything is stored.
 */
export interface FilebeatSpec {
  /** The Logstash host Filebeat sends to (the port is the beats input's `port`), e.g. `logstash`. */
  logstashHost: string;
  /** Container logs. */
  containers?: {
    /** Log files of the containers (default `/var/lib/docker/containers/*\/*.log`, Docker's json-file driver). */
    paths?: string[];
    /** Keep only the lines of the container of this name (Docker: read with `add_docker_metadata`). */
    name?: string;
    /** Which output streams (default both). */
    stream?: "all" | "stdout" | "stderr";
  };
  /** Absolute paths or globs of log files the service writes, e.g. `/app/logs/*.log`. */
  files?: string[];
}

export interface LogsSpec {
  /** Where events come from (default Beats on port 5044). */
  source?: LogSourceSpec;
  fields: LogFieldSpec[];
  /**
   * Lines that are not JSON: parsed with a grok pattern (`%{TIMESTAMP_ISO8601:timestamp}
   * %{LOGLEVEL:level} %{GREEDYDATA:message}`) or a dissect mapping (`%{timestamp} %{level}
   * %{message}`) into declared fields. Lines neither parses go to the dead-letter index.
   */
  nonJson?: { grok?: string; dissect?: string };
  /** First matching category wins; events matching none are `application`. */
  categories?: LogCategorySpec[];
  /** Masking patterns of your own for free-text fields and dead-letter lines, besides the built-in ones. */
  masks?: LogMaskSpec[];
  /** The request/trace id field, renamed to `to` (default ECS `trace.id`). */
  correlation?: { field: string; to?: string };
  /** Days events are kept (default 30). */
  retentionDays?: number;
  /** Daily indices `logs-<service>-YYYY.MM.dd` (default), or a data stream per category with rollover. */
  indices?: "daily" | "dataStream";
  /** Levels dropped, e.g. `["DEBUG"]`. */
  dropLevels?: string[];
  /** Keep only a share of some events, e.g. `{ when: { level: ["DEBUG"], fieldEquals: { environment: "production" } }, keepPercent: 10 }`. */
  sampling?: LogSamplingSpec[];
  /** Environment variable holding the key for `pii: "hash"` (default `LOG_HASH_KEY`). */
  hashKeyEnv?: string;
  /** Environment variable holding the Elasticsearch URL(s) (default `ES_HOSTS`). */
  elasticsearchEnv?: string;
  /** Kibana saved objects for these logs: data views, a saved search per category, dashboards. */
  kibana?: KibanaSpec;
  /**
   * Metrics from logs: counters of the service's JSON lines, counted by mtail
   * (`mtail/<service>.mtail`) and scraped by Prometheus (job `mtail`); each is a signal alerts,
   * recordings and panels can read. Write them with `logMetric(...)`.
   */
  metrics?: LogMetricSpec[];
}

/**
 * A counter of log lines: how many lines matched, by the values of some fields. mtail reads
 * the log file the service writes (before Logstash: sampling and dropped levels do not apply);
 * only JSON lines count, and only top-level fields are read.
 */
export interface LogMetricSpec {
  /** The metric's name, `[a-zA-Z_][a-zA-Z0-9_]*` (a counter's ends in `_total`); no signal may have it too. */
  name: string;
  help?: string;
  kind: "counter";
  /** Which lines count (default: every JSON line). Every given kind holds, any value of a list. */
  match?: LogMetricMatchSpec;
  /** Labels from log fields: a field name (the label has its name), or a field with options. */
  by?: (string | LogMetricLabelSpec)[];
}

/** Conditions on a line: all given kinds hold (any value of a list), as for `logs.sampling`. */
export interface LogMetricMatchSpec {
  /** The line's category as Logstash tags it (first matching category of `logs.categories`), or `application` (none matches). */
  category?: LogCategory | (string & {});
  /** The `logger` field starts with one of these. */
  loggerPrefix?: string[];
  /** The `level` field is one of these. */
  level?: string[];
  /** The field is present, and neither `null` nor `false`. */
  fieldPresent?: string[];
  /** Field name → the string value it must equal. */
  fieldEquals?: Record<string, string>;
}

export interface LogMetricLabelSpec {
  /** A top-level field of `logs.fields`: keyword, number or boolean. */
  field: string;
  /** The label name (default: the field's name). */
  label?: string;
  /**
   * Keep only the IPv4 network of the address (`"/24"`: `192.168.1.0/24`); lines whose value is
   * no dotted IPv4 address do not count. The way to label by a `pii` address field.
   */
  truncate?: "/8" | "/16" | "/24";
  /**
   * Label by a `pii` field's raw value anyway: Prometheus then stores what Logstash masks,
   * removes or hashes. Required, with a reason, for any `pii` field not truncated.
   */
  allowPii?: { reason: string };
}

/**
 * What `kibana/<service>.saved-objects.ndjson` holds besides the data views (one per index
 * pattern the pipeline writes) and the saved searches (one per category, and the dead letters).
 */
export interface KibanaSpec {
  /** Discover columns of every saved search: log field names (default: the stored fields the spec declares, but timestamps). */
  columns?: string[];
  /** Dashboards of Lens visualizations and saved searches (default: one overview of the service's logs; `[]` for none). */
  dashboards?: KibanaDashboardSpec[];
}

export interface KibanaDashboardSpec {
  /** Lower-case name, unique in the service; the dashboard's saved object id is derived from it. */
  name: string;
  /** Title (default: `<service> / <name>`). */
  title?: string;
  description?: string;
  /** How far back the dashboard looks when opened: a number and s, m, h, d, w or y (default `24h`). */
  timeRange?: string;
  /** How often the dashboard reloads: a number and s, m, h or d (default: it does not). */
  refresh?: string;
  /** Laid out left to right in Kibana's grid of 48 columns, a new row when one does not fit. */
  panels: KibanaPanelSpec[];
}

/** `category` or `categories`: a category of `logs.categories`, `application` (events matching none) or `deadletter` (lines that did not parse). */
export type KibanaCategory = LogCategory | "deadletter" | (string & {});

/** A statistic of a log field: `unique` counts distinct values, `p95`/`p99` are percentiles. */
export type KibanaStatistic = "unique" | "average" | "median" | "min" | "max" | "sum" | "p95" | "p99";

export interface KibanaPanelSize {
  /** Width in grid columns, 1–48 (default 48 for a search, 12 for a total, 24 otherwise). */
  width?: number;
  /** Height in grid rows, at least 1 (default 15 for a search, 8 for a total, 12 otherwise). */
  height?: number;
}

/** A category's saved search: its latest events in a table. */
export interface KibanaSearchPanelSpec extends KibanaPanelSize {
  kind: "search";
  category: KibanaCategory;
}

/** Events per time bucket as stacked bars, split by the most frequent values of `breakdown`. */
export interface KibanaEventsPanelSpec extends KibanaPanelSize {
  kind: "events";
  title: string;
  /** Only events of these categories (default: every event that parsed). */
  categories?: KibanaCategory[];
  /** A keyword, number or boolean field whose 5 most frequent values split the bars. */
  breakdown?: string;
}

/** A statistic of a number field per time bucket, as a line. */
export interface KibanaTrendPanelSpec extends KibanaPanelSize {
  kind: "trend";
  title: string;
  field: string;
  statistic: KibanaStatistic;
  categories?: KibanaCategory[];
}

/** A field's most frequent values with their event counts, as a table. */
export interface KibanaTopPanelSpec extends KibanaPanelSize {
  kind: "top";
  title: string;
  /** A keyword, number or boolean field. */
  field: string;
  /** How many values (default 10). */
  size?: number;
  categories?: KibanaCategory[];
}

/** One number over the dashboard's time range: the events, or a statistic of `field`. */
export interface KibanaTotalPanelSpec extends KibanaPanelSize {
  kind: "total";
  title: string;
  /** With `field` (default: the number of events). */
  statistic?: KibanaStatistic;
  field?: string;
  categories?: KibanaCategory[];
}

export type KibanaPanelSpec = KibanaSearchPanelSpec | KibanaEventsPanelSpec | KibanaTrendPanelSpec | KibanaTopPanelSpec | KibanaTotalPanelSpec;

/** A declared Grafana dashboard: rows of panels over PromQL queries. */
export interface DashboardSpec {
  /** Lower-case name, unique in the service; the dashboard uid is derived from it. */
  name: string;
  /** Title (default: `<service> / <name>`). */
  title?: string;
  description?: string;
  /** Template variables, e.g. `instance` from `label_values(up{job="api"}, instance)`. */
  variables?: DashboardVariableSpec[];
  /** How often the dashboard reloads its panels, e.g. `30s` (default `grafana.refresh`, else `1m`). */
  refresh?: Duration;
  rows: DashboardRowSpec[];
}

export interface DashboardRowSpec {
  title: string;
  panels: PanelSpec[];
}

export type PanelType = "timeseries" | "stat" | "gauge" | "bargauge" | "table" | "heatmap" | "text";

export interface PanelSpec {
  title: string;
  type: PanelType;
  /** PromQL queries; Grafana's variables (`$__rate_interval`, `$instance`) may be used. Required except for text panels. */
  queries?: PanelQuerySpec[];
  /** Markdown of a text panel. */
  text?: string;
  /** Grafana unit id, e.g. `s`, `bytes`, `percentunit`, `reqps`. */
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  /** Threshold steps above a green base, e.g. `[{ value: 0.8, color: "orange" }, { value: 0.95, color: "red" }]`. */
  thresholds?: PanelThresholdSpec[];
  /** Legend display (default `list`). */
  legend?: "list" | "table" | "hidden";
  /** Width in grid columns, 1–24 (default 12, 6 for stat and gauge panels). */
  width?: number;
  /** Height in grid units (default 8, 4 for stat panels). */
  height?: number;
  links?: PanelLinkSpec[];
  description?: string;
}

export interface PanelQuerySpec {
  expr: string;
  /** Legend format, e.g. `{{instance}}`. */
  legend?: string;
}

export interface PanelThresholdSpec {
  value: number;
  color: string;
}

export interface PanelLinkSpec {
  title: string;
  url: string;
}

export interface DashboardVariableSpec {
  /** Variable name, used as `$name` in queries. */
  name: string;
  label?: string;
  /** Grafana Prometheus variable query: `label_values(<selector>, <label>)`, `label_values(<label>)` or `query_result(<expr>)`. */
  query: string;
  multi?: boolean;
  includeAll?: boolean;
}

export interface GrafanaSettings {
  /** Grafana's base URL, e.g. `https://grafana.example.com`: alerts then link to their dashboard. */
  url?: string;
  /** URL Grafana reaches Prometheus at (default `http://localhost:9090`). */
  prometheusUrl?: string;
  /** URL Grafana reaches Elasticsearch at, for a logs datasource when a spec has `logs` (default `http://localhost:9200`). */
  elasticsearchUrl?: string;
  /** URL Grafana reaches Jaeger's query service at: a Jaeger datasource, and log lines link their trace id to it. */
  jaegerUrl?: string;
  /** Directory the dashboards are mounted at in Grafana (default `/var/lib/grafana/dashboards/vigil`). */
  dashboardsPath?: string;
  /** How often every dashboard reloads its panels, e.g. `30s` (default `1m`); a dashboard's own `refresh` wins. */
  refresh?: Duration;
}

/** A secret by reference, never by value: an environment variable or a file Alertmanager reads. */
export type SecretRef = { env: string } | { file: string };

export interface SlackReceiverSpec {
  name: string;
  kind: "slack";
  /** Channel, e.g. `#checkout-alerts`. */
  channel: string;
  /** The incoming-webhook URL (it contains the token, so it is a secret). */
  webhook: SecretRef;
}

export interface EmailReceiverSpec {
  name: string;
  kind: "email";
  /** Addresses; the SMTP server is `alertmanager.smtp`. */
  to: string[];
}

export interface PagerDutyReceiverSpec {
  name: string;
  kind: "pagerduty";
  /** Events API v2 routing (integration) key. */
  routingKey: SecretRef;
  /** Events API endpoint (default PagerDuty's); for tests and proxies. */
  url?: string;
}

export interface OpsgenieReceiverSpec {
  name: string;
  kind: "opsgenie";
  apiKey: SecretRef;
  /** Opsgenie team that responds. */
  responderTeam?: string;
  /** API endpoint (default Opsgenie's); for EU accounts, tests and proxies. */
  apiUrl?: string;
}

export interface WebhookReceiverSpec {
  name: string;
  kind: "webhook";
  /** Endpoint; must not carry a secret (use `bearerToken`). */
  url: string;
  bearerToken?: SecretRef;
}

export type ReceiverSpec = SlackReceiverSpec | EmailReceiverSpec | PagerDutyReceiverSpec | OpsgenieReceiverSpec | WebhookReceiverSpec;

/** How a team is notified of alerts of one severity. */
export interface SeverityRouteSpec {
  /** Names of the team's receivers, all notified; `[]` means alerts of this severity are not sent. */
  receivers: string[];
  /** Labels alerts are grouped by (default `alertname`, `service`, and `slo` where set). */
  groupBy?: string[];
  groupWait?: Duration;
  groupInterval?: Duration;
  repeatInterval?: Duration;
  /** Time intervals (`alertmanager.timeIntervals`) during which these notifications are muted. */
  muteDuring?: string[];
  /** Time intervals outside which these notifications are muted (e.g. working hours for info). */
  activeDuring?: string[];
}

/** Escalation by severity; defaults: critical → pagers and chat, warning → chat, info → email. */
export interface EscalationSpec {
  critical?: SeverityRouteSpec;
  warning?: SeverityRouteSpec;
  info?: SeverityRouteSpec;
}

export interface AlertmanagerSettings {
  /** Where Prometheus sends alerts, `host:port` (default `localhost:9093`). */
  address?: string;
  /** A team receiver that gets alerts no team route claims, loudly marked as unrouted. */
  catchAll?: { team: string; receiver: string };
  /** SMTP server for email receivers. */
  smtp?: SmtpSettings;
  /** Where secrets given as environment variables are written for Alertmanager to read (default `/etc/alertmanager/secrets`). */
  secretsDir?: string;
  /** Named time intervals for maintenance windows and quiet hours. */
  timeIntervals?: TimeIntervalSpec[];
  /**
   * High availability: the Alertmanagers of one cluster. Every Prometheus sends every alert to
   * each of them (instead of to `address`); each gets `alertmanager/peer-<n>.args`, its
   * `--web.listen-address`, `--cluster.listen-address` and a `--cluster.peer` per other peer,
   * so they gossip silences and the notification log and notify once between them.
   */
  peers?: AlertmanagerPeerSpec[];
}

/** One Alertmanager of a cluster. */
export interface AlertmanagerPeerSpec {
  /** `host:port` of its API, where Prometheus sends alerts (`--web.listen-address`). */
  address: string;
  /** `host:port` it gossips with the other peers on (`--cluster.listen-address`, Alertmanager's default port 9094). */
  cluster: string;
}

export interface SmtpSettings {
  /** `host:port`. */
  smarthost: string;
  from: string;
  username?: string;
  password?: SecretRef;
  /** Require STARTTLS (default true). */
  requireTls?: boolean;
}

/** An Alertmanager time interval: it holds when any of its ranges holds. */
export interface TimeIntervalSpec {
  name: string;
  ranges: TimeRangeSpec[];
}

/** Alertmanager's time range fields; a range holds when every given field holds. */
export interface TimeRangeSpec {
  /** `HH:MM` start and end, end exclusive, e.g. `{ start: "22:00", end: "24:00" }`. */
  times?: { start: string; end: string }[];
  /** Days or ranges, e.g. `monday:friday`, `sunday`. The week runs from sunday to saturday and a range never wraps: write `["saturday", "sunday"]`, not `saturday:sunday` (VIG2047). */
  weekdays?: string[];
  /** Days of the month or ranges, e.g. `1:5`, `-1` (the last day). */
  daysOfMonth?: string[];
  /** Months or ranges, e.g. `january:march`, `12`. */
  months?: string[];
  /** Years or ranges, e.g. `2026:2027`. */
  years?: string[];
  /** IANA time zone, e.g. `Europe/Berlin` (default UTC). */
  location?: string;
}

/** How Prometheus scrapes the service. */
export interface ScrapeSpec {
  /** `host:port` of each instance. */
  targets: string[];
  /** Default `/metrics`. */
  path?: string;
  scheme?: "http" | "https";
  /** Default: `prometheus.scrapeInterval`. */
  interval?: Duration;
}

export type LintLevel = "error" | "warning" | "info" | "off";

export interface LintSpec {
  /** Rule id → severity, e.g. `{ "promql/rate-window": "error", "slo/no-traffic": "off" }`. */
  rules?: Record<string, LintLevel>;
}

/** Lint rules disabled for one item: rule id → the reason (required, non-empty). */
export type LintDisable = Record<string, string>;

export interface PrometheusSettings {
  /** Target Prometheus version, e.g. `"2.42"` (default) or `"3.1"`. */
  version?: string;
  /** How often targets are scraped (default `15s`). */
  scrapeInterval?: Duration;
  /** How often rules are evaluated (default `15s`). */
  evaluationInterval?: Duration;
  /**
   * How long and how much the TSDB keeps. Prometheus takes these as command-line flags, so they
   * are written to `prometheus/prometheus.args` (one flag a line), not to `prometheus.yml`.
   */
  storage?: PrometheusStorageSettings;
  /**
   * `--web.external-url`: the URL people reach Prometheus at, e.g. `http://localhost:9091`; the
   * alerts' links back to Prometheus (generatorURL) use it. Written to `prometheus/prometheus.args`.
   */
  externalUrl?: string;
  /**
   * High availability: this many identical Prometheus servers (default 1). With 2 or more, each
   * gets `prometheus/prometheus-<n>.yml` (instead of `prometheus.yml`) whose external labels tell
   * it apart (`<replicaLabel>: "<n>"`) and whose `alert_relabel_configs` drop that label, so
   * Alertmanager sees one alert, not one per replica, and deduplicates their notifications.
   */
  replicas?: number;
  /** The external label that tells replicas apart (default `replica`); it never reaches Alertmanager. */
  replicaLabel?: string;
}

export interface PrometheusStorageSettings {
  /** `--storage.tsdb.retention.time`: samples older than this are deleted, e.g. `30d` (Prometheus' default 15d). */
  retention?: Duration;
  /**
   * `--storage.tsdb.retention.size`: the most the blocks may take, a whole number and a unit
   * B, KB, MB, GB, TB, PB or EB (powers of 1024), e.g. `10GB`; the oldest blocks go first.
   */
  retentionSize?: string;
}

export interface ServiceSpec {
  /** Service name, used in file names, rule labels (`service`) and alert names. */
  name: string;
  /** The owning team; must be declared in `teams`. */
  team: string;
  /** Deployment environment, e.g. `production`; added as the `environment` label when set. */
  environment?: string;
  description?: string;
  /** Extra labels added to every generated rule. */
  labels?: Record<string, string>;
  /** Base URL of the service's runbooks; alerts without an explicit runbook link to `<base>#<alert-name>`. */
  runbookBaseUrl?: string;
  /** How Prometheus scrapes it: a scrape job named after the service in `prometheus.yml`. */
  scrape?: ScrapeSpec;
  /** Time intervals (`alertmanager.timeIntervals`) during which the service's alerts are muted. */
  maintenance?: string[];
  /** Defaults for the service's checks and journeys: their locations and location quorum. */
  probeDefaults?: ProbeDefaultsSpec;
}

export interface TeamSpec {
  name: string;
  description?: string;
  /** Where the team is notified. Receiver names are unique within the team. */
  receivers?: ReceiverSpec[];
  /** Which receivers get which severity (defaults from the receivers' kinds). */
  escalation?: EscalationSpec;
  /** Time intervals (`alertmanager.timeIntervals`) during which every alert routed to the team is muted. */
  maintenance?: string[];
}

export type SignalType = "counter" | "gauge" | "histogram" | "summary";

export interface SignalSpec {
  /** Metric name as exposed; for histograms and summaries the base name without `_bucket`/`_count`/`_sum`. */
  name: string;
  type: SignalType;
  help?: string;
  /** Unit, e.g. `seconds`, `bytes`, `ratio`. */
  unit?: string;
  /** Label names the metric carries (besides the target labels `job` and `instance`). */
  labels?: string[];
  /** Histogram bucket upper bounds (`le`); Prometheus' default buckets when omitted. */
  buckets?: number[];
  /** Summary quantiles. */
  quantiles?: number[];
  /**
   * Where Prometheus scrapes it, when not from the service itself: `"node_exporter"`, or the
   * name of one of `exporters`. Its series then carry that exporter's `job` label, and Vigil
   * selects them by it.
   */
  source?: string;
}

/**
 * An exporter beside the service (postgres_exporter, kafka_exporter, node_exporter, ...):
 * one scrape job in `prometheus.yml`, selected as `job="<job>"`. `node_exporter` needs no
 * declaration when the service has `scrape` targets (it is then scraped on port 9100 of each
 * of their hosts, as job `node`); declare it to give other targets.
 */
export interface ExporterSpec {
  /** What signals name as their `source`, e.g. `postgres`. */
  name: string;
  /** The scrape job, so the `job` label of its series (default: `name`; `node` for `node_exporter`). */
  job?: string;
  /** `host:port` of each instance (required, except for `node_exporter`). */
  targets?: string[];
  /** Default `/metrics`. */
  path?: string;
  scheme?: "http" | "https";
  /** Default: `prometheus.scrapeInterval`. */
  interval?: Duration;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface MatcherObject {
  op: MatchOp;
  /** Literal value, or an RE2 regular expression for `=~` / `!~`. */
  value: string;
}

/** A label matcher: a plain string means equality. */
export type MatcherSpec = string | MatcherObject;

/** A series selector on a declared signal. */
export interface SelectorSpec {
  /** Full series name, e.g. `http_requests_total` or `http_request_duration_seconds_bucket`. */
  metric: string;
  matchers?: Record<string, MatcherSpec>;
}

/** Events for a ratio SLI: a selector of a counter, or PromQL containing `{{window}}`. */
export type EventsSpec = SelectorSpec | string;

/** Bad (or good) events over total events. */
export interface RatioSliSpec {
  kind: "ratio";
  /** Events that count against the objective. Give `bad` or `good`, not both. */
  bad?: EventsSpec;
  /** Events that count towards the objective. */
  good?: EventsSpec;
  total: EventsSpec;
  /** Labels to keep: one SLI per value combination (default: one SLI for the whole service). */
  by?: string[];
}

/** Share of requests faster than `threshold`, from a histogram's `le` buckets. */
export interface LatencySliSpec {
  kind: "latency";
  /** A selector on the histogram (its base name or its `_bucket` series). */
  histogram: SelectorSpec;
  /** Threshold in the histogram's unit; must be one of its bucket boundaries. */
  threshold: number;
  by?: string[];
}

/** Share of time a 0/1 gauge (e.g. `up`, `probe_success`) is 1. */
export interface BooleanSliSpec {
  kind: "boolean";
  /** The gauge, as a selector or a PromQL vector selector string. */
  gauge: SelectorSpec | string;
  by?: string[];
}

/**
 * The error ratio itself, as PromQL over `{{window}}` (`${WINDOW}` in TypeScript): a value from
 * 0 to 1, the share of bad over that window — for metrics that are ratios already (Sloth's raw
 * SLI, e.g. `1 - avg_over_time(satisfaction_ratio[{{window}}])`). Checked like other PromQL. It
 * counts no events, so it takes no `minTraffic` (the no-data alert covers silence).
 */
export interface ErrorRatioSliSpec {
  kind: "errorRatio";
  /** PromQL with the `{{window}}` placeholder whose value is the error ratio over that window. */
  query: string;
  /** Labels the query keeps (one SLI per value combination); default none. */
  by?: string[];
}

export type SliSpec = RatioSliSpec | LatencySliSpec | BooleanSliSpec | ErrorRatioSliSpec;

/** One multi-window condition: fire when the error ratio exceeds factor × budget over both windows. */
export interface BurnWindowSpec {
  long: Duration;
  short: Duration;
  /** Burn-rate factor: 1 spends the budget exactly over the SLO window. */
  factor: number;
}

export interface BurnTierSpec {
  /** Set to false to drop this tier (default true). */
  enabled?: boolean;
  /** Conditions ORed together; defaults follow the SRE workbook, scaled to the SLO window. */
  windows?: BurnWindowSpec[];
  /** How long the condition must hold before firing (page `2m`, ticket `15m` by default). */
  for?: Duration;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface NoDataSpec {
  /** Set to false to drop the no-data alert (default true). */
  enabled?: boolean;
  /** How long the SLI's total events must be absent (default `10m`). */
  for?: Duration;
  /** Default `warning`. */
  severity?: Severity;
}

export interface SloAlertingSpec {
  /** Alert name for both tiers (default: the SLO name in CamelCase + `ErrorBudgetBurn`). */
  name?: string;
  /** Fast burn: pages (severity critical). */
  page?: BurnTierSpec;
  /** Slow burn: opens a ticket (severity warning). */
  ticket?: BurnTierSpec;
  /** Alert when the SLI's total events disappear. */
  noData?: NoDataSpec;
  /** Minimum total events per second for the page tier to fire (guards low-traffic false pages). */
  minTraffic?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface SloSpec {
  /** Lower-case name, unique in the service, e.g. `api-availability`. */
  name: string;
  description?: string;
  /** Objective in percent, strictly between 0 and 100, e.g. `99.9`. */
  objective: number;
  /** SLO window in days (default `30d`), from `1d` to `365d`. */
  window?: Duration;
  sli: SliSpec;
  alerting?: SloAlertingSpec;
  /** Runbook URL for this SLO's alerts. */
  runbook?: string;
  /** Labels added to the SLO's rules. */
  labels?: Record<string, string>;
  /** Owning team of the SLO's alerts (default: the service's team). */
  team?: string;
  /** Time intervals (`alertmanager.timeIntervals`) during which the SLO's alerts are muted. */
  maintenance?: string[];
  /** Lint rules not to apply to this SLO, each with the reason. */
  lintDisable?: LintDisable;
}

/** Thresholds per severity: one alerting rule each, sharing the alert name. */
export interface SeverityThresholds {
  critical?: number;
  warning?: number;
  info?: number;
}

/** A duration per severity of a ladder. */
export interface SeverityDurations {
  critical?: Duration;
  warning?: Duration;
  info?: Duration;
}

export interface AlertSpec {
  /** Alert name in CamelCase, e.g. `HighErrorRate`. */
  name: string;
  /** PromQL expression; compared with the threshold(s) unless it already compares. */
  expr: string;
  /** Comparison with the threshold (default `>`). */
  op?: Comparison;
  /** Single threshold (with `severity`). */
  threshold?: number;
  severity?: Severity;
  /** A severity ladder instead of `threshold` + `severity`. */
  thresholds?: SeverityThresholds;
  /**
   * How long the condition must hold (default `5m`); per severity in a ladder, e.g.
   * `{ critical: "2m", warning: "15m" }` (a severity left out keeps the default).
   */
  for?: Duration | SeverityDurations;
  summary: string;
  description: string;
  /** Runbook URL (default: the service's `runbookBaseUrl#<alert-name>`). */
  runbook?: string;
  /** Owning team (default: the service's team). */
  team?: string;
  /** The whole service is down while this fires: its other alerts are inhibited meanwhile. */
  serviceDown?: boolean;
  /** Time intervals (`alertmanager.timeIntervals`) during which this alert is muted. */
  maintenance?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Lint rules not to apply to this alert, each with the reason. */
  lintDisable?: LintDisable;
}

/** What every event alert may set; it has severity info unless `severity` says otherwise. */
export interface EventBaseSpec {
  /** Alert name in CamelCase (default `NewDeployment`, `ConfigurationChanged`, `<Interval>Maintenance`). */
  name?: string;
  /** Default `info`: events are for the record. */
  severity?: Severity;
  summary?: string;
  description?: string;
  /** Runbook URL (default: the service's `runbookBaseUrl#<alert-name>`). */
  runbook?: string;
  /** Owning team (default: the service's team). */
  team?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A deployment or a configuration change, seen in a gauge: with `versionLabel`, a build-info
 * gauge whose version label took a new value (`app_build_info{version="1.4.2"}`); without it, a
 * gauge whose value changed (`process_start_time_seconds`, a reload timestamp such as
 * `app_config_last_reload_success_timestamp_seconds`). The alert fires for `window` after it.
 */
export interface ChangeEventSpec extends EventBaseSpec {
  kind: "deployment" | "configChange";
  /** A selector of a declared gauge (`buildInfo.select()`); equality matchers only. */
  signal: SelectorSpec;
  /** The label that holds the version: a new value of it on an instance is the event. */
  versionLabel?: string;
  /** How long the alert fires after the change (default `10m`). */
  window?: Duration;
}

/**
 * A scheduled maintenance window: fires from `notice` before each window of the time interval
 * until its end. The interval must be weekly (weekdays and times, UTC): PromQL has no time zones.
 */
export interface MaintenanceEventSpec extends EventBaseSpec {
  kind: "maintenance";
  /** A time interval of `alertmanager.timeIntervals`. */
  interval: string;
  /** How long before each window the alert starts firing (default `30m`; less than a week minus the window). */
  notice?: Duration;
}

export type EventSpec = ChangeEventSpec | MaintenanceEventSpec;

/**
 * While the `source` alert fires, the `targets` of the same service are not notified — when
 * the `equal` labels agree: "a provider down inhibits the authorization-rate alerts of that
 * provider" is `{ source: "PaymentProviderDown", targets: ["AuthorizationRateLow"], equal: ["provider"] }`.
 */
export interface InhibitionSpec {
  /** An alert of this service: a threshold alert, an SLO's burn-rate or no-data alert, a check's alert. */
  source: string;
  /** Alerts of this service it makes redundant. */
  targets: string[];
  /** Labels both must carry with the same value (default none: any of the targets in the service's environment). */
  equal?: string[];
  /** Only these severities of the source inhibit (default all). */
  sourceSeverities?: Severity[];
  /** Only these severities of the targets are inhibited (default all). */
  targetSeverities?: Severity[];
  /** Why (for the reader of the spec). */
  description?: string;
}

export interface RecordingSpec {
  /** Name in `level:metric:operation` form, e.g. `job:http_requests:rate5m`. */
  record: string;
  expr: string;
  labels?: Record<string, string>;
  /** Lint rules not to apply to this recording rule, each with the reason. */
  lintDisable?: LintDisable;
}

/** Which departures from the band an anomaly alert fires on. */
export type AnomalyDirection = "both" | "above" | "below";

/**
 * An anomaly alert: the watched value (a counter's rate, a gauge, or PromQL) is compared with
 * the band its own history predicts — the expected value ± `sensitivity` standard deviations
 * of the value over the `baseline` — and fires when it stays outside the band for `for`.
 * Expected is the value at the same time one baseline ago (`seasonal`, the default: Monday
 * 9:00 is compared with last Monday 9:00), or the baseline's mean.
 */
export interface AnomalySpec {
  /** Lower-case name, unique among the service's anomalies, e.g. `checkout-traffic`; its series carry it as `anomaly`. */
  name: string;
  /**
   * The watched series: a counter (or a histogram's `_count`) is watched as its per-second rate
   * over 5m, a gauge as its value, summed over the series the selector matches (per `by`).
   * Give `signal` or `expr`.
   */
  signal?: SelectorSpec;
  /** Or the watched value as PromQL, e.g. `histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))`. */
  expr?: string;
  /** With `signal`: labels to keep, one band per value combination (default: one for the whole service). */
  by?: string[];
  /**
   * The history the band is learnt from, and the season it repeats with: `1w` (default) or
   * `1d`; any whole number of hours from 1d to 4w. The alert needs one baseline of history
   * before it can fire.
   */
  baseline?: "1w" | "1d" | (string & {});
  /**
   * Expect the value of the same time one baseline ago, averaged over an hour (default true);
   * false expects the baseline's mean at any time of day.
   */
  seasonal?: boolean;
  /** Half-width of the band in standard deviations of the value over the baseline (default 3); above 0. */
  sensitivity?: number;
  /** Fire above the band, below it, or both (default). */
  direction?: AnomalyDirection;
  /**
   * Fire only while the value or the expected value is at least this (a counter's events per
   * second), so quiet hours do not page: a drop from busy to nothing still fires.
   */
  minTraffic?: number;
  /** How long the value must stay outside the band (default `30m`, the half-hour the expected value is averaged over either side). */
  for?: Duration;
  /** Default `warning`. */
  severity?: Severity;
  /** Alert name (default: the name in CamelCase + `Anomaly`). */
  alert?: string;
  /** Alert summary (default: `<service>: <name> is outside its usual range`). */
  summary?: string;
  /** Alert description (default: the value, the band and how it is computed). */
  description?: string;
  /** Runbook URL (default: the service's `runbookBaseUrl#<alert-name>`). */
  runbook?: string;
  /** Owning team (default: the service's team). */
  team?: string;
  /** Time intervals (`alertmanager.timeIntervals`) during which this alert is muted. */
  maintenance?: string[];
  /** Labels added to the anomaly's recordings and alert. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
