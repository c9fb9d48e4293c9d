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
import { counter, defineMonitoring, env, gauge, histogram, matches, notMatches, team } from "vigil-monitoring";

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

// Host metrics from node_exporter on the same instance.
const memAvailable = gauge("node_memory_MemAvailable_bytes", { unit: "bytes" });
const memTotal = gauge("node_memory_MemTotal_bytes", { unit: "bytes" });
const fsAvail = gauge("node_filesystem_avail_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const fsSize = gauge("node_filesystem_size_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const cpuSeconds = counter("node_cpu_seconds_total", { unit: "seconds", labels: ["cpu", "mode"] });

const realFs = { fstype: notMatches("tmpfs|overlay|squashfs") };
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
  grafana: { url: "https://grafana.halcytone.example", prometheusUrl: "http://prometheus:9090" },
  alertmanager: {
    address: "alertmanager:9093",
    catchAll: { team: "content-platform", receiver: "slack" },
    smtp: { smarthost: "smtp.yourcompany.com:587", from: "alertmanager@yourcompany.com" },
    timeIntervals: [
      { name: "sunday-deploys", ranges: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "UTC" }] },
      { name: "office-hours", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "18:00" }], location: "UTC" }] },
    ],
  },
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
      expr: `1 - ${memAvailable} / ${memTotal}`,
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
