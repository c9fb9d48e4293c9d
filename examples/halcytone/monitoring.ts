/**
 * Halcytone Content Generator — the production monitoring stack of the first seed
 * (FastAPI service, Prometheus + Alertmanager, Grafana, ELK, Jaeger).
 *
 * Alert ladder from the seed:
 *   critical — application down, database connection failures, error rate > 5%,
 *              memory/disk > 95%, external service complete failure
 *   warning  — response time > 2s, error rate > 1%, resource usage > 80%,
 *              content generation failures > 10%, external service degradation
 *   info     — traffic pattern changes, new deployments, configuration changes,
 *              performance trend notifications
 */
import { assertJson, assertStatus, assertText, counter, defineMonitoring, env, gauge, histogram, matches, nodeExporter, notMatches, team } from "vigil-monitoring";

const job = "halcytone-content-generator";

// --- Signals: what the FastAPI app exposes on /metrics -------------------------------
const httpRequests = counter("http_requests_total", {
  help: "HTTP requests handled, by method, endpoint and status code",
  labels: ["method", "endpoint", "status"],
});
const httpDuration = histogram("http_request_duration_seconds", {
  help: "HTTP request latency",
  unit: "seconds",
  labels: ["method", "endpoint"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
});
const contentGenerations = counter("content_generation_total", {
  help: "Content generation runs, by content type and outcome",
  labels: ["content_type", "status"],
});
const contentDuration = histogram("content_generation_duration_seconds", {
  help: "Time to generate one piece of content",
  unit: "seconds",
  labels: ["content_type"],
  buckets: [0.5, 1, 2.5, 5, 10, 30, 60],
});
const qualityScore = histogram("content_quality_score", {
  help: "Quality score of generated content (0–1)",
  labels: ["content_type"],
  buckets: [0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1],
});
const dbQueryDuration = histogram("db_query_duration_seconds", {
  help: "Database query latency",
  unit: "seconds",
  labels: ["operation"],
  buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1],
});
const dbConnectionErrors = counter("db_connection_errors_total", { help: "Failed database connection attempts" });
const externalRequests = counter("external_requests_total", {
  help: "Calls to external services (CRM, Platform), by dependency and outcome",
  labels: ["dependency", "outcome"],
});
const cacheRequests = counter("cache_requests_total", { help: "Cache lookups, by result", labels: ["result"] });
const processStart = gauge("process_start_time_seconds", { help: "Start time of the process (Unix seconds)", unit: "seconds" });
const configReload = gauge("app_config_last_reload_timestamp_seconds", { help: "When the configuration was last (re)loaded", unit: "seconds" });

