/**
 * YAML and JSON are the same spec language as TypeScript: a monitoring.yaml or monitoring.json
 * holding the data examples/minimal/monitoring.ts exports compiles to the very same bytes, and
 * schema errors in them point at the offending key with a "did you mean".
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { REPO } from "./helpers.js";

const FORMATS = join(REPO, "test/fixtures/formats");
const GOLDEN = join(REPO, "golden/minimal");

/** Files below `dir` (relative POSIX paths) with their text, read with plain fs. */
function tree(dir: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (e.isDirectory()) Object.assign(out, tree(dir, `${rel}${e.name}/`));
    else out[`${rel}${e.name}`] = readFileSync(join(dir, rel, e.name), "utf8");
  }
  return out;
}

/** `line:col` (1-based) of the unique `needle` in `text`, plus `offset` characters. */
function position(text: string, needle: string, offset = 0): string {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`needle ${JSON.stringify(needle)} must occur exactly once`);
  const before = text.slice(0, at + offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe.each(["monitoring.yaml", "monitoring.json"])("%s with the spec of examples/minimal", (name) => {
  test("compiles to the golden rules file of the TypeScript example, byte for byte", async () => {
    const result = await compile([join(FORMATS, name)]);
    expect(result.diagnostics).toEqual([]);
    const rules = result.files.find((f) => f.path === "prometheus/rules/hello.slo-availability.rules.yml");
    expect(rules?.content).toBe(readFileSync(join(GOLDEN, "prometheus/rules/hello.slo-availability.rules.yml"), "utf8"));
  });

  test("compiles to exactly the files of the TypeScript example (tests and manifest too)", async () => {
    const result = await compile([join(FORMATS, name)]);
    const typescript = await compile([join(REPO, "examples/minimal/monitoring.ts")], { typecheck: false });
    expect(typescript.files.length).toBeGreaterThan(0);
    expect(result.files).toEqual(typescript.files);
    expect(Object.fromEntries(result.files.map((f) => [f.path, f.content]))).toEqual(tree(GOLDEN));
  });
});

describe("a misspelt key is VIG1006 at the key, with a did-you-mean hint", () => {
  const cases: { file: string; key: string; meant: string; needle: string }[] = [
    { file: "misspelt.yaml", key: "lables", meant: "labels", needle: "lables:" },
    { file: "misspelt.yaml", key: "objectve", meant: "objective", needle: "objectve:" },
    { file: "misspelt.yaml", key: "totl", meant: "total", needle: "totl:" }, // inside the `sli` union
    { file: "misspelt.yaml", key: "valeu", meant: "value", needle: "valeu:" }, // a matcher object, in a union in a union
    { file: "misspelt.json", key: "enabeld", meant: "enabled", needle: '"enabeld"' },
  ];

  test.each(cases)("$file: $key → $meant", async ({ file, key, meant, needle }) => {
    const path = join(FORMATS, file);
    const result = await compile([path]);
    const hits = result.diagnostics.filter((d) => d.code === "VIG1006" && d.message.includes(`unknown property "${key}"`));
    expect(hits, JSON.stringify(result.diagnostics, null, 2)).toHaveLength(1);
    const hit = hits[0]!;
    expect(hit.severity).toBe("error");
    expect(hit.location?.file).toBe(path);
    expect(`${hit.location?.line}:${hit.location?.column}`).toBe(position(readFileSync(path, "utf8"), needle));
    expect(hit.hint).toBe(`did you mean "${meant}"?`);
    expect(result.files).toEqual([]);
  });
});
