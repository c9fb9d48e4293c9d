/** Meta-tests: rule files, ids, docs and the registry stay in step. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_RULES } from "./registry.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const RULES_DIR = join(ROOT, "src/lint/rules");

function ruleFiles(): string[] {
  const out: string[] = [];
  for (const group of readdirSync(RULES_DIR)) {
    for (const f of readdirSync(join(RULES_DIR, group))) {
      if (f.endsWith(".ts") && !f.endsWith(".test.ts")) out.push(`${group}/${f.replace(/\.ts$/, "")}`);
    }
  }
  return out.sort();
}

describe("lint registry", () => {
  it("lists every rule file exactly once, under its own id", () => {
    expect(LINT_RULES.map((r) => r.meta.id).sort()).toEqual(ruleFiles());
  });

  it.each(LINT_RULES.map((r) => [r.meta.id, r] as const))("%s has metadata, a test and a docs page with a bad and a good example", (id, rule) => {
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(["error", "warning", "info"]).toContain(rule.meta.severity);
    expect(existsSync(join(RULES_DIR, `${id}.test.ts`)), `missing src/lint/rules/${id}.test.ts`).toBe(true);
    const doc = join(ROOT, "spec/lint", `${id}.md`);
    expect(existsSync(doc), `missing ${relative(ROOT, doc)}`).toBe(true);
    const text = readFileSync(doc, "utf8");
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    expect(text).toContain(`Default severity: ${rule.meta.severity}.`);
    expect(text).toMatch(/^Bad/m);
    expect(text).toMatch(/^Good/m);
  });
});
