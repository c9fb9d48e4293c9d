import { describe, expect, it } from "vitest";
import type { AlertSpec, MonitoringSpec, SloSpec } from "../../../spec/types.js";
import { lintRuleFile, lintWith, ruleFileAlert, specWith } from "../../tester.js";
import { findSecret, rule } from "./secret.js";

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
  ])("invalid: %s", (_, spec, secret, path, text) => {
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["spec/secret"]);
    expect(found[0]!.at?.path).toEqual(path);
    expect(found[0]!.message).toContain(text);
    expect(`${found[0]!.message} ${found[0]!.hint}`).not.toContain(secret);
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
