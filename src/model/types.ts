/**
 * The intermediate representation: a spec after `normalize` — defaults applied, names
 * resolved, durations in milliseconds, every element addressable by a stable id and
 * remembering where in the spec it came from (`at`). Emitters read only this.
 */
import type { SpecRef } from "../diagnostics/index.js";
import type { AnomalyDirection, Comparison, KibanaStatistic, LintLevel, OutputTarget, PanelType, SecretRef, Severity, SignalType } from "../spec/types.js";

import type { ProbeCheck, ProbeJourney } from "../probes/config.js";
import type { HaModel } from "./ha.js";

export interface Model {
  services: ServiceModel[];
  /** Where the probe bundle runs (from any spec; the same in all). */
  /** `bundle`: the runtime is written into the output beside probes.json (`probes: { bundle: true }`). */
  probeRunner: { address: string; maxConcurrency: number; bundle: boolean; /** `probes.shards`: host:port of each shard, k-th runs `--shard k/n`. */ shards?: string[];
    /** `probes.locations`: one runtime per location, `--location <name>`, scraped at its address. */
    locations?: { name: string; address: string }[];
  };
  /** Alertmanager settings merged from every spec. */
  alertmanager: AlertmanagerModel;
  grafana: GrafanaModel;
  /** Prometheus replicas and Alertmanager peers (`model/ha.ts`); absent without either. */
  ha?: HaModel;
  /** `targets`: what is written besides the plain files (absent: `["files"]`). */
  targets?: OutputTarget[];
}

export interface GrafanaModel {
  url?: string;
  prometheusUrl: string;
  elasticsearchUrl: string;
  jaegerUrl?: string;
  dashboardsPath: string;
  /** Where each URL setting was given (absent: the default), for diagnostics such as spec/secret. */
  at?: Partial<Record<"url" | "prometheusUrl" | "elasticsearchUrl" | "jaegerUrl", SpecRef>>;
  /** Refresh interval of every dashboard that sets none (`grafana.refresh`, default `1m`). */
  refresh: string;
}

export interface AlertmanagerModel {
  /** `host:port` Prometheus sends alerts to. */
  address: string;
  catchAll?: { team: string; receiver: string };
  smtp?: { smarthost: string; from: string; username?: string; password?: SecretRef; requireTls: boolean };
  secretsDir: string;
  timeIntervals: TimeIntervalModel[];
}

export interface TimeIntervalModel {
  name: string;
  ranges: {
    times?: { start: string; end: string }[];
    weekdays?: string[];
    daysOfMonth?: string[];
    months?: string[];
    years?: string[];
    location?: string;
  }[];
  at: SpecRef;
}

export interface PrometheusModel {
  /** `major.minor`, e.g. `2.42`. */
  version: string;
  scrapeIntervalMs: number;
  evaluationIntervalMs: number;
  /** TSDB retention flags (`prometheus.storage`), as Prometheus takes them; absent when not set. */
  storage?: { retention?: string; retentionSize?: string; at: SpecRef };
  /** `--web.external-url` (`prometheus.externalUrl`); absent when not set. */
  externalUrl?: { url: string; at: SpecRef };
}

