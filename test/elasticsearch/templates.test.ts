/**
 * Retention that applies: every index the generated pipelines write (found by running one line
 * per category and a dead letter through the interpreted pipelines) gets, among Elasticsearch 8's
 * built-in templates and ours, exactly the template Vigil meant, with the lifecycle policy that
 * keeps it as long as the spec says; every template installs (no two overlapping templates of one
 * priority), and each write is of the op type its template takes.
 */
import { describe, expect, it } from "vitest";
import type { OutputFile } from "../../src/emit/types.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { emitLogs, exampleSpec, lineFor, LOG_EXAMPLES, withLogs } from "../logstash/examples.js";
import { LogstashRun } from "../logstash/interpret.js";
import { parseLogstash } from "../logstash/parser.js";
import { BUILTIN_TEMPLATES, putTemplates, selectTemplate, simpleMatch, writeOutcome, type IndexTemplate } from "./builtins.js";

const ENV = { ES_HOSTS: "http://es:9200", LOG_HASH_KEY: "k" };
const NOW = Date.UTC(2026, 0, 15, 12);

interface Row {
  index: string;
  opType: string;
  template: string;
  policy: string;
  days: number;
}

/** Writes one line per category, one for `application` and a dead letter; each index with its template and policy. */
function retention(specs: MonitoringSpec[]): { rows: Row[]; refused: string[] } {
  const files: OutputFile[] = emitLogs(specs);
  const json = (prefix: string) => files.filter((f) => f.path.startsWith(prefix)).map((f) => ({ name: f.path.split("/").pop()!.replace(/\.json$/, ""), body: JSON.parse(f.content) }));
  const ours: IndexTemplate[] = json("elasticsearch/index-templates/").map(({ name, body }) => ({ name, index_patterns: body.index_patterns, priority: body.priority, ...(body.data_stream ? { data_stream: body.data_stream } : {}), policy: body.template.settings["index.lifecycle.name"] }));
  const policies = new Map(json("elasticsearch/ilm/").map(({ name, body }) => [name, body]));
  // The built-ins are there first; then ours are PUT.
  const { installed, refused } = putTemplates([...BUILTIN_TEMPLATES, ...ours]);
  const confs = new Map(files.filter((f) => f.path.startsWith("logstash/pipeline/")).map((f) => [f.path.slice("logstash/pipeline/".length, -".conf".length), parseLogstash(f.content)]));
  const rows: Row[] = [];
  for (const spec of specs) {
    const logs = spec.logs!;
    const service = spec.service.name.toLowerCase();
    const retentionDays = logs.retentionDays ?? 30;
    const kinds = [...(logs.categories ?? []).map((c) => ({ line: lineFor(c.when), category: c.name, days: c.retentionDays ?? retentionDays, own: (c.retentionDays ?? retentionDays) !== retentionDays })), { line: lineFor(undefined), category: "application", days: retentionDays, own: false }, { line: "not json, no fallback matches", category: "deadletter", days: retentionDays, own: true }];
    for (const k of kinds) {
      // Lines reach the pipeline of the service whose input they arrive on.
      const run = new LogstashRun(confs, { env: ENV });
      run.receive(k.line, NOW, spec.service.name);
      expect(run.written, `${service} ${k.category}`).toHaveLength(1);
      const w = run.written[0]!;
      const category = k.category === "deadletter" ? "deadletter" : (w.doc.event as { category: string }).category;
      expect(category, `${service}: the line meant for ${k.category}`).toBe(k.category);
      const template = selectTemplate(installed, w.index);
      const intended = k.own ? `logs-${service}-${k.category}` : `logs-${service}`;
      expect(template?.name, `${w.index} (${w.opType})`).toBe(intended);
      expect(writeOutcome(template, w.opType), w.index).toBe("ok");
      // Exactly one of ours matches at its priority; a built-in matching too ranks lower.
      const matching = installed.filter((t) => t.index_patterns.some((p) => simpleMatch(p, w.index)));
      expect(matching.filter((t) => t.priority === template!.priority)).toHaveLength(1);
      const policy = policies.get(template!.policy!);
      expect(policy, `policy ${template!.policy}`).toBeDefined();
      expect(policy.policy.phases.delete.min_age).toBe(`${k.days}d`);
      rows.push({ index: w.index, opType: w.opType, template: template!.name, policy: template!.policy!, days: k.days });
    }
  }
  return { rows, refused: refused.map((r) => `${r.template.name} (conflicts with ${r.conflictsWith})`) };
}

const table = (rows: Row[]) => rows.map((r) => `  ${r.index} [${r.opType}] → template ${r.template} → ILM ${r.policy} (delete after ${r.days}d)`).join("\n");

describe("template selection with Elasticsearch 8's built-in templates", () => {
  for (const name of LOG_EXAMPLES) {
    for (const indices of ["daily", "dataStream"] as const) {
      it(`${name}, ${indices}: every written index gets the intended template and policy`, async () => {
        const spec = withLogs(await exampleSpec(name), { indices });
        const { rows, refused } = retention([spec]);
        expect(refused).toEqual([]);
        console.log(`${name} (${indices}):\n${table(rows)}`);
      });
    }
  }

  it("services whose names prefix each other, and a category of its own, compiled together", async () => {
    const base = await exampleSpec("halcytone");
    const api = withLogs({ ...base, service: { ...base.service, name: "api" } }, { source: { kind: "beats", port: 5045 }, categories: [{ name: "billing_events", when: { loggerPrefix: ["app.billing"] }, retentionDays: 400 }, ...base.logs!.categories!] });
    const gateway = withLogs({ ...base, service: { ...base.service, name: "api-gateway" } }, { source: { kind: "beats", port: 5046 } });
    const streams = withLogs({ ...base, service: { ...base.service, name: "api-stream" } }, { source: { kind: "beats", port: 5047 }, indices: "dataStream" });
    const { rows, refused } = retention([api, gateway, streams]);
    expect(refused).toEqual([]);
    expect(rows.map((r) => r.index)).toContain("logs-api-billing_events-2026.01.15");
    expect(rows.map((r) => r.index)).toContain("logs-api-gateway-2026.01.15");
  });

  it("the rule as Elasticsearch applies it: the old priority 100 clashes with logs-*-*, and daily writes into it are refused", () => {
    const old: IndexTemplate = { name: "logs-svc", index_patterns: ["logs-svc-*"], priority: 100 };
    expect(putTemplates([...BUILTIN_TEMPLATES, old]).refused.map((r) => r.conflictsWith)).toEqual(["logs"]);
    const selected = selectTemplate(BUILTIN_TEMPLATES, "logs-svc-2026.01.15");
    expect(selected?.name).toBe("logs");
    expect(writeOutcome(selected, "index")).toMatch(/rejected/);
  });
});
