/**
 * The generated Logstash pipelines, read back with our parser of the Logstash grammar: every
 * golden `.conf` parses and means what the spec says; arbitrary field names and values either
 * give a diagnostic or a config that parses and carries them unchanged; the Elasticsearch
 * lifecycle policies and index templates have the documented shape.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { specWith } from "../../src/lint/tester.js";
import { emitLogstash } from "../../src/logstash/index.js";
import { normalizeModel } from "../../src/normalize/index.js";
import type { LogsSpec } from "../../src/spec/types.js";
import { listFiles } from "../../src/write/writer.js";
import { REPO } from "../helpers.js";
import { parseLogstash } from "./parser.js";

const EXAMPLES = ["halcytone", "novel-engine"];

/** Every node of a parsed config with the given `type`. */
function nodes<T>(value: unknown, type: string, out: T[] = []): T[] {
  if (Array.isArray(value)) value.forEach((v) => nodes(v, type, out));
  else if (value && typeof value === "object") {
    if ((value as { type?: string }).type === type) out.push(value as T);
    for (const v of Object.values(value)) nodes(v, type, out);
  }
  return out;
}
const strings = (conf: string) => nodes<{ value: string }>(parseLogstash(conf), "String").map((s) => s.value);

describe.each(EXAMPLES)("example %s: Logstash", (name) => {
  const golden = join(REPO, "golden", name);
  const files = listFiles(golden);
  const conf = readFileSync(join(golden, files.find((f) => f.startsWith("logstash/pipeline/"))!), "utf8");

  it("the pipeline parses with the Logstash grammar", () => {
    expect(() => parseLogstash(conf)).not.toThrow();
  });

  it("writes daily indices, the dead-letter index and ${ES_HOSTS}, never a literal host", () => {
    const s = strings(conf);
    expect(s.filter((v) => v.startsWith("logs-")).every((v) => v.endsWith("-%{+YYYY.MM.dd}"))).toBe(true);
    expect(s.some((v) => v.includes("-deadletter-"))).toBe(true);
    expect(s).toContain("${ES_HOSTS}");
  });

  it("compares levels with == (an `in` list can be misread as a field reference)", () => {
    // The one `in` left is `"_jsonparsefailure" in [tags]`, where the field reference is meant.
    expect(nodes(parseLogstash(conf), "In")).toHaveLength(1);
  });

  it("the lifecycle policies and index templates have the documented shape", () => {
    const ajv = new Ajv({ strict: false });
    const policy = ajv.compile({
      type: "object",
      required: ["policy"],
      additionalProperties: false,
      properties: {
        policy: {
          type: "object",
          required: ["phases"],
          properties: { phases: { type: "object", propertyNames: { enum: ["hot", "warm", "cold", "frozen", "delete"] }, additionalProperties: { type: "object", required: ["actions"], properties: { min_age: { type: "string", pattern: "^[0-9]+(ms|s|m|h|d)$" }, actions: { type: "object" } } } } },
        },
      },
    });
    const template = ajv.compile({
      type: "object",
      required: ["index_patterns", "template"],
      properties: {
        index_patterns: { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*\\*$" } },
        priority: { type: "integer", minimum: 0 },
        template: { type: "object", required: ["settings", "mappings"], properties: { settings: { type: "object", required: ["index.lifecycle.name"] }, mappings: { type: "object", required: ["properties"] } } },
      },
    });
    const ilm = files.filter((f) => f.startsWith("elasticsearch/ilm/"));
    const templates = files.filter((f) => f.startsWith("elasticsearch/index-templates/"));
    expect(ilm.length).toBeGreaterThan(1);
    expect(templates.map((f) => f.split("/").pop())).toEqual(ilm.map((f) => f.split("/").pop()));
    for (const f of ilm) expect(policy(JSON.parse(readFileSync(join(golden, f), "utf8"))), `${f} ${JSON.stringify(policy.errors)}`).toBe(true);
    for (const f of templates) {
      const t = JSON.parse(readFileSync(join(golden, f), "utf8")) as { template: { settings: Record<string, string> } };
      expect(template(t), `${f} ${JSON.stringify(template.errors)}`).toBe(true);
      expect(files).toContain(`elasticsearch/ilm/${t.template.settings["index.lifecycle.name"]}.json`);
    }
  });
});

/** Deterministic pseudo-random strings over an alphabet full of the language's traps. */
function* cases(seed: number, count: number): Generator<string> {
  const alphabet = ['"', "'", "\\", "\n", "%{", "${", "[", "]", "{", "}", "#", "=>", " ", ",", "/", "é", "日", "a", "b", "Z", "_", "1", "."];
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    const n = 1 + (next() % 6);
    yield Array.from({ length: n }, () => alphabet[next() % alphabet.length]).join("");
  }
}

describe("arbitrary names and values: a diagnostic, or a config that parses and carries them unchanged", () => {
  const COUNT = 400;
  it(`${COUNT} field names and ${COUNT} level values`, () => {
    let written = 0;
    let refused = 0;
    const names = [...cases(7, COUNT)];
    const levels = [...cases(11, COUNT)];
    names.forEach((field, i) => {
      const level = levels[i]!;
      const logs: LogsSpec = {
        fields: [
          { name: "level", type: "keyword" },
          { name: field, type: "keyword", pii: "remove" },
        ],
        categories: [{ name: "error", when: { level: [level, "ERROR"] } }],
        dropLevels: [level],
      };
      const { model, diagnostics } = normalizeModel([specWith({ logs })]);
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        expect(errors.every((d) => ["VIG2029", "VIG2004", "VIG2030"].includes(d.code)), errors.map((d) => d.message).join("; ")).toBe(true);
        refused++;
        return;
      }
      const conf = emitLogstash(model).files.find((f) => f.path.endsWith(".conf"))!.content;
      let s: string[] = [];
      expect(() => (s = strings(conf)), `${JSON.stringify({ field, level })}\n${conf}`).not.toThrow();
      expect(s).toContain(level);
      // Nothing a user wrote reaches the config as a reference Logstash would substitute.
      expect(/\$\{|%\{/.test(level) || /\$\{|%\{/.test(field)).toBe(false);
      expect(s).toContain(field.split(".").map((p) => `[${p}]`).join(""));
      written++;
    });
    // Both outcomes occur: the test exercises the writer and the refusals.
    expect(written).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
