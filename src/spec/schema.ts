/**
 * JSON Schema of the spec language. Each part is typed `JSONSchemaType<T>` against the
 * interfaces in `types.ts`, so a field added to one and not the other fails `tsc`.
 *
 * ajv's typing wants `nullable: true` on optional properties; the published schema
 * (`spec/monitoring.schema.json`) and the runtime validator strip it (see `strictSchema`),
 * so `null` is not accepted where a value may only be omitted.
 */
import type { JSONSchemaType } from "ajv";
import type {
  AssertionSpec,
  InhibitionSpec,
  CheckSpec,
  TcpCheckSpec,
  ExtractSpec,
  HttpRequestSpec,
  JourneySpec,
  ProbeAlertSpec,
  ProbeRunnerSettings,
  ProbeSloSpec,
  StepSpec,
  TemplatePartSpec,
  TemplateSpec,
  LogCategorySpec,
  LogConditionSpec,
  LogFieldSpec,
  LogMaskSpec,
  LogSamplingSpec,
  LogSourceSpec,
  FilebeatSpec,
  LogsSpec,
  LogMetricSpec,
  KibanaDashboardSpec,
  KibanaPanelSpec,
  KibanaSpec,
  AlertmanagerSettings,
  AlertmanagerPeerSpec,
  GrafanaSettings,
  AlertSpec,
  AnomalySpec,
  EmailReceiverSpec,
  EscalationSpec,
  ExporterSpec,
  OpsgenieReceiverSpec,
  PagerDutyReceiverSpec,
  ReceiverSpec,
  ScrapeSpec,
  SecretRef,
  SeverityRouteSpec,
  SlackReceiverSpec,
  SmtpSettings,
  TimeIntervalSpec,
  TimeRangeSpec,
  WebhookReceiverSpec,
  BooleanSliSpec,
  ErrorRatioSliSpec,
  BurnTierSpec,
  BurnWindowSpec,
  DashboardSpec,
  DashboardRowSpec,
  DashboardVariableSpec,
  PanelSpec,
  LatencySliSpec,
  MatcherSpec,
  MonitoringSpec,
  NoDataSpec,
  PrometheusSettings,
  RatioSliSpec,
  LintSpec,
  RecordingSpec,
  SelectorSpec,
  ServiceSpec,
  SeverityThresholds,
  SignalSpec,
  SloAlertingSpec,
  SloSpec,
  TeamSpec,
  ChangeEventSpec,
  EventSpec,
  MaintenanceEventSpec,
  PrometheusStorageSettings,
} from "./types.js";

// Loose on purpose: precise checks (and better messages) happen in normalize.
const duration = { type: "string", minLength: 1, description: "Prometheus duration, e.g. 30s, 5m, 1h30m, 30d" } as const;
const optDuration = { ...duration, nullable: true } as const;
const optString = { type: "string", nullable: true } as const;
const stringMap = {
  type: "object",
  additionalProperties: { type: "string" },
  required: [],
  nullable: true,
} as const satisfies JSONSchemaType<Record<string, string> | undefined>;
const optStringList = { type: "array", items: { type: "string" }, nullable: true } as const;
const severity = { type: "string", enum: ["critical", "warning", "info"] } as const;

const prometheusStorage: JSONSchemaType<PrometheusStorageSettings> = {
  type: "object",
  additionalProperties: false,
  properties: {
    retention: { ...optDuration, description: "--storage.tsdb.retention.time, e.g. 30d" },
    retentionSize: { ...optString, minLength: 1, description: "--storage.tsdb.retention.size: a whole number and B, KB, MB, GB, TB, PB or EB, e.g. 10GB" },
  },
};

const prometheus: JSONSchemaType<PrometheusSettings> = {
  type: "object",
  additionalProperties: false,
  properties: {
    version: { ...optString, description: "Target Prometheus version (default 2.42)" },
    scrapeInterval: optDuration,
    evaluationInterval: optDuration,
    storage: { ...prometheusStorage, nullable: true },
    externalUrl: { ...optString, minLength: 1, description: "--web.external-url, e.g. http://localhost:9091" },
    replicas: { type: "integer", minimum: 1, maximum: 16, nullable: true, description: "Identical Prometheus servers (default 1); 2 or more write prometheus/prometheus-<n>.yml each" },
    replicaLabel: { ...optString, minLength: 1, description: "External label that tells replicas apart (default replica); dropped from alerts" },
  },
};

