/**
 * The generated Logstash pipelines, read back with our parser of the Logstash grammar: every
 * golden `.conf` parses and means what the spec says; arbitrary field names and values either
 * give a diagnostic or a config that parses and carries them unchanged; the Elasticsearch
 * lifecycle policies and index templates have the documented shape.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { specWith } from "../../src/lint/tester.js";
import { emitLogstash } from "../../src/logstash/index.js";
import { normalizeModel } from "../../src/normalize/index.js";
import { compile } from "../../src/compile.js";
import type { LogsSpec, MonitoringSpec } from "../../src/spec/types.js";
import { listFiles } from "../../src/write/writer.js";
import { REPO } from "../helpers.js";
import yaml from "js-yaml";
import { findPlugins, parseLogstash, stringValue, type ArrayValue, type Config, type HashValue, type Plugin } from "./parser.js";

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

/** Every `.conf` of an output tree, by pipeline id. */
function pipelines(files: { path: string; content: string }[]): Map<string, Config> {
  const out = new Map<string, Config>();
  for (const f of files.filter((x) => x.path.startsWith("logstash/pipeline/"))) out.set(f.path.slice("logstash/pipeline/".length, -".conf".length), parseLogstash(f.content));
  return out;
}
const attr = (p: Plugin, name: string) => p.attributes.find((a) => (a.name.type === "Name" ? a.name.value : a.name.value) === name);

const ilmSchema = {
  type: "object",
  required: ["policy"],
  additionalProperties: false,
  properties: {
    policy: {
      type: "object",
      required: ["phases"],
      properties: {
        phases: {
          type: "object",
          propertyNames: { enum: ["hot", "warm", "cold", "frozen", "delete"] },
          additionalProperties: {
            type: "object",
            required: ["actions"],
            properties: {
              min_age: { type: "string", pattern: "^[0-9]+(ms|s|m|h|d)$" },
              actions: {
                type: "object",
                properties: {
                  rollover: { type: "object", minProperties: 1, properties: { max_age: { type: "string", pattern: "^[0-9]+(ms|s|m|h|d)$" }, max_primary_shard_size: { type: "string", pattern: "^[0-9]+(b|kb|mb|gb|tb)$" } } },
                  set_priority: { type: "object", required: ["priority"], properties: { priority: { type: "integer", minimum: 0 } } },
                  delete: { type: "object" },
                },
              },
            },
          },
        },
      },
    },
  },
};
const templateSchema = {
  type: "object",
  required: ["index_patterns", "template"],
  properties: {
    // Index names are lower case and may not start with -, _ or +.
    index_patterns: { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z0-9][a-z0-9._*-]*\\*$" } },
    priority: { type: "integer", minimum: 0 },
    data_stream: { type: "object", maxProperties: 0 },
    template: { type: "object", required: ["settings", "mappings"], properties: { settings: { type: "object", required: ["index.lifecycle.name"] }, mappings: { type: "object", required: ["properties"] } } },
  },
};