export interface ServiceModel {
  /** Stable id: the service name. */
  id: string;
  /** Index of the spec this service came from (for locations). */
  spec: number;
  name: string;
  team: string;
  environment?: string;
  description?: string;
  /** Labels put on every generated rule: `service`, `environment` when set, and the spec's labels. */
  ruleLabels: Record<string, string>;
  runbookBaseUrl?: string;
  prometheus: PrometheusModel;
  teams: TeamModel[];
  signals: SignalModel[];
  slos: SloModel[];
  alerts: AlertRuleModel[];
  /** Anomaly alerts, in spec order (absent: none). */
  anomalies?: AnomalyModel[];
  recordings: RecordingModel[];
  /** Lint severities per rule id from the spec ("off" disables a rule). */
  lint: { rules: Record<string, LintLevel> };
  scrape?: { targets: string[]; path: string; scheme: "http" | "https"; intervalMs?: number };
  /** Exporters the service's signals come from, each a scrape job of its own, sorted by job (absent: none). */
  exporters?: ExporterModel[];
  logs?: LogsModel;
  /** Metrics from the service's logs, counted by mtail (absent: none). */
  logMetrics?: LogMetricModel[];
  /** Synthetic checks and journeys, in the probe bundle's config form. */
  probes?: ProbesModel;
  /** Time interval names during which the service's alerts are muted. */
  maintenance: string[];
  /**
   * Alertmanager inhibit rules of the service's alerts, in order: severity ladders and SLO
   * tiers de-duplicated within one series (their split labels in `equal`), serviceDown, declared.
   */
  inhibitions?: InhibitionModel[];
  /** Dashboards declared in the spec. */
  dashboards: DashboardModel[];
  /** `kubernetes.namespace` (absent: `monitoring`). */
  kubernetes?: { namespace: string };
}

export interface DashboardModel {
  /** Stable id: `<service>/<dashboard>`. */
  id: string;
  name: string;
  uid: string;
  title: string;
  description?: string;
  /** The dashboard's own refresh interval; without one, `grafana.refresh`. */
  refresh?: string;
  variables: DashboardVariableModel[];
  rows: { title: string; panels: PanelModel[] }[];
  at: SpecRef;
}

export interface DashboardVariableModel {
  name: string;
  label?: string;
  /** The Grafana variable query as written. */
  query: string;
  /** The PromQL inside the query (`label_values(<selector>, ...)`, `query_result(<expr>)`), blanked to the same length outside it. */
  source?: PromQLSource;
  multi: boolean;
  includeAll: boolean;
  at: SpecRef;
}

export interface PanelModel {
  title: string;
  type: PanelType;
  /** Queries as written, Grafana variables included. */
  queries: { source: PromQLSource; legend?: string }[];
  text?: string;
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  /** Steps above the green base. */
  thresholds: { value: number; color: string }[];
  legend: "list" | "table" | "hidden";
  width: number;
  height: number;
  links: { title: string; url: string }[];
  description?: string;
  at: SpecRef;
}

export interface TeamModel {
  name: string;
  description?: string;
  receivers: ReceiverModel[];
  /** Per severity: which receivers, in order, and how. */
  escalation: Record<Severity, SeverityRouteModel>;
  /** Time interval names during which every alert routed to the team is muted. */
  maintenance?: string[];
  at: SpecRef;
}

export type ReceiverModel = { name: string; at: SpecRef } & (
  | { kind: "slack"; channel: string; webhook: SecretRef }
  | { kind: "email"; to: string[] }
  | { kind: "pagerduty"; routingKey: SecretRef; url?: string }
  | { kind: "opsgenie"; apiKey: SecretRef; responderTeam?: string; apiUrl?: string }
  | { kind: "webhook"; url: string; bearerToken?: SecretRef }
);

export interface SeverityRouteModel {
  /** Receiver names of the team, in order. */
  receivers: string[];
  /** Written in the spec: an explicit empty list means "do not send", a defaulted one "nobody to send to". */
  explicit: boolean;
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteDuring: string[];
  activeDuring: string[];
}

export interface SignalModel {
  name: string;
  type: SignalType;
  help?: string;
  unit?: string;
  /** Declared label names (target labels `job`/`instance` are implicit). */
  labels: string[];
  /** Histogram bucket bounds, ascending (defaults applied). */
  buckets: number[];
  quantiles: number[];
  /**
   * The `job` label of its series when it comes from an exporter (`source`); undefined for the
   * service's own signals (whose job is the service name when Vigil writes its scrape job).
   */
  job?: string;
  at: SpecRef;
}