const scrape: JSONSchemaType<ScrapeSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["targets"],
  properties: {
    targets: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
    path: optString,
    scheme: { type: "string", enum: ["http", "https"], nullable: true },
    interval: optDuration,
  },
};

const service: JSONSchemaType<ServiceSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "team"],
  properties: {
    name: { type: "string", minLength: 1 },
    team: { type: "string", minLength: 1 },
    environment: optString,
    description: optString,
    labels: stringMap,
    runbookBaseUrl: optString,
    scrape: { ...scrape, nullable: true },
    maintenance: optStringList,
    probeDefaults: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: {
        locations: { type: "array", items: { type: "string", minLength: 1 }, nullable: true, description: "names from probes.locations" },
        // No minimum: normalize reports a quorum below 1 at its value (VIG2071).
        failingLocations: { type: "integer", nullable: true },
      },
    },
  },
};

const secret: JSONSchemaType<SecretRef> = {
  oneOf: [
    { type: "object", additionalProperties: false, required: ["env"], properties: { env: { type: "string", minLength: 1 } } },
    { type: "object", additionalProperties: false, required: ["file"], properties: { file: { type: "string", minLength: 1 } } },
  ],
};
const receiverName = { type: "string", minLength: 1 } as const;

const slackReceiver: JSONSchemaType<SlackReceiverSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "channel", "webhook"],
  properties: { name: receiverName, kind: { type: "string", const: "slack" }, channel: { type: "string", minLength: 1 }, webhook: secret },
};
const emailReceiver: JSONSchemaType<EmailReceiverSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "to"],
  properties: { name: receiverName, kind: { type: "string", const: "email" }, to: { type: "array", items: { type: "string", minLength: 1 } } },
};
const pagerDutyReceiver: JSONSchemaType<PagerDutyReceiverSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "routingKey"],
  properties: { name: receiverName, kind: { type: "string", const: "pagerduty" }, routingKey: secret, url: optString },
};
const opsgenieReceiver: JSONSchemaType<OpsgenieReceiverSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "apiKey"],
  properties: { name: receiverName, kind: { type: "string", const: "opsgenie" }, apiKey: secret, responderTeam: optString, apiUrl: optString },
};
const webhookReceiver: JSONSchemaType<WebhookReceiverSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "url"],
  properties: { name: receiverName, kind: { type: "string", const: "webhook" }, url: { type: "string", minLength: 1 }, bearerToken: { ...secret, nullable: true } },
};
const receiver: JSONSchemaType<ReceiverSpec> = { oneOf: [slackReceiver, emailReceiver, pagerDutyReceiver, opsgenieReceiver, webhookReceiver] };

const severityRoute: JSONSchemaType<SeverityRouteSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["receivers"],
  properties: {
    receivers: { type: "array", items: { type: "string" } },
    groupBy: optStringList,
    groupWait: optDuration,
    groupInterval: optDuration,
    repeatInterval: optDuration,
    muteDuring: optStringList,
    activeDuring: optStringList,
  },
};
const escalation: JSONSchemaType<EscalationSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    critical: { ...severityRoute, nullable: true },
    warning: { ...severityRoute, nullable: true },
    info: { ...severityRoute, nullable: true },
  },
};

const team: JSONSchemaType<TeamSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1 },
    description: optString,
    receivers: { type: "array", items: receiver, nullable: true },
    escalation: { ...escalation, nullable: true },
    maintenance: optStringList,
  },
};

const timeRange: JSONSchemaType<TimeRangeSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    times: {
      type: "array",
      nullable: true,
      items: { type: "object", additionalProperties: false, required: ["start", "end"], properties: { start: { type: "string" }, end: { type: "string" } } },
    },
    weekdays: optStringList,
    daysOfMonth: optStringList,
    months: optStringList,
    years: optStringList,
    location: optString,
  },
};
const timeInterval: JSONSchemaType<TimeIntervalSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "ranges"],
  properties: { name: { type: "string", minLength: 1 }, ranges: { type: "array", items: timeRange } },
};
const smtp: JSONSchemaType<SmtpSettings> = {
  type: "object",
  additionalProperties: false,
  required: ["smarthost", "from"],
  properties: {
    smarthost: { type: "string", minLength: 1 },
    from: { type: "string", minLength: 1 },
    username: optString,
    password: { ...secret, nullable: true },
    requireTls: { type: "boolean", nullable: true },
  },
};
const alertmanagerPeer: JSONSchemaType<AlertmanagerPeerSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["address", "cluster"],
  properties: {
    address: { type: "string", minLength: 1, description: "host:port of its API (--web.listen-address)" },
    cluster: { type: "string", minLength: 1, description: "host:port it gossips on (--cluster.listen-address)" },
  },
};