// Host metrics from node_exporter on the same hosts (port 9100, scrape job `node`): its
// signals' selectors match job="node", and prometheus.yml scrapes it.
const node = nodeExporter();
const memAvailable = node.gauge("node_memory_MemAvailable_bytes", { unit: "bytes" });
const memTotal = node.gauge("node_memory_MemTotal_bytes", { unit: "bytes" });
const fsAvail = node.gauge("node_filesystem_avail_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const fsSize = node.gauge("node_filesystem_size_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const cpuSeconds = node.counter("node_cpu_seconds_total", { unit: "seconds", labels: ["cpu", "mode"] });

const realFs = { fstype: notMatches("tmpfs|overlay|squashfs") };

// --- Dashboards (seed: overview, performance, errors, infrastructure, business) --------
// Every panel reads the instances picked in the `instance` variable.
const inst = { instance: matches("$instance") };
const instanceVariable = { name: "instance", label: "Instance", query: `label_values(up{job="${job}"}, instance)`, multi: true, includeAll: true };
// node_exporter's instances are the same hosts on another port: the infrastructure panels read the hosts picked in `host`.
const host = { instance: matches("$host") };
const hostVariable = { name: "host", label: "Host", query: `label_values(up{job="${node.scrapeJob}"}, instance)`, multi: true, includeAll: true };
const runbook = (alert: string) => ({ title: `Runbook: ${alert}`, url: `https://runbooks.halcytone.example/content-generator#${alert}` });
const perSecond = (selector: { toString(): string }, by?: string) => `sum${by ? ` by (${by})` : ""} (rate(${selector}[$__rate_interval]))`;
const quantiles = (h: { bucket(m: typeof inst): { toString(): string } }, by = "") =>
  [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${h.bucket(inst)}[$__rate_interval])))`,
    legend: `p${q * 100}${by ? ` {{${by}}}` : ""}`,
  }));
const errorShare = `${perSecond(httpRequests.select({ ...inst, status: matches("5..") }))} / ${perSecond(httpRequests.select(inst))}`;
const memoryShare = `1 - ${memAvailable.select(host)} / ${memTotal.select(host)}`;
const diskShare = `1 - ${fsAvail.select({ ...host, ...realFs })} / ${fsSize.select({ ...host, ...realFs })}`;
const cpuShare = `1 - avg by (instance) (rate(${cpuSeconds.select({ ...host, mode: "idle" })}[$__rate_interval]))`;
const seedThresholds = [
  { value: 0.8, color: "orange" },
  { value: 0.95, color: "red" },
];
const errorRatio = `sum(rate(${httpRequests.select({ status: matches("5..") })}[5m])) / sum(rate(${httpRequests.select()}[5m]))`;

export default defineMonitoring({
  prometheus: { version: "2.42", scrapeInterval: "15s", evaluationInterval: "15s" },
  service: {
    name: job,
    team: "content-platform",
    environment: "production",
    description: "Generates newsletters and web content from templates",
    labels: { criticality: "tier-1" },
    runbookBaseUrl: "https://runbooks.halcytone.example/content-generator",
    scrape: { targets: ["halcytone-content-generator:8000"] },
    // "Silence management: maintenance window handling": deploys happen Sunday night.
    maintenance: ["sunday-deploys"],
  },
  // Seed: Slack, email and PagerDuty, keys from SLACK_WEBHOOK_URL, CRITICAL_ALERT_EMAILS and
  // PAGERDUTY_INTEGRATION_KEY. Default ladder: critical → PagerDuty + Slack, warning → Slack,
  // info → email, only in office hours.
  teams: [
    team({
      name: "content-platform",
      description: "Owns the content generator",
      receivers: [
        { name: "pagerduty", kind: "pagerduty", routingKey: env("PAGERDUTY_INTEGRATION_KEY") },
        { name: "slack", kind: "slack", channel: "#content-platform-alerts", webhook: env("SLACK_WEBHOOK_URL") },
        { name: "email", kind: "email", to: ["ops@yourcompany.com"] },
      ],
      escalation: { info: { receivers: ["email"], activeDuring: ["office-hours"] } },
    }),
  ],
  // Seed: structured JSON logs via Filebeat → Logstash → Elasticsearch, six categories,
  // correlation ids, PII filtering, daily indices with lifecycle policies.
  logs: {
    source: { kind: "beats", port: 5044 },
    fields: [
      { name: "timestamp", type: "timestamp" },
      { name: "level", type: "keyword" },
      { name: "service", type: "keyword" },
      { name: "logger", type: "keyword" },
      { name: "message", type: "string", freeText: true },
      { name: "request_id", type: "keyword" },
      { name: "user_id", type: "keyword", pii: "hash" },
      { name: "email", type: "keyword", pii: "remove" },
      { name: "client_ip", type: "keyword", pii: "mask" },
      { name: "duration_seconds", type: "number" },
      { name: "quality_score", type: "number" },
      { name: "environment", type: "keyword" },
    ],
    categories: [
      { name: "security", when: { loggerPrefix: ["app.security", "app.auth"] }, retentionDays: 365 },
      { name: "audit", when: { loggerPrefix: ["app.audit"] }, retentionDays: 365 },
      { name: "error", when: { level: ["ERROR", "CRITICAL"] } },
      { name: "performance", when: { fieldPresent: ["duration_seconds"] } },
      { name: "request", when: { loggerPrefix: ["app.http", "uvicorn.access"] } },
    ],
    // Uvicorn's own start-up lines are plain text, not JSON.
    nonJson: { grok: "%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{NOTSPACE:logger} %{GREEDYDATA:message}" },
    correlation: { field: "request_id", to: "trace.id" },
    retentionDays: 30,
    dropLevels: ["DEBUG"],
    // Load-balancer health checks hit /health every few seconds: keep 5% of their access lines in production.
    sampling: [{ when: { loggerPrefix: ["app.http.health"], fieldEquals: { environment: "production" } }, keepPercent: 5 }],
  },
  // Seed: "FastAPI endpoints, health checks": liveness every 30s, readiness (with its
  // dependencies) every minute, and the metrics endpoint Prometheus depends on.
  checks: [
    {
      name: "health",
      interval: "30s",
      request: { url: "https://content.halcytone.example/health", timeout: "5s" },
      assertions: [assertStatus().equals(200), assertJson("$.status").equals("healthy")],
      alert: { failingRuns: 3 },
      slo: { objective: 99.9 },
    },
    {
      name: "ready",
      severity: "warning",
      request: { url: "https://content.halcytone.example/health/ready", timeout: "10s" },
      assertions: [assertStatus().equals(200), assertJson("$.checks.database").equals("ok"), assertJson("$.checks.cache").equals("ok")],
      retries: 2,
      retryBackoff: "2s",
    },
    {
      name: "metrics-endpoint",
      severity: "warning",
      request: { url: "http://halcytone-content-generator:8000/metrics", followRedirects: false },
      assertions: [assertStatus().equals(200), assertText().contains("http_requests_total")],
    },
  ],
  // Seed: "Data sources: Prometheus, Elasticsearch, Jaeger integration".
  // "Real-time monitoring: live updates every 30 seconds".
  grafana: { url: "https://grafana.halcytone.example", prometheusUrl: "http://prometheus:9090", elasticsearchUrl: "http://elasticsearch:9200", jaegerUrl: "http://jaeger:16686", refresh: "30s" },
  alertmanager: {
    address: "alertmanager:9093",
    catchAll: { team: "content-platform", receiver: "slack" },
    smtp: { smarthost: "smtp.yourcompany.com:587", from: "alertmanager@yourcompany.com" },
    timeIntervals: [
      { name: "sunday-deploys", ranges: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "UTC" }] },
      { name: "office-hours", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "UTC" }] },
    ],
  },
  dashboards: [
    {
      name: "service-overview",
      title: "Halcytone / Service overview",
      description: "Health, traffic, errors and content generation of the content generator at a glance.",
      variables: [instanceVariable],
      rows: [
        {
          title: "Health",
          panels: [
            { title: "Instances up", type: "stat", queries: [{ expr: `sum(up{job="${job}", instance=~"$instance"})`, legend: "up" }], unit: "short", thresholds: [{ value: 1, color: "green" }], links: [runbook("ApplicationDown")] },
            { title: "Requests per second", type: "stat", queries: [{ expr: perSecond(httpRequests.select(inst)), legend: "requests/s" }], unit: "reqps", decimals: 1 },
            { title: "Error ratio (5xx)", type: "stat", queries: [{ expr: errorShare, legend: "5xx" }], unit: "percentunit", decimals: 2, thresholds: [{ value: 0.01, color: "orange" }, { value: 0.05, color: "red" }], links: [runbook("HighErrorRate")] },
            { title: "Uptime", type: "stat", queries: [{ expr: `time() - min(${processStart.select(inst)})`, legend: "uptime" }], unit: "s" },
          ],
        },
        {
          title: "Traffic and latency",
          panels: [
            { title: "Requests by status", type: "timeseries", queries: [{ expr: perSecond(httpRequests.select(inst), "status"), legend: "{{status}}" }], unit: "reqps" },
            { title: "Response time", type: "timeseries", queries: quantiles(httpDuration), unit: "s", thresholds: [{ value: 2, color: "orange" }], links: [runbook("HighResponseTime")] },
          ],
        },
        {
          title: "Content generation and dependencies",
          panels: [
            { title: "Content generated by type", type: "timeseries", queries: [{ expr: perSecond(contentGenerations.select({ ...inst, status: "success" }), "content_type"), legend: "{{content_type}}" }], unit: "ops" },
            {
              title: "External service error ratio",
              type: "timeseries",
              queries: [{ expr: `${perSecond(externalRequests.select({ ...inst, outcome: "error" }), "dependency")} / ${perSecond(externalRequests.select(inst), "dependency")}`, legend: "{{dependency}}" }],
              unit: "percentunit",
              max: 1,
              thresholds: [{ value: 0.1, color: "orange" }, { value: 0.99, color: "red" }],
              links: [runbook("ExternalServiceFailure")],
            },
          ],
        },
      ],
    },
    {
      name: "performance",
      title: "Halcytone / Performance",
      description: "Latency percentiles, throughput, content generation time, database and cache.",
      variables: [instanceVariable],
      rows: [
        {
          title: "API",
          panels: [
            { title: "Response time percentiles", type: "timeseries", queries: quantiles(httpDuration), unit: "s", thresholds: [{ value: 2, color: "orange" }], legend: "table", links: [runbook("HighResponseTime")] },
            { title: "p95 by endpoint", type: "timeseries", queries: [{ expr: `histogram_quantile(0.95, sum by (le, endpoint) (rate(${httpDuration.bucket(inst)}[$__rate_interval])))`, legend: "{{endpoint}}" }], unit: "s" },
            { title: "Throughput by endpoint", type: "timeseries", queries: [{ expr: perSecond(httpRequests.select(inst), "endpoint"), legend: "{{endpoint}}" }], unit: "reqps" },
            { title: "Latency distribution", type: "heatmap", queries: [{ expr: `sum by (le) (increase(${httpDuration.bucket(inst)}[$__rate_interval]))`, legend: "{{le}}" }], unit: "s" },
          ],
        },
        {
          title: "Content generation",
          panels: [
            { title: "Generation time p50 / p95 / p99", type: "timeseries", queries: quantiles(contentDuration), unit: "s", thresholds: [{ value: 10, color: "blue" }], links: [runbook("SlowContentGeneration")] },
            { title: "Median generation time by type", type: "bargauge", queries: [{ expr: `histogram_quantile(0.5, sum by (le, content_type) (rate(${contentDuration.bucket(inst)}[$__rate_interval])))`, legend: "{{content_type}}" }], unit: "s", thresholds: [{ value: 10, color: "orange" }, { value: 30, color: "red" }] },
          ],
        },
        {
          title: "Database and cache",
          panels: [
            { title: "Database query time p95 by operation", type: "timeseries", queries: [{ expr: `histogram_quantile(0.95, sum by (le, operation) (rate(${dbQueryDuration.bucket(inst)}[$__rate_interval])))`, legend: "{{operation}}" }], unit: "s", thresholds: [{ value: 0.1, color: "orange" }, { value: 0.5, color: "red" }] },
            {
              title: "Cache hit rate",
              type: "gauge",
              queries: [{ expr: `${perSecond(cacheRequests.select({ ...inst, result: "hit" }))} / ${perSecond(cacheRequests.select(inst))}`, legend: "hit rate" }],
              unit: "percentunit",
              min: 0,
              max: 1,
              width: 12,
              // Low is bad here: red below 50%, orange below 80%.
              thresholds: [{ value: 0, color: "red" }, { value: 0.5, color: "orange" }, { value: 0.8, color: "green" }],
            },
          ],
        },
      ],
    },
    {
      name: "errors",
      title: "Halcytone / Error analysis",
      description: "Error trends, failing endpoints, failed content generation and external failures.",
      variables: [instanceVariable],
      rows: [
        {
          title: "HTTP errors",
          panels: [
            { title: "Error ratio (5xx)", type: "timeseries", queries: [{ expr: errorShare, legend: "5xx ratio" }], unit: "percentunit", thresholds: [{ value: 0.01, color: "orange" }, { value: 0.05, color: "red" }], links: [runbook("HighErrorRate")] },
            { title: "Errors by status", type: "timeseries", queries: [{ expr: perSecond(httpRequests.select({ ...inst, status: matches("[45]..") }), "status"), legend: "{{status}}" }], unit: "reqps" },
            { title: "Top failing endpoints", type: "table", queries: [{ expr: `topk(10, ${perSecond(httpRequests.select({ ...inst, status: matches("5..") }), "endpoint, method")})`, legend: "{{method}} {{endpoint}}" }], unit: "reqps", width: 24 },
          ],
        },
        {
          title: "Content generation and dependencies",
          panels: [
            {
              title: "Failed content generation ratio by type",
              type: "timeseries",
              queries: [{ expr: `${perSecond(contentGenerations.select({ ...inst, status: "failure" }), "content_type")} / ${perSecond(contentGenerations.select(inst), "content_type")}`, legend: "{{content_type}}" }],
              unit: "percentunit",
              thresholds: [{ value: 0.1, color: "orange" }],
              links: [runbook("ContentGenerationFailures")],
            },
            { title: "External service failures", type: "timeseries", queries: [{ expr: perSecond(externalRequests.select({ ...inst, outcome: "error" }), "dependency"), legend: "{{dependency}}" }], unit: "ops", links: [runbook("ExternalServiceFailure")] },
            { title: "Database connection errors", type: "timeseries", queries: [{ expr: perSecond(dbConnectionErrors.select(inst)), legend: "connection errors" }], unit: "ops", thresholds: [{ value: 0.001, color: "red" }], links: [runbook("DatabaseConnectionFailures")] },
            { title: "Firing alerts", type: "table", queries: [{ expr: `sum by (alertname, severity) (ALERTS{service="${job}", alertstate="firing"})`, legend: "{{alertname}}" }] },
          ],
        },
      ],
    },
    {
      name: "infrastructure",
      title: "Halcytone / Infrastructure",
      description: "Host resources of the instances running the content generator (node_exporter).",
      variables: [hostVariable],
      rows: [
        {
          title: "Utilisation",
          panels: [
            { title: "CPU", type: "gauge", queries: [{ expr: `avg(${cpuShare})`, legend: "cpu" }], unit: "percentunit", min: 0, max: 1, width: 8, thresholds: seedThresholds, links: [runbook("HighCpuUsage")] },
            { title: "Memory", type: "gauge", queries: [{ expr: `max(${memoryShare})`, legend: "memory" }], unit: "percentunit", min: 0, max: 1, width: 8, thresholds: seedThresholds, links: [runbook("HighMemoryUsage")] },
            { title: "Fullest disk", type: "gauge", queries: [{ expr: `max(${diskShare})`, legend: "disk" }], unit: "percentunit", min: 0, max: 1, width: 8, thresholds: seedThresholds, links: [runbook("HighDiskUsage")] },
          ],
        },
        {
          title: "Over time",
          panels: [
            { title: "CPU usage by instance", type: "timeseries", queries: [{ expr: cpuShare, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: [{ value: 0.8, color: "orange" }] },
            { title: "Memory usage by instance", type: "timeseries", queries: [{ expr: memoryShare, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: seedThresholds },
            { title: "Disk usage by mount point", type: "bargauge", queries: [{ expr: diskShare, legend: "{{instance}} {{mountpoint}}" }], unit: "percentunit", min: 0, max: 1, thresholds: seedThresholds },
            { title: "Available memory", type: "timeseries", queries: [{ expr: `${memAvailable.select(host)}`, legend: "{{instance}}" }], unit: "bytes" },
          ],
        },
      ],
    },
    {
      name: "business",
      title: "Halcytone / Business metrics",
      description: "Content volume by type, API usage and quality score distributions.",
      variables: [instanceVariable],
      rows: [
        {
          title: "Content volume",
          panels: [
            { title: "Content generated (range)", type: "stat", queries: [{ expr: `sum(increase(${contentGenerations.select({ ...inst, status: "success" })}[$__range]))`, legend: "generated" }], unit: "short", decimals: 0 },
            { title: "Success rate (range)", type: "stat", queries: [{ expr: `sum(increase(${contentGenerations.select({ ...inst, status: "success" })}[$__range])) / sum(increase(${contentGenerations.select(inst)}[$__range]))`, legend: "success" }], unit: "percentunit", decimals: 1, thresholds: [{ value: 0, color: "red" }, { value: 0.9, color: "orange" }, { value: 0.99, color: "green" }] },
            { title: "Content by type (range)", type: "bargauge", queries: [{ expr: `sum by (content_type) (increase(${contentGenerations.select({ ...inst, status: "success" })}[$__range]))`, legend: "{{content_type}}" }], unit: "short" },
            { title: "API usage by endpoint", type: "timeseries", queries: [{ expr: perSecond(httpRequests.select(inst), "endpoint"), legend: "{{endpoint}}" }], unit: "reqps" },
          ],
        },
        {
          title: "Quality",
          panels: [
            { title: "Median quality score by type", type: "timeseries", queries: [{ expr: `histogram_quantile(0.5, sum by (le, content_type) (rate(${qualityScore.bucket(inst)}[$__rate_interval])))`, legend: "{{content_type}}" }], min: 0, max: 1, decimals: 2, thresholds: [{ value: 0, color: "red" }, { value: 0.6, color: "orange" }, { value: 0.8, color: "green" }] },
            { title: "Average quality score", type: "gauge", queries: [{ expr: `sum(rate(${qualityScore.sum(inst)}[$__rate_interval])) / sum(rate(${qualityScore.count(inst)}[$__rate_interval]))`, legend: "average" }], min: 0, max: 1, decimals: 2, thresholds: [{ value: 0, color: "red" }, { value: 0.6, color: "orange" }, { value: 0.8, color: "green" }] },
            { title: "Quality score distribution", type: "heatmap", queries: [{ expr: `sum by (le) (increase(${qualityScore.bucket(inst)}[$__rate_interval]))`, legend: "{{le}}" }], width: 24 },
            {
              title: "About these numbers",
              type: "text",
              width: 24,
              height: 4,
              text: "Quality scores run from 0 to 1 and are computed per generated piece. Below 0.6 is reviewed by an editor. Alerts and runbooks: [content generator runbook](https://runbooks.halcytone.example/content-generator).",
            },
          ],
        },
      ],
    },
  ],
  signals: [
    httpRequests,
    httpDuration,
    contentGenerations,
    contentDuration,
    qualityScore,
    dbQueryDuration,
    dbConnectionErrors,
    externalRequests,
    cacheRequests,
    processStart,
    configReload,
    memAvailable,
    memTotal,
    fsAvail,
    fsSize,
    cpuSeconds,
  ],

  slos: [
    {
      name: "api-availability",
      description: "Share of API requests that do not fail with a 5xx",
      objective: 99.9,
      window: "30d",
      sli: {
        kind: "ratio",
        bad: httpRequests.select({ status: matches("5..") }),
        total: httpRequests.select(),
      },
      alerting: { minTraffic: 0.1 },
    },
    {
      name: "api-latency",
      description: "Share of API requests served within 2 seconds",
      objective: 99,
      sli: { kind: "latency", histogram: httpDuration.select(), threshold: 2 },
    },
    {
      name: "content-generation",
      description: "Share of content generation runs that succeed",
      objective: 99,
      window: "28d",
      sli: {
        kind: "ratio",
        good: contentGenerations.select({ status: "success" }),
        total: contentGenerations.select(),
      },
    },
  ],

  recordings: [
    { record: "job:http_requests:rate5m", expr: `sum by (job) (rate(${httpRequests.select()}[5m]))` },
    {
      record: "job:http_request_duration_seconds:p95_5m",
      expr: `histogram_quantile(0.95, sum by (job, le) (rate(${httpDuration.bucket()}[5m])))`,
    },
  ],

  alerts: [
    // critical
    {
      name: "ApplicationDown",
      expr: `up{job="${job}"}`,
      op: "==",
      threshold: 0,
      severity: "critical",
      for: "1m",
      // While the application is down its other alerts are noise: inhibit them.
      serviceDown: true,
      summary: "Content generator {{ $labels.instance }} is down",
      description: "Prometheus cannot scrape {{ $labels.instance }}: the application is down or unresponsive.",
    },
    {
      name: "DatabaseConnectionFailures",
      expr: `sum(rate(${dbConnectionErrors}[5m]))`,
      threshold: 0,
      severity: "critical",
      for: "2m",
      summary: "Database connections are failing",
      description: "{{ $value | humanize }} failed database connection attempts per second.",
    },
    {
      name: "HighErrorRate",
      expr: errorRatio,
      thresholds: { critical: 0.05, warning: 0.01 },
      for: "5m",
      summary: "High HTTP error rate",
      description: "{{ $value | humanizePercentage }} of requests fail with a 5xx.",
    },
    {
      name: "HighMemoryUsage",
      expr: `1 - ${memAvailable.select()} / ${memTotal.select()}`,
      thresholds: { critical: 0.95, warning: 0.8 },
      for: "5m",
      summary: "Memory usage is high on {{ $labels.instance }}",
      description: "Memory usage is {{ $value | humanizePercentage }}.",
    },
    {
      name: "HighDiskUsage",
      expr: `1 - ${fsAvail.select(realFs)} / ${fsSize.select(realFs)}`,
      thresholds: { critical: 0.95, warning: 0.8 },
      for: "10m",
      summary: "Disk {{ $labels.mountpoint }} is filling up on {{ $labels.instance }}",
      description: "Disk usage of {{ $labels.mountpoint }} is {{ $value | humanizePercentage }}.",
    },
    {
      name: "ExternalServiceFailure",
      expr: `sum by (dependency) (rate(${externalRequests.select({ outcome: "error" })}[5m])) / sum by (dependency) (rate(${externalRequests.select()}[5m]))`,
      thresholds: { critical: 0.99, warning: 0.1 },
      for: "5m",
      summary: "External service {{ $labels.dependency }} is failing",
      description: "{{ $value | humanizePercentage }} of calls to {{ $labels.dependency }} fail (critical: complete failure, warning: degradation).",
    },
    // warning
    {
      name: "HighResponseTime",
      expr: `histogram_quantile(0.95, sum by (le) (rate(${httpDuration.bucket()}[5m])))`,
      threshold: 2,
      severity: "warning",
      for: "10m",
      summary: "API p95 latency is above 2s",
      description: "The 95th percentile of request latency is {{ $value | humanizeDuration }}.",
    },
    {
      name: "HighCpuUsage",
      expr: `1 - avg(rate(${cpuSeconds.select({ mode: "idle" })}[5m]))`,
      threshold: 0.8,
      severity: "warning",
      for: "15m",
      summary: "CPU usage is above 80%",
      description: "Average CPU usage is {{ $value | humanizePercentage }}.",
    },
    {
      name: "ContentGenerationFailures",
      expr: `sum(rate(${contentGenerations.select({ status: "failure" })}[10m])) / sum(rate(${contentGenerations.select()}[10m]))`,
      threshold: 0.1,
      severity: "warning",
      for: "10m",
      summary: "More than 10% of content generation runs fail",
      description: "{{ $value | humanizePercentage }} of content generation runs fail.",
    },
    // info
    {
      name: "LowTraffic",
      expr: "job:http_requests:rate5m",
      op: "<",
      threshold: 0.05,
      severity: "info",
      for: "30m",
      summary: "Traffic pattern changed: almost no requests",
      description: "Only {{ $value | humanize }} requests per second for 30 minutes.",
    },
    {
      name: "RecentDeployment",
      expr: `time() - ${processStart}`,
      op: "<",
      threshold: 600,
      severity: "info",
      for: "0s",
      summary: "New deployment on {{ $labels.instance }}",
      description: "The process started {{ $value | humanizeDuration }} ago.",
    },
    {
      name: "ConfigurationChanged",
      expr: `time() - ${configReload}`,
      op: "<",
      threshold: 600,
      severity: "info",
      for: "0s",
      summary: "Configuration reloaded on {{ $labels.instance }}",
      description: "The configuration was reloaded {{ $value | humanizeDuration }} ago.",
    },
    {
      name: "SlowContentGeneration",
      expr: `histogram_quantile(0.5, sum by (le) (rate(${contentDuration.bucket()}[15m])))`,
      threshold: 10,
      severity: "info",
      for: "30m",
      summary: "Median content generation time is trending above 10s",
      description: "Median generation time is {{ $value | humanizeDuration }}.",
    },
  ],
});