/** Structure every emitted log output must have, whatever the spec. */
function checkLogOutput(files: { path: string; content: string }[]): Map<string, Config> {
  const confs = pipelines(files);
  // pipelines.yml lists exactly the pipeline files.
  const listed = (yaml.load(files.find((f) => f.path === "logstash/pipelines.yml")!.content) as { "pipeline.id": string; "path.config": string }[]).map((p) => {
    expect(p["path.config"]).toBe(`/usr/share/logstash/pipeline/${p["pipeline.id"]}.conf`);
    return p["pipeline.id"];
  });
  expect([...listed].sort()).toEqual([...confs.keys()].sort());
  // Every address sent to has exactly one pipeline reading it, and every pipeline input is sent to.
  const sent = [...confs.values()].flatMap((c) => findPlugins(c, "output", "pipeline").map((p) => stringValue((attr(p, "send_to")!.value as ArrayValue).elements[0])));
  const read = [...confs.values()].flatMap((c) => findPlugins(c, "input", "pipeline").map((p) => stringValue(attr(p, "address"))));
  expect([...sent].sort()).toEqual([...read].sort());
  expect(new Set(read).size).toBe(read.length);
  for (const c of confs.values()) {
    // The only `in` is the tag test, where a field reference on the right is meant.
    for (const node of nodes<{ left: { type: string }; right: { type: string; raw?: string } }>(c, "In")) {
      expect(node.left.type).toBe("String");
      expect(node.right.raw).toBe("[tags]");
    }
    // Elasticsearch is always ${ENV}, never a literal host; indices are daily or data streams.
    for (const es of findPlugins(c, "output", "elasticsearch")) {
      expect(stringValue((attr(es, "hosts")!.value as ArrayValue).elements[0])).toMatch(/^\$\{[A-Z_][A-Z0-9_]*\}$/);
      const index = attr(es, "index");
      if (index) expect(stringValue(index)).toMatch(/^logs-[a-z0-9-]+-%\{\+YYYY\.MM\.dd\}$/);
      else expect(stringValue(attr(es, "data_stream"))).toBe("true");
    }
  }
  const ajv = new Ajv({ strict: false });
  const policy = ajv.compile(ilmSchema);
  const template = ajv.compile(templateSchema);
  const ilm = files.filter((f) => f.path.startsWith("elasticsearch/ilm/"));
  const templates = files.filter((f) => f.path.startsWith("elasticsearch/index-templates/"));
  expect(ilm.length).toBeGreaterThan(1);
  expect(templates.map((f) => f.path.split("/").pop())).toEqual(ilm.map((f) => f.path.split("/").pop()));
  for (const f of ilm) expect(policy(JSON.parse(f.content)), `${f.path} ${JSON.stringify(policy.errors)}`).toBe(true);
  for (const f of templates) {
    const t = JSON.parse(f.content) as { template: { settings: Record<string, string> } };
    expect(template(t), `${f.path} ${JSON.stringify(template.errors)}`).toBe(true);
    expect(files.map((x) => x.path)).toContain(`elasticsearch/ilm/${t.template.settings["index.lifecycle.name"]}.json`);
  }
  return confs;
}