/** An exporter scraped beside the service: one scrape job in prometheus.yml. */
export interface ExporterModel {
  /** The name signals give as `source`. */
  name: string;
  job: string;
  /** Sorted, without duplicates. */
  targets: string[];
  path: string;
  scheme: "http" | "https";
  intervalMs?: number;
  at: SpecRef;
}

/** A PromQL expression as written, with where it came from. */
export interface PromQLSource {
  text: string;
  at: SpecRef;
}

export type SliKind = "ratio" | "latency" | "boolean" | "errorRatio";

export interface SliModel {
  kind: SliKind;
  /** Labels kept by the SLI's aggregation (one SLI per combination). */
  by: string[];
  /**
   * Error events per second over `{{window}}` (PromQL with the placeholder). Samples per
   * second for boolean SLIs, so the ratio is the share of bad samples; the ratio itself for
   * errorRatio SLIs, over one "event" per second (`totalQuery`).
   */
  errorQuery: string;
  /** Total events per second over `{{window}}`. */
  totalQuery: string;
  /** User-written PromQL the queries were built from, for checks. */
  sources: PromQLSource[];
}

export interface BurnCondition {
  longMs: number;
  shortMs: number;
  factor: number;
}

export interface BurnTierModel {
  tier: "page" | "ticket";
  severity: Severity;
  conditions: BurnCondition[];
  forMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  at: SpecRef;
}

export interface NoDataModel {
  alertName: string;
  forMs: number;
  severity: Severity;
}

export interface SloModel {
  /** Stable id: `<service>/<slo>`. */
  id: string;
  name: string;
  description?: string;
  /** Objective in percent, e.g. 99.9. */
  objective: number;
  /** Objective as a ratio, e.g. 0.999 (decimal-exact text in `objectiveRatioText`). */
  objectiveRatio: number;
  objectiveRatioText: string;
  /** Error budget as a ratio, e.g. 0.001. */
  budget: number;
  budgetText: string;
  windowMs: number;
  sli: SliModel;
  /** Labels identifying the SLO's series: service labels plus `slo` and the SLO's labels. */
  ruleLabels: Record<string, string>;
  alertName: string;
  tiers: BurnTierModel[];
  noData?: NoDataModel;
  minTraffic?: number;
  /** Labels and annotations every alert of this SLO carries. */
  alertLabels: Record<string, string>;
  alertAnnotations: Record<string, string>;
  runbookUrl?: string;
  team: string;
  /** Time interval names during which the SLO's alerts are muted. */
  maintenance?: string[];
  at: SpecRef;
  /** Lint rules disabled for this SLO: rule id → reason. */
  lintDisable: Record<string, string>;
}

export interface AlertRuleModel {
  /** Stable id: `<service>/<alert>/<severity>`. */
  id: string;
  name: string;
  severity: Severity;
  /** The expression as written. */
  source: PromQLSource;
  /** Comparison added by Vigil, if any (the expression may compare by itself). */
  comparison?: { op: Comparison; threshold: number };
  forMs: number;
  team: string;
  /** While it fires, the service's other alerts are inhibited. */
  serviceDown?: boolean;
  /** Time interval names during which this alert is muted. */
  maintenance?: string[];
  /**
   * Labels of the expression's result that tell its series apart (e.g. `provider`), besides the
   * rule's own labels; `open` when the expression may carry labels Vigil cannot know.
   */
  split?: { labels: string[]; open: boolean };
  labels: Record<string, string>;
  annotations: Record<string, string>;
  at: SpecRef;
  /** Lint rules disabled for this alert: rule id → reason. */
  lintDisable: Record<string, string>;
  /** An event alert (`events`): its tests are built from the event, not searched for. */
  event?: EventModel;
  /** A located probe's failing or no-data alert: its tests are built from its locations, not searched for. */
  locations?: LocationAlertModel;
}

/**
 * What a located probe's alert counts (`probes.locations`): `failing` fires when `metric` is at
 * least `runs` in at least `quorum` of `names`; `noData` fires for each of `names` with no
 * `metric` series.
 */