const alertmanager: JSONSchemaType<AlertmanagerSettings> = {
  type: "object",
  additionalProperties: false,
  properties: {
    address: optString,
    catchAll: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      required: ["team", "receiver"],
      properties: { team: { type: "string" }, receiver: { type: "string" } },
    },
    smtp: { ...smtp, nullable: true },
    secretsDir: optString,
    timeIntervals: { type: "array", items: timeInterval, nullable: true },
    peers: { type: "array", items: alertmanagerPeer, minItems: 1, nullable: true },
  },
};

const signal: JSONSchemaType<SignalSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "type"],
  properties: {
    name: { type: "string", minLength: 1 },
    type: { type: "string", enum: ["counter", "gauge", "histogram", "summary"] },
    help: optString,
    unit: optString,
    labels: optStringList,
    buckets: { type: "array", items: { type: "number" }, nullable: true },
    quantiles: { type: "array", items: { type: "number" }, nullable: true },
    source: { type: "string", minLength: 1, nullable: true, description: "node_exporter, or the name of one of exporters" },
  },
};

const exporter: JSONSchemaType<ExporterSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1 },
    job: optString,
    // Empty and malformed target lists are reported, located, by normalize.
    targets: { type: "array", items: { type: "string" }, nullable: true },
    path: optString,
    scheme: { type: "string", enum: ["http", "https"], nullable: true },
    interval: optDuration,
  },
};

const matcher: JSONSchemaType<MatcherSpec> = {
  anyOf: [
    { type: "string" },
    {
      type: "object",
      additionalProperties: false,
      required: ["op", "value"],
      properties: {
        op: { type: "string", enum: ["=", "!=", "=~", "!~"] },
        value: { type: "string" },
      },
    },
  ],
};

const selector: JSONSchemaType<SelectorSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["metric"],
  properties: {
    metric: { type: "string", minLength: 1 },
    matchers: { type: "object", additionalProperties: matcher, required: [], nullable: true },
  },
};

const selectorOrQuery = { anyOf: [selector, { type: "string", minLength: 1 }] } as const;

const ratioSli: JSONSchemaType<RatioSliSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "total"],
  properties: {
    kind: { type: "string", const: "ratio" },
    bad: { ...selectorOrQuery, nullable: true },
    good: { ...selectorOrQuery, nullable: true },
    total: selectorOrQuery,
    by: optStringList,
  },
};

const latencySli: JSONSchemaType<LatencySliSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "histogram", "threshold"],
  properties: {
    kind: { type: "string", const: "latency" },
    histogram: selector,
    threshold: { type: "number" },
    by: optStringList,
  },
};

const booleanSli: JSONSchemaType<BooleanSliSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "gauge"],
  properties: {
    kind: { type: "string", const: "boolean" },
    gauge: selectorOrQuery,
    by: optStringList,
  },
};

const errorRatioSli: JSONSchemaType<ErrorRatioSliSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "query"],
  properties: {
    kind: { type: "string", const: "errorRatio" },
    query: { type: "string", minLength: 1 },
    by: optStringList,
  },
};

const burnWindow: JSONSchemaType<BurnWindowSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["long", "short", "factor"],
  properties: { long: duration, short: duration, factor: { type: "number" } },
};

const burnTier: JSONSchemaType<BurnTierSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", nullable: true },
    windows: { type: "array", items: burnWindow, nullable: true },
    for: optDuration,
    labels: stringMap,
    annotations: stringMap,
  },
};

const noData: JSONSchemaType<NoDataSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", nullable: true },
    for: optDuration,
    severity: { ...severity, nullable: true },
  },
};

const sloAlerting: JSONSchemaType<SloAlertingSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: optString,
    page: { ...burnTier, nullable: true },
    ticket: { ...burnTier, nullable: true },
    noData: { ...noData, nullable: true },
    minTraffic: { type: "number", nullable: true },
    labels: stringMap,
    annotations: stringMap,
  },
};

