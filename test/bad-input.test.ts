/**
 * Bad input: every case yields its diagnostic code at the exact file:line:col of the
 * offending character, exits 1 through the real CLI, and leaves the output directory as it
 * was. Expected positions are given as a unique needle in the fixture (plus an offset into
 * it), so each case says which character the diagnostic must point at.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { listFiles } from "../src/write/writer.js";
import { main } from "../src/cli/main.js";
import { REPO, runCli, sha256Tree, type CliRun } from "./helpers.js";

interface Case {
  file: string;
  code: string;
  needle: string;
  offset?: number;
  message?: RegExp;
  hint?: RegExp;
  /** Fixtures compiled together with it, before it (services whose settings clash). */
  after?: string[];
  /** The diagnostic's related location: a unique needle (and offset) in the same fixture, or in `file`, one of `after`. */
  related?: { needle: string; offset?: number; message?: RegExp; file?: string };
  /** Text that must appear neither in the message nor in the hint (e.g. a leaked secret). */
  absent?: string[];
  /** The only error the fixture yields (no follow-on errors). */
  alone?: boolean;
}

const CASES: Case[] = [
  { file: "promql-syntax.ts", code: "VIG3001", needle: '/ 2"', offset: 3, message: /unclosed left parenthesis/ },
  { file: "unknown-signal.ts", code: "VIG2001", needle: "http_request_total{", message: /unknown signal "http_request_total"/ },
  { file: "objective-100.ts", code: "VIG2003", needle: "objective: 100", offset: 11, message: /out of range/ },
  { file: "objective-0.ts", code: "VIG2003", needle: "objective: 0", offset: 11, message: /out of range/ },
  { file: "duplicate-slo.ts", code: "VIG2004", needle: '"availability", objective: 99,', message: /duplicate SLO name "availability"/ },
  // One mistake, one error: TypeScript's TS2353 at the same key is dropped for Vigil's VIG2002.
  { file: "type-error.ts", code: "VIG2002", needle: 'status: "500"', message: /has no label "status"/, alone: true },
  { file: "missing-field.ts", code: "VIG1006", needle: "defineMonitoring({", message: /the spec: missing required property "service"/, alone: true },
  { file: "wrong-type.ts", code: "VIG1006", needle: '"99.9"', message: /slos\[0\]\.objective must be a number/, alone: true },
  { file: "schema.yaml", code: "VIG1006", needle: "objectve", message: /unknown property "objectve"/ },
  // Prometheus positions a stray ")" just after it; so do we, to agree with promtool.
  { file: "sli-query-syntax.yaml", code: "VIG3001", needle: '])) )"', offset: 5, message: /unexpected right parenthesis/ },
  { file: "promql-type.ts", code: "VIG3002", needle: 'http_requests_total{code=~\\"5..\\"}))', message: /expected type range vector in call to function "rate", got instant vector/ },
  { file: "promql-version.ts", code: "VIG3003", needle: "sort_by_label(", message: /sort_by_label/ },
  // After `${...}` interpolations the column is still the source column of the token.
  { file: "promql-template.ts", code: "VIG3001", needle: "extra`", message: /unexpected identifier "extra"/ },
  // A `{{window}}` placeholder before the error does not shift it.
  { file: "promql-window.yaml", code: "VIG3001", needle: "bool'", message: /unexpected end of input|bool/ },
  { file: "throws.ts", code: "VIG1003", needle: "new Error(`no threshold", message: /no threshold for staging/ },
  // Routing: teams, receivers, escalation, time intervals.
  { file: "probe-url.ts", code: "VIG2032", needle: '"htps://', message: /the URL must start with http:\/\/ or https:\/\//, alone: true },
  { file: "probe-ref.yaml", code: "VIG2032", needle: "{ ref: { step: login", message: /step "login" extracts no value "access_token"/, hint: /it extracts token/, alone: true },
  { file: "logs-grok-unknown-pattern.ts", code: "VIG2031", needle: '"%{TIMESTAMP_ISO8061', message: /grok pattern, at character 1: unknown grok pattern TIMESTAMP_ISO8061/, alone: true },
  { file: "logs-unsafe-value.ts", code: "VIG2029", needle: '"${DEPLOY_ENV}"', message: /holds \$\{ or %\{, which Logstash would substitute/, alone: true },
  { file: "logs-unknown-field.ts", code: "VIG2030", needle: '"duration_secnds"', message: /unknown log field "duration_secnds"/, hint: /did you mean "duration_seconds"\?/, alone: true },
  { file: "routing-alert-unknown-team.ts", code: "VIG2008", needle: '"paymnets"', message: /unknown team "paymnets"/, hint: /did you mean "payments"\?/, alone: true },
  { file: "routing-email-no-address.ts", code: "VIG2023", needle: "to: []", offset: 4, message: /email receiver "mail" has no addresses/, alone: true },
  { file: "routing-slack-empty-channel.ts", code: "VIG2023", needle: 'channel: "  "', offset: 9, message: /slack receiver "slack" has an empty channel/, alone: true },
  // A secret where its reference belongs: reported at the value, which no message repeats.
  {
    file: "routing-literal-secret.ts",
    code: "VIG2023",
    needle: '"https://hooks.slack.com/',
    message: /not an environment variable name/,
    hint: /never the secret itself/,
    absent: ["hooks.slack", "T000", "B000", "XXXX"],
    alone: true,
  },
  // Short enough that a message quoting values under 40 characters would print it whole.
  {
    file: "routing-literal-secret-short.ts",
    code: "VIG2023",
    needle: '"3f9a1c7e',
    message: /not an environment variable name/,
    absent: ["3f9a1c7e", "5f7a9c2e"],
    alone: true,
  },
  // A credential in a receiver's URL query (use bearerToken): lint rule spec/secret, masked.
  {
    file: "routing-secret-in-url.ts",
    code: "spec/secret",
    needle: "abcdef123456",
    message: /the URL of receiver "hook" of team "payments" contains a credential in a URL query \(token=\*\*\*\*\)/,
    absent: ["abcdef123456"],
    alone: true,
  },
  {
    file: "routing-duplicate-receiver.ts",
    code: "VIG2004",
    needle: '"oncall", kind: "opsgenie"',
    message: /receiver "oncall" is declared twice in team "payments"/,
    related: { needle: '"oncall", kind: "pagerduty"', message: /first declared here/ },
    alone: true,
  },
  { file: "routing-unknown-receiver.ts", code: "VIG2024", needle: '"slakc"', message: /team "payments" has no receiver "slakc"/, hint: /did you mean "slack"\?/, alone: true },
  { file: "routing-unknown-interval.ts", code: "VIG2025", needle: '"sunday-deploy"]', message: /unknown time interval "sunday-deploy"/, hint: /did you mean "sunday-deploys"\?/, alone: true },
  { file: "routing-team-maintenance.ts", code: "VIG2025", needle: '"nigths"', message: /unknown time interval "nigths"/, hint: /did you mean "nights"\?/ },
  { file: "routing-team-maintenance.ts", code: "VIG2025", needle: '"nihgts"', message: /unknown time interval "nihgts"/, hint: /did you mean "nights"\?/ },
  { file: "routing-team-maintenance.ts", code: "VIG2025", needle: '"night"', message: /unknown time interval "night"/, hint: /did you mean "nights"\?/ },
  { file: "routing-team-maintenance.ts", code: "VIG2008", needle: '"paymnts"', message: /unknown team "paymnts"/, hint: /did you mean "payments"\?/ },
  // Declared inhibitions: alerts and labels the service does not have.
  { file: "inhibition-unknown-alert.ts", code: "VIG2033", needle: '"AuthorisationRateLow"', message: /unknown alert "AuthorisationRateLow"/, hint: /did you mean "AuthorizationRateLow"\?/, alone: true },
  {
    file: "inhibition-unknown-label.ts",
    code: "VIG2033",
    needle: '["provider"]',
    offset: 1,
    message: /alert "AuthorizationRateLow" carries no label "provider": the inhibition would never apply/,
    hint: /it carries: service, severity, team/,
    alone: true,
  },
  // Ranges Alertmanager refuses although each end is valid: none wraps.
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"saturday:sunday"', message: /weekday range "saturday:sunday" starts after it ends in Alertmanager's week, which runs from sunday to saturday/, hint: /write \["saturday","sunday"\]/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"friday:monday"', message: /weekday range "friday:monday"/, hint: /write \["friday:saturday","sunday:monday"\]/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"november:february"', message: /month range "november:february" starts after it ends/, hint: /write \["november:december","january:february"\]/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"2027:2026"', message: /year range "2027:2026" starts after it ends/, hint: /write "2026:2027"/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"25:5"', message: /day-of-month range "25:5" starts after it ends/, hint: /write \["25:31","1:5"\]/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"-3:2"', message: /starts at a day counted from the month's end and ends at one counted from its start/, hint: /write \["-3:-1","1:2"\]/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"28:-1"', message: /ends before it starts by Alertmanager's order check, which takes day -1 for day 27/, hint: /"28:31"/ },
  { file: "routing-backward-range.ts", code: "VIG2047", needle: '"-1:-3"', message: /starts after it ends/, hint: /write "-3:-1"/ },
  { file: "routing-invalid-time.ts", code: "VIG2026", needle: '"25:00"', message: /"25:00" is not a time of day/ },
  { file: "routing-invalid-time.ts", code: "VIG2026", needle: '{ start: "22:00", end: "06:00" }', message: /time range 22:00–06:00 is empty/, hint: /split a range across midnight/ },
  { file: "routing-email-no-smtp.ts", code: "VIG2023", needle: '{ name: "mail"', message: /email receiver "mail" needs an SMTP server/, hint: /alertmanager\.smtp/, alone: true },
  // Declared dashboards: a PromQL error after `$__rate_interval` and `$instance` keeps its source column.
  { file: "dashboard-query-syntax.ts", code: "VIG3001", needle: " )`", offset: 2, message: /unexpected right parenthesis/, alone: true },
  // Exporters: a source that names none, a job that is the service's, a target that is a URL, a selector on another job.
  { file: "exporter-unknown-source.yaml", code: "VIG2034", needle: "postgress", message: /unknown signal source "postgress"/, hint: /did you mean "postgres"\?/, alone: true },
  { file: "exporter-job-clash.ts", code: "VIG2034", needle: '"orders", targets', message: /exporter job "orders" is the service's own scrape job/, alone: true },
  { file: "exporter-bad-target.ts", code: "VIG2034", needle: '"http://kafka-2', message: /exporter target "http:\/\/kafka-2:9308\/metrics" is not host:port/, alone: true },
  { file: "event-interval-timezone.ts", code: "VIG2037", needle: '"saturday-patching", notice', message: /time interval "saturday-patching" is in Europe\/Berlin: a maintenance event needs UTC/, alone: true },
  { file: "event-version-label.ts", code: "VIG2002", needle: '"release"', message: /signal "orders_build_info" has no label "release"/, alone: true },
  { file: "tcp-check-url.ts", code: "VIG2045", needle: '"https://crm', message: /"https:\/\/crm.example.com" is not a host name or address/, hint: /host: "crm.example.com"/, alone: true },
  { file: "prometheus-retention-size.ts", code: "VIG2036", needle: '"10G"', message: /invalid retention size "10G"/, hint: /10GB/, alone: true },
  { file: "ha-replica-label.ts", code: "VIG2066", needle: 'replica: "blue"', message: /service label "replica" would be lost/, hint: /replicaLabel/ },
  { file: "probe-location-unknown.ts", code: "VIG2070", needle: '"us-eats"', message: /unknown location "us-eats"/, hint: /did you mean "us-east"\?/, alone: true },
  { file: "probe-location-quorum.ts", code: "VIG2071", needle: "failingLocations: 3", offset: 18, message: /failingLocations 3 is more than the 2 locations check "home" runs in/, alone: true },
  { file: "probe-location-quorum-zero.yaml", code: "VIG2071", needle: "failingLocations: 0", offset: 18, message: /failingLocations 0 is below 1/, alone: true },
  { file: "probe-shards.ts", code: "VIG2068", needle: '"probes-1:9464"] }', message: /probe shard "probes-1:9464" is listed twice/, hint: /address of its own/, alone: true },
  { file: "ha-replica-label.ts", code: "VIG2067", needle: '"am-1:9094" }] }', message: /peer cluster "am-1:9094" is also peers.0.cluster/ },
  { file: "exporter-wrong-job.ts", code: "VIG2034", needle: 'job="orders"', message: /"kafka_consumergroup_lag" comes from exporter job "kafka", so job="orders" selects nothing/, alone: true },
  // Logs: categories and masks of the spec's own, and services compiled together whose Logstash inputs or indices clash.
  { file: "logs-category-invalid.ts", code: "VIG2031", needle: '"Billing-EU"', message: /category name "Billing-EU" is not lower case letters, digits and _/, hint: /index and data stream names/ },
  { file: "logs-category-invalid.ts", code: "VIG2031", needle: '"deadletter"', message: /category name "deadletter" is reserved/, hint: /lines that did not parse/ },
  {
    file: "logs-category-invalid.ts",
    code: "VIG2004",
    needle: '"security", when: { level',
    message: /category "security" is declared twice/,
    related: { needle: '"security", when: { loggerPrefix', message: /first declared here/ },
  },
  { file: "logs-mask-invalid.ts", code: "VIG2031", needle: '"(DE[0-9]{20}"', message: /mask pattern "\(DE\[0-9\]\{20\}" is not a regular expression/, hint: /Ruby regexp/ },
  { file: "logs-mask-invalid.ts", code: "VIG2031", needle: '"[0-9]*"', message: /mask pattern "\[0-9\]\*" matches the empty string/, hint: /between every two characters/ },
  { file: "logs-mask-invalid.ts", code: "VIG2004", needle: '"email", pattern', message: /mask "email" is the name of a built-in mask/ },
  {
    file: "logs-port-clash-payments.ts",
    after: ["logs-port-clash-orders.ts"],
    code: "VIG2031",
    needle: "port: 5044",
    offset: 6,
    message: /Logstash input port 5044 of service "payments-api" is also the input port of service "orders"/,
    hint: /only one input can bind a port/,
    related: { file: "logs-port-clash-orders.ts", needle: "port: 5044", offset: 6, message: /that input/ },
    alone: true,
  },
  {
    file: "logs-index-clash-checkout_api.ts",
    after: ["logs-index-clash-checkout-api.ts"],
    code: "VIG2031",
    needle: '"checkout_api"',
    message: /index pattern "logs-checkout_api\.\*-\*" of service "checkout_api" overlaps "logs-checkout_api\.\*-\*" of service "checkout-api" at the same template priority/,
    related: { file: "logs-index-clash-checkout-api.ts", needle: '"checkout-api"', message: /that service/ },
    alone: true,
  },
  // Kibana dashboards (issue 16): categories and fields the logs have, used where Kibana can.
  { file: "kibana-panels.ts", code: "VIG2035", needle: '"erorr"', message: /unknown log category "erorr"/, hint: /did you mean "error"\?/ },
  { file: "kibana-panels.ts", code: "VIG2030", needle: '"duraton_seconds"', message: /unknown log field "duraton_seconds"/, hint: /did you mean "duration_seconds"\?/ },
  { file: "kibana-panels.ts", code: "VIG2030", needle: '"mesage"', message: /unknown log field "mesage"/, hint: /did you mean "message"\?/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: 'field: "message"', offset: 7, message: /log field "message" is full text \(type string\), which Kibana cannot count values of/, hint: /type "keyword"/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: 'field: "email"', offset: 7, message: /log field "email" is removed by the pipeline/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: 'field: "level"', offset: 7, message: /the average of log field "level" needs a number field, not a keyword/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: '"deadletter"]', message: /deadletter cannot be combined with other categories/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: "width: 60", offset: 7, message: /panel width 60 is outside Kibana's grid of 48 columns/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: 'field: "duration_seconds" }', offset: 7, message: /field "duration_seconds" needs a statistic/ },
  { file: "kibana-panels.ts", code: "VIG2035", needle: '"1h30m"', message: /invalid dashboard time range "1h30m"/ },
  { file: "kibana-panels.ts", code: "VIG2004", needle: '"errors", panels', message: /Kibana dashboard "errors" is declared twice/, related: { needle: '"errors",\n', message: /first declared here/ } },
  { file: "kibana-panels.ts", code: "VIG2009", needle: '"Performance"', message: /invalid Kibana dashboard name "Performance"/ },
  { file: "kibana-panels.ts", code: "VIG2009", needle: '"10"', message: /invalid dashboard refresh "10"/ },
  { file: "kibana-panel-kind.ts", code: "VIG1006", needle: '"pie"', message: /logs\.kibana\.dashboards\[0\]\.panels\[0\]\.kind must be one of: "search", "events", "trend", "top", "total"/, alone: true },
  // Issue 15: inputs that crashed, hung or compiled into broken output.
  { file: "matcher-regexp-paren.ts", code: "VIG3001", needle: '"5(0|1"', message: /the regexp of label matcher code=~"5\(0\|1" is invalid: missing closing \)/, hint: /RE2 syntax/, alone: true },
  { file: "matcher-regexp-backslash.ts", code: "VIG3001", needle: '"5\\\\"', message: /is invalid: trailing backslash at end of expression/, alone: true },
  { file: "matcher-regexp-named.yaml", code: "VIG3001", needle: '"(?<n>5..)"', message: /is invalid: invalid or unsupported Perl syntax: `\(\?<`/, alone: true },
  { file: "objective-tiny.ts", code: "VIG2003", needle: "1e-300", message: /SLO objective 1e-300 promises nothing: its error budget is 100% at 12 significant digits/, alone: true },
  { file: "objective-denormal.ts", code: "VIG2003", needle: "5e-324", message: /SLO objective 5e-324 promises nothing/, alone: true },
  { file: "slo-window-long.ts", code: "VIG2013", needle: '"400d"', message: /SLO window "400d" is longer than 365d/, hint: /at most 365d/, alone: true },
  { file: "slo-window-int64.ts", code: "VIG2005", needle: '"999999d"', message: /duration "999999d" is out of range/, alone: true },
  { file: "threshold-nan.ts", code: "VIG1006", needle: "threshold: NaN", offset: 11, message: /alerts\[0\]\.threshold must be a finite number, not NaN/, alone: true },
  { file: "threshold-infinity.ts", code: "VIG1006", needle: "critical: Infinity", offset: 10, message: /alerts\[0\]\.thresholds\.critical must be a finite number, not Infinity/, alone: true },
  { file: "annotation-surrogate.ts", code: "VIG1006", needle: '"see \\uD83D here"', message: /alerts\[0\]\.annotations\.dashboard_hint holds a lone UTF-16 surrogate \(\\uD83D\)/, alone: true },
  // Output targets: one output directory for every spec; Kubernetes names.
  {
    file: "targets-clash-billing.ts",
    after: ["targets-clash-orders.ts"],
    code: "VIG2050",
    needle: '["files", "ruler"]',
    message: /targets \[files, ruler\] differ from the first spec's \[files, kubernetes\]/,
    related: { file: "targets-clash-orders.ts", needle: '["kubernetes", "files"]', message: /the first spec's targets/ },
    alone: true,
  },
  { file: "kubernetes-namespace.ts", code: "VIG2051", needle: '"Shop_Prod"', message: /kubernetes\.namespace "Shop_Prod" is not a Kubernetes namespace name/, alone: true },
  { file: "kubernetes-interval-location.ts", code: "VIG2051", needle: '"Europe/Berlin"', message: /time interval "nights" is in Europe\/Berlin: an AlertmanagerConfig \(v1alpha1\) has no location for it/, hint: /in UTC/, alone: true },
  { file: "kubernetes-secret-key.ts", code: "VIG2051", needle: 'file("/run/secrets/slack webhook")', message: /secret file name "slack webhook" of receiver "slack" is not a Kubernetes Secret key/, alone: true },
  { file: "kubernetes-team-name.ts", code: "VIG2051", needle: '"Shop", receivers', message: /team name "Shop" cannot name a Kubernetes object/, hint: /e\.g\. "shop"/, alone: true },
  { file: "scrape-interval-zero.ts", code: "VIG2005", needle: '"0s"', message: /duration "0s" must be longer than 0s/, alone: true },
  { file: "secret-shell-variable.ts", code: "VIG2023", needle: '"PWD"', message: /\{ env: "PWD" \} names a variable the shell sets itself/, alone: true },
  { file: "no-export.ts", code: "VIG1004", needle: "// A TypeScript", message: /the spec has no default export/, alone: true },
  { file: "json-trailing-comma.json", code: "VIG1002", needle: "],\n}", offset: 1, message: /invalid JSON: trailing comma/, alone: true },
  {
    file: "service-clash-checkout-api.ts",
    after: ["service-clash-checkout.api.ts"],
    code: "VIG2017",
    needle: '"checkout-api", team',
    message: /service "checkout-api" collides with service "checkout\.api": the names differ only in case or '\.' and '-'/,
    hint: /share Grafana uids/,
    related: { file: "service-clash-checkout.api.ts", needle: '"checkout.api", team', message: /that service/ },
    alone: true,
  },
  {
    file: "service-clash-case-lower.ts",
    after: ["service-clash-case-upper.ts"],
    code: "VIG2017",
    needle: '"orders", team',
    message: /service "orders" collides with service "Orders"/,
    hint: /case-insensitive file system/,
    related: { file: "service-clash-case-upper.ts", needle: '"Orders", team', message: /that service/ },
    alone: true,
  },
  {
    file: "dashboard-uid-clash-a-b.ts",
    after: ["dashboard-uid-clash-a.ts"],
    code: "VIG2004",
    needle: '"c",',
    message: /dashboard "c" has the Grafana uid "vigil-a-b-c" of dashboard "b-c" of service "a"/,
    related: { file: "dashboard-uid-clash-a.ts", needle: '"b-c",', message: /that dashboard/ },
    alone: true,
  },
  // Anomaly alerts (issue 16): the signal, the baseline, the band's width, the shape.
  { file: "anomaly-unknown-signal.ts", code: "VIG2001", needle: '"http_request_total"', message: /unknown signal "http_request_total"/, hint: /did you mean "http_requests_total"\?/, alone: true },
  { file: "anomaly-baseline.ts", code: "VIG2005", needle: '"1 week"', message: /invalid duration "1 week"/ },
  { file: "anomaly-baseline.ts", code: "VIG2038", needle: '"6h"', message: /baseline "6h" is not a whole number of hours from 1d to 4w/, hint: /1w \(weekly patterns\) or 1d/ },
  { file: "anomaly-sensitivity.ts", code: "VIG2038", needle: "sensitivity: 0", offset: 13, message: /sensitivity 0 must be above 0/, hint: /half-width in standard deviations/, alone: true },
  { file: "anomaly-shape.yaml", code: "VIG2038", needle: "expr: sum(rate", message: /watches either a `signal` or an `expr`, not both or neither/ },
  { file: "anomaly-shape.yaml", code: "VIG2006", needle: "http_request_duration_seconds }", message: /"http_request_duration_seconds" is a histogram/, hint: /_count/ },
  { file: "anomaly-shape.yaml", code: "VIG2002", needle: "rout]", message: /has no label "rout" to keep/, hint: /did you mean "route"\?/ },
  { file: "anomaly-shape.yaml", code: "VIG2038", needle: "-2", message: /sensitivity -2 must be above 0/ },
  { file: "anomaly-shape.yaml", code: "VIG2038", needle: "minTraffic: 0", offset: 12, message: /minTraffic 0 must be above 0/ },
  // Metrics from logs (mtail).
  { file: "log-metric-pii.ts", code: "VIG2042", needle: '"ip_address"] })', message: /"ip_address" is personal data \(pii: "mask"\)/, hint: /truncate: "\/24"/, alone: true },
  { file: "log-metric-shape.yaml", code: "VIG2043", needle: "http_requests_total, kind", message: /has the name of a declared signal/, related: { needle: "http_requests_total, type" } },
  { file: "log-metric-shape.yaml", code: "VIG2041", needle: '"log:errors"', message: /invalid log metric name "log:errors"/ },
  { file: "log-metric-shape.yaml", code: "VIG2040", needle: "rout: x", message: /unknown log field "rout"/, hint: /did you mean "route"\?/ },
  { file: "log-metric-shape.yaml", code: "VIG2040", needle: "ctx.user] }", message: /"ctx.user" is nested/ },
  { file: "log-metric-shape.yaml", code: "VIG2040", needle: "message] }", message: /"message" is free text/ },
  { file: "log-metric-shape.yaml", code: "VIG2041", needle: "job }", message: /label "job" is taken/ },
  { file: "log-metric-shape.yaml", code: "VIG2042", needle: "ip_address] }", message: /personal data/ },
  { file: "log-metric-shape.yaml", code: "VIG2044", needle: "erorr", message: /unknown log category "erorr"/, hint: /did you mean "error"\?/ },
  { file: "log-metric-shape.yaml", code: "VIG2044", needle: '"ERR', message: /control character U\+0007/ },
  { file: "log-metric-clash-b.ts", code: "VIG2043", after: ["log-metric-clash-a.ts"], needle: '"log_errors_total", kind: "counter" })', message: /is also a log metric of service "log-metric-clash-a"/, related: { file: "log-metric-clash-a.ts", needle: '"log_errors_total", kind: "counter", match' }, alone: true },
  { file: "log-metric-shape.yaml", code: "VIG2043", needle: "log_a_total, kind: counter }", message: /"log_a_total" is declared twice/, related: { needle: "log_a_total, kind: counter, match" } },
];

const FIXTURES = join(REPO, "test/fixtures/bad");

/** The CLI's `main` in this process, with what `bin/vigil.mjs` gives it (no colour, as runCli's NO_COLOR=1). */
async function runInProcess(args: readonly string[], cwd: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, color: false });
  return { status, stdout, stderr };
}

function position(text: string, needle: string, offset = 0): string {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`needle ${JSON.stringify(needle)} must occur exactly once`);
  const before = text.slice(0, at + offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe("diagnostics point at the offending character", () => {
  for (const c of CASES) {
    test(`${c.file}: ${c.code}`, async () => {
      const path = join(FIXTURES, c.file);
      const result = await compile([...(c.after ?? []).map((f) => join(FIXTURES, f)), path]);
      const text = readFileSync(path, "utf8");
      const expected = position(text, c.needle, c.offset);
      const hits = result.diagnostics.filter((d) => d.code === c.code);
      expect(hits.map((d) => `${d.location?.line}:${d.location?.column}`)).toContain(expected);
      const hit = hits.find((d) => `${d.location?.line}:${d.location?.column}` === expected)!;
      expect(hit.location?.file).toBe(path);
      if (c.message) expect(hit.message).toMatch(c.message);
      if (c.hint) expect(hit.hint).toMatch(c.hint);
      if (c.related) {
        const relPath = c.related.file ? join(FIXTURES, c.related.file) : path;
        const at = position(readFileSync(relPath, "utf8"), c.related.needle, c.related.offset);
        const rel = hit.related?.find((r) => r.location?.file === relPath && `${r.location.line}:${r.location.column}` === at);
        expect(rel, `related location at ${relPath}:${at}`).toBeDefined();
        if (c.related.message) expect(rel!.message).toMatch(c.related.message);
      }
      for (const secret of c.absent ?? []) {
        expect(hit.message).not.toContain(secret);
        expect(hit.hint ?? "").not.toContain(secret);
      }
      if (c.alone) expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([c.code]);
      expect(result.files).toEqual([]);
    });
  }
});

describe("the CLI exits 1 and leaves the output directory untouched", () => {
  let work: string;
  let before: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-bad-"));
    // A previous, valid output the failed compiles must not touch.
    const ok = runCli(["compile", join(REPO, "examples/minimal/monitoring.ts"), "--out", join(work, "out"), "--no-typecheck"]);
    expect(ok.status).toBe(0);
    before = sha256Tree(join(work, "out"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const fixtures = [...new Map(CASES.map((c) => [c.file, c])).values()];
  // The exit code, the report and the untouched output are the CLI's, not the process's: every
  // fixture runs the CLI in-process (main, as bin/vigil.mjs calls it); the first TypeScript and
  // the first YAML fixture also run as the real process, to prove the path end to end.
  const spawned = new Set([fixtures.find((c) => c.file.endsWith(".ts"))!.file, fixtures.find((c) => c.file.endsWith(".yaml"))!.file]);
  const cases = [...fixtures.map((c) => ({ c, process: false })), ...fixtures.filter((c) => spawned.has(c.file)).map((c) => ({ c, process: true }))];

  for (const { c, process: asProcess } of cases) {
    test(`${c.file}${asProcess ? " (a spawned vigil process)" : ""}`, async () => {
      const spec = join(work, c.file);
      const after = (c.after ?? []).map((f) => join(work, f));
      for (const f of [...(c.after ?? []), c.file]) cpSync(join(FIXTURES, f), join(work, f));
      const text = readFileSync(spec, "utf8");
      const args = ["compile", ...after, spec, "--out", join(work, "out")];
      const r = asProcess ? runCli(args, work) : await runInProcess(args, work);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${relative(work, spec)}:${position(text, c.needle, c.offset)} - error ${c.code}:`);
      // The diagnostic lines (not the code frame, which quotes the user's own source) keep secrets out.
      const headlines = r.stderr.split("\n").filter((l) => / - error \S+: |^\s+hint: /.test(l));
      for (const secret of CASES.filter((x) => x.file === c.file).flatMap((x) => x.absent ?? [])) expect(headlines.join("\n")).not.toContain(secret);
      expect(r.stderr).not.toMatch(/^\s+at .*\.(js|ts):\d+:\d+\)?$/m); // no stack traces for user errors
      expect(sha256Tree(join(work, "out"))).toBe(before);
      expect(listFiles(work).filter((f) => f.includes("vigil-staging"))).toEqual([]);
    });
  }
});

/** A URL where a secret file path belongs is the secret itself: rejected, never echoed. */
describe("a secret given as a secret file path", () => {
  test("is rejected at the path, without repeating the token", async () => {
    const path = join(FIXTURES, "routing-secret-as-file.ts");
    const result = await compile([path]);
    const text = readFileSync(path, "utf8");
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.location?.line}:${d.location?.column}`)).toContain(position(text, '"https://hooks.slack.com/'));
    for (const d of errors) expect(`${d.message} ${d.hint ?? ""}`).not.toContain("XXXXXXXXXXXX");
    expect(result.files).toEqual([]);
  });
});
