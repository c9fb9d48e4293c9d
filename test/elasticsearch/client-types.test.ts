/**
 * Every lifecycle policy and index template body — the goldens' `elasticsearch/**` and what the
 * emitter produces for the examples and their variants — type-checked against the official
 * client's request types (`@elastic/elasticsearch` 8.x, `estypes.IlmPutLifecycleRequest` and
 * `estypes.IndicesPutIndexTemplateRequest`): a generated TypeScript file assigns each body, as an
 * object literal so excess-property checks apply at every level, and the TypeScript compiler
 * must report nothing. A misspelt key is reported.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { listFiles } from "../../src/write/writer.js";
import { REPO } from "../helpers.js";
import { emitLogs, exampleSpec, LOG_EXAMPLES, withLogs } from "../logstash/examples.js";

interface Body {
  /** Where it comes from, for messages. */
  origin: string;
  kind: "ilm" | "template";
  name: string;
  json: string;
}

/** `{ "name": ..., <the body's members> }` as TypeScript, typed by the request it is the body of. */
function source(bodies: readonly Body[]): string {
  const lines = ['import type { estypes } from "@elastic/elasticsearch";', ""];
  bodies.forEach((b, i) => {
    const type = b.kind === "ilm" ? "estypes.IlmPutLifecycleRequest" : "estypes.IndicesPutIndexTemplateRequest";
    const members = b.json.trim().replace(/^\{/, "");
    lines.push(`// ${b.origin}`, `export const body${i}: ${type} = { "name": ${JSON.stringify(b.name)},${members};`, "");
  });
  return lines.join("\n");
}

/** Runs the compiler on the generated file (served from memory at a path in test/, so node_modules resolves). */
function typecheck(text: string): string[] {
  const file = join(REPO, "test/elasticsearch/__es_bodies__.ts");
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === file ? text : read(f));
  host.fileExists = (f) => f === file || exists(f);
  host.getSourceFile = (f, v, onError, create) => (f === file ? ts.createSourceFile(f, text, v) : getSource(f, v, onError, create));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${where ? `${where.line + 1}:${where.character + 1} ` : ""}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

function bodiesOf(files: { path: string; content: string }[], origin: string): Body[] {
  return files
    .filter((f) => /^elasticsearch\/(ilm|index-templates)\/[^/]+\.json$/.test(f.path))
    .map((f) => ({ origin: `${origin}/${f.path}`, kind: f.path.startsWith("elasticsearch/ilm/") ? ("ilm" as const) : ("template" as const), name: f.path.split("/").pop()!.replace(/\.json$/, ""), json: f.content }));
}

async function allBodies(): Promise<Body[]> {
  const out: Body[] = [];
  for (const name of LOG_EXAMPLES) {
    const golden = join(REPO, "golden", name);
    out.push(...bodiesOf(listFiles(golden).filter((p) => p.startsWith("elasticsearch/")).map((path) => ({ path, content: readFileSync(join(golden, path), "utf8") })), `golden/${name}`));
    const spec = await exampleSpec(name);
    out.push(...bodiesOf(emitLogs([spec]), `emitted/${name}`));
    out.push(...bodiesOf(emitLogs([withLogs(spec, { indices: "dataStream" })]), `emitted/${name} (data streams)`));
  }
  return out;
}

describe("Elasticsearch bodies against the official client's request types", () => {
  it("every ILM policy and index template type-checks", async () => {
    const bodies = await allBodies();
    const errors = typecheck(source(bodies));
    expect(errors).toEqual([]);
    const count = (k: Body["kind"]) => bodies.filter((b) => b.kind === k).length;
    console.log(`ES type check: ${bodies.length} bodies (${count("ilm")} IlmPutLifecycleRequest, ${count("template")} IndicesPutIndexTemplateRequest)`);
    expect(count("ilm")).toBeGreaterThanOrEqual(16);
    expect(count("template")).toBe(count("ilm"));
  }, 120_000);

  it("catches a misspelt key, at the top and deep in a body", async () => {
    const bodies = (await allBodies()).filter((b) => b.origin.startsWith("emitted/halcytone/"));
    const template = bodies.find((b) => b.kind === "template")!;
    const ilm = bodies.find((b) => b.kind === "ilm")!;
    const broken: Body[] = [
      { ...template, json: template.json.replace('"priority"', '"priorty"') },
      { ...template, json: template.json.replace('"ignore_malformed"', '"ignore_malformd"') },
      { ...ilm, json: ilm.json.replace('"min_age"', '"minage"') },
      { ...ilm, json: ilm.json.replace('"set_priority"', '"set_priorty"') },
    ];
    broken.forEach((b, i) => expect(b.json, `case ${i} changed`).not.toBe((i < 2 ? template : ilm).json));
    const errors = typecheck(source(broken));
    for (const key of ["priorty", "ignore_malformd", "minage", "set_priorty"]) expect(errors.join("\n"), key).toMatch(new RegExp(`TS2353: .*'"${key}"' does not exist in type`));
  }, 120_000);
});