const emitFor = (logs: LogsSpec) => {
  const { model, diagnostics } = normalizeModel([specWith({ logs })]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return emitLogstash(model).files;
};

describe.each(EXAMPLES)("example %s: Logstash", (name) => {
  const golden = join(REPO, "golden", name);
  const files = listFiles(golden)
    .filter((f) => f.startsWith("logstash/") || f.startsWith("elasticsearch/"))
    .map((path) => ({ path, content: readFileSync(join(golden, path), "utf8") }));

  it("every pipeline parses; routes, pipelines.yml, outputs, policies and templates fit together", () => {
    const confs = checkLogOutput(files);
    // Both seeds keep security and audit for a year: a distributor and one pipeline per route.
    expect(confs.size).toBe(5);
  });

  it("the distributor parses JSON, falls back for other lines, samples, and sends each route to its pipeline", () => {
    const main = parseLogstash(files.find((f) => f.path === `logstash/pipeline/${name === "halcytone" ? "halcytone-content-generator" : name}.conf`)!.content);
    expect(findPlugins(main, "filter", "json")).toHaveLength(1);
    expect(findPlugins(main, "filter", name === "halcytone" ? "grok" : "dissect")).toHaveLength(1);
    const sample = findPlugins(main, "filter", "drop").find((d) => attr(d, "percentage"));
    expect((attr(sample!, "percentage")!.value as { value: number }).value).toBe(name === "halcytone" ? 95 : 90);
    expect(findPlugins(main, "output", "elasticsearch")).toHaveLength(0);
    expect(findPlugins(main, "output", "pipeline")).toHaveLength(4);
  });
});

describe("variants", () => {
  const fields: LogsSpec["fields"] = [
    { name: "level", type: "keyword" },
    { name: "logger", type: "keyword" },
    { name: "message", type: "string" },
  ];

  it("one service-wide retention: one pipeline that writes the indices itself", () => {
    const files = emitFor({ fields, categories: [{ name: "error", when: { level: ["ERROR"] } }] });
    const confs = checkLogOutput(files);
    expect([...confs.keys()]).toEqual(["svc"]);
    const outputs = findPlugins(confs.get("svc")!, "output", "elasticsearch").map((es) => stringValue(attr(es, "index")));
    expect(outputs).toEqual(["logs-svc-deadletter-%{+YYYY.MM.dd}", "logs-svc-%{+YYYY.MM.dd}"]);
  });

  it("data streams: one per category via the data_stream fields, templates with data_stream and rollover policies", () => {
    const files = emitFor({ fields, indices: "dataStream", categories: [{ name: "security", when: { loggerPrefix: ["auth"] }, retentionDays: 90 }] });
    const confs = checkLogOutput(files);
    expect([...confs.keys()]).toEqual(["svc"]);
    const added = findPlugins(confs.get("svc")!, "filter", "mutate").flatMap((m) => (attr(m, "add_field")?.value as HashValue | undefined)?.entries ?? []);
    const datasets = added.filter((e) => stringValue(e.key) === "[data_stream][dataset]").map((e) => stringValue(e.value));
    expect(datasets).toEqual(["svc.deadletter", "svc.%{[event][category]}"]);
    const templates = Object.fromEntries(files.filter((f) => f.path.startsWith("elasticsearch/index-templates/")).map((f) => [f.path.split("/").pop(), JSON.parse(f.content)]));
    // 300 + the literal prefix: the category's own pattern wins over the service-wide one, both over logs-*-* (100).
    expect(templates["logs-svc.json"]).toMatchObject({ index_patterns: ["logs-svc.*-*"], priority: 309, data_stream: {} });
    expect(templates["logs-svc-security.json"]).toMatchObject({ index_patterns: ["logs-svc.security-*"], priority: 318, data_stream: {} });
    const policy = JSON.parse(files.find((f) => f.path === "elasticsearch/ilm/logs-svc-security.json")!.content);
    expect(policy.policy.phases.hot.actions.rollover).toEqual({ max_age: "1d", max_primary_shard_size: "50gb" });
    expect(policy.policy.phases.delete.min_age).toBe("90d");
  });

  it("two services whose pipeline ids would clash: VIG2031, and compile writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-logs-clash-"));
    try {
      const team = { teams: [{ name: "team-a", receivers: [{ name: "hook", kind: "webhook" as const, url: "https://hooks.example.com/a" }] }], alertmanager: { catchAll: { team: "team-a", receiver: "hook" } } };
      const api: MonitoringSpec = { ...team, service: { name: "api", team: "team-a" }, logs: { fields, categories: [{ name: "security", when: { loggerPrefix: ["auth"] }, retentionDays: 365 }] } };
      // api's route to its service-wide index is pipeline api-main. (A service api-security would also write api's security indices: VIG2031 from normalize, in src/normalize/logs.test.ts.)
      const apiSecurity: MonitoringSpec = { ...team, service: { name: "api-main", team: "team-a" }, logs: { fields, source: { kind: "beats", port: 5045 } } };
      writeFileSync(join(dir, "a.json"), JSON.stringify(api));
      writeFileSync(join(dir, "b.json"), JSON.stringify(apiSecurity));
      const result = await compile([join(dir, "a.json"), join(dir, "b.json")]);
      expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual(['VIG2031 Logstash pipeline "api-main" of service "api-main" is also a pipeline of service "api"']);
      expect(result.files).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a category and masks of the spec's own pass the types, the schema and normalize, in TypeScript and JSON specs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-logs-own-"));
    try {
      const logs = {
        fields: [...fields, { name: "iban", type: "keyword", pii: "remove" }],
        categories: [{ name: "billing_events", when: { loggerPrefix: ["app.billing"] }, retentionDays: 400 }],
        masks: [{ name: "iban", pattern: "\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\\b", replacement: "[IBAN]" }, { name: "order-ref", pattern: "ORD-[0-9]+" }],
      };
      const team = { teams: [{ name: "team-a", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/a" }] }], alertmanager: { catchAll: { team: "team-a", receiver: "hook" } } };
      const ts = join(dir, "monitoring.ts");
      writeFileSync(ts, `import { defineMonitoring } from "vigil-monitoring";\nexport default defineMonitoring(${JSON.stringify({ service: { name: "svc", team: "team-a" }, ...team, logs }, null, 2)});\n`);
      const json = join(dir, "other.json");
      writeFileSync(json, JSON.stringify({ service: { name: "other", team: "team-a" }, ...team, logs: { ...logs, source: { kind: "beats", port: 5045 } } }));
      const result = await compile([ts, json]);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      for (const service of ["svc", "other"]) {
        const file = (path: string) => result.files.find((f) => f.path === path)?.content;
        expect(JSON.parse(file(`elasticsearch/ilm/logs-${service}-billing_events.json`)!).policy.phases.delete.min_age).toBe("400d");
        expect(JSON.parse(file(`elasticsearch/index-templates/logs-${service}-billing_events.json`)!).index_patterns).toEqual([`logs-${service}-billing_events-*`]);
        const conf = file(`logstash/pipeline/${service}.conf`)!;
        expect(conf).toContain('"[event][category]" => "billing_events"');
        expect(conf).toContain('"\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\\b", "[IBAN]"');
        expect(conf).toContain('"ORD-[0-9]+", "[REDACTED]"');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("file and http sources", () => {
    const file = parseLogstash(emitFor({ fields, source: { kind: "file", paths: ["/var/log/app/*.log", "/srv/app's logs/x.log"] } }).find((f) => f.path.endsWith(".conf"))!.content);
    expect((attr(findPlugins(file, "input", "file")[0]!, "path")!.value as ArrayValue).elements.map((e) => stringValue(e))).toEqual(["/var/log/app/*.log", "/srv/app's logs/x.log"]);
    const http = parseLogstash(emitFor({ fields, source: { kind: "http", port: 8081 } }).find((f) => f.path.endsWith(".conf"))!.content);
    expect((attr(findPlugins(http, "input", "http")[0]!, "port")!.value as { value: number }).value).toBe(8081);
  });

  it("sampling writes the dropped share as exact decimal text; 0 drops all, 100 keeps all", () => {
    const conf = emitFor({
      fields,
      sampling: [
        { when: { level: ["DEBUG"] }, keepPercent: 99.9 },
        { when: { level: ["TRACE"] }, keepPercent: 0 },
        { when: { level: ["INFO"] }, keepPercent: 100 },
      ],
    }).find((f) => f.path.endsWith(".conf"))!.content;
    expect(conf).toContain("percentage => 0.1\n");
    const drops = findPlugins(parseLogstash(conf), "filter", "drop");
    expect(drops.map((d) => (attr(d, "percentage")?.value as { raw: string } | undefined)?.raw ?? "all")).toEqual(["0.1", "all"]);
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

  it(`${COUNT} logger prefixes: the regexp literal parses and matches exactly the lines that start with the prefix`, () => {
    const prefixes = [...cases(13, COUNT), "", "a/b", "a\\", "\\/", "${HOME}", "%{x}", ".*", "(?i)", "日本/語"];
    for (const prefix of prefixes) {
      const files = emitFor({ fields: [{ name: "logger", type: "keyword" }], categories: [{ name: "security", when: { loggerPrefix: [prefix] } }] });
      const conf = files.find((f) => f.path.endsWith(".conf"))!.content;
      const matches = nodes<{ right: { type: string; pattern: string } }>(parseLogstash(conf), "RegexpMatch");
      expect(matches, `${JSON.stringify(prefix)}\n${conf}`).toHaveLength(1);
      const source = matches[0]!.right.pattern;
      expect(/\$\{|%\{/.test(source)).toBe(false);
      // Joni and JavaScript read the escapes used (\xNN below 0x80, \. and the like) alike.
      const re = new RegExp(source);
      expect(re.test(`${prefix}.tail`), JSON.stringify({ prefix, source })).toBe(true);
      if (prefix) expect(re.test(`x${prefix}`) && !`x${prefix}`.startsWith(prefix)).toBe(false);
    }
  });

  it(`${COUNT} field values, file paths and grok patterns: a diagnostic, or carried unchanged`, () => {
    let written = 0;
    let refused = 0;
    const values = [...cases(17, COUNT)];
    values.forEach((value) => {
      const logs: LogsSpec = {
        fields: [
          { name: "environment", type: "keyword" },
          { name: "message", type: "string" },
        ],
        source: { kind: "file", paths: [`/var/log/${value}`] },
        nonJson: { grok: `%{WORD:environment}${value}%{GREEDYDATA:message}` },
        sampling: [{ when: { fieldEquals: { environment: value } }, keepPercent: 50 }],
      };
      const { model, diagnostics } = normalizeModel([specWith({ logs })]);
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        expect(errors.every((d) => ["VIG2029", "VIG2031"].includes(d.code)), errors.map((d) => d.message).join("; ")).toBe(true);
        refused++;
        return;
      }
      const conf = emitLogstash(model).files.find((f) => f.path.endsWith(".conf"))!.content;
      let s: string[] = [];
      expect(() => (s = strings(conf)), `${JSON.stringify(value)}\n${conf}`).not.toThrow();
      expect(s).toContain(value);
      expect(s).toContain(`/var/log/${value}`);
      expect(s).toContain(`%{WORD:environment}${value}%{GREEDYDATA:message}`);
      expect(value.includes("${")).toBe(false);
      written++;
    });
    expect(written).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});

