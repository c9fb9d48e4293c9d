/**
 * Novel Engine — the story engine of the second seed. Its monitoring-targets table:
 *
 *   | Component         | Metric      | Target | Alert threshold |
 *   | API Response Time | P95         | <100ms | >150ms          |
 *   | Error Rate        | 5xx Errors  | <0.1%  | >0.5%           |
 *   | Availability      | Uptime      | 99.9%  | <99.5%          |
 *   | Memory Usage      | Application | <80%   | >90%            |
 *   | CPU Usage         | System      | <70%   | >85%            |
 *   | Database          | Query Time  | <50ms  | >100ms          |
 *
 * Targets become SLOs (with burn-rate alerts); alert thresholds become threshold alerts.
 */
import { counter, defineMonitoring, env, file, gauge, histogram, matches, team } from "vigil-monitoring";

const job = "novel-engine";

const requests = counter("http_requests_total", {
  help: "API requests, by method, route and status",
  labels: ["method", "route", "status"],
});
const latency = histogram("http_request_duration_seconds", {
  help: "API request latency",
  unit: "seconds",
  labels: ["method", "route"],
  buckets: [0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
});
const dbQueries = histogram("database_query_duration_seconds", {
  help: "Database query latency, by operation and table",
  unit: "seconds",
  labels: ["operation", "table"],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
});
const stories = counter("story_generation_total", { help: "Story generations, by story type and outcome", labels: ["story_type", "status"] });
const storyDuration = histogram("story_generation_duration_seconds", {
  unit: "seconds",
  labels: ["story_type"],
  buckets: [0.5, 1, 2.5, 5, 10, 30],
});
const authFailures = counter("auth_failures_total", { help: "Failed authentications, by reason", labels: ["reason"] });
const activeUsers = gauge("active_users", { help: "Users active in the last 5 minutes" });
const processMemory = gauge("process_resident_memory_bytes", { unit: "bytes" });
const memoryLimit = gauge("novel_engine_memory_limit_bytes", { help: "Memory available to the application", unit: "bytes" });
const cpuSeconds = counter("node_cpu_seconds_total", { unit: "seconds", labels: ["cpu", "mode"] });

const p95 = (h: { bucket(): { toString(): string } }, window: string) =>
  `histogram_quantile(0.95, sum by (le) (rate(${h.bucket()}[${window}])))`;

export default defineMonitoring({
  prometheus: { scrapeInterval: "15s" },
  service: {
    name: job,
    team: "story-engine",
    environment: "production",
    runbookBaseUrl: "https://runbooks.novel-engine.example/ops",
    scrape: { targets: ["novel-engine-api:8000"] },
  },
  // Seed: e-mail via smtp.company.com to ops@ and alerts@, Slack, PagerDuty.
  teams: [
    team({
      name: "story-engine",
      receivers: [
        { name: "pagerduty", kind: "pagerduty", routingKey: env("PAGERDUTY_INTEGRATION_KEY") },
        { name: "slack", kind: "slack", channel: "#story-engine", webhook: env("SLACK_WEBHOOK_URL") },
        { name: "email", kind: "email", to: ["ops@company.com", "alerts@company.com"] },
      ],
      // Quiet hours: warnings open tickets in Slack, but not on weekend nights.
      escalation: { warning: { receivers: ["slack"], muteDuring: ["weekend-nights"] } },
    }),
    team({
      name: "platform-sre",
      description: "Owns hosts and databases",
      receivers: [
        { name: "pagerduty", kind: "pagerduty", routingKey: file("/run/secrets/pagerduty-platform-sre") },
        { name: "slack", kind: "slack", channel: "#platform-sre", webhook: file("/run/secrets/slack-platform-sre") },
        { name: "email", kind: "email", to: ["ops@company.com"] },
      ],
      // Security alerts (failed logins) page and also reach the security mailbox.
      escalation: { critical: { receivers: ["pagerduty", "slack", "email"] } },
    }),
  ],
  grafana: { url: "https://grafana.novel-engine.example", prometheusUrl: "http://prometheus:9090" },
  alertmanager: {
    catchAll: { team: "platform-sre", receiver: "slack" },
    smtp: { smarthost: "smtp.company.com:587", from: "alertmanager@company.com", username: "alertmanager", password: env("SMTP_PASSWORD") },
    timeIntervals: [{ name: "weekend-nights", ranges: [{ weekdays: ["saturday", "sunday"], times: [{ start: "00:00", end: "08:00" }] }] }],
  },
  signals: [requests, latency, dbQueries, stories, storyDuration, authFailures, activeUsers, processMemory, memoryLimit, cpuSeconds],

  slos: [
    {
      name: "api-latency",
      description: "95% of API requests complete within 100ms (P95 < 100ms)",
      objective: 95,
      sli: { kind: "latency", histogram: latency.select(), threshold: 0.1 },
    },
    {
      name: "api-errors",
      description: "Fewer than 0.1% of API requests fail with a 5xx",
      objective: 99.9,
      sli: { kind: "ratio", bad: requests.select({ status: matches("5..") }), total: requests.select() },
    },
    {
      name: "availability",
      description: "The API is up 99.9% of the time",
      objective: 99.9,
      sli: { kind: "boolean", gauge: `up{job="${job}"}` },
      alerting: { ticket: { for: "30m" } },
    },
    {
      name: "story-generation",
      description: "Story generation succeeds for 99% of requests",
      objective: 99,
      window: "7d",
      // Written as PromQL with the window placeholder, as Sloth users write SLIs.
      sli: {
        kind: "ratio",
        bad: 'sum(rate(story_generation_total{status="failed"}[{{window}}]))',
        total: "sum(rate(story_generation_total[{{window}}]))",
      },
    },
  ],

  alerts: [
    {
      name: "HighResponseTime",
      expr: p95(latency, "5m"),
      threshold: 0.15,
      severity: "warning",
      for: "5m",
      summary: "API P95 latency is above 150ms",
      description: "P95 latency is {{ $value | humanizeDuration }} (target < 100ms).",
    },
    {
      name: "HighServerErrorRate",
      expr: `sum(rate(${requests.select({ status: matches("5..") })}[5m])) / sum(rate(${requests.select()}[5m]))`,
      threshold: 0.005,
      severity: "critical",
      for: "5m",
      summary: "More than 0.5% of API requests fail",
      description: "{{ $value | humanizePercentage }} of requests fail with a 5xx (target < 0.1%).",
    },
    {
      name: "LowAvailability",
      expr: `avg_over_time(up{job="${job}"}[1h])`,
      op: "<",
      threshold: 0.995,
      severity: "critical",
      for: "5m",
      summary: "Availability over the last hour is below 99.5%",
      description: "The API was up {{ $value | humanizePercentage }} of the last hour (target 99.9%).",
    },
    {
      name: "HighMemoryUsage",
      expr: `${processMemory} / ${memoryLimit}`,
      threshold: 0.9,
      severity: "warning",
      for: "10m",
      summary: "Application memory above 90% of its limit",
      description: "Memory usage is {{ $value | humanizePercentage }} of the limit (target < 80%).",
    },
    {
      name: "HighCpuUsage",
      expr: `1 - avg(rate(${cpuSeconds.select({ mode: "idle" })}[5m]))`,
      threshold: 0.85,
      severity: "warning",
      for: "10m",
      team: "platform-sre",
      summary: "System CPU above 85%",
      description: "CPU usage is {{ $value | humanizePercentage }} (target < 70%).",
    },
    {
      name: "SlowDatabaseQueries",
      expr: p95(dbQueries, "5m"),
      threshold: 0.1,
      severity: "warning",
      for: "10m",
      team: "platform-sre",
      summary: "Database P95 query time above 100ms",
      description: "P95 query time is {{ $value | humanizeDuration }} (target < 50ms).",
    },
    {
      name: "MultipleFailedLogins",
      expr: `sum(increase(${authFailures.select({ reason: "invalid_credentials" })}[10m]))`,
      threshold: 50,
      severity: "warning",
      for: "0s",
      // A credential-stuffing burst should be seen at once; the 10m increase already smooths it.
      lintDisable: { "alerts/for": "security signal: alert on the first evaluation over 50 failures in 10m" },
      summary: "Many failed logins",
      description: "{{ $value | humanize }} failed logins in 10 minutes: possible credential stuffing.",
    },
    {
      name: "NoActiveUsers",
      expr: `${activeUsers}`,
      op: "==",
      threshold: 0,
      severity: "info",
      for: "30m",
      summary: "No active users for 30 minutes",
      description: "Nobody has used the engine for 30 minutes.",
    },
  ],
});