/** Rule id → reason; the reason is required (disabling without saying why is not allowed). */
const lintDisable = {
  type: "object",
  propertyNames: { pattern: "^[a-z]+/[a-z0-9-]+$" },
  additionalProperties: { type: "string", minLength: 1 },
  required: [],
  nullable: true,
} as const;

const lint: JSONSchemaType<LintSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    rules: {
      type: "object",
      propertyNames: { pattern: "^[a-z]+/[a-z0-9-]+$" },
      additionalProperties: { type: "string", enum: ["error", "warning", "info", "off"] },
      required: [],
      nullable: true,
    },
  },
};

const slo: JSONSchemaType<SloSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "objective", "sli"],
  properties: {
    name: { type: "string", minLength: 1 },
    description: optString,
    objective: { type: "number", description: "Percent, strictly between 0 and 100" },
    window: optDuration,
    sli: { oneOf: [ratioSli, latencySli, booleanSli, errorRatioSli] },
    alerting: { ...sloAlerting, nullable: true },
    runbook: optString,
    labels: stringMap,
    team: optString,
    maintenance: optStringList,
    lintDisable,
  },
};

const thresholds: JSONSchemaType<SeverityThresholds> = {
  type: "object",
  additionalProperties: false,
  properties: {
    critical: { type: "number", nullable: true },
    warning: { type: "number", nullable: true },
    info: { type: "number", nullable: true },
  },
};

const severityDurations = {
  type: "object",
  additionalProperties: false,
  properties: { critical: optDuration, warning: optDuration, info: optDuration },
} as const;

const alert: JSONSchemaType<AlertSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "expr", "summary", "description"],
  properties: {
    name: { type: "string", minLength: 1 },
    expr: { type: "string", minLength: 1 },
    op: { type: "string", enum: [">", ">=", "<", "<=", "==", "!="], nullable: true },
    threshold: { type: "number", nullable: true },
    severity: { ...severity, nullable: true },
    thresholds: { ...thresholds, nullable: true },
    for: { anyOf: [duration, severityDurations], nullable: true },
    summary: { type: "string" },
    description: { type: "string" },
    runbook: optString,
    team: optString,
    serviceDown: { type: "boolean", nullable: true },
    maintenance: optStringList,
    labels: stringMap,
    annotations: stringMap,
    lintDisable,
  },
};

const eventBase = {
  name: { type: "string", minLength: 1, nullable: true },
  severity: { ...severity, nullable: true },
  summary: optString,
  description: optString,
  runbook: optString,
  team: optString,
  labels: stringMap,
  annotations: stringMap,
} as const;

const changeEvent: JSONSchemaType<ChangeEventSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "signal"],
  properties: {
    kind: { type: "string", enum: ["deployment", "configChange"] },
    signal: selector,
    versionLabel: { ...optString, minLength: 1 },
    window: optDuration,
    ...eventBase,
  },
};

const maintenanceEvent: JSONSchemaType<MaintenanceEventSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "interval"],
  properties: {
    kind: { type: "string", const: "maintenance" },
    interval: { type: "string", minLength: 1 },
    notice: optDuration,
    ...eventBase,
  },
};

const event: JSONSchemaType<EventSpec> = { oneOf: [changeEvent, maintenanceEvent] };

const inhibition: JSONSchemaType<InhibitionSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["source", "targets"],
  properties: {
    source: { type: "string", minLength: 1 },
    targets: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
    equal: { type: "array", items: { type: "string", minLength: 1 }, nullable: true },
    sourceSeverities: { type: "array", items: severity, minItems: 1, nullable: true },
    targetSeverities: { type: "array", items: severity, minItems: 1, nullable: true },
    description: optString,
  },
};

const anomaly: JSONSchemaType<AnomalySpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1 },
    signal: { ...selector, nullable: true },
    expr: { type: "string", minLength: 1, nullable: true },
    by: optStringList,
    baseline: { ...optDuration, description: "History the band is learnt from and the season it repeats with: 1w (default) or 1d; whole hours from 1d to 4w" },
    seasonal: { type: "boolean", nullable: true },
    sensitivity: { type: "number", nullable: true, description: "Half-width of the band in standard deviations (default 3), above 0" },
    direction: { type: "string", enum: ["both", "above", "below"], nullable: true },
    minTraffic: { type: "number", nullable: true },
    for: optDuration,
    severity: { ...severity, nullable: true },
    alert: optString,
    summary: optString,
    description: optString,
    runbook: optString,
    team: optString,
    maintenance: optStringList,
    labels: stringMap,
    annotations: stringMap,
  },
};

