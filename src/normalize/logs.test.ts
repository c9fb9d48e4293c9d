import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import type { LogsSpec, MonitoringSpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";
import { BUILTIN_MASKS } from "./logs.js";

const fields: LogsSpec["fields"] = [
  { name: "level", type: "keyword" },
  { name: "logger", type: "keyword" },
  { name: "request_id", type: "keyword" },
];
const diags = (logs: LogsSpec) => normalizeModel([specWith({ logs })]).diagnostics.map((d) => [d.code, d.at?.path.join("."), d.message]);

describe("logs", () => {
  it("applies defaults: Beats on 5044, 30 days, ECS trace.id, LOG_HASH_KEY and ES_HOSTS", () => {
    const { model, diagnostics } = normalizeModel([specWith({ logs: { fields, correlation: { field: "request_id" } } })]);
    expect(diagnostics).toEqual([]);
    expect(model.services[0]!.logs).toMatchObject({ source: { kind: "beats", port: 5044 }, retentionDays: 30, correlation: { from: ["request_id"], to: ["trace", "id"] }, hashKeyEnv: "LOG_HASH_KEY", elasticsearchEnv: "ES_HOSTS" });
  });

  it("reports unknown fields and conditions on undeclared logger/level (VIG2030), and empty categories (VIG2031)", () => {
    expect(diags({ fields: [{ name: "msg", type: "string" }], correlation: { field: "reqid" }, categories: [{ name: "error", when: { level: ["ERROR"] } }, { name: "audit", when: {} }] })).toEqual([
      ["VIG2030", "logs.categories.0.when.level", 'unknown log field "level"'],
      ["VIG2031", "logs.categories.1.when", 'category "audit" has no condition'],
      ["VIG2030", "logs.correlation.field", 'unknown log field "reqid"'],
    ]);
  });

  it("refuses what the config language cannot carry (VIG2029) and duplicate fields (VIG2004)", () => {
    expect(diags({ fields: [...fields, { name: 'a"b\'c', type: "keyword" }, { name: "x[0]", type: "keyword" }, { name: "level", type: "keyword" }, { name: "${HOME}", type: "keyword" }], dropLevels: ["DEBUG\\", "%{[x]}"], hashKeyEnv: "not-a-name" }).map((d) => [d[0], d[1]])).toEqual([
      ["VIG2029", "logs.fields.3.name"],
      ["VIG2029", "logs.fields.4.name"],
      ["VIG2004", "logs.fields.5.name"],
      ["VIG2029", "logs.fields.6.name"],
      ["VIG2029", "logs.dropLevels.0"],
      ["VIG2029", "logs.dropLevels.1"],
      ["VIG2029", "logs.hashKeyEnv"],
    ]);
  });

  it("reads sources: file paths must be absolute and take no port; network sources take no paths (VIG2031)", () => {
    const file = normalizeModel([specWith({ logs: { fields, source: { kind: "file", paths: ["/var/log/app/*.log"] } } })]);
    expect(file.diagnostics).toEqual([]);
    expect(file.model.services[0]!.logs!.source).toEqual({ kind: "file", paths: ["/var/log/app/*.log"] });
    expect(normalizeModel([specWith({ logs: { fields, source: { kind: "http" } } })]).model.services[0]!.logs!.source).toEqual({ kind: "http", port: 8080 });
    expect(diags({ fields, source: { kind: "file", paths: ["logs/app.log"], port: 5044 } }).map((d) => [d[0], d[1]])).toEqual([
      ["VIG2031", "logs.source.port"],
      ["VIG2031", "logs.source.paths.0"],
    ]);
    expect(diags({ fields, source: { kind: "file" } }).map((d) => d[2])).toEqual(["a file source needs paths"]);
    expect(diags({ fields, source: { kind: "beats", paths: ["/x"] } }).map((d) => d[2])).toEqual(["a beats source has no paths"]);
  });

  it("checks grok and dissect fallbacks: pattern names, capture syntax, declared fields (VIG2031, VIG2030)", () => {
    const nonJson = (n: LogsSpec["nonJson"]) => diags({ fields: [...fields, { name: "message", type: "string" }, { name: "http.status", type: "number" }], nonJson: n });
    expect(nonJson({ grok: "%{LOGLEVEL:level} \\[%{NOTSPACE:logger}\\] %{NUMBER:[http][status]:int} %{GREEDYDATA:message}" })).toEqual([]);
    expect(nonJson({ dissect: "%{?ts} %{level} [%{logger}] %{+message} %{}" })).toEqual([]);
    expect(nonJson({ grok: "%{LOGLEVL:level}" })).toEqual([["VIG2031", "logs.nonJson.grok", "grok pattern, at character 1: unknown grok pattern LOGLEVL"]]);
    expect(nonJson({ grok: "x %{loglevel:level}" })[0]![2]).toMatch(/at character 3: .* does not start with a pattern name in capitals/);
    expect(nonJson({ grok: "%{WORD:level:long}" })[0]![2]).toMatch(/may only be int or float/);
    expect(nonJson({ grok: "%{WORD:http.status}" })[0]![2]).toMatch(/nested fields are written \[a\]\[b\]/);
    expect(nonJson({ grok: "%{WORD:levle}" })).toEqual([["VIG2030", "logs.nonJson.grok", 'unknown log field "levle"']]);
    expect(nonJson({ grok: "(?<lvl>\\w+)" })).toEqual([["VIG2030", "logs.nonJson.grok", 'unknown log field "lvl"']]);
    expect(nonJson({ grok: "%{WORD:level" })[0]![2]).toMatch(/unclosed %\{/);
    expect(nonJson({ dissect: "%{*key} %{&key}" })[0]![2]).toMatch(/names fields after values/);
    expect(nonJson({ dissect: "no keys" })[0]![2]).toMatch(/at least one %\{field\}/);
    expect(nonJson({ grok: "%{WORD:level} ${HOME}" })[0]![2]).toMatch(/holds \$\{, which Logstash would substitute/);
    expect(nonJson({})[0]![2]).toBe("logs.nonJson needs exactly one of grok and dissect");
    expect(nonJson({ grok: "%{WORD:level}", dissect: "%{level}" })[0]![2]).toBe("logs.nonJson needs exactly one of grok and dissect");
  });

  it("reads sampling rules: every field named is declared, every value writable, a condition given", () => {
    const { model, diagnostics } = normalizeModel([
      specWith({ logs: { fields: [...fields, { name: "environment", type: "keyword" }], sampling: [{ when: { level: ["DEBUG", "TRACE"], fieldEquals: { environment: "production" } }, keepPercent: 12.5 }] } }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(model.services[0]!.logs!.sampling).toEqual([{ when: { loggerPrefix: [], level: ["DEBUG", "TRACE"], fieldPresent: [], fieldEquals: [{ path: ["environment"], value: "production" }] }, keepPercent: 12.5 }]);
    expect(diags({ fields, sampling: [{ when: { fieldEquals: { env: 'a"b\'c' } }, keepPercent: 5 }, { when: {}, keepPercent: 0 }] }).map((d) => [d[0], d[1]])).toEqual([
      ["VIG2030", "logs.sampling.0.when.fieldEquals.env"],
      ["VIG2029", "logs.sampling.0.when.fieldEquals.env"],
      ["VIG2031", "logs.sampling.1.when"],
    ]);
  });

  it("takes categories of the user's own; names that cannot be index names, main and deadletter are VIG2031, a repeated name VIG2004", () => {
    const { model, diagnostics } = normalizeModel([specWith({ logs: { fields, categories: [{ name: "billing_events", when: { loggerPrefix: ["app.billing"] }, retentionDays: 400 }] } })]);
    expect(diagnostics).toEqual([]);
    expect(model.services[0]!.logs!.categories).toMatchObject([{ name: "billing_events", retentionDays: 400, loggerPrefix: ["app.billing"] }]);
    const when = { level: ["ERROR"] };
    const result = normalizeModel([
      specWith({
        logs: {
          fields,
          categories: [
            { name: "Billing", when },
            { name: "billing-events", when },
            { name: "9lives", when },
            { name: "x".repeat(65), when },
            { name: "main", when },
            { name: "deadletter", when },
            { name: "security", when },
            { name: "security", when },
            { name: "x".repeat(64), when },
          ],
        },
      }),
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.at?.path.join("."), d.message, d.hint])).toEqual([
      ["VIG2031", "logs.categories.0.name", 'category name "Billing" is not lower case letters, digits and _ (starting with a letter, at most 64)', "it becomes part of index and data stream names"],
      ["VIG2031", "logs.categories.1.name", 'category name "billing-events" is not lower case letters, digits and _ (starting with a letter, at most 64)', "it becomes part of index and data stream names"],
      ["VIG2031", "logs.categories.2.name", 'category name "9lives" is not lower case letters, digits and _ (starting with a letter, at most 64)', "it becomes part of index and data stream names"],
      ["VIG2031", "logs.categories.3.name", `category name "${"x".repeat(65)}" is not lower case letters, digits and _ (starting with a letter, at most 64)`, "it becomes part of index and data stream names"],
      ["VIG2031", "logs.categories.4.name", 'category name "main" is reserved', "main is the service-wide index"],
      ["VIG2031", "logs.categories.5.name", 'category name "deadletter" is reserved', "deadletter holds the lines that did not parse"],
      ["VIG2004", "logs.categories.7.name", 'category "security" is declared twice', undefined],
    ]);
    const twice = result.diagnostics.find((d) => d.code === "VIG2004")!;
    expect(twice.related?.map((r) => [r.message, r.at?.path.join(".")])).toEqual([["first declared here", "logs.categories.6.name"]]);
  });

  it("takes masks of the user's own after the built-in ones; a repeated or built-in name is VIG2004, a pattern that is no regexp or matches nothing VIG2031", () => {
    const { model, diagnostics } = normalizeModel([
      specWith({ logs: { fields, masks: [{ name: "iban", pattern: "\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\\b" }, { name: "ipv4", pattern: "(?i)ip=[0-9.]+", replacement: "ip=[IP]" }] } }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(model.services[0]!.logs!.masks).toEqual([
      ...BUILTIN_MASKS,
      { name: "iban", pattern: "\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\\b", replacement: "[REDACTED]" },
      { name: "ipv4", pattern: "(?i)ip=[0-9.]+", replacement: "ip=[IP]" },
    ]);
    expect(BUILTIN_MASKS.map((m) => m.name)).toEqual(["email", "bearer-token", "password", "card-number"]);
    expect(
      diags({
        fields,
        masks: [
          { name: "iban", pattern: "DE[0-9]{20}" },
          { name: "iban", pattern: "AT[0-9]{18}" },
          { name: "card-number", pattern: "[0-9]{16}" },
          { name: "unclosed", pattern: "(DE[0-9]{20}" },
          { name: "empty", pattern: "[0-9]*" },
          { name: "optional", pattern: "(?i)(secret)?" },
          { name: "substituted", pattern: "${HOME}" },
          { name: "quotes", pattern: "x", replacement: `a"b'c` },
        ],
      }),
    ).toEqual([
      ["VIG2004", "logs.masks.1.name", 'mask "iban" is declared twice'],
      ["VIG2004", "logs.masks.2.name", 'mask "card-number" is the name of a built-in mask'],
      ["VIG2031", "logs.masks.3.pattern", 'mask pattern "(DE[0-9]{20}" is not a regular expression'],
      ["VIG2031", "logs.masks.4.pattern", 'mask pattern "[0-9]*" matches the empty string'],
      ["VIG2031", "logs.masks.5.pattern", 'mask pattern "(?i)(secret)?" matches the empty string'],
      ["VIG2029", "logs.masks.6.pattern", 'mask pattern "${HOME}" cannot be written into the Logstash config: it holds ${ or %{, which Logstash would substitute'],
      ["VIG2029", "logs.masks.7.replacement", `mask replacement "a"b'c" cannot be written into the Logstash config: it contains both quote characters, which Logstash cannot write without escapes`],
    ]);
  });
});

describe("logs of services compiled together", () => {
  const service = (name: string, logs: Partial<LogsSpec> = {}): MonitoringSpec => specWith({ service: { name, team: "team-a" }, logs: { fields, ...logs } });
  const clashes = (specs: MonitoringSpec[]) => normalizeModel(specs).diagnostics.map((d) => [d.code, d.at?.spec, d.at?.path.join("."), d.message, d.related?.map((r) => [r.message, r.at?.spec, r.at?.path.join(".")])]);

  it("two inputs on one port are VIG2031 at the second service's port, whatever their kinds; file sources and distinct ports do not clash", () => {
    expect(clashes([service("a", { source: { kind: "beats", port: 5044 } }), service("b", { source: { kind: "beats", port: 5044 } })])).toEqual([
      ["VIG2031", 1, "logs.source.port", 'Logstash input port 5044 of service "b" is also the input port of service "a"', [["that input", 0, "logs.source.port"]]],
    ]);
    // The default ports (beats 5044, http 8080): the clash is at the source, or at logs when no source is given.
    expect(clashes([service("a"), service("b", { source: { kind: "beats" } }), service("c", { source: { kind: "http", port: 5044 } })]).map((d) => [d[1], d[2], d[3], d[4]])).toEqual([
      [1, "logs.source", 'Logstash input port 5044 of service "b" is also the input port of service "a"', [["that input", 0, "logs"]]],
      [2, "logs.source.port", 'Logstash input port 5044 of service "c" is also the input port of service "a"', [["that input", 0, "logs"]]],
    ]);
    const file = { kind: "file" as const, paths: ["/var/log/app.log"] };
    expect(clashes([service("a", { source: file }), service("b", { source: file }), service("c"), service("d", { source: { kind: "beats", port: 5045 } }), service("e", { source: { kind: "http" } })])).toEqual([]);
    const hint = normalizeModel([service("a"), service("b")]).diagnostics[0]!.hint;
    expect(hint).toBe("only one input can bind a port: give each service its own logs.source.port");
  });

  it("an index pattern another service's template also matches at the same priority is VIG2031 at the service name", () => {
    // api's security indices are logs-api-security-*, which is also service api-security's service-wide pattern.
    const api = service("api", { categories: [{ name: "security", when: { loggerPrefix: ["auth"] }, retentionDays: 365 }] });
    expect(clashes([api, service("api-security", { source: { kind: "beats", port: 5045 } })])).toEqual([
      ["VIG2031", 1, "service.name", 'index pattern "logs-api-security-*" of service "api-security" overlaps "logs-api-security-*" of service "api" at the same template priority', [["that service", 0, "service.name"]]],
    ]);
    // Data streams: datasets drop the dash, so a-b and a_b would write the same streams.
    const streams = (name: string, port: number) => service(name, { indices: "dataStream", source: { kind: "beats", port } });
    expect(clashes([streams("a-b", 5044), streams("a_b", 5045)]).map((d) => d[3])).toEqual(['index pattern "logs-a_b.*-*" of service "a_b" overlaps "logs-a_b.*-*" of service "a-b" at the same template priority']);
    // Prefixes of each other rank by length: no clash.
    expect(clashes([service("api"), service("api-gateway", { source: { kind: "beats", port: 5045 } }), service("api-x", { indices: "dataStream", source: { kind: "beats", port: 5046 } })])).toEqual([]);
  });
});
