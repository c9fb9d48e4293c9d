import { describe, expect, it } from "vitest";
import type { AlertSpec, MonitoringSpec, SloSpec } from "../../../spec/types.js";
import { lintRuleFile, lintWith, pointedText, ruleFileAlert, specWith } from "../../tester.js";
import { findSecret, rule, secretName } from "./secret.js";

const alert = (extra: Partial<AlertSpec> = {}): AlertSpec => ({ name: "A", expr: "up", op: "<", threshold: 1, severity: "warning", summary: "s", description: "d", runbook: "https://runbooks.example/a", ...extra });
const slo = (extra: Partial<SloSpec> = {}): SloSpec => ({
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  ...extra,
});
const service = (extra: Partial<MonitoringSpec["service"]>) => ({ name: "svc", team: "team-a", ...extra });

// Made-up secrets of the right shapes.
const SLACK = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx";
const DISCORD = "https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUv";
const TEAMS = "https://contoso.webhook.office.com/webhookb2/0f1e2d3c-aaaa-bbbb/IncomingWebhook/9a8b7c6d/11112222";
const AWS = "AKIAZ3QXPL7TNB5QW2RD";
const TELEGRAM = "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage";
const dashboard = (panel: Record<string, unknown>): MonitoringSpec["dashboards"] => [{ name: "ops", rows: [{ title: "r", panels: [{ title: "p", type: "text", text: "hello", ...panel }] }] }] as MonitoringSpec["dashboards"];
const PD = "0123456789abcdef0123456789abcdef";

