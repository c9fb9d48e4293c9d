/**
 * Checks every expression of a Prometheus rule file with the front end, as `promtool check
 * rules` does for PromQL. The file is read with rule-yaml.ts, or js-yaml beyond its subset (both
 * about ten times faster than a position-keeping parser on large files); only when something
 * is wrong is it parsed again with positions, to point into the file.
 */
import { readFileSync } from "node:fs";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { analyzePromQL, PROMQL_ERROR_CODES } from "./frontend.js";
import { readRuleYaml } from "./rule-yaml.js";
import type { PromVersion } from "./version.js";


interface RuleFileShape {
  groups?: { name?: string; rules?: { record?: string; alert?: string; expr?: unknown }[] }[];
}

export interface RuleFileResult {
  rules: number;
  diagnostics: Diagnostic[];
}

export async function checkRuleFile(file: string, target?: PromVersion): Promise<RuleFileResult> {
  const text = readFileSync(file, "utf8");
  let doc: RuleFileShape;
  try {
    // The common shape of rule files is read by our own reader (same result, several times
    // faster); anything beyond it goes to js-yaml, loaded only then. Every scalar as a string
    // (the failsafe schema): expressions are strings to PromQL anyway, and skipping type
    // resolution is a third faster on large files.
    let value: unknown = readRuleYaml(text);
    if (value === undefined) {
      const jsyaml = (await import("js-yaml")).default;
      value = jsyaml.load(text, { schema: jsyaml.FAILSAFE_SCHEMA });
    }
    doc = (value ?? {}) as RuleFileShape;
  } catch (err) {
    const d = makeDiagnostic("VIG1002", `rule file does not parse: ${(err as Error).message.split("\n")[0]}`);
    d.location = { file, line: 1, column: 1 };
    return { rules: 0, diagnostics: [d] };
  }
  const problems: { path: (string | number)[]; offset: number; length: number; code: keyof typeof PROMQL_ERROR_CODES; message: string }[] = [];
  let rules = 0;
  (doc.groups ?? []).forEach((group, g) => {
    (group.rules ?? []).forEach((rule, r) => {
      rules++;
      if (typeof rule.expr !== "string") return;
      const result = analyzePromQL(rule.expr, target);
      if (result.ok) return;
      const e = result.errors[0]!;
      problems.push({ path: ["groups", g, "rules", r, "expr"], offset: e.start, length: e.end - e.start, code: e.kind, message: e.message });
    });
  });
  if (problems.length === 0) return { rules, diagnostics: [] };
  // Positions only when needed: the position-keeping YAML parser is the slow part.
  const { yamlTextLocator } = await import("../load/yaml.js");
  const locator = yamlTextLocator(file, text);
  const diagnostics = problems.map((p) => {
    const d = makeDiagnostic(PROMQL_ERROR_CODES[p.code], p.message);
    d.location = locator.locate({ path: p.path, offset: p.offset, length: p.length }) ?? { file, line: 1, column: 1 };
    return d;
  });
  return { rules, diagnostics };
}
