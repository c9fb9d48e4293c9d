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
 *              scheduled maintenance events, performance trend notifications
 *
 * README.md beside this file maps every item of the seed to the lines below.
 */
import { assertJson, assertStatus, assertText, counter, defineMonitoring, env, exporter, gauge, anomaly, histogram, matches, nodeExporter, notMatches, team, type KibanaSpec } from "vigil-monitoring";

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
const externalDuration = histogram("external_request_duration_seconds", {
  help: "Latency of calls to external services (CRM, Platform), by dependency",
  unit: "seconds",
  labels: ["dependency"],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});
const cacheRequests = counter("cache_requests_total", { help: "Cache lookups, by result", labels: ["result"] });
const inFlight = gauge("http_requests_in_progress", { help: "Requests being served right now (concurrency)", labels: ["method", "endpoint"] });
const exceptions = counter("app_exceptions_total", { help: "Unhandled exceptions, by exception class and module", labels: ["exception_type", "module"] });
const templateUsage = counter("template_usage_total", { help: "Content generated, by template and content type", labels: ["template", "content_type"] });
const activeUsers = gauge("active_users", { help: "Distinct users who requested content, over the last hour and day", labels: ["period"] });
// Batch processing: background jobs wait in named queues.
const queueSize = gauge("batch_queue_size", { help: "Jobs waiting, by queue", labels: ["queue"] });
const batchJobs = counter("batch_jobs_total", { help: "Background jobs finished, by queue and outcome", labels: ["queue", "status"] });
// Process metrics of prometheus_client's default collectors (Python).
const residentMemory = gauge("process_resident_memory_bytes", { help: "Resident memory of the application process", unit: "bytes" });
const openFds = gauge("process_open_fds", { help: "Open file descriptors" });
const maxFds = gauge("process_max_fds", { help: "File descriptor limit" });
const gcCollections = counter("python_gc_collections_total", { help: "Garbage collections, by generation", labels: ["generation"] });
const processStart = gauge("process_start_time_seconds", { help: "Start time of the process (Unix seconds)", unit: "seconds" });
const configReload = gauge("app_config_last_reload_timestamp_seconds", { help: "When the configuration was last (re)loaded", unit: "seconds" });
const buildInfo = gauge("app_build_info", { help: "Always 1; the labels say which build runs (service.version of setup_metrics)", labels: ["version"] });

