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
 * README.md beside this file maps every item of the seed to the lines below.
 */
import { assertHeader, assertJson, assertResponseTime, assertStatus, counter, defineMonitoring, env, file, fromJson, gauge, anomaly, histogram, matches, nodeExporter, notMatches, step, team, logMetric, type AlertSpec, type KibanaSpec } from "vigil-monitoring";

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
// Process metrics (the seed: memory, threads, file descriptors; garbage collection patterns).
const processThreads = gauge("process_threads", { help: "Threads of the process (psutil num_threads)" });
const openFds = gauge("process_open_fds", { help: "Open file descriptors" });
const maxFds = gauge("process_max_fds", { help: "File descriptor limit" });
const gcCollections = counter("python_gc_collections_total", { help: "Garbage collections, by generation", labels: ["generation"] });
const gcCollected = counter("python_gc_objects_collected_total", { help: "Objects collected by the garbage collector, by generation", labels: ["generation"] });
// The engine's connection pool (record_database_query sees every query) and its cache.
const poolConnections = gauge("database_pool_connections", { help: "Connections of the pool, by state (in_use, idle)", labels: ["state"] });
const poolMax = gauge("database_pool_max_connections", { help: "Size limit of the connection pool" });
const cacheOperations = counter("cache_operations_total", { help: "Cache lookups, by cache and result (hit, miss)", labels: ["cache", "result"] });
// Business metrics: set_business_metric(name, value) and record_feature_usage(feature, user_count).
const businessMetric = gauge("business_metric", { help: "Business KPIs set by the engine, by name (daily_active_users, stories_generated_today)", labels: ["metric"] });
const featureUsage = counter("feature_usage_total", { help: "Uses of a feature, by feature", labels: ["feature"] });
const featureUsers = gauge("feature_users", { help: "Users of a feature in the current period", labels: ["feature"] });
const storyQuality = histogram("story_quality_score", { help: "Quality score of generated stories (0–1)", labels: ["story_type"], buckets: [0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1] });
const agentCoordination = histogram("agent_coordination_duration_seconds", {
  help: "Time to coordinate agents, by coordination type (record_agent_coordination)",
  unit: "seconds",
  labels: ["coordination_type"],
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5],
});
// Security events (log_security_event): the engine counts each event type as it logs it.
const securityEvents = counter("security_events_total", {
  help: "Security events, by type: authentication_failure, rate_limit_exceeded, suspicious_request, sql_injection_attempt, xss_attempt, privilege_escalation_attempt",
  labels: ["event_type"],
});
// Host metrics from node_exporter beside each API instance (port 9100 of its host, scrape job `node`).
const node = nodeExporter();
const cpuSeconds = node.counter("node_cpu_seconds_total", { unit: "seconds", labels: ["cpu", "mode"] });
const load1 = node.gauge("node_load1", { help: "1-minute load average" });
const load5 = node.gauge("node_load5", { help: "5-minute load average" });
const load15 = node.gauge("node_load15", { help: "15-minute load average" });
const memAvailable = node.gauge("node_memory_MemAvailable_bytes", { unit: "bytes" });
const memTotal = node.gauge("node_memory_MemTotal_bytes", { unit: "bytes" });
const fsAvail = node.gauge("node_filesystem_avail_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const fsSize = node.gauge("node_filesystem_size_bytes", { unit: "bytes", labels: ["device", "fstype", "mountpoint"] });
const diskRead = node.counter("node_disk_read_bytes_total", { unit: "bytes", labels: ["device"] });
const diskWritten = node.counter("node_disk_written_bytes_total", { unit: "bytes", labels: ["device"] });
const netReceived = node.counter("node_network_receive_bytes_total", { unit: "bytes", labels: ["device"] });
const netSent = node.counter("node_network_transmit_bytes_total", { unit: "bytes", labels: ["device"] });
const netReceiveErrors = node.counter("node_network_receive_errs_total", { labels: ["device"] });
const netSendErrors = node.counter("node_network_transmit_errs_total", { labels: ["device"] });
const realFs = { fstype: notMatches("tmpfs|overlay|squashfs") };
const physical = { device: notMatches("lo|veth.*|docker.*|br-.*") };

const p95 = (h: { bucket(): { toString(): string } }, window: string) =>
  `histogram_quantile(0.95, sum by (le) (rate(${h.bucket()}[${window}])))`;

// --- Dashboards (seed: executive, operational, performance, security) -----------------
const inst = { instance: matches("$instance") };
const instanceVariable = { name: "instance", label: "Instance", query: `label_values(up{job="${job}"}, instance)`, multi: true, includeAll: true };
// node_exporter's instances are the same hosts on another port: a variable of their own.
const host = { instance: matches("$host") };
const hostVariable = { name: "host", label: "Host", query: `label_values(up{job="${node.scrapeJob}"}, instance)`, multi: true, includeAll: true };
const routeVariable = { name: "route", label: "Route", query: `label_values(${requests}{job="${job}"}, route)`, multi: true, includeAll: true };
const runbook = (alert: string) => ({ title: `Runbook: ${alert}`, url: `https://runbooks.novel-engine.example/ops#${alert}` });
const perSecond = (selector: { toString(): string }, by?: string) => `sum${by ? ` by (${by})` : ""} (rate(${selector}[$__rate_interval]))`;
const errorShare = `${perSecond(requests.select({ ...inst, status: matches("5..") }))} / ${perSecond(requests.select(inst))}`;
const cpuShare = `1 - avg by (instance) (rate(${cpuSeconds.select({ ...host, mode: "idle" })}[$__rate_interval]))`;
const memoryShare = `${processMemory.select(inst)} / ${memoryLimit.select(inst)}`;
// Seed targets and alert thresholds: CPU < 70% (alert > 85%), memory < 80% (alert > 90%).
const cpuSteps = [
  { value: 0.7, color: "orange" },
  { value: 0.85, color: "red" },
];
const memorySteps = [
  { value: 0.8, color: "orange" },
  { value: 0.9, color: "red" },
];
const latencySteps = [
  { value: 0.1, color: "orange" },
  { value: 0.15, color: "red" },
];

// Seed: the story creation journey — log in, take the token from the response, create a story
// with it. `login.extracted.token` is typed: a misspelt name does not compile.
const api = "https://api.novel-engine.com";
const login = step({
  name: "login",
  request: { method: "POST", url: `${api}/auth/login`, body: { json: { username: "synthetic@novel-engine.com", password: env("SYNTHETIC_USER_PASSWORD") } } },
  assertions: [assertStatus().equals(200), assertJson("$.token").exists()],
  extract: { token: fromJson("$.token") },
});
const createStory = step({
  name: "create-story",
  request: {
    method: "POST",
    url: `${api}/api/stories`,
    headers: { Authorization: ["Bearer ", login.extracted.token] },
    body: { json: { title: "Synthetic check", genre: "test", synthetic: true } },
  },
  assertions: [assertStatus().equals(201), assertJson("$.id").exists()],
  slowerThan: "5s",
});

export default defineMonitoring({
  // Seed, docker-compose: Prometheus runs with --web.external-url=http://localhost:9091 (prometheus/prometheus.args).
  prometheus: { scrapeInterval: "15s", externalUrl: "http://localhost:9091" },
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
      // The seed's warning rule (high_response_time) notifies Slack and e-mail; not on weekend nights.
      escalation: { warning: { receivers: ["slack", "email"], muteDuring: ["weekend-nights"] } },
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
  // Seed: structured JSON logs via Filebeat → Logstash → Elasticsearch, six categories,
  // correlation ids, PII filtering, daily indices with lifecycle policies.
  logs: {
    source: { kind: "beats", port: 5044, filebeat: { logstashHost: "logstash", files: ["/app/logs/*.log"] } },
    fields: [
      { name: "timestamp", type: "timestamp" },
      { name: "level", type: "keyword" },
      { name: "service", type: "keyword" },
      { name: "logger", type: "keyword" },
      { name: "message", type: "string", freeText: true },
      { name: "request_id", type: "keyword" },
      { name: "user_id", type: "keyword", pii: "hash" },
      { name: "email", type: "keyword", pii: "remove" },
      // log_security_event(event_type, message, user_id=..., ip_address=...)
      { name: "ip_address", type: "keyword", pii: "mask" },
      { name: "event_type", type: "keyword" },
      // log_performance_event(operation, duration_ms, success)
      { name: "operation", type: "keyword" },
      { name: "duration_ms", type: "number" },
      { name: "success", type: "boolean" },
      { name: "duration_seconds", type: "number" },
      { name: "story_id", type: "keyword" },
      // log_business_event(event, message, business_context={...})
      { name: "business_context.story_id", type: "keyword" },
      { name: "environment", type: "keyword" },
    ],
    categories: [
      { name: "security", when: { loggerPrefix: ["novel_engine.security", "novel_engine.auth"] }, retentionDays: 365 },
      { name: "audit", when: { loggerPrefix: ["novel_engine.audit"] }, retentionDays: 365 },
      { name: "error", when: { level: ["ERROR", "CRITICAL"] } },
      { name: "performance", when: { fieldPresent: ["duration_seconds", "duration_ms"] } },
      { name: "business", when: { fieldPresent: ["business_context.story_id"] } },
      { name: "request", when: { loggerPrefix: ["novel_engine.api"] } },
    ],
    // Lines the JSON formatter did not write (worker start-up, tracebacks' first line): "<time> <LEVEL> [<logger>] <message>".
    nonJson: { dissect: "%{timestamp} %{level} [%{logger}] %{message}" },
    correlation: { field: "request_id", to: "trace.id" },
    retentionDays: 30, kibana: securityViews(), metrics: [errorsByNetwork()],
    dropLevels: ["DEBUG"],
    // Story generation logs every token batch at INFO: keep a tenth of them in production.
    sampling: [{ when: { loggerPrefix: ["novel_engine.generation.tokens"], level: ["INFO"], fieldEquals: { environment: "production" } }, keepPercent: 10 }],
  },
  // Seed: synthetic monitoring — the API health check every minute, the API endpoints every 5 minutes.
  checks: [
    {
      name: "api-health",
      description: "The public health endpoint answers",
      request: { url: `${api}/health`, timeout: "5s" },
      assertions: [assertStatus().equals(200), assertJson("$.status").equals("healthy"), assertResponseTime().lessThan(2000)],
      retries: 1,
      slo: { objective: 99.5 },
    },
    ...["stories", "characters"].map((endpoint) => ({
      name: `api-${endpoint}`,
      severity: "warning" as const,
      interval: "5m",
      request: { url: `${api}/api/${endpoint}`, headers: { Authorization: ["Bearer ", env("SYNTHETIC_API_TOKEN")] } },
      assertions: [assertStatus().equals(200), assertHeader("content-type").contains("application/json")],
    })), ...dependencyChecks(),
  ],
  journeys: [
    {
      name: "story-creation",
      description: "Complete story creation workflow",
      interval: "5m",
      steps: [login, createStory],
      slo: { objective: 99 },
    },
  ],
  probes: { address: "novel-engine-probes:9464" },
  grafana: { url: "https://grafana.novel-engine.example", prometheusUrl: "http://prometheus:9090", elasticsearchUrl: "http://elasticsearch:9200", jaegerUrl: "http://jaeger:16686" }, anomalies: trafficAnomalies(),
  alertmanager: {
    catchAll: { team: "platform-sre", receiver: "slack" },
    smtp: { smarthost: "smtp.company.com:587", from: "alertmanager@company.com", username: "alertmanager", password: env("SMTP_PASSWORD") },
    timeIntervals: [{ name: "weekend-nights", ranges: [{ weekdays: ["saturday", "sunday"], times: [{ start: "00:00", end: "08:00" }] }] }],
  },
  dashboards: [
    {
      name: "executive",
      title: "Novel Engine / Executive",
      description: "System health, users, traffic, errors and story generation for a quick read.",
      rows: [
        {
          title: "Health",
          panels: [
            {
              title: "Availability (range)",
              type: "stat",
              queries: [{ expr: `avg_over_time(up{job="${job}"}[$__range])`, legend: "availability" }],
              unit: "percentunit",
              decimals: 2,
              thresholds: [{ value: 0, color: "red" }, { value: 0.995, color: "orange" }, { value: 0.999, color: "green" }],
              links: [runbook("LowAvailability")],
            },
            { title: "Active users", type: "stat", queries: [{ expr: `sum(${activeUsers})`, legend: "users" }], unit: "short", decimals: 0, links: [runbook("NoActiveUsers")] },
            { title: "Requests per second", type: "stat", queries: [{ expr: perSecond(requests.select()), legend: "requests/s" }], unit: "reqps", decimals: 1 },
            {
              title: "Error ratio (5xx)",
              type: "stat",
              queries: [{ expr: `${perSecond(requests.select({ status: matches("5..") }))} / ${perSecond(requests.select())}`, legend: "5xx" }],
              unit: "percentunit",
              decimals: 2,
              thresholds: [{ value: 0.001, color: "orange" }, { value: 0.005, color: "red" }],
              links: [runbook("HighServerErrorRate")],
            },
          ],
        },
        {
          title: "Stories",
          panels: [
            { title: "Stories generated (range)", type: "stat", queries: [{ expr: `sum(increase(${stories.select({ status: "success" })}[$__range]))`, legend: "stories" }], unit: "short", decimals: 0, width: 8 },
            {
              title: "Story generation success rate",
              type: "gauge",
              queries: [{ expr: `sum(rate(${stories.select({ status: "success" })}[$__range])) / sum(rate(${stories.select()}[$__range]))`, legend: "success" }],
              unit: "percentunit",
              min: 0,
              max: 1,
              width: 8,
              thresholds: [{ value: 0, color: "red" }, { value: 0.95, color: "orange" }, { value: 0.99, color: "green" }],
            },
            { title: "Stories by type (range)", type: "bargauge", queries: [{ expr: `sum by (story_type) (increase(${stories.select({ status: "success" })}[$__range]))`, legend: "{{story_type}}" }], unit: "short", width: 8 },
            { title: "Active users and traffic", type: "timeseries", queries: [{ expr: `sum(${activeUsers})`, legend: "active users" }, { expr: perSecond(requests.select()), legend: "requests/s" }], width: 24 },
          ],
        },
        {
          title: "Business",
          panels: [
            { title: "Daily active users", type: "stat", queries: [{ expr: `max(${businessMetric.select({ metric: "daily_active_users" })})`, legend: "users" }], unit: "short", decimals: 0 },
            { title: "Stories generated today", type: "stat", queries: [{ expr: `max(${businessMetric.select({ metric: "stories_generated_today" })})`, legend: "stories" }], unit: "short", decimals: 0 },
            { title: "Feature usage (range)", type: "bargauge", queries: [{ expr: `sum by (feature) (increase(${featureUsage.select()}[$__range]))`, legend: "{{feature}}" }], unit: "short", width: 12 },
            { title: "Users by feature", type: "timeseries", queries: [{ expr: `max by (feature) (${featureUsers.select()})`, legend: "{{feature}}" }], unit: "short" },
            { title: "Median story quality by type", type: "timeseries", queries: [{ expr: `histogram_quantile(0.5, sum by (le, story_type) (rate(${storyQuality.bucket()}[$__rate_interval])))`, legend: "{{story_type}}" }], min: 0, max: 1, decimals: 2 },
            { title: "Story quality distribution", type: "heatmap", queries: [{ expr: `sum by (le) (increase(${storyQuality.bucket()}[$__rate_interval]))`, legend: "{{le}}" }], width: 24 },
          ],
        },
      ],
    },
    {
      name: "operational",
      title: "Novel Engine / Operational",
      description: "CPU and memory of the engine's instances, database activity and the alerts firing now.",
      variables: [instanceVariable, hostVariable],
      rows: [
        {
          title: "Resources",
          panels: [
            { title: "CPU", type: "gauge", queries: [{ expr: `avg(${cpuShare})`, legend: "cpu" }], unit: "percentunit", min: 0, max: 1, thresholds: cpuSteps, links: [runbook("HighCpuUsage")] },
            { title: "Memory", type: "gauge", queries: [{ expr: `max(${memoryShare})`, legend: "memory" }], unit: "percentunit", min: 0, max: 1, thresholds: memorySteps, links: [runbook("HighMemoryUsage")] },
            { title: "Resident memory", type: "timeseries", queries: [{ expr: `${processMemory.select(inst)}`, legend: "{{instance}}" }, { expr: `max(${memoryLimit.select(inst)})`, legend: "limit" }], unit: "bytes" },
            { title: "CPU usage by instance", type: "timeseries", queries: [{ expr: cpuShare, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: cpuSteps },
            { title: "Memory usage by instance", type: "timeseries", queries: [{ expr: memoryShare, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: memorySteps },
            { title: "Load average", type: "timeseries", queries: [{ expr: `${load1.select(host)}`, legend: "1m {{instance}}" }, { expr: `${load5.select(host)}`, legend: "5m {{instance}}" }, { expr: `${load15.select(host)}`, legend: "15m {{instance}}" }], unit: "short" },
            { title: "Host memory available", type: "timeseries", queries: [{ expr: `${memAvailable.select(host)} / ${memTotal.select(host)}`, legend: "{{instance}}" }], unit: "percentunit", max: 1 },
          ],
        },
        {
          title: "Disk and network",
          panels: [
            { title: "Disk usage", type: "bargauge", queries: [{ expr: `1 - ${fsAvail.select({ ...host, ...realFs })} / ${fsSize.select({ ...host, ...realFs })}`, legend: "{{instance}} {{mountpoint}}" }], unit: "percentunit", min: 0, max: 1, thresholds: [{ value: 0.8, color: "orange" }, { value: 0.9, color: "red" }], links: [runbook("DiskFillingUp")] },
            { title: "Disk I/O", type: "timeseries", queries: [{ expr: perSecond(diskRead.select(host), "instance"), legend: "read {{instance}}" }, { expr: perSecond(diskWritten.select(host), "instance"), legend: "written {{instance}}" }], unit: "Bps" },
            { title: "Network I/O", type: "timeseries", queries: [{ expr: perSecond(netReceived.select({ ...host, ...physical }), "instance"), legend: "in {{instance}}" }, { expr: perSecond(netSent.select({ ...host, ...physical }), "instance"), legend: "out {{instance}}" }], unit: "Bps" },
            { title: "Network errors", type: "timeseries", queries: [{ expr: perSecond(netReceiveErrors.select({ ...host, ...physical }), "instance"), legend: "receive {{instance}}" }, { expr: perSecond(netSendErrors.select({ ...host, ...physical }), "instance"), legend: "transmit {{instance}}" }], unit: "pps" },
          ],
        },
        {
          title: "Process",
          panels: [
            { title: "Threads", type: "timeseries", queries: [{ expr: `${processThreads.select(inst)}`, legend: "{{instance}}" }], unit: "short" },
            { title: "File descriptors in use", type: "timeseries", queries: [{ expr: `${openFds.select(inst)} / ${maxFds.select(inst)}`, legend: "{{instance}}" }], unit: "percentunit", max: 1, thresholds: memorySteps },
            { title: "Garbage collections", type: "timeseries", queries: [{ expr: perSecond(gcCollections.select(inst), "generation"), legend: "generation {{generation}}" }], unit: "ops" },
            { title: "Objects collected", type: "timeseries", queries: [{ expr: perSecond(gcCollected.select(inst), "generation"), legend: "generation {{generation}}" }], unit: "ops" },
          ],
        },
        {
          title: "Database and alerts",
          panels: [
            { title: "Database connections", type: "timeseries", queries: [{ expr: `sum by (state) (${poolConnections.select(inst)})`, legend: "{{state}}" }, { expr: `sum(${poolMax.select(inst)})`, legend: "pool size" }], unit: "short", links: [runbook("ConnectionPoolExhausted")] },
            { title: "Connection pool utilisation", type: "gauge", queries: [{ expr: `sum(${poolConnections.select({ ...inst, state: "in_use" })}) / sum(${poolMax.select(inst)})`, legend: "in use" }], unit: "percentunit", min: 0, max: 1, thresholds: memorySteps },
            { title: "Database queries by operation", type: "timeseries", queries: [{ expr: perSecond(dbQueries.count(inst), "operation"), legend: "{{operation}}" }], unit: "ops" },
            { title: "Firing alerts", type: "table", queries: [{ expr: `sum by (alertname, severity) (ALERTS{service="${job}", alertstate="firing"})`, legend: "{{alertname}}" }] },
          ],
        },
      ],
    },
    {
      name: "performance",
      title: "Novel Engine / Performance",
      description: "Response time percentiles, throughput, database and story generation performance.",
      variables: [instanceVariable, routeVariable],
      rows: [
        {
          title: "API",
          panels: [
            {
              title: "Response time p50 / p95 / p99",
              type: "timeseries",
              queries: [0.5, 0.95, 0.99].map((q) => ({
                expr: `histogram_quantile(${q}, sum by (le) (rate(${latency.bucket({ ...inst, route: matches("$route") })}[$__rate_interval])))`,
                legend: `p${q * 100}`,
              })),
              unit: "s",
              thresholds: latencySteps,
              legend: "table",
              links: [runbook("HighResponseTime")],
            },
            {
              title: "p95 by route",
              type: "timeseries",
              queries: [{ expr: `histogram_quantile(0.95, sum by (le, route) (rate(${latency.bucket({ ...inst, route: matches("$route") })}[$__rate_interval])))`, legend: "{{route}}" }],
              unit: "s",
              thresholds: latencySteps,
            },
            { title: "Throughput by route", type: "timeseries", queries: [{ expr: perSecond(requests.select({ ...inst, route: matches("$route") }), "route"), legend: "{{route}}" }], unit: "reqps" },
            { title: "Latency distribution", type: "heatmap", queries: [{ expr: `sum by (le) (increase(${latency.bucket({ ...inst, route: matches("$route") })}[$__rate_interval]))`, legend: "{{le}}" }], unit: "s" },
          ],
        },
        {
          title: "Database and stories",
          panels: [
            {
              title: "Database query time p95 by table",
              type: "timeseries",
              queries: [{ expr: `histogram_quantile(0.95, sum by (le, table) (rate(${dbQueries.bucket(inst)}[$__rate_interval])))`, legend: "{{table}}" }],
              unit: "s",
              // Seed: target < 50ms, alert > 100ms.
              thresholds: [{ value: 0.05, color: "orange" }, { value: 0.1, color: "red" }],
              links: [runbook("SlowDatabaseQueries")],
            },
            { title: "Story generation time p95 by type", type: "timeseries", queries: [{ expr: `histogram_quantile(0.95, sum by (le, story_type) (rate(${storyDuration.bucket(inst)}[$__rate_interval])))`, legend: "{{story_type}}" }], unit: "s" },
            {
              title: "Cache hit rate",
              type: "timeseries",
              queries: [{ expr: `${perSecond(cacheOperations.select({ ...inst, result: "hit" }), "cache")} / ${perSecond(cacheOperations.select(inst), "cache")}`, legend: "{{cache}}" }],
              unit: "percentunit",
              min: 0,
              max: 1,
              thresholds: [{ value: 0, color: "red" }, { value: 0.5, color: "orange" }, { value: 0.8, color: "green" }],
            },
            { title: "Agent coordination time p95", type: "timeseries", queries: [{ expr: `histogram_quantile(0.95, sum by (le, coordination_type) (rate(${agentCoordination.bucket(inst)}[$__rate_interval])))`, legend: "{{coordination_type}}" }], unit: "s" },
            { title: "Error ratio (5xx)", type: "timeseries", queries: [{ expr: errorShare, legend: "5xx ratio" }], unit: "percentunit", thresholds: [{ value: 0.001, color: "orange" }, { value: 0.005, color: "red" }], links: [runbook("HighServerErrorRate")] },
          ],
        },
      ],
    },
    {
      name: "security",
      title: "Novel Engine / Security",
      description: "Failed authentications, suspicious requests and security alerts.",
      variables: [instanceVariable],
      rows: [
        {
          title: "Authentication",
          panels: [
            {
              title: "Failed logins (10m)",
              type: "stat",
              queries: [{ expr: `sum(increase(${authFailures.select({ ...inst, reason: "invalid_credentials" })}[10m]))`, legend: "failed logins" }],
              unit: "short",
              decimals: 0,
              thresholds: [{ value: 25, color: "orange" }, { value: 50, color: "red" }],
              links: [runbook("MultipleFailedLogins")],
            },
            { title: "Failed authentications by reason", type: "timeseries", queries: [{ expr: perSecond(authFailures.select(inst), "reason"), legend: "{{reason}}" }], unit: "ops", width: 18 },
          ],
        },
        {
          title: "Security events",
          panels: [
            { title: "Security events by type", type: "timeseries", queries: [{ expr: perSecond(securityEvents.select(inst), "event_type"), legend: "{{event_type}}" }], unit: "ops" },
            { title: "Rate-limit violations", type: "timeseries", queries: [{ expr: perSecond(securityEvents.select({ ...inst, event_type: "rate_limit_exceeded" })), legend: "rate limited" }, { expr: perSecond(requests.select({ ...inst, status: "429" })), legend: "429 responses" }], unit: "ops" },
            {
              title: "Injection and XSS attempts (range)",
              type: "stat",
              queries: [{ expr: `sum(increase(${securityEvents.select({ ...inst, event_type: matches("sql_injection_attempt|xss_attempt") })}[$__range]))`, legend: "attempts" }],
              unit: "short",
              decimals: 0,
              thresholds: [{ value: 1, color: "orange" }],
              links: [runbook("InjectionAttempts")],
            },
            { title: "Privilege escalation attempts (range)", type: "stat", queries: [{ expr: `sum(increase(${securityEvents.select({ ...inst, event_type: "privilege_escalation_attempt" })}[$__range]))`, legend: "attempts" }], unit: "short", decimals: 0, thresholds: [{ value: 1, color: "red" }], links: [runbook("PrivilegeEscalationAttempt")] },
            { title: "Suspicious requests", type: "timeseries", queries: [{ expr: perSecond(securityEvents.select({ ...inst, event_type: "suspicious_request" })), legend: "suspicious" }], unit: "ops" },
          ],
        },
        {
          title: "Requests",
          panels: [
            { title: "Rejected requests (401, 403, 429) by route", type: "timeseries", queries: [{ expr: perSecond(requests.select({ ...inst, status: matches("401|403|429") }), "route, status"), legend: "{{status}} {{route}}" }], unit: "reqps" },
            { title: "Most rejected routes", type: "table", queries: [{ expr: `topk(10, sum by (route, status) (increase(${requests.select({ ...inst, status: matches("4..") })}[$__range])))`, legend: "{{route}}" }] },
            { title: "Security alerts firing", type: "table", queries: [{ expr: `sum by (alertname, severity) (ALERTS{service="${job}", alertname=~"MultipleFailedLogins|InjectionAttempts|PrivilegeEscalationAttempt", alertstate="firing"})`, legend: "{{alertname}}" }] },
            {
              title: "Request patterns by IP",
              type: "text",
              text: "The engine's metrics carry no client IP (it would explode the series count). Per-IP request patterns are in the structured access logs; see the [security runbook](https://runbooks.novel-engine.example/ops#MultipleFailedLogins).",
            },
          ],
        },
      ],
    },
  ],
  signals: [
    requests,
    latency,
    dbQueries,
    stories,
    storyDuration,
    authFailures,
    activeUsers,
    processMemory,
    memoryLimit,
    processThreads,
    openFds,
    maxFds,
    gcCollections,
    gcCollected,
    poolConnections,
    poolMax,
    cacheOperations,
    businessMetric,
    featureUsage,
    featureUsers,
    storyQuality,
    agentCoordination,
    securityEvents,
    cpuSeconds,
    load1,
    load5,
    load15,
    memAvailable,
    memTotal,
    fsAvail,
    fsSize,
    diskRead,
    diskWritten,
    netReceived,
    netSent,
    netReceiveErrors,
    netSendErrors,
  ],

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
      // The seed's AlertRule high_response_time: http_request_duration_seconds > 0.5, warning, Slack and e-mail.
      name: "SlowResponses",
      expr: `sum(rate(${latency.sum()}[5m])) / sum(rate(${latency.count()}[5m]))`,
      threshold: 0.5,
      severity: "warning",
      for: "5m",
      summary: "HTTP response time is high",
      description: "Requests take {{ $value | humanizeDuration }} on average (alert above 0.5s).",
    },
    {
      name: "PrivilegeEscalationAttempt",
      expr: `sum(increase(${securityEvents.select({ event_type: "privilege_escalation_attempt" })}[10m]))`,
      threshold: 0,
      severity: "critical",
      for: "0s",
      lintDisable: { "alerts/for": "security signal: one attempt is worth a page at once" },
      summary: "Privilege escalation attempted",
      description: "{{ $value | humanize }} privilege escalation attempts in 10 minutes.",
    },
    {
      name: "InjectionAttempts",
      expr: `sum by (event_type) (increase(${securityEvents.select({ event_type: matches("sql_injection_attempt|xss_attempt") })}[10m]))`,
      threshold: 10,
      severity: "warning",
      for: "0s",
      lintDisable: { "alerts/for": "security signal: a burst of attempts should be seen at once" },
      summary: "Many {{ $labels.event_type }} events",
      description: "{{ $value | humanize }} {{ $labels.event_type }} events in 10 minutes: the engine is being probed.",
    },
    {
      name: "ConnectionPoolExhausted",
      expr: `sum(${poolConnections.select({ state: "in_use" })}) / sum(${poolMax.select()})`,
      threshold: 0.9,
      severity: "warning",
      for: "10m",
      summary: "Database connection pool above 90% in use",
      description: "{{ $value | humanizePercentage }} of the pool's connections are in use.",
    },
    {
      name: "DiskFillingUp",
      expr: `1 - ${fsAvail.select(realFs)} / ${fsSize.select(realFs)}`,
      threshold: 0.9,
      severity: "warning",
      for: "15m",
      team: "platform-sre",
      summary: "Disk {{ $labels.mountpoint }} on {{ $labels.instance }} is above 90%",
      description: "Disk usage of {{ $labels.mountpoint }} is {{ $value | humanizePercentage }}.",
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
    ...ipAlerts()],
});

// Seed: "request patterns by IP": the client address is in the logs only (masked), so the
// per-IP view is a Kibana dashboard over them (kibana/*.saved-objects.ndjson).
function securityViews(): KibanaSpec {
  return {
    dashboards: [
      {
        name: "security-by-ip",
        title: "Novel Engine / Requests and security events by IP",
        description: "Request patterns and security events per (masked) client address",
        timeRange: "1d",
        panels: [
          { kind: "top", title: "Clients by requests", field: "ip_address", categories: ["request"] },
          { kind: "top", title: "Clients by security events", field: "ip_address", categories: ["security"] },
          { kind: "events", title: "Security events by type", categories: ["security"], breakdown: "event_type", width: 48 },
          { kind: "search", category: "security" },
        ],
      },
    ],
  };
}

// Seed: "threshold-based and anomaly detection alerts", "unusual traffic patterns": the API's
// request rate per route against the band its own last week predicts.
function trafficAnomalies() {
  return [
    anomaly({
      name: "api-traffic",
      signal: requests,
      by: ["route"],
      baseline: "1w",
      sensitivity: 3,
      minTraffic: 0.5,
      for: "30m",
      severity: "warning",
      summary: "Traffic on {{ $labels.route }} ({{ $value | humanize }}/s) is unusual for this time of the week",
    }),
  ];
}

// Seed: "high error rates from specific IPs". The client address is in the logs only
// (ip_address), so mtail counts the error category's lines per client (mtail/novel-engine.mtail,
// scraped as job mtail). ip_address is personal data the pipeline masks: the label keeps the
// /24 network of an IPv4 address, never the address (lines with an IPv6 address do not count).
function errorsByNetwork() {
  return logMetric({
    name: "log_errors_by_network_total",
    help: "Error-category log lines (level ERROR or CRITICAL, not security or audit), by client /24 network",
    kind: "counter",
    match: { category: "error" },
    by: [{ field: "ip_address", label: "client_network", truncate: "/24" }],
  });
}

// Routed like the seed's other security alert at warning (MultipleFailedLogins): the team's
// Slack and e-mail.
function ipAlerts(): AlertSpec[] {
  return [
    {
      name: "HighErrorRateFromIP",
      expr: `sum by (client_network) (rate(${errorsByNetwork().select()}[5m]))`,
      threshold: 1,
      severity: "warning",
      for: "5m",
      summary: "High error rate from {{ $labels.client_network }}",
      description: "{{ $value | humanize }} error lines/s logged for clients in {{ $labels.client_network }} over 5 minutes (alert above 1/s).",
    },
  ];
}

// Seed: "Built-in checks: database connectivity" and the custom health check `external_api`
// (timeout_seconds=10.0, critical=True): a TCP connect to the database every 30s, and the
// external API's health endpoint with a 10s timeout, paging (critical) when it fails.
function dependencyChecks() {
  return [
    { name: "database", description: "The database accepts connections", interval: "30s", tcp: { host: "postgres", port: 5432, timeout: "5s" }, alert: { failingRuns: 2 } },
    {
      name: "external-api",
      description: "The external API the engine depends on is responding",
      severity: "critical" as const,
      request: { url: "https://external-api.novel-engine.example/health", timeout: "10s" },
      assertions: [assertStatus().equals(200), assertJson("$.status").equals("healthy")],
    },
  ];
}