const recording: JSONSchemaType<RecordingSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["record", "expr"],
  properties: {
    record: { type: "string", minLength: 1 },
    expr: { type: "string", minLength: 1 },
    labels: stringMap,
    lintDisable,
  },
};

/** A dashboard's auto-refresh interval, as Grafana's refresh picker takes it. */
const grafanaRefresh = { type: "string", minLength: 1, nullable: true, description: "Grafana refresh interval: a number and s, m, h or d, e.g. 30s, 1m" } as const;

const grafana: JSONSchemaType<GrafanaSettings> = {
  type: "object",
  additionalProperties: false,
  properties: { url: optString, prometheusUrl: optString, elasticsearchUrl: optString, jaegerUrl: optString, dashboardsPath: optString, refresh: grafanaRefresh },
};

const dashboardVariable: JSONSchemaType<DashboardVariableSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "query"],
  properties: {
    name: { type: "string", minLength: 1 },
    label: optString,
    query: { type: "string", minLength: 1, description: "label_values(<selector>, <label>), label_values(<label>) or query_result(<expr>)" },
    multi: { type: "boolean", nullable: true },
    includeAll: { type: "boolean", nullable: true },
  },
};

const panel: JSONSchemaType<PanelSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["title", "type"],
  properties: {
    title: { type: "string" },
    type: { type: "string", enum: ["timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text"] },
    queries: {
      type: "array",
      nullable: true,
      items: { type: "object", additionalProperties: false, required: ["expr"], properties: { expr: { type: "string", minLength: 1 }, legend: optString } },
    },
    text: optString,
    unit: optString,
    min: { type: "number", nullable: true },
    max: { type: "number", nullable: true },
    decimals: { type: "integer", nullable: true },
    thresholds: {
      type: "array",
      nullable: true,
      items: { type: "object", additionalProperties: false, required: ["value", "color"], properties: { value: { type: "number" }, color: { type: "string", minLength: 1 } } },
    },
    legend: { type: "string", enum: ["list", "table", "hidden"], nullable: true },
    width: { type: "number", nullable: true, description: "Grid columns, 1-24" },
    height: { type: "number", nullable: true },
    links: {
      type: "array",
      nullable: true,
      items: { type: "object", additionalProperties: false, required: ["title", "url"], properties: { title: { type: "string" }, url: { type: "string", minLength: 1 } } },
    },
    description: optString,
  },
};

const dashboardRow: JSONSchemaType<DashboardRowSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["title", "panels"],
  properties: { title: { type: "string" }, panels: { type: "array", items: panel } },
};

const dashboardSpec: JSONSchemaType<DashboardSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "rows"],
  properties: {
    name: { type: "string", minLength: 1 },
    title: optString,
    description: optString,
    variables: { type: "array", items: dashboardVariable, nullable: true },
    refresh: grafanaRefresh,
    rows: { type: "array", items: dashboardRow },
  },
};