export interface LocationAlertModel {
  kind: "failing" | "noData";
  metric: string;
  /** The series' equality matchers besides `location` (`check`/`journey` and `service`). */
  matchers: Record<string, string>;
  /** Labels the runtime's series carry besides those (`team`). */
  labels: Record<string, string>;
  names: string[];
  quorum: number;
  runs: number;
}

/** What an event alert watches, for its generated tests. */
export type EventModel =
  | {
      kind: "deployment" | "configChange";
      /** The gauge's series name and its equality matchers. */
      metric: string;
      matchers: Record<string, string>;
      /** The `job` its series carry when the selector does not say (an exporter's, or the service's). */
      job: string;
      versionLabel?: string;
      windowMs: number;
    }
  | {
      kind: "maintenance";
      interval: string;
      noticeMs: number;
      /** Each window as minutes from Sunday 00:00 UTC: `[start, end)`, end may pass the week's end. */
      windows: { start: number; end: number }[];
    };
/** An anomaly alert: the watched value against the band its own history predicts. */
export interface AnomalyModel {
  /** Stable id: `<service>/<anomaly>`. */
  id: string;
  name: string;
  alertName: string;
  /** The watched value as recorded (PromQL): a counter's 5m rate or a gauge, summed by `by`; or the spec's `expr`. */
  valueQuery: string;
  /** What the value is: events per second of a counter, a gauge's value, or the spec's expression. */
  kind: "rate" | "gauge" | "expr";
  /** User-written PromQL (`expr`), for checks. */
  source?: PromQLSource;
  /** Labels the value keeps (`by`), for legends and descriptions; empty for `expr`. */
  by: string[];
  /** The signal's declared unit, for dashboards. */
  unit?: string;
  baselineMs: number;
  seasonal: boolean;
  sensitivity: number;
  direction: AnomalyDirection;
  minTraffic?: number;
  forMs: number;
  severity: Severity;
  team: string;
  /** Time interval names during which the alert is muted. */
  maintenance?: string[];
  /** Labels of the anomaly's recorded series: service labels, the spec's labels and `anomaly`. */
  ruleLabels: Record<string, string>;
  /** The alerting rule's labels: the series' own (service labels, the spec's, `anomaly`), `severity` and `team`. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  at: SpecRef;
}

/** An Alertmanager label matcher. */
export interface LabelMatcherModel {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export interface InhibitionModel {
  /** Why it exists: a severity ladder, an SLO's page/ticket tiers, a serviceDown alert, or the spec's `inhibitions`. */
  kind: "severity" | "tier" | "serviceDown" | "declared";
  source: LabelMatcherModel[];
  target: LabelMatcherModel[];
  /** Labels source and target must agree on (sorted). */
  equal: string[];
  description?: string;
  at: SpecRef;
}

export interface RecordingModel {
  record: string;
  source: PromQLSource;
  labels: Record<string, string>;
  at: SpecRef;
  /** Lint rules disabled for this recording rule: rule id → reason. */
  lintDisable: Record<string, string>;
}

/** Conditions on an event: lists are alternatives; how kinds combine is the user's (category: any, sampling: all). */
export interface LogConditionModel {
  loggerPrefix: string[];
  level: string[];
  fieldPresent: string[][];
  fieldEquals: { path: string[]; value: string }[];
}

/** A regexp substitution Logstash's mutate/gsub applies (Ruby regexp; `\1` is a back-reference). */
export interface LogMaskModel {
  /** Where it comes from: a built-in name (`email`, `card-number`, ...), a user mask's name, or `key <field>`. */
  name: string;
  pattern: string;
  replacement: string;
}

/** A Filebeat shipping the service's logs to its beats input (`filebeat/<service>.filebeat.yml`). */
export interface FilebeatModel {
  /** `host:port` of the beats input. */
  logstash: string;
  containers?: { paths: string[]; name?: string; stream: "all" | "stdout" | "stderr" };
  files: string[];
}

export interface LogsModel {
  source: { kind: "beats" | "http"; port: number } | { kind: "file"; paths: string[] };
  filebeat?: FilebeatModel;
  /** Where the source is set in the spec (its port when given), for clashes between services. */
  sourceAt: SpecRef;
  /** Free-text masking: built-in then the spec's own, applied to free-text fields and dead-letter lines. */
  masks: LogMaskModel[];
  /** What a dead-letter line also gets: the value after each PII field's key (`"email": ...`, `email=...`) replaced. */
  keyMasks: LogMaskModel[];
  fields: { path: string[]; type: "string" | "number" | "boolean" | "timestamp" | "keyword"; pii?: "remove" | "mask" | "hash"; freeText: boolean }[];
  /** How a line that is not JSON is parsed; checked against the grok/dissect syntax and the declared fields. */
  nonJson?: { kind: "grok" | "dissect"; pattern: string };
  /** In order; the first match wins, `application` otherwise. */
  categories: ({ name: string; retentionDays: number } & LogConditionModel)[];
  correlation?: { from: string[]; to: string[] };
  retentionDays: number;
  indices: "daily" | "dataStream";
  dropLevels: string[];
  sampling: { when: LogConditionModel; keepPercent: number }[];
  hashKeyEnv: string;
  elasticsearchEnv: string;
  kibana: KibanaModel;
}

/**
 * A counter of JSON log lines that mtail keeps (`mtail/<service>.mtail`). A line counts when it
 * matches every condition of `when`, and, with `category`, is tagged that category: its
 * condition holds (`include`; none for `application`) and none of the earlier categories' does.
 */
export interface LogMetricModel {
  name: string;
  help?: string;
  kind: "counter";
  when: LogConditionModel;
  category?: { name: string; include?: LogConditionModel; exclude: LogConditionModel[] };
  /** In label order: each from a top-level field, an IPv4 address field maybe truncated to its network. */
  labels: { name: string; field: string; value: "string" | "number" | "boolean"; truncate?: 8 | 16 | 24 }[];
  at: SpecRef;
}

/** The Kibana saved objects of a service's logs, besides the data views and saved searches every category gets. */
export interface KibanaModel {
  /** Discover columns of the saved searches: stored field names, dotted. */
  columns: string[];
  /** The declared dashboards, or the default overview. */
  dashboards: KibanaDashboardModel[];
}

export interface KibanaDashboardModel {
  name: string;
  title: string;
  description?: string;
  /** Kibana date math the dashboard opens with, back from now: `24h`. */
  timeRange: string;
  /** Auto-refresh in milliseconds (absent: none). */
  refreshMs?: number;
  panels: KibanaPanelModel[];
  at: SpecRef;
}

interface KibanaPanelBase {
  /** Grid columns (of 48) and rows. */
  width: number;
  height: number;
}

/** Visualizations read `categories`: empty is every event that parsed, `["deadletter"]` the lines that did not. Fields are stored names. */
export type KibanaPanelModel =
  | (KibanaPanelBase & { kind: "search"; category: string })
  | (KibanaPanelBase & { kind: "events"; title: string; categories: string[]; breakdown?: string })
  | (KibanaPanelBase & { kind: "trend"; title: string; categories: string[]; field: string; statistic: KibanaStatistic })
  | (KibanaPanelBase & { kind: "top"; title: string; categories: string[]; field: string; size: number })
  | (KibanaPanelBase & { kind: "total"; title: string; categories: string[]; statistic: "count" | KibanaStatistic; field?: string });

/** A service's checks and journeys, with where each came from in the spec. */
export interface ProbesModel {
  checks: (ProbeCheck & { at: SpecRef })[];
  journeys: (ProbeJourney & { at: SpecRef })[];
}
