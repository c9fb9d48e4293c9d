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

  it("reports unknown fields, conditions on undeclared logger/level, and empty categories (VIG2030)", () => {
    expect(diags({ fields: [{ name: "msg", type: "string" }], correlation: { field: "reqid" }, categories: [{ name: "error", when: { level: ["ERROR"] } }, { name: "audit", when: {} }] })).toEqual([
      ["VIG2030", "logs.categories.0.when.level", 'unknown log field "level"'],
      ["VIG2030", "logs.categories.1.when", 'category "audit" has no condition'],
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
});