const logField: JSONSchemaType<LogFieldSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "type"],
  properties: {
    name: { type: "string", minLength: 1 },
    type: { type: "string", enum: ["string", "number", "boolean", "timestamp", "keyword"] },
    pii: { type: "string", enum: ["remove", "mask", "hash"], nullable: true },
    freeText: { type: "boolean", nullable: true },
  },
};
const logCondition: JSONSchemaType<LogConditionSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    loggerPrefix: optStringList,
    level: optStringList,
    fieldPresent: optStringList,
    fieldEquals: { type: "object", nullable: true, required: [], additionalProperties: { type: "string" } },
  },
};
const logCategory: JSONSchemaType<LogCategorySpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "when"],
  properties: {
    // Any name: its form (lower case, not main/deadletter) is reported, located, by normalize.
    name: { type: "string", minLength: 1, description: "request, application, error, performance, security, audit, or a name of your own ([a-z][a-z0-9_]*)" },
    when: logCondition,
    retentionDays: { type: "integer", minimum: 1, nullable: true },
  },
};
const logMask: JSONSchemaType<LogMaskSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "pattern"],
  properties: { name: { type: "string", minLength: 1 }, pattern: { type: "string", minLength: 1 }, replacement: optString },
};
const logSampling: JSONSchemaType<LogSamplingSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["when", "keepPercent"],
  properties: { when: logCondition, keepPercent: { type: "number", minimum: 0, maximum: 100 } },
};
// Paths, names and the host are checked, located, by normalize (VIG2046).
const filebeat: JSONSchemaType<FilebeatSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["logstashHost"],
  properties: {
    logstashHost: { type: "string", minLength: 1 },
    containers: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: {
        paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true },
        name: { type: "string", minLength: 1, nullable: true },
        stream: { type: "string", enum: ["all", "stdout", "stderr"], nullable: true },
      },
    },
    files: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true },
  },
};
const logSource: JSONSchemaType<LogSourceSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["kind"],
  properties: {
    kind: { type: "string", enum: ["beats", "http", "file"] },
    port: { type: "integer", minimum: 1, maximum: 65535, nullable: true },
    paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true },
    filebeat: { ...filebeat, nullable: true },
  },
};
// Forms, fields and categories are checked, located, by normalize (kibana.ts).
const kibanaSize = {
  width: { type: "integer", nullable: true, description: "Grid columns, 1-48" },
  height: { type: "integer", nullable: true, description: "Grid rows, at least 1" },
} as const;
const kibanaCategories = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true } as const;
const kibanaStatistic = { type: "string", enum: ["unique", "average", "median", "min", "max", "sum", "p95", "p99"] } as const;
const kibanaPanel: JSONSchemaType<KibanaPanelSpec> = {
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "category"],
      properties: { kind: { type: "string", const: "search" }, category: { type: "string", minLength: 1 }, ...kibanaSize },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "title"],
      properties: { kind: { type: "string", const: "events" }, title: { type: "string" }, categories: kibanaCategories, breakdown: optString, ...kibanaSize },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "title", "field", "statistic"],
      properties: { kind: { type: "string", const: "trend" }, title: { type: "string" }, field: { type: "string", minLength: 1 }, statistic: kibanaStatistic, categories: kibanaCategories, ...kibanaSize },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "title", "field"],
      properties: {
        kind: { type: "string", const: "top" },
        title: { type: "string" },
        field: { type: "string", minLength: 1 },
        size: { type: "integer", minimum: 1, maximum: 100, nullable: true },
        categories: kibanaCategories,
        ...kibanaSize,
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "title"],
      properties: { kind: { type: "string", const: "total" }, title: { type: "string" }, statistic: { ...kibanaStatistic, nullable: true }, field: optString, categories: kibanaCategories, ...kibanaSize },
    },
  ],
};
const kibanaDashboard: JSONSchemaType<KibanaDashboardSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "panels"],
  properties: {
    name: { type: "string", minLength: 1 },
    title: optString,
    description: optString,
    timeRange: { type: "string", minLength: 1, nullable: true, description: "a number and s, m, h, d, w or y, e.g. 24h" },
    refresh: { type: "string", minLength: 1, nullable: true, description: "a number and s, m, h or d, e.g. 1m" },
    panels: { type: "array", items: kibanaPanel, minItems: 1 },
  },
};
const kibana: JSONSchemaType<KibanaSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    columns: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true },
    dashboards: { type: "array", items: kibanaDashboard, nullable: true },
  },
};
const logMetric: JSONSchemaType<LogMetricSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind"],
  properties: {
    // Names, fields and values are checked, located, by normalize (log-metrics.ts).
    name: { type: "string", minLength: 1 },
    help: optString,
    kind: { type: "string", const: "counter" },
    match: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: {
        category: optString,
        loggerPrefix: optStringList,
        level: optStringList,
        fieldPresent: optStringList,
        fieldEquals: { type: "object", nullable: true, required: [], additionalProperties: { type: "string" } },
      },
    },
    by: {
      type: "array",
      nullable: true,
      items: {
        anyOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            additionalProperties: false,
            required: ["field"],
            properties: {
              field: { type: "string", minLength: 1 },
              label: optString,
              truncate: { type: "string", enum: ["/8", "/16", "/24"], nullable: true },
              allowPii: { type: "object", nullable: true, additionalProperties: false, required: ["reason"], properties: { reason: { type: "string", minLength: 1 } } },
            },
          },
        ],
      },
    },
  },
};
const logs: JSONSchemaType<LogsSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["fields"],
  properties: {
    source: { ...logSource, nullable: true },
    fields: { type: "array", items: logField },
    nonJson: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: { grok: { type: "string", minLength: 1, nullable: true }, dissect: { type: "string", minLength: 1, nullable: true } },
    },
    categories: { type: "array", items: logCategory, nullable: true },
    masks: { type: "array", items: logMask, nullable: true },
    correlation: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      required: ["field"],
      properties: { field: { type: "string", minLength: 1 }, to: optString },
    },
    retentionDays: { type: "integer", minimum: 1, nullable: true },
    indices: { type: "string", enum: ["daily", "dataStream"], nullable: true },
    dropLevels: optStringList,
    sampling: { type: "array", items: logSampling, nullable: true },
    hashKeyEnv: optString,
    elasticsearchEnv: optString,
    kibana: { ...kibana, nullable: true },
    metrics: { type: "array", items: logMetric, nullable: true },
  },
};