// Host metrics from node_exporter on the same hosts (port 9100, scrape job `node`): its
// signals' selectors match job="node", and prometheus.yml scrapes it.
const node = nodeExporter();
const memAvailable = node.gauge("node_memory_MemAvailable_bytes", { unit: "bytes" });
const memTotal = node.gauge("node_memory_MemTotal_bytes", { unit: "bytes" });
const fsAvail = node.gauge("node_filesystem_avail_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const fsSize = node.gauge("node_filesystem_size_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const cpuSeconds = node.counter("node_cpu_seconds_total", { unit: "seconds", labels: ["cpu", "mode"] });
const load1 = node.gauge("node_load1", { help: "1-minute load average" });
const load5 = node.gauge("node_load5", { help: "5-minute load average" });
const load15 = node.gauge("node_load15", { help: "15-minute load average" });
const diskRead = node.counter("node_disk_read_bytes_total", { unit: "bytes", labels: ["device"] });
const diskWritten = node.counter("node_disk_written_bytes_total", { unit: "bytes", labels: ["device"] });
const diskIoTime = node.counter("node_disk_io_time_seconds_total", { unit: "seconds", labels: ["device"] });
const netReceived = node.counter("node_network_receive_bytes_total", { unit: "bytes", labels: ["device"] });
const netSent = node.counter("node_network_transmit_bytes_total", { unit: "bytes", labels: ["device"] });
const netReceiveErrors = node.counter("node_network_receive_errs_total", { labels: ["device"] });
const netSendErrors = node.counter("node_network_transmit_errs_total", { labels: ["device"] });
const tcpEstablished = node.gauge("node_netstat_Tcp_CurrEstab", { help: "TCP connections in state ESTABLISHED" });

// Containers (docker-compose.monitoring.yml runs the app in Docker): cAdvisor, scrape job `cadvisor`.
const cadvisor = exporter("cadvisor", { targets: ["cadvisor:8080"] });
const containerCpu = cadvisor.counter("container_cpu_usage_seconds_total", { unit: "seconds", labels: ["name"] });
const containerMemory = cadvisor.gauge("container_memory_working_set_bytes", { unit: "bytes", labels: ["name"] });
const containerMemoryLimit = cadvisor.gauge("container_spec_memory_limit_bytes", { unit: "bytes", labels: ["name"] });
const containerStart = cadvisor.gauge("container_start_time_seconds", { unit: "seconds", labels: ["name"] });
const containerLastSeen = cadvisor.gauge("container_last_seen", { unit: "seconds", labels: ["name"] });
// The database (PostgreSQL) through postgres_exporter, scrape job `postgres`.
const postgres = exporter("postgres", { targets: ["postgres-exporter:9187"] });
const pgUp = postgres.gauge("pg_up", { help: "1 when the exporter reaches the database" });
const pgConnections = postgres.gauge("pg_stat_activity_count", { help: "Connections by database and state", labels: ["datname", "state"] });
const pgMaxConnections = postgres.gauge("pg_settings_max_connections", { help: "max_connections of the server" });
const pgStatementSeconds = postgres.counter("pg_stat_statements_seconds_total", { unit: "seconds", labels: ["datname", "queryid", "user"] });
const pgStatementCalls = postgres.counter("pg_stat_statements_calls_total", { labels: ["datname", "queryid", "user"] });
// Prometheus itself (seed, maintenance: "Monitor Prometheus storage usage"), scrape job `prometheus`.
const prometheusSelf = exporter("prometheus", { targets: ["prometheus:9090"] });
const tsdbBlocksBytes = prometheusSelf.gauge("prometheus_tsdb_storage_blocks_bytes", { help: "Bytes the TSDB's persisted blocks take", unit: "bytes" });
/** The seed's 10GB storage limit in bytes (Prometheus' GB is 1024³ bytes). */
const STORAGE_LIMIT_BYTES = 10 * 1024 ** 3;

const realFs = { fstype: notMatches("tmpfs|overlay|squashfs") };
const appContainers = { name: matches("halcytone.*") };
const physical = { device: notMatches("lo|veth.*|docker.*|br-.*") };

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
  // Seed: "Retention: 30 days", "Storage: 10GB limit with automatic cleanup" (flags: prometheus/prometheus.args).
  prometheus: { version: "2.42", scrapeInterval: "15s", evaluationInterval: "15s", storage: { retention: "30d", retentionSize: "10GB" } },
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
    source: { kind: "beats", port: 5044, filebeat: filebeatShipping() },
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
      { name: "content_type", type: "keyword" },
      { name: "template", type: "keyword" },
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
    retentionDays: 30, kibana: kibanaDashboards(),
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
    }, ...externalServiceChecks(),
  ],
  // Seed: "Data sources: Prometheus, Elasticsearch, Jaeger integration".
  // "Real-time monitoring: live updates every 30 seconds".
  grafana: { url: "https://grafana.halcytone.example", prometheusUrl: "http://prometheus:9090", elasticsearchUrl: "http://elasticsearch:9200", jaegerUrl: "http://jaeger:16686", refresh: "30s" }, anomalies: trafficAnomalies(),
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
            { title: "Requests in flight (concurrency)", type: "timeseries", queries: [{ expr: `sum by (instance) (${inFlight.select(inst)})`, legend: "{{instance}}" }], unit: "short" },
            { title: "External service latency p95", type: "timeseries", queries: [{ expr: `histogram_quantile(0.95, sum by (le, dependency) (rate(${externalDuration.bucket(inst)}[$__rate_interval])))`, legend: "{{dependency}}" }], unit: "s" },
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
            { title: "Exceptions by type", type: "timeseries", queries: [{ expr: perSecond(exceptions.select(inst), "exception_type"), legend: "{{exception_type}}" }], unit: "ops" },
            {
              title: "Errors beside resource usage",
              type: "timeseries",
              description: "System error correlation: the 5xx ratio on the same axis as the fullest host's CPU and memory.",
              queries: [
                { expr: errorShare, legend: "5xx ratio" },
                { expr: `max(1 - avg by (instance) (rate(${cpuSeconds.select({ mode: "idle" })}[$__rate_interval])))`, legend: "cpu (busiest host)" },
                { expr: `max(1 - ${memAvailable.select()} / ${memTotal.select()})`, legend: "memory (fullest host)" },
              ],
              unit: "percentunit",
              max: 1,
            },
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
      variables: [hostVariable, instanceVariable],
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
            {
              title: "Load average",
              type: "timeseries",
              queries: [
                { expr: `${load1.select(host)}`, legend: "1m {{instance}}" },
                { expr: `${load5.select(host)}`, legend: "5m {{instance}}" },
                { expr: `${load15.select(host)}`, legend: "15m {{instance}}" },
              ],
              unit: "short",
            },
          ],
        },
        {
          title: "Disk I/O and network",
          panels: [
            {
              title: "Disk I/O",
              type: "timeseries",
              queries: [
                { expr: perSecond(diskRead.select(host), "instance, device"), legend: "read {{instance}} {{device}}" },
                { expr: perSecond(diskWritten.select(host), "instance, device"), legend: "written {{instance}} {{device}}" },
              ],
              unit: "Bps",
            },
            { title: "Disk busy time", type: "timeseries", queries: [{ expr: `rate(${diskIoTime.select(host)}[$__rate_interval])`, legend: "{{instance}} {{device}}" }], unit: "percentunit", max: 1, thresholds: [{ value: 0.8, color: "orange" }] },
            {
              title: "Network traffic",
              type: "timeseries",
              queries: [
                { expr: perSecond(netReceived.select({ ...host, ...physical }), "instance"), legend: "in {{instance}}" },
                { expr: perSecond(netSent.select({ ...host, ...physical }), "instance"), legend: "out {{instance}}" },
              ],
              unit: "Bps",
            },
            {
              title: "Network errors",
              type: "timeseries",
              queries: [
                { expr: perSecond(netReceiveErrors.select({ ...host, ...physical }), "instance"), legend: "receive {{instance}}" },
                { expr: perSecond(netSendErrors.select({ ...host, ...physical }), "instance"), legend: "transmit {{instance}}" },
              ],
              unit: "pps",
            },
            { title: "Established TCP connections", type: "timeseries", queries: [{ expr: `${tcpEstablished.select(host)}`, legend: "{{instance}}" }], unit: "short" },
          ],
        },
        {
          title: "Containers",
          panels: [
            { title: "Container CPU", type: "timeseries", queries: [{ expr: perSecond(containerCpu.select(appContainers), "name"), legend: "{{name}}" }], unit: "short" },
            {
              title: "Container memory of its limit",
              type: "timeseries",
              queries: [{ expr: `max by (name) (${containerMemory.select(appContainers)}) / max by (name) (${containerMemoryLimit.select(appContainers)} > 0)`, legend: "{{name}}" }],
              unit: "percentunit",
              max: 1,
              thresholds: seedThresholds,
            },
            { title: "Container restarts (1h)", type: "stat", queries: [{ expr: `sum(changes(${containerStart.select(appContainers)}[1h]))`, legend: "restarts" }], unit: "short", decimals: 0, thresholds: [{ value: 1, color: "orange" }] },
            { title: "Seconds since each container was seen", type: "table", queries: [{ expr: `time() - max by (name) (${containerLastSeen.select(appContainers)})`, legend: "{{name}}" }], unit: "s" },
          ],
        },
        {
          title: "Database and queues",
          panels: [
            { title: "Database up", type: "stat", queries: [{ expr: `min(${pgUp.select()})`, legend: "up" }], unit: "short", thresholds: [{ value: 0, color: "red" }, { value: 1, color: "green" }], links: [runbook("DatabaseConnectionFailures")] },
            {
              title: "Database connection pool",
              type: "timeseries",
              queries: [
                { expr: `sum by (state) (${pgConnections.select()})`, legend: "{{state}}" },
                { expr: `max(${pgMaxConnections.select()})`, legend: "max_connections" },
              ],
              unit: "short",
              links: [runbook("DatabaseConnectionsNearLimit")],
            },
            {
              title: "Mean statement time (pg_stat_statements)",
              type: "timeseries",
              queries: [{ expr: `sum by (datname) (rate(${pgStatementSeconds.select()}[$__rate_interval])) / sum by (datname) (rate(${pgStatementCalls.select()}[$__rate_interval]))`, legend: "{{datname}}" }],
              unit: "s",
              thresholds: [{ value: 0.1, color: "orange" }, { value: 0.5, color: "red" }],
            },
            { title: "Queue sizes", type: "timeseries", queries: [{ expr: `sum by (queue) (${queueSize.select(inst)})`, legend: "{{queue}}" }], unit: "short", links: [runbook("QueueBacklog")] },
            { title: "Queue processing rate", type: "timeseries", queries: [{ expr: perSecond(batchJobs.select(inst), "queue, status"), legend: "{{queue}} {{status}}" }], unit: "ops" },
          ],
        },
        {
          title: "Application process",
          panels: [
            { title: "Resident memory", type: "timeseries", queries: [{ expr: `${residentMemory.select(inst)}`, legend: "{{instance}}" }], unit: "bytes" },
            { title: "File descriptors in use", type: "timeseries", queries: [{ expr: `${openFds.select(inst)} / ${maxFds.select(inst)}`, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: seedThresholds },
            { title: "Garbage collections", type: "timeseries", queries: [{ expr: perSecond(gcCollections.select(inst), "generation"), legend: "generation {{generation}}" }], unit: "ops" },
            { title: "Prometheus storage of its 10GB limit", type: "gauge", queries: [{ expr: `max(${tsdbBlocksBytes.select()}) / ${STORAGE_LIMIT_BYTES}`, legend: "TSDB blocks" }], unit: "percentunit", min: 0, max: 1, thresholds: seedThresholds, links: [runbook("PrometheusStorageNearLimit")] },
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
          title: "Users and templates",
          panels: [
            { title: "Active users (24h)", type: "stat", queries: [{ expr: `max(${activeUsers.select({ ...inst, period: "24h" })})`, legend: "users" }], unit: "short", decimals: 0 },
            { title: "Active users over time", type: "timeseries", queries: [{ expr: `max by (period) (${activeUsers.select(inst)})`, legend: "{{period}}" }], unit: "short" },
            { title: "Template usage (range)", type: "bargauge", queries: [{ expr: `sum by (template) (increase(${templateUsage.select(inst)}[$__range]))`, legend: "{{template}}" }], unit: "short", width: 24 },
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
    externalDuration,
    cacheRequests,
    inFlight,
    exceptions,
    templateUsage,
    activeUsers,
    queueSize,
    batchJobs,
    residentMemory,
    openFds,
    maxFds,
    gcCollections,
    processStart,
    configReload,
    buildInfo,
    memAvailable,
    memTotal,
    fsAvail,
    fsSize,
    cpuSeconds,
    load1,
    load5,
    load15,
    diskRead,
    diskWritten,
    diskIoTime,
    netReceived,
    netSent,
    netReceiveErrors,
    netSendErrors,
    tcpEstablished,
    containerCpu,
    containerMemory,
    containerMemoryLimit,
    containerStart,
    containerLastSeen,
    pgUp,
    pgConnections,
    pgMaxConnections,
    pgStatementSeconds,
    pgStatementCalls,
    tsdbBlocksBytes,
  ],
  exporters: [cadvisor, postgres, prometheusSelf],

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

  // Seed, info alerts: "New deployments", "Configuration changes", "Scheduled maintenance events".
  events: [
    { kind: "deployment", signal: buildInfo.select(), versionLabel: "version" },
    { kind: "configChange", signal: configReload.select() },
    // Announced on the last working day (info e-mails go out in office hours only); muted alerts during it.
    { kind: "maintenance", interval: "sunday-deploys", notice: "2d" },
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
    {
      name: "DatabaseConnectionsNearLimit",
      expr: `sum(${pgConnections.select()}) / max(${pgMaxConnections.select()})`,
      threshold: 0.8,
      severity: "warning",
      for: "10m",
      summary: "Database connections above 80% of max_connections",
      description: "{{ $value | humanizePercentage }} of the database's connections are in use.",
    },
    {
      // Past the limit Prometheus deletes the oldest blocks: history goes before 30 days.
      name: "PrometheusStorageNearLimit",
      expr: `max(${tsdbBlocksBytes.select()})`,
      threshold: 0.8 * STORAGE_LIMIT_BYTES,
      severity: "warning",
      for: "30m",
      summary: "Prometheus storage above 80% of its 10GB limit",
      description: "The TSDB's blocks take {{ $value | humanize1024 }}B of the 10GB retention size: older data will be deleted before 30 days.",
    },
    {
      name: "QueueBacklog",
      expr: `max by (queue) (${queueSize.select()})`,
      threshold: 1000,
      severity: "warning",
      for: "15m",
      summary: "Batch queue {{ $labels.queue }} is backing up",
      description: "{{ $value | humanize }} jobs wait in {{ $labels.queue }}.",
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
      name: "SlowContentGeneration",
      expr: `histogram_quantile(0.5, sum by (le) (rate(${contentDuration.bucket()}[15m])))`,
      threshold: 10,
      severity: "info",
      for: "30m",
      summary: "Median content generation time is trending above 10s",
      description: "Median generation time is {{ $value | humanizeDuration }}.",
    },
  ],
  // Running at scale: the same monitoring as Prometheus Operator and grafana-operator resources
  // (kubernetes/, in the namespace halcytone) and one ruler namespace per service (ruler/).
  targets: ["files", "kubernetes", "ruler"],
  kubernetes: { namespace: "halcytone" },
});

// Seed: "Kibana dashboards": the five it names, as saved objects (kibana/*.saved-objects.ndjson).
function kibanaDashboards(): KibanaSpec {
  return {
    columns: ["level", "logger", "message", "request_id", "duration_seconds"],
    dashboards: [
      {
        name: "application-overview",
        title: "Halcytone / Application overview",
        description: "Service health and activity",
        refresh: "1m",
        panels: [
          { kind: "total", title: "Events", width: 16 },
          { kind: "total", title: "Errors", categories: ["error"], width: 16 },
          { kind: "total", title: "Lines that did not parse", categories: ["deadletter"], width: 16 },
          { kind: "events", title: "Events by category", breakdown: "event.category", width: 48 },
          { kind: "events", title: "Events by level", breakdown: "level" },
          { kind: "top", title: "Loggers", field: "logger" },
          { kind: "search", category: "application" },
        ],
      },
      {
        name: "error-analysis",
        title: "Halcytone / Error analysis",
        description: "Error patterns and troubleshooting",
        timeRange: "7d",
        panels: [
          { kind: "events", title: "Errors by logger", categories: ["error"], breakdown: "logger", width: 32 },
          { kind: "total", title: "Requests with errors", categories: ["error"], statistic: "unique", field: "request_id", width: 16 },
          { kind: "top", title: "Failing loggers", field: "logger", categories: ["error"] },
          { kind: "top", title: "Errors by environment", field: "environment", categories: ["error"] },
          { kind: "search", category: "error" },
          { kind: "search", category: "deadletter" },
        ],
      },
      {
        name: "performance-monitoring",
        title: "Halcytone / Performance monitoring",
        description: "Response times and throughput",
        panels: [
          { kind: "trend", title: "p95 duration (s)", field: "duration_seconds", statistic: "p95", categories: ["performance"] },
          { kind: "trend", title: "p99 duration (s)", field: "duration_seconds", statistic: "p99", categories: ["performance"] },
          { kind: "events", title: "Throughput", categories: ["request", "performance"] },
          { kind: "trend", title: "Median quality score", field: "quality_score", statistic: "median", categories: ["performance"] },
          { kind: "search", category: "performance" },
        ],
      },
      {
        name: "user-activity",
        title: "Halcytone / User activity",
        description: "Request patterns and usage",
        panels: [
          { kind: "total", title: "Active users", statistic: "unique", field: "user_id", categories: ["request"], width: 24 },
          { kind: "total", title: "Requests", categories: ["request"], width: 24 },
          { kind: "events", title: "Requests by logger", categories: ["request"], breakdown: "logger", width: 48 },
          { kind: "top", title: "Most active users (hashed)", field: "user_id", categories: ["request"] },
          { kind: "top", title: "Requests by environment", field: "environment", categories: ["request"] },
          { kind: "search", category: "request" },
        ],
      },
      {
        name: "security-events",
        title: "Halcytone / Security events",
        description: "Authentication and access logs",
        timeRange: "30d",
        panels: [
          { kind: "events", title: "Security events by level", categories: ["security"], breakdown: "level" },
          { kind: "top", title: "Security loggers", field: "logger", categories: ["security"] },
          { kind: "total", title: "Audit events", categories: ["audit"], width: 48, height: 6 },
          { kind: "search", category: "security" },
          { kind: "search", category: "audit" },
        ],
      },
    ],
  };
}

// Seed: "traffic pattern changes" and "baseline establishment: normal behaviour patterns":
// request rate and generation latency against the band their own last week predicts.
function trafficAnomalies() {
  return [
    anomaly({
      name: "request-traffic",
      signal: httpRequests,
      baseline: "1w",
      sensitivity: 3,
      minTraffic: 0.5,
      for: "30m",
      severity: "warning",
      summary: "Request traffic {{ $value | humanize }}/s is unusual for this time of the week",
    }),
    anomaly({
      name: "generation-rate",
      signal: contentGenerations,
      baseline: "1d",
      direction: "below",
      sensitivity: 3,
      minTraffic: 0.05,
      for: "1h",
      severity: "info",
      summary: "Content generations {{ $value | humanize }}/s are below what the same time yesterday predicts",
    }),
  ];
}

// Seed: "Filebeat: log shipping from containers and files": the app container's stdout (Docker's
// json-file logs, only this container's lines) and the log files it writes, to the beats input.
function filebeatShipping() {
  return { logstashHost: "logstash", containers: { name: job }, files: ["/app/logs/*.log"] };
}

// Seed: "Targets: external services" (the CRM and Platform services the generator calls):
// their health endpoints, probed from outside the app, so an outage shows before our calls fail.
function externalServiceChecks() {
  return [
    { name: "crm-health", severity: "warning" as const, request: { url: "https://crm.halcytone.example/health", timeout: "10s" }, assertions: [assertStatus().equals(200)], retries: 1 },
    { name: "platform-health", severity: "warning" as const, request: { url: "https://platform.halcytone.example/health", timeout: "10s" }, assertions: [assertStatus().equals(200)], retries: 1 },
  ];
}