describe("spec/secret", () => {
  it.each<[string, MonitoringSpec]>([
    ["plain runbooks and texts", specWith({ alerts: [alert({ description: "More than 1 error/s on {{ $labels.route }}" })], slos: [slo({ runbook: "https://runbooks.example/slo", description: "99.9% of requests succeed" })] })],
    ["a dashboard link with harmless parameters", specWith({ alerts: [alert({ annotations: { dashboard: "https://grafana.example/d/abc?orgId=1&var-route={{ $labels.route }}" } })] })],
    ["templated or placeholder credentials", specWith({ alerts: [alert({ annotations: { a: "https://x.example/?token={{ $labels.token }}", b: "password=<your password>", c: "api_key=${API_KEY}", d: "secret=xxxx" } })] })],
    ["a URL with a user but no password", specWith({ alerts: [alert({ runbook: "https://ops@wiki.example/runbooks/a" })] })],
    ["a Slack channel, not a webhook", specWith({ alerts: [alert({ labels: { slack_channel: "#payments-alerts" } })] })],
    ["32 hex characters without a PagerDuty context", specWith({ alerts: [alert({ annotations: { trace: `trace id ${PD}` } })] })],
    [
      "probe credentials from the environment and extracted tokens",
      specWith({
        journeys: [
          {
            name: "buy",
            steps: [
              { name: "login", request: { method: "POST", url: "https://api.example/login", body: { json: { user: "probe", password: { env: "PROBE_PASSWORD" } } } }, extract: { token: { from: "jsonBody", property: "$.token" } } },
              { name: "list", request: { url: ["https://api.example/items?key=", { env: "API_KEY" }], headers: { authorization: ["Bearer ", { ref: { step: "login", name: "token" } }], "x-api-key": [{ env: "API_KEY" }] } } },
            ],
          },
        ],
      }),
    ],
    [
      "names that say where or what a secret is, and harmless values under secret-like names",
      specWith({
        alerts: [alert({ labels: { auth_method: "oauth2", author: "platform-team", pass: "true" }, annotations: { token_url: "https://auth.example/oauth/token", password_policy: "rotated monthly" } })],
        checks: [
          {
            name: "api",
            request: {
              method: "POST",
              url: "https://api.example/oauth/token/refresh/123e4567-e89b-12d3-a456-426614174000",
              headers: { "x-request-id": "probe-123456", accept: "application/json", "x-auth": [{ env: "X_AUTH" }] },
              body: { json: { key: "search-term", author: "probe", passthrough: "yes-please", token_endpoint: "https://auth.example/t" } },
            },
          },
        ],
      }),
    ],
    [
      "dashboard texts and links without credentials; Grafana URLs without a password",
      specWith({
        grafana: { url: "https://grafana.example", prometheusUrl: "http://prometheus:9090", elasticsearchUrl: "https://ops@es.example:9200" },
        dashboards: dashboard({ text: "Passwords rotate monthly; see the vault. token: ask #ops", links: [{ title: "overview", url: "https://grafana.example/d/abc123/overview?orgId=1" }] }),
        alerts: [alert()],
      }),
    ],
  ])("valid: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  // [case, spec, the secret (never in the message), expected path, kind and masked text in the message]
  it.each<[string, MonitoringSpec, string, (string | number)[], string]>([
    ["a Slack webhook in an annotation", specWith({ alerts: [alert({ annotations: { slack: SLACK } })] }), "abcdefghijklmnopqrstuvwx", ["alerts", 0, "annotations", "slack"], "a Slack webhook URL with its token (https://hooks.slack.com/services/****)"],
    ["a Discord webhook in a description", specWith({ alerts: [alert({ description: `Escalate via ${DISCORD}` })] }), "AbCdEfGhIjKlMnOpQrStUv", ["alerts", 0, "description"], "a Discord webhook URL with its token (https://discord.com/api/webhooks/****)"],
    ["a Teams webhook in a label", specWith({ alerts: [alert({ labels: { webhook: TEAMS } })] }), "IncomingWebhook/9a8b7c6d", ["alerts", 0, "labels", "webhook"], "a Microsoft Teams webhook URL with its token (https://contoso.webhook.office.com/webhookb2/****)"],
    [
      "a token in a webhook receiver's URL",
      specWith({ teams: [{ name: "team-a", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/alerts?token=s3cr3tT0ken" }] }] }),
      "s3cr3tT0ken",
      ["teams", 0, "receivers", 0, "url"],
      "a credential in a URL query (token=****)",
    ],
    [
      "a Slack webhook as a PagerDuty receiver's URL",
      specWith({ teams: [{ name: "team-a", receivers: [{ name: "pd", kind: "pagerduty", routingKey: { env: "PD_KEY" }, url: SLACK }] }] }),
      "abcdefghijklmnopqrstuvwx",
      ["teams", 0, "receivers", 0, "url"],
      "a Slack webhook URL with its token (https://hooks.slack.com/services/****)",
    ],
    ["a password in a runbook URL", specWith({ alerts: [alert({ runbook: "https://admin:hunter22@wiki.example/runbooks/a" })] }), "hunter22", ["alerts", 0, "runbook"], "a URL with a password (https://admin:****@wiki.example)"],
    [
      "a token in the runbookBaseUrl: once, at the service",
      specWith({ service: service({ runbookBaseUrl: "https://wiki.example/runbooks?token=s3cr3tT0ken" }), alerts: [alert({ runbook: undefined }), alert({ name: "B", runbook: undefined })] }),
      "s3cr3tT0ken",
      ["service", "runbookBaseUrl"],
      "a credential in a URL query (token=****)",
    ],
    ["an AWS key in an SLO description", specWith({ slos: [slo({ description: `probe runs as ${AWS}` })] }), AWS.slice(4), ["slos", 0, "description"], "an AWS access key id (AKIA****)"],
    [
      "a PagerDuty key in the SLO alerts' annotations: once, not per tier",
      specWith({ slos: [slo({ alerting: { annotations: { pagerduty: `routing_key: ${PD}` } } })] }),
      PD,
      ["slos", 0, "alerting", "annotations", "pagerduty"],
      "a PagerDuty routing/integration key (routing_key ****)",
    ],
    ["an API key in a tier label", specWith({ slos: [slo({ alerting: { page: { labels: { api: "api_key=9f8e7d6c5b4a" } } } })] }), "9f8e7d6c5b4a", ["slos", 0, "alerting", "page", "labels", "api"], "a literal credential (api_key=****)"],
    ["an SLO runbook with a password, not repeated per tier", specWith({ slos: [slo({ runbook: "https://bot:Pa55word@wiki.example/slo" })] }), "Pa55word", ["slos", 0, "runbook"], "a URL with a password (https://bot:****@wiki.example)"],
    ["a DSN in a recording label", specWith({ recordings: [{ record: "job:up:sum", expr: "sum(up)", labels: { dsn: "postgres://app:Pa55word@db:5432/app" } }] }), "Pa55word", ["recordings", 0, "labels", "dsn"], "a URL with a password (postgres://app:****@db:5432)"],
    [
      "a password in a service label: once, not per alert",
      specWith({ service: service({ labels: { contact: "password=letmein99" } }), alerts: [alert()] }),
      "letmein99",
      ["service", "labels", "contact"],
      "a literal credential (password=****)",
    ],
    ["a webhook in a team description", specWith({ teams: [{ name: "team-a", description: `alerts go to ${SLACK}` }] }), "abcdefghijklmnopqrstuvwx", ["teams", 0, "description"], "a Slack webhook URL with its token"],
    [
      "a literal bearer token in a check's authorization header",
      specWith({ checks: [{ name: "api", request: { url: "https://api.example/x", headers: { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.abc" } } }] }),
      "eyJhbGciOiJIUzI1NiJ9",
      ["checks", 0, "request", "headers", "authorization"],
      "a literal credential (Bearer ****)",
    ],
    [
      "a literal API key header in a journey step",
      specWith({ journeys: [{ name: "buy", steps: [{ name: "list", request: { url: "https://api.example/items", headers: { "x-api-key": "k-8f7e6d5c4b3a" } } }] }] }),
      "k-8f7e6d5c4b3a",
      ["journeys", 0, "steps", 0, "request", "headers", "x-api-key"],
      "a literal credential (****)",
    ],
    [
      "a literal password in a journey's JSON body",
      specWith({ journeys: [{ name: "buy", steps: [{ name: "login", request: { method: "POST", url: "https://api.example/login", body: { json: { user: "probe", password: "Tr0ub4dor3" } } } }] }] }),
      "Tr0ub4dor3",
      ["journeys", 0, "steps", 0, "request", "body", "json"],
      "a literal credential (password=****)",
    ],
    ["a token in a check's URL", specWith({ checks: [{ name: "api", request: { url: "https://api.example/x?access_token=abcd1234efgh" } }] }), "abcd1234efgh", ["checks", 0, "request", "url"], "a credential in a URL query (access_token=****)"],
    // Issue 15, item 7: each of these reached committed files unreported.
    ["userinfo in grafana.prometheusUrl", specWith({ grafana: { prometheusUrl: "https://admin:Pr0mPa55@prom.example:9090" } }), "Pr0mPa55", ["grafana", "prometheusUrl"], "a URL with a password (https://admin:****@prom.example:9090)"],
    ["userinfo in grafana.elasticsearchUrl", specWith({ grafana: { elasticsearchUrl: "https://elastic:Es3cretPw@es.example:9200" } }), "Es3cretPw", ["grafana", "elasticsearchUrl"], "a URL with a password (https://elastic:****@es.example:9200)"],
    [
      "a token in a dashboard link URL",
      specWith({ dashboards: dashboard({ links: [{ title: "runbook", url: "https://wiki.example/ops?token=d4shb0ardT0k" }] }) }),
      "d4shb0ardT0k",
      ["dashboards", 0, "rows", 0, "panels", 0, "links", 0, "url"],
      "a credential in a URL query (token=****)",
    ],
    ["a password in a dashboard's text", specWith({ dashboards: dashboard({ text: "Break-glass login: password=Sup3rS3cret" }) }), "Sup3rS3cret", ["dashboards", 0, "rows", 0, "panels", 0, "text"], "a literal credential (password=****)"],
    [
      "a literal X-Auth header",
      specWith({ checks: [{ name: "api", request: { url: "https://api.example/x", headers: { "x-auth": "k-9d8c7b6a5f4e" } } }] }),
      "k-9d8c7b6a5f4e",
      ["checks", 0, "request", "headers", "x-auth"],
      "header x-auth of check \"api\" contains a literal credential (****)",
    ],
    [
      "a literal session cookie-style header",
      specWith({ checks: [{ name: "api", request: { url: "https://api.example/x", headers: { "x-session-token": "s3ss10nV4lue" } } }] }),
      "s3ss10nV4lue",
      ["checks", 0, "request", "headers", "x-session-token"],
      "a literal credential (****)",
    ],
    [
      "a literal value under a body key `pass`",
      specWith({ journeys: [{ name: "buy", steps: [{ name: "login", request: { method: "POST", url: "https://api.example/login", body: { json: { user: "probe", pass: "Tr0ub4dor3" } } } }] }] }),
      "Tr0ub4dor3",
      ["journeys", 0, "steps", 0, "request", "body", "json"],
      "a literal credential (pass=****)",
    ],
    ["a nested body key clientSecret", specWith({ checks: [{ name: "api", request: { method: "POST", url: "https://api.example/t", body: { json: { auth: { clientSecret: "cl13ntS3cr3t" } } } } }] }), "cl13ntS3cr3t", ["checks", 0, "request", "body", "json"], "a literal credential (clientSecret=****)"],
    ["a token segment in a URL path", specWith({ checks: [{ name: "api", request: { url: "https://api.example/v1/token/tk9f8e7d6c5b4a/items" } }] }), "tk9f8e7d6c5b4a", ["checks", 0, "request", "url"], "a token in a URL path (/token/****)"],
    ["a Telegram bot token in a webhook URL", specWith({ teams: [{ name: "team-a", receivers: [{ name: "tg", kind: "webhook", url: TELEGRAM }] }] }), "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", ["teams", 0, "receivers", 0, "url"], "a token in a URL path (/bot****)"],
    ["a random-looking key as a path segment", specWith({ alerts: [alert({ runbook: "https://hooks.example.com/in/Zx8Qm2Lp9Rt4Vw7Ys1Kd6Hf3Jg5Nb0Ca/run" })] }), "Zx8Qm2Lp9Rt4Vw7Ys1Kd6Hf3Jg5Nb0Ca", ["alerts", 0, "runbook"], "a token in a URL path (/****)"],
    ["an alert label named like a secret", specWith({ alerts: [alert({ labels: { api_key: "9f8e7d6c5b4a3210" } })] }), "9f8e7d6c5b4a3210", ["alerts", 0, "labels", "api_key"], "a literal credential (api_key=****)"],
    ["an alert label named password", specWith({ alerts: [alert({ labels: { dbPassword: "hunter2hunter2" } })] }), "hunter2hunter2", ["alerts", 0, "labels", "dbPassword"], "a literal credential (dbPassword=****)"],
    ["an SLO alert label named like a secret", specWith({ slos: [slo({ alerting: { labels: { auth_token: "abcd-1234-efgh" } } })] }), "abcd-1234-efgh", ["slos", 0, "alerting", "labels", "auth_token"], "a literal credential (auth_token=****)"],
    ["a GitHub token in an annotation", specWith({ alerts: [alert({ annotations: { ci: "trigger with ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" } })] }), "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", ["alerts", 0, "annotations", "ci"], "an API token (ghp_****)"],
  ])("invalid: %s", (_, spec, secret, path, text) => {
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["spec/secret"]);
    expect(found[0]!.at?.path).toEqual(path);
    expect(found[0]!.message).toContain(text);
    expect(`${found[0]!.message} ${found[0]!.hint}`).not.toContain(secret);
    // The excerpt under the message masks what it points at: the secret itself where the value is the spec's string.
    expect(found[0]!.mask).toBe(true);
    const pointed = pointedText(spec, found[0]!);
    if (found[0]!.at?.offset !== undefined) expect(pointed).toContain(secret);
  });

  it("points at the secret inside the value, so the excerpt masks exactly it", () => {
    const spec = specWith({ alerts: [alert({ runbook: "https://admin:hunter22@wiki.example/runbooks/a" })] });
    const [d] = lintWith(rule, spec);
    expect(d!.at).toMatchObject({ path: ["alerts", 0, "runbook"], offset: 14, length: 8 });
    expect(pointedText(spec, d!)).toBe("hunter22");
  });

  it.each([
    ["X-Auth", true],
    ["x-auth-token", true],
    ["X-Amz-Security-Token", true],
    ["x-goog-api-key", true],
    ["Proxy-Authorization", true],
    ["pass", true],
    ["clientSecret", true],
    ["private_key", true],
    ["token_url", false],
    ["auth_method", false],
    ["author", false],
    ["passthrough", false],
    ["key", false],
    ["monkey", false],
    ["x-request-id", false],
  ])("secretName(%j) is %s", (name, expected) => {
    expect(secretName(name)).toBe(expected);
  });

  it("checks a plain rule file's annotations as written", () => {
    const plain = ruleFileAlert(0, { severity: "warning" }, { annotations: { summary: "s", description: `see ${SLACK}` } });
    const found = lintRuleFile(rule, { alerts: [plain] });
    expect(found.map((d) => [d.code, d.at?.path])).toEqual([["spec/secret", ["groups", 0, "rules", 0, "annotations", "description"]]]);
    expect(found[0]!.message).toBe('the description annotation of alert "A" contains a Slack webhook URL with its token (https://hooks.slack.com/services/****)');
  });

  it.each([
    ["Authorization: token=ghp_abcdef123456", "token=****"],
    ["https://x.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=AbCdEf123456", "sig=****"],
    ["integration key 0123456789ABCDEF0123456789abcdef", "integration key ****"],
    ["https://user:%3Cpass%3E@host", undefined],
  ])("findSecret(%j) shows %j", (text, shown) => {
    expect(findSecret(text)?.shown).toBe(shown);
  });
});

describe("spec/secret in the human report", () => {
  const SECRET = "hunter22";
  const specs: [string, string][] = [
    [
      "monitoring.ts",
      [
        'import { defineMonitoring } from "vigil-monitoring";',
        "export default defineMonitoring({",
        '  service: { name: "svc", team: "team-a" },',
        '  teams: [{ name: "team-a", receivers: [{ name: "slack", kind: "slack", channel: "#a", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],',
        '  signals: [{ name: "up", type: "gauge" }],',
        `  alerts: [{ name: "A", expr: "up", op: "<", threshold: 1, severity: "warning", summary: "s", description: "d", runbook: "https://admin:${SECRET}@wiki.example/a" }],`,
        "});",
        "",
      ].join("\n"),
    ],
    [
      "monitoring.yaml",
      [
        "service: { name: svc, team: team-a }",
        "teams: [{ name: team-a, receivers: [{ name: slack, kind: slack, channel: '#a', webhook: { env: SLACK_WEBHOOK_URL } }] }]",
        "signals: [{ name: up, type: gauge }]",
        "alerts:",
        `  - { name: A, expr: up, op: "<", threshold: 1, severity: warning, summary: s, description: d, runbook: "https://admin:${SECRET}@wiki.example/a" }`,
        "",
      ].join("\n"),
    ],
  ];

  it.each(specs)("%s: the source excerpt masks the secret it reports, and underlines where it was", async (name, source) => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { compile } = await import("../../../compile.js");
    const { renderDiagnostics } = await import("../../../diagnostics/render.js");
    const dir = mkdtempSync(join(tmpdir(), "vigil-secret-"));
    try {
      const file = join(dir, name);
      writeFileSync(file, source);
      const { diagnostics } = await compile([file], { typecheck: false });
      const found = diagnostics.filter((d) => d.code === "spec/secret");
      expect(found).toHaveLength(1);
      const text = renderDiagnostics(found, { cwd: dir, color: false });
      expect(text).toContain("a URL with a password (https://admin:****@wiki.example)");
      expect(text).toContain("https://admin:********@wiki.example/a");
      expect(text).not.toContain(SECRET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