const stepRef = {
  type: "object",
  additionalProperties: false,
  required: ["ref"],
  properties: { ref: { type: "object", additionalProperties: false, required: ["step", "name"], properties: { step: { type: "string", minLength: 1 }, name: { type: "string", minLength: 1 } } } },
} as const;
const templatePart: JSONSchemaType<TemplatePartSpec> = {
  anyOf: [{ type: "string" }, { type: "object", additionalProperties: false, required: ["env"], properties: { env: { type: "string", minLength: 1 } } }, stepRef],
};
const template: JSONSchemaType<TemplateSpec> = { anyOf: [{ type: "string" }, { type: "array", items: templatePart }] };
const httpRequest: JSONSchemaType<HttpRequestSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["url"],
  properties: {
    url: template,
    method: { type: "string", enum: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], nullable: true },
    headers: { type: "object", additionalProperties: template, required: [], nullable: true },
    body: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      // Any JSON value; `{ env }` and `{ ref }` objects in it stand for values.
      properties: { json: { nullable: true } as never, text: { ...template, nullable: true } as never },
    },
    timeout: optString,
    followRedirects: { type: "boolean", nullable: true },
    maxBodyBytes: { type: "integer", minimum: 1, nullable: true },
    tls: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: { insecureSkipVerify: { type: "boolean", nullable: true }, minValidityDays: { type: "integer", minimum: 0, nullable: true } },
    },
  },
};
const assertion: JSONSchemaType<AssertionSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["source", "comparison"],
  properties: {
    source: { type: "string", enum: ["status", "header", "jsonBody", "textBody", "responseTime"] },
    property: optString,
    comparison: {
      type: "string",
      enum: ["equals", "notEquals", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "contains", "notContains", "matches", "exists", "notExists"],
    },
    target: { type: ["string", "number", "boolean"], nullable: true } as never,
  },
};
const extract: JSONSchemaType<ExtractSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["from"],
  properties: { from: { type: "string", enum: ["jsonBody", "header", "textBody"] }, property: optString, regex: optString },
};
const probeAlert: JSONSchemaType<ProbeAlertSpec> = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", nullable: true },
    failingRuns: { type: "integer", minimum: 1, nullable: true },
    for: optString,
    certificateDays: { type: "integer", minimum: 0, nullable: true },
    failingLocations: { type: "integer", nullable: true, description: "fire when failing in at least this many locations" },
  },
};
const probeSlo: JSONSchemaType<ProbeSloSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["objective"],
  properties: { objective: { type: "number" }, window: optString },
};
const probeCommon = {
  name: { type: "string", minLength: 1 },
  description: optString,
  team: optString,
  severity: { ...severity, nullable: true },
  interval: optString,
  jitter: { type: "number", minimum: 0, maximum: 0.5, nullable: true },
  alert: { ...probeAlert, nullable: true },
  slo: { ...probeSlo, nullable: true },
  runbook: optString,
  locations: { type: "array", items: { type: "string", minLength: 1 }, nullable: true, description: "names from probes.locations" },
} as const;
const tcpCheck: JSONSchemaType<TcpCheckSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["host", "port"],
  properties: {
    host: { type: "string", minLength: 1 },
    port: { type: "integer", minimum: 1, maximum: 65535 },
    timeout: optString,
    tls: {
      type: "object",
      nullable: true,
      additionalProperties: false,
      properties: {
        serverName: { type: "string", minLength: 1, nullable: true },
        insecureSkipVerify: { type: "boolean", nullable: true },
        minValidityDays: { type: "integer", minimum: 0, nullable: true },
      },
    },
  },
};
// `request` or `tcp`: normalize reports neither or both (VIG2045), at the check.
const check: JSONSchemaType<CheckSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    ...probeCommon,
    request: { ...httpRequest, nullable: true },
    tcp: { ...tcpCheck, nullable: true },
    assertions: { type: "array", items: assertion, nullable: true },
    retries: { type: "integer", minimum: 0, maximum: 10, nullable: true },
    retryBackoff: optString,
  },
};
const step: JSONSchemaType<StepSpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "request"],
  properties: {
    name: { type: "string", minLength: 1 },
    request: httpRequest,
    assertions: { type: "array", items: assertion, nullable: true },
    extract: { type: "object", additionalProperties: extract, required: [], nullable: true },
    slowerThan: optString,
  },
};
const journey: JSONSchemaType<JourneySpec> = {
  type: "object",
  additionalProperties: false,
  required: ["name", "steps"],
  properties: { ...probeCommon, steps: { type: "array", items: step, minItems: 1 } },
};
const probeRunner: JSONSchemaType<ProbeRunnerSettings> = {
  type: "object",
  additionalProperties: false,
  properties: {
    address: optString,
    maxConcurrency: { type: "integer", minimum: 1, maximum: 10000, nullable: true },
    bundle: { type: "boolean", nullable: true },
    shards: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, nullable: true, description: "host:port of each shard of the probe runtime (vigil probes run --shard k/n)" },
    locations: {
      type: "array",
      minItems: 1,
      nullable: true,
      description: "where the probe runtime runs: one replica per location (vigil probes run --location NAME)",
      items: { type: "object", additionalProperties: false, required: ["name", "address"], properties: { name: { type: "string", minLength: 1 }, address: { type: "string", minLength: 1 } } },
    },
  },
};

