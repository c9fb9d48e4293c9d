/**
 * Goldens are the contract: each example compiles to exactly the bytes under golden/<name>,
 * and every golden file is accepted by the real tool for its format — `promtool check rules`
 * for rule files, `promtool test rules` for the generated unit tests.
 * Regenerate on purpose with `npm run golden:update`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { checkDrift } from "../src/write/drift.js";
import { listFiles } from "../src/write/writer.js";
import { REPO, runTool } from "./helpers.js";

const EXAMPLES = readdirSync(join(REPO, "examples")).filter((n) => existsSync(join(REPO, "examples", n, "monitoring.ts"))).sort();

describe.each(EXAMPLES)("example %s", (name) => {
  const golden = join(REPO, "golden", name);

  test("compiles to its golden files, byte for byte", async () => {
    const result = await compile([join(REPO, "examples", name, "monitoring.ts")]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const drift = checkDrift(golden, result.files);
    expect(drift.map((d) => `${d.message}\n${d.hint ?? ""}`)).toEqual([]);
  });

  test("promtool check rules accepts every golden rule file", () => {
    const rules = listFiles(golden).filter((f) => f.startsWith("prometheus/rules/"));
    expect(rules.length).toBeGreaterThan(0);
    const r = runTool("promtool", ["check", "rules", ...rules.map((f) => join(golden, f))]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status, r.output).toBe(0);
  });

  test("promtool test rules passes every generated unit test", () => {
    const tests = listFiles(golden).filter((f) => f.startsWith("prometheus/tests/"));
    expect(tests.length).toBeGreaterThan(0);
    const r = runTool("promtool", ["test", "rules", ...tests.map((f) => join(golden, f))]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("SUCCESS");
  });
});

test("compiling twice gives the same bytes", async () => {
  const spec = join(REPO, "examples/halcytone/monitoring.ts");
  const a = await compile([spec], { typecheck: false });
  const b = await compile([spec], { typecheck: false });
  expect(a.files.length).toBeGreaterThan(0);
  expect(b.files).toEqual(a.files);
});
