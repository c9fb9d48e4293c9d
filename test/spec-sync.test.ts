/**
 * The reference files under spec/ are generated from code (`npm run golden:update`); the
 * committed copies must be exactly what the code generates, so a change to the schema or to the
 * diagnostic codes without regenerating them fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { generatedSpecFiles } from "../src/spec/generated.js";
import { REPO } from "./helpers.js";

const generated = generatedSpecFiles();

test("the generated reference files are the schema and the diagnostics table", () => {
  expect(generated.map((f) => f.path).sort()).toEqual(["spec/diagnostics.md", "spec/monitoring.schema.json"]);
});

describe.each(generated.map((f) => [f.path, f] as const))("%s", (path, file) => {
  test("is committed exactly as generated (run `npm run golden:update` after changing its source)", () => {
    const committed = readFileSync(join(REPO, path));
    // Compare bytes, so a stray BOM, CRLF or missing final newline fails too.
    expect(committed.equals(Buffer.from(file.content, "utf8")), `${path} is stale`).toBe(true);
  });
});

describe("spec/diagnostics.md", () => {
  const doc = readFileSync(join(REPO, "spec/diagnostics.md"), "utf8");
  const rows = doc.split("\n").filter((l) => /^\| VIG\d{4} \|/.test(l));

  test.each(Object.entries(CODES))("documents %s with its severity and title", (code, info) => {
    const row = rows.filter((r) => r.startsWith(`| ${code} |`));
    expect(row, `${code} has no row`).toHaveLength(1);
    expect(row[0]).toContain(`| ${info.severity} | ${info.title} |`);
  });

  test("documents no code that does not exist", () => {
    const documented = rows.map((r) => r.split("|")[1]!.trim());
    expect(documented.sort()).toEqual(Object.keys(CODES).sort());
  });
});

test("spec/monitoring.schema.json is a draft-07 JSON Schema", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "spec/monitoring.schema.json"), "utf8")) as Record<string, unknown>;
  expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  expect(schema.type).toBe("object");
  expect(schema.required).toEqual(["service"]);
});