export const monitoringSpecSchema: JSONSchemaType<MonitoringSpec> = {
  $id: "https://vigil.dev/schema/monitoring.schema.json",
  title: "Vigil monitoring spec",
  type: "object",
  additionalProperties: false,
  required: ["service"],
  properties: {
    $schema: optString,
    prometheus: { ...prometheus, nullable: true },
    service,
    teams: { type: "array", items: team, nullable: true },
    signals: { type: "array", items: signal, nullable: true },
    slos: { type: "array", items: slo, nullable: true },
    alerts: { type: "array", items: alert, nullable: true },
    events: { type: "array", items: event, nullable: true },
    anomalies: { type: "array", items: anomaly, nullable: true },
    inhibitions: { type: "array", items: inhibition, nullable: true },
    recordings: { type: "array", items: recording, nullable: true },
    lint: { ...lint, nullable: true },
    alertmanager: { ...alertmanager, nullable: true },
    grafana: { ...grafana, nullable: true },
    exporters: { type: "array", items: exporter, nullable: true },
    dashboards: { type: "array", items: dashboardSpec, nullable: true },
    logs: { ...logs, nullable: true },
    checks: { type: "array", items: check, nullable: true },
    journeys: { type: "array", items: journey, nullable: true },
    probes: { ...probeRunner, nullable: true },
    targets: { type: "array", items: { type: "string", enum: ["files", "kubernetes", "ruler"] }, uniqueItems: true, nullable: true, description: 'What compile writes besides the plain files: "kubernetes", "ruler" (default ["files"])' },
    kubernetes: {
      type: "object",
      additionalProperties: false,
      nullable: true,
      properties: { namespace: { ...optString, minLength: 1, description: "Namespace of the service's Kubernetes resources (default monitoring)" } },
    },
  },
};

/** Deep copy without ajv's `nullable` markers: omitted is fine, `null` is not. */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema && typeof schema === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k === "nullable") continue;
      out[k] = strictSchema(v);
    }
    return out;
  }
  return schema;
}

/** The published schema (draft-07 style), as written to `spec/monitoring.schema.json`. */
export function publishedSchema(): Record<string, unknown> {
  return { $schema: "http://json-schema.org/draft-07/schema#", ...(strictSchema(monitoringSpecSchema) as object) };
}
