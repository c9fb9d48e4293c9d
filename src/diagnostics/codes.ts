/**
 * The registry of diagnostic codes. Codes are part of Vigil's interface: once published a code
 * keeps its meaning. `spec/diagnostics.md` is generated from this table (`npm run golden:update`)
 * and a test keeps the two in step.
 */
import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  severity: Severity;
  title: string;
  /** What triggers it and how to fix it, one or two sentences. */
  doc: string;
}

export const CODES = {
  // 1xxx: loading a spec
  VIG1001: { severity: "error", title: "spec file not found", doc: "The spec path does not exist or cannot be read, a directory given as input holds no spec file (`monitoring.ts`, `.mts`, `.js`, `.mjs`, `.yaml`, `.yml`, `.json`) below it, or a glob matches nothing." },
  VIG1002: { severity: "error", title: "spec does not parse", doc: "A TypeScript, JavaScript, YAML or JSON syntax error in the spec file." },
  VIG1003: { severity: "error", title: "spec threw while evaluating", doc: "Running the spec module raised an exception; the location is the throwing line." },
  VIG1004: { severity: "error", title: "no spec exported", doc: "A TypeScript/JavaScript spec must `export default` the object returned by `defineMonitoring(...)`." },
  VIG1005: { severity: "error", title: "TypeScript type error", doc: "The TypeScript compiler rejects the spec, e.g. a selector that names a label its signal does not declare. The message carries the TS error number." },
  VIG1006: { severity: "error", title: "spec does not match the schema", doc: "A property is missing, misspelt or of the wrong type according to `spec/monitoring.schema.json`." },
  VIG1007: { severity: "error", title: "unsupported spec file type", doc: "Specs are `.ts`, `.mts`, `.js`, `.mjs`, `.yaml`, `.yml` or `.json` files." },
  VIG1008: { severity: "error", title: "unresolved import", doc: "The spec imports a module that cannot be found." },
  VIG1009: {
    severity: "error",
    title: "spec evaluation did not finish",
    doc: "Running the spec module did not produce its default export: it ran longer than the time limit (`--spec-timeout`, default 10s), exhausted its memory, called `process.exit`, or exported a promise that never settles. Specs are evaluated in a worker, so none of this affects Vigil's own exit code.",
  },
  VIG1010: {
    severity: "error",
    title: "invalid config file",
    doc: "The config file (`vigil.config.ts`, `.mts`, `.mjs`, `.js` or `.json`, or the one `--config` names) cannot be read or does not match `VigilConfig`: an unknown or misspelt property, a value of the wrong type, an empty list. It is evaluated like a spec, so a syntax error, a throw or a time-out is VIG1002, VIG1003 or VIG1009 in the config file.",
  },

  // 2xxx: meaning of the spec
  VIG2001: { severity: "error", title: "unknown signal", doc: "A selector or PromQL expression names a metric that no declared signal or recording rule provides. Declare it in `signals`." },
  VIG2002: { severity: "error", title: "undeclared label", doc: "A selector matches on a label its signal does not declare. Add the label to the signal's `labels` or fix the name." },
  VIG2003: { severity: "error", title: "objective out of range", doc: "An SLO objective is a percentage strictly between 0 and 100; 100 leaves no error budget and 0 promises nothing." },
  VIG2004: { severity: "error", title: "duplicate name", doc: "Two SLOs, alerts (with the same severity), recording rules, signals, teams, receivers, dashboards, exporters, checks, log fields, log categories or log masks share a name; a log mask may not take a built-in mask's name (`email`, `bearer-token`, `password`, `card-number`)." },
  VIG2005: { severity: "error", title: "invalid duration", doc: "Durations are Prometheus durations such as `30s`, `5m`, `1h30m`, `30d`, at most 292y (int64 nanoseconds); intervals and timeouts (`scrapeInterval`, `evaluationInterval`, a scrape or exporter `interval`, a request `timeout`, `groupInterval`, `repeatInterval`) are longer than `0s`." },
  VIG2006: { severity: "error", title: "wrong signal type", doc: "The signal's type does not fit its use, e.g. a latency SLI on a counter, or a boolean SLI on a histogram." },
  VIG2007: { severity: "error", title: "threshold is not a bucket boundary", doc: "A latency SLI threshold must equal one of the histogram's declared bucket boundaries, or the SLI cannot be computed from `le` buckets." },
  VIG2008: { severity: "error", title: "unknown team", doc: "A team is referenced but not declared in `teams`." },
  VIG2009: { severity: "error", title: "invalid name", doc: "A metric, label, alert, SLO or recording rule name does not follow Prometheus' naming rules; or a dashboard `refresh` (`grafana.refresh`, `dashboards[].refresh`) is not what Grafana's refresh picker takes, a whole number of s, m, h or d (`30s`, `1m`)." },
  VIG2010: { severity: "error", title: "invalid alert condition", doc: "A threshold alert needs either `threshold` with `severity`, or `thresholds` per severity, or a `severity` with an expression that already compares." },
  VIG2011: { severity: "error", title: "severity ladder out of order", doc: "With `>`, the critical threshold must be above the warning threshold (and warning above info); with `<`, below." },
  VIG2012: { severity: "error", title: "SLI events ambiguous", doc: "A ratio SLI needs exactly one of `bad` or `good`, plus `total`." },
  VIG2013: { severity: "error", title: "invalid SLO window", doc: "An SLO window is at least one day and at most 365 days (a longer period reads more than a Prometheus TSDB usually retains at every evaluation), e.g. `30d`, `28d`, `7d` (whole days are lint rule `slo/window`)." },
  VIG2014: { severity: "error", title: "invalid burn-rate window", doc: "A burn-rate alert window needs a short window of at least 5m, shorter than its long window, and a positive factor (a long window within the SLO window is lint rule `slo/window`)." },
  VIG2015: { severity: "warning", title: "alert tier can never fire", doc: "factor × error budget is 1 or more, so the error ratio can never exceed it. Lower the factor or the objective." },
  VIG2016: { severity: "error", title: "missing window placeholder", doc: "An SLI given as PromQL must contain the `{{window}}` placeholder where the rate window goes." },
  VIG2017: {
    severity: "error",
    title: "duplicate service",
    doc: "Two specs compiled together declare the same service name, names that differ only in case or '.' and '-', or a service named like the files of another service `<other>`: `<other>.slo-<slo>`, `<other>.history`, `<other>.anomalies` or `<other>.maintenance` (whose rule and test files it would overwrite).",
  },
  VIG2018: { severity: "error", title: "reserved label", doc: "Labels such as `alertname`, `severity`, `service`, `slo` and `tier` are set by Vigil and cannot be overridden in `labels`." },
  VIG2019: { severity: "error", title: "invalid label", doc: "A label name is not a valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`)." },
  VIG2020: { severity: "error", title: "unsupported Prometheus version", doc: "`prometheus.version` must be 2.42 or later (2.x or 3.x)." },

  VIG2021: { severity: "error", title: "unknown lint rule", doc: "`lint.rules` or an item's `lintDisable` names a lint rule id that does not exist; see spec/lint/ for the rules." },
  VIG2022: {
    severity: "error",
    title: "conflicting declarations",
    doc: "Specs compiled together declare the same team with different receivers or escalation, or give different Alertmanager settings or time intervals under one name. Declare it in full in one spec; others may name the team without receivers.",
  },
  VIG2023: { severity: "error", title: "invalid receiver", doc: "A receiver has no target (no e-mail address, an empty channel), an invalid URL or secret reference, or needs `alertmanager.smtp` that is not set." },
  VIG2024: { severity: "error", title: "unknown receiver", doc: "An escalation or `alertmanager.catchAll` names a receiver the team does not declare." },
  VIG2025: { severity: "error", title: "unknown time interval", doc: "A maintenance window or `muteDuring`/`activeDuring` names a time interval not declared in `alertmanager.timeIntervals`." },
  VIG2026: { severity: "error", title: "invalid time interval", doc: "A time range field is malformed: times are `HH:MM` with start before end, weekdays and months are names or ranges like `monday:friday`, days of month 1–31 or -31–-1." },
  VIG2047: {
    severity: "error",
    title: "time range Alertmanager refuses",
    doc: "A range of a time interval's `weekdays`, `months`, `years` or `daysOfMonth` is well formed but Alertmanager does not load it: its ranges never wrap, so the start must not come after the end (the week runs from `sunday` to `saturday`: `saturday:sunday` is refused, write `[\"saturday\", \"sunday\"]`); a days-of-month range cannot go from a day counted from the month's end to one counted from its start (`-3:5`), and Alertmanager checks its order taking a day `-N` for day `28-N` (`28:-1` is refused; `28:31` means the same, as a day past the month's end stands for its last day).",
  },
  VIG2027: {
    severity: "warning",
    title: "no catch-all receiver",
    doc: "Alerts that match no team route (from rules Vigil did not generate, or with a mistyped team label) go to the catch-all receiver; without `alertmanager.catchAll` nobody hears of them.",
  },
  VIG2028: {
    severity: "error",
    title: "invalid dashboard",
    doc: "A declared dashboard panel is malformed (a text panel without `text`, another panel without queries, a width outside 1–24), a variable query is not `label_values(...)`/`query_result(...)`, or a query uses a template variable the dashboard does not declare.",
  },

  VIG2029: {
    severity: "error",
    title: "log value cannot be written safely",
    doc: "A log field name, level, logger prefix or environment variable name cannot be written into the Logstash config as it is: the language processes no escapes, so a value may not end in a backslash or hold both quote characters; `${` and `%{` would be substituted by Logstash; field names may not hold brackets or commas.",
  },
  VIG2030: { severity: "error", title: "unknown log field", doc: "A category, correlation or other log setting names a field that `logs.fields` does not declare." },
  VIG2032: {
    severity: "error",
    title: "invalid check or journey",
    doc: "A synthetic check or journey cannot run as written: a URL that is not http(s), a header name that is not a token, a JSON path or regexp that does not parse, a comparison that needs a target (or a number) without one, a reference to a value no earlier step extracts, an environment variable name that is not one, or a timeout not shorter than the interval.",
  },
  VIG2031: {
    severity: "error",
    title: "invalid log setting",
    doc: "A `logs` setting cannot work: a grok pattern names a pattern Logstash does not ship or has a malformed capture, a dissect mapping has no field or names fields after values in the line, a `file` source has no paths (or a port) or a relative path, a `beats`/`http` source has paths, a category or sampling rule has no condition, a category name cannot be part of index and data stream names (`[a-z][a-z0-9_]*`, at most 64 characters) or is `main` or `deadletter`, or a `logs.masks` pattern is no regular expression or matches the empty string. With several specs compiled together: two services' Logstash inputs listen on the same port (only one can bind it; reported at the second service's `logs.source.port`, the first as related location), two services' index templates match the same indices at one priority (e.g. `checkout-api` and `checkout_api` data streams share the dataset `checkout_api`), or two services would have a Logstash pipeline of the same id.",
  },
  VIG2033: {
    severity: "error",
    title: "invalid inhibition",
    doc: "An entry of `inhibitions` names an alert the service does not declare (or the source among its own targets), a severity the alert has no rule for, or an `equal` label the source or a target does not carry (the inhibition would never apply).",
  },
  VIG2034: {
    severity: "error",
    title: "invalid signal source",
    doc: "A signal's `source` is neither `node_exporter` nor the name of one of `exporters`; an exporter has no targets or one that is not host:port, or a scrape job name that another job (the service's, the probe bundle's, another exporter's) already has; or a selector matches an exporter's signal on a `job` other than its exporter's, so it selects nothing.",
  },
  VIG2035: {
    severity: "error",
    title: "invalid Kibana dashboard",
    doc: "A `logs.kibana` setting cannot be built into Kibana saved objects: a panel names a category that is neither in `logs.categories` nor `application` or `deadletter` (which holds the lines that did not parse and is not combined with other categories), a field the pipeline does not store (`pii: \"remove\"`), a full-text field (`string`) where values are counted, a statistic of a field that is no number (`unique` takes any countable field), a `field` without `statistic` or the reverse; a width outside 1–48 or a height below 1; or a `timeRange` that is not one number and s, m, h, d, w or y. An unknown field is VIG2030, a dashboard name given twice VIG2004, a name that is not lower-case letters, digits and `-` or a `refresh` that is not a whole number of s, m, h or d VIG2009.",
  },

  VIG2036: {
    severity: "error",
    title: "invalid Prometheus command-line setting",
    doc: "`prometheus.storage.retentionSize` is not a whole number followed by B, KB, MB, GB, TB, PB or EB (as `--storage.tsdb.retention.size` takes it), `prometheus.externalUrl` is not an http(s) URL, or specs compiled together (one Prometheus) set the storage or the external URL differently.",
  },
  VIG2037: {
    severity: "error",
    title: "invalid event",
    doc: "An entry of `events` reads a signal that is not a gauge, selects it with a matcher other than `=`, fixes its version label, gives a notice that is not whole minutes or that would make the maintenance alert fire all week, or names a time interval that is not weekly in UTC (days of the month, months, years or another time zone: PromQL cannot tell them) or that never holds.",
  },
  VIG2038: {
    severity: "error",
    title: "invalid anomaly alert",
    doc: "An entry of `anomalies` cannot be compiled: it gives both `signal` and `expr` or neither, `by` with `expr` (aggregate in the expression), a `sensitivity` that is not above 0, a `minTraffic` that is not above 0, a `baseline` that is not a whole number of hours from 1d to 4w, or a `labels` key `anomaly` (Vigil sets it). An invalid `baseline` duration is VIG2005, an unknown signal VIG2001, a histogram bucket or summary quantile as `signal` VIG2006.",
  },
  VIG2040: {
    severity: "error",
    title: "log field not usable for a metric from logs",
    doc: "An entry of `logs.metrics` names a field (in `match` or `by`) that `logs.fields` does not declare, a nested field (`a.b`: mtail reads top-level fields of the JSON line only), or labels by a free-text (`string`, `freeText`) or timestamp field, whose every value would be a series of its own. `match.level` and `match.loggerPrefix` read the `level` and `logger` fields, which must be declared.",
  },
  VIG2041: {
    severity: "error",
    title: "invalid metric or label name from logs",
    doc: "A `logs.metrics` name is not letters, digits and `_` (not starting with a digit; mtail takes no `:`), or a label is not a label name, is given twice, or is one the series get elsewhere: `job` and `instance` (Prometheus, from the target), `prog` (mtail, from the program file), `le`, `quantile`.",
  },
  VIG2042: {
    severity: "error",
    title: "personal data as a metric label",
    doc: "A `by` label of `logs.metrics` comes from a `pii` field: Logstash masks, removes or hashes it, but mtail reads the service's own log file, so the label would put the value into Prometheus. Label by the IPv4 network only (`{ field, truncate: \"/24\" }`), or opt in explicitly with `allowPii: { reason }`. Also: `truncate` on a field that is not a keyword, or `allowPii` on a field that is no personal data.",
  },
  VIG2043: {
    severity: "error",
    title: "metric from logs clashes with a signal",
    doc: "A `logs.metrics` name is the name of a declared signal (or of the probe bundle's, or of a series Prometheus makes itself such as `up`), is declared twice, or, with several specs compiled together, is the name of another service's metric from logs: every service's mtail is one scrape job, `mtail`, so their series would mix.",
  },
  VIG2044: {
    severity: "error",
    title: "log metric condition cannot be matched",
    doc: "The `match` of a `logs.metrics` entry cannot become mtail's regexps: a `category` that `logs.categories` does not have (nor `application`), a category (or an earlier one, since the first match wins) whose condition reads a nested field, a value holding a control character, or a regexp longer than mtail's limit of 1024 characters.",
  },

  VIG2045: {
    severity: "error",
    title: "invalid TCP check",
    doc: "A check gives neither `request` (HTTP) nor `tcp`, or both; a `tcp` target's `host` (or `tls.serverName`) is not a host name or IP address (a URL or `host:port`: give the port as `port`); or a TCP check asserts on a status, header or body, which a TCP connection does not have (it takes `responseTime` assertions only: connect and TLS handshake, in ms). A timeout that is not shorter than the interval is VIG2032.",
  },

  VIG2046: {
    severity: "error",
    title: "invalid Filebeat settings",
    doc: "`logs.source.filebeat` cannot be written as a Filebeat config: the source is not `beats` (only a beats input takes what Filebeat ships), `logstashHost` is not a host name or address (the port is the beats input's `port`), a path of `files` or `containers.paths` is not absolute or holds a control character, `containers.name` is not a Docker container name, or there is nothing to read (neither `containers` nor `files`).",
  },
  VIG2065: {
    severity: "error",
    title: "invalid Prometheus high-availability setting",
    doc: "`prometheus.replicaLabel` is not a label name (letters, digits and `_`, not starting with a digit or `__`), or specs compiled together (one set of Prometheus replicas) set `prometheus.replicas` or `prometheus.replicaLabel` differently.",
  },
  VIG2066: {
    severity: "error",
    title: "replica label used by alerts",
    doc: "With `prometheus.replicas` of 2 or more, the replica label (`prometheus.replicaLabel`, default `replica`) is dropped from every alert before it reaches Alertmanager, so both replicas' copies of an alert are one alert. A service or alert label of that name would be dropped too, and an inhibition's `equal` or a route's `groupBy` naming it would compare a label no alert carries (inhibiting across every replica's alerts, grouping nothing). Rename the label, or choose another `replicaLabel`.",
  },
  VIG2068: {
    severity: "error",
    title: "invalid probe shards",
    doc: "An entry of `probes.shards` is not `host:port` or is listed twice; `probes.address` is set and is none of the shards; specs compiled together set different shards; or a spec with checks or journeys leaves `probes.shards` out while another sets it (its checks would run sharded without their no-data alerts).",
  },
  VIG2069: {
    severity: "error",
    title: "invalid probe locations",
    doc: "An entry of `probes.locations` has a name that is not lower-case letters, digits and `-`, or an `address` that is not `host:port`; two locations share a name or an address; `probes.locations` is set with `probes.shards` or `probes.address` (each location is one runtime Prometheus scrapes); or specs compiled together set different locations, or a spec with checks or journeys leaves `probes.locations` out while another sets it.",
  },
  VIG2070: {
    severity: "error",
    title: "unknown probe location",
    doc: "A check's or journey's `locations` (or `service.probeDefaults.locations`) names a location `probes.locations` does not declare, names one twice or none at all, or locations are given while the spec declares no `probes.locations`.",
  },
  VIG2071: {
    severity: "error",
    title: "location quorum out of range",
    doc: "`alert.failingLocations` (or `service.probeDefaults.failingLocations`) is below 1, or larger than the number of locations the check or journey runs in: the alert could never fire, or would fire on nothing. Also reported when it is set without `probes.locations`.",
  },
  VIG2067: {
    severity: "error",
    title: "invalid Alertmanager peer",
    doc: "An entry of `alertmanager.peers` has an `address` or `cluster` that is not `host:port`, gives an address two peers (or one peer's API and gossip port) share, or `alertmanager.address` is set and is none of the peers' addresses (Prometheus sends to every peer instead).",
  },

  VIG2050: {
    severity: "error",
    title: "specs disagree on output targets",
    doc: "Specs compiled together list different `targets`: they write one output directory, so every spec must ask for the same targets (a spec without `targets` asks for `[\"files\"]`).",
  },
  VIG2051: {
    severity: "error",
    title: "not expressible as Kubernetes resources",
    doc: "With the `kubernetes` target: `kubernetes.namespace` is not a namespace name (a DNS-1123 label), a service or team name cannot name a Kubernetes object (lower-case letters, digits, `-` and `.`), a time interval that a team's routes use has a `location`, which the Prometheus Operator's AlertmanagerConfig (v1alpha1) cannot carry, or a secret file's name is not a key a Kubernetes Secret can have (letters, digits, `-`, `_`, `.`).",
  },

  // 3xxx: PromQL

  VIG3001: { severity: "error", title: "PromQL syntax error", doc: "The PromQL expression does not parse. The location points at the offending character inside the string." },
  VIG3002: {
    severity: "error",
    title: "PromQL type error",
    doc: "The expression parses but Prometheus would reject it: wrong argument types or count, a range where an instant vector is needed, `bool` on a non-comparison, a set operator on scalars, and so on.",
  },
  VIG3003: {
    severity: "error",
    title: "PromQL function not in the target Prometheus",
    doc: "The function or aggregation does not exist in the Prometheus version the spec targets (`prometheus.version`, default 2.42): it came later, was renamed, or needs a feature flag.",
  },

  // 4xxx: generated tests
  VIG4001: { severity: "warning", title: "no unit test generated", doc: "Vigil could not synthesize input series for this alert (the reason is given), so the generated promtool tests do not cover it." },

  // 5xxx: output
  VIG5001: { severity: "error", title: "output directory not owned by Vigil", doc: "The output directory contains files Vigil did not generate; Vigil refuses to replace it. Use an empty or Vigil-generated directory." },
  VIG5002: { severity: "error", title: "output drift", doc: "The committed output differs from what the spec compiles to. Run `vigil compile` and commit the result." },
  VIG5003: { severity: "error", title: "cannot write output", doc: "Writing the output directory failed (no space, no permission, a read-only file system or tree, a path that is not a directory); the message says whether anything was changed, normally nothing." },
  VIG5004: {
    severity: "warning",
    title: "stale copy of the output directory",
    doc: "A previous `vigil compile` was interrupted between its steps or could not remove its copy of the old output (`.<out>.vigil-old-…`, `.<out>.vigil-staging-…` beside the output directory). Vigil put the previous output back and removed stale copies, or names the copy it could not remove.",
  },
  VIG5005: { severity: "error", title: "file already exists", doc: "`vigil init` does not overwrite: a file it would write (`monitoring.ts`, `vigil.config.ts`, `.github/workflows/monitoring.yml`) is already there, and nothing is written. Remove it, or run `vigil init --force`." },
  VIG5010: {
    severity: "error",
    title: "deploy did not take",
    doc: "`vigil deploy --apply` wrote the files, but a server's reload failed or did not show them: `POST /-/reload` was refused (start Prometheus and Alertmanager with `--web.enable-lifecycle`), the server could not be reached, Prometheus reports `prometheus_config_last_reload_successful` 0 or runs other rule groups than the deployed files hold, or Alertmanager reports a failed reload or an `alertmanager_config_hash` that is not the deployed file's. Vigil put the previous files back and reloaded the servers again; the hint says whether that worked.",
  },
  VIG5011: { severity: "error", title: "cannot write a deploy directory", doc: "`vigil deploy --apply` could not write a file into the Prometheus or Alertmanager directory (no permission, no space, a path that is not a directory). The files written until then were put back; no server was reloaded." },
  // 6xxx: importing existing monitoring (`vigil import`)
  VIG6001: { severity: "error", title: "import input cannot be read", doc: "A file given to `vigil import` does not exist, cannot be read, does not parse as YAML, or a directory holds no `.yml`/`.yaml` file." },
  VIG6002: { severity: "error", title: "input is not of the imported kind", doc: "The document is not what `vigil import <kind>` reads (for `prometheus`: a rule file with `groups`, or a `PrometheusRule` of `monitoring.coreos.com/v1`), or a rule in it lacks what every rule needs (an `alert` or `record` name and an `expr`)." },
  VIG6003: { severity: "warning", title: "imported with a change", doc: "Part of a rule cannot be said in a Vigil spec as it is, and the import says it differently: a severity other than critical, warning or info, a label Vigil sets itself (`service`, `slo`, `tier`, `alertname`), a group's own `interval`, `limit` or `query_offset`, `keep_firing_for`; an Alertmanager inhibit rule that Vigil's severity ladders already are, the root route's timings (the catch-all keeps Vigil's). The message says what changed; review it." },
  VIG6004: { severity: "warning", title: "rule not imported", doc: "A rule of the input has no place in the spec: a second alert of the same name and severity, or a second recording rule of the same name and labels; an Alertmanager inhibit rule that selects by a regex or a label other than alertname and severity, or names alerts the import does not declare (it is also a comment above `inhibitions` in the generated spec). The message names it; merge it by hand." },
  VIG6006: { severity: "warning", title: "secret left out of the import", doc: "A label or annotation of the input holds what Vigil's `spec/secret` rule takes for a credential (a token in a URL, a literal under a name such as `routing_key` or `api_key`). Labels and annotations travel to every receiver, so the import leaves it out; route or link by something that is not a secret." },
  VIG6005: { severity: "error", title: "import output exists", doc: "`vigil import --out FILE` does not overwrite an existing file; remove it or pass `--force`." },

  // 6020–6029: vigil diff
  VIG6020: { severity: "error", title: "git revision cannot be read", doc: "`vigil diff --base REV` needs the specs inside a git repository and a revision git can resolve (`git rev-parse REV`); in a shallow CI checkout fetch the base branch first (`fetch-depth: 0`)." },
  VIG6021: { severity: "error", title: "base revision does not compile", doc: "The spec at the `--base` revision has errors, so there is nothing to compare with; its diagnostics follow, with their paths as `REV:path`. Compare with another revision." },
  VIG6022: { severity: "error", title: "not a compiled output directory", doc: "`vigil diff --trees OLD NEW` compares two directories `vigil compile` wrote; this one does not exist or has no `manifest.json`." },
  VIG6023: { severity: "error", title: "unreadable output file", doc: "A YAML or JSON file of a directory given to `vigil diff --trees` does not parse; the location is the parser's. Recompile the directory." },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
