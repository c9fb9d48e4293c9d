import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import type { LogsSpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";

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
});
