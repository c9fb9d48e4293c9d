/**
 * `vigil lint [files...] [--format human|json|github|sarif] [--max-warnings N]`: lints specs
 * (monitoring.ts/.yaml/.json) and plain Prometheus rule files or PrometheusRule resources.
 * Rule files are linted with the declared signals of the specs given alongside, if any.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import jsyaml from "js-yaml";
import { compile } from "../compile.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { isRuleDocument, lintRuleFile } from "../lint/rule-files.js";
import { parseSpecTimeout } from "./options.js";
import { parseFormat, reportDiagnostics } from "./report.js";

export class LintUsageError extends Error {}

export interface LintIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  color: boolean;
}

function isRuleFile(path: string): boolean {
  if (!/\.(ya?ml|json)$/.test(path)) return false;
  try {
    return isRuleDocument(jsyaml.load(readFileSync(path, "utf8"), { schema: jsyaml.FAILSAFE_SCHEMA }));
  } catch {
    return false; // the spec loader reports the syntax error
  }
}

export async function lintCommand(argv: readonly string[], io: LintIo, defaultSpec: () => string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { format: { type: "string" }, "max-warnings": { type: "string" }, "no-typecheck": { type: "boolean" }, "spec-timeout": { type: "string" } },
    });
  } catch (err) {
    throw new LintUsageError((err as Error).message);
  }
  const format = parseFormat(parsed.values.format);
  const maxText = parsed.values["max-warnings"];
  const maxWarnings = maxText === undefined ? Infinity : Number(maxText);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new LintUsageError("--max-warnings takes a whole number");
  const files = parsed.positionals.length ? parsed.positionals : defaultSpec();

  const ruleFiles = files.filter(isRuleFile);
  const specs = files.filter((f) => !ruleFiles.includes(f));
  const diagnostics: Diagnostic[] = [];
  let model;
  if (specs.length) {
    const specTimeoutMs = parseSpecTimeout(parsed.values["spec-timeout"]);
    const result = await compile(specs, { typecheck: !parsed.values["no-typecheck"], emit: false, ...(specTimeoutMs === undefined ? {} : { specTimeoutMs }) });
    diagnostics.push(...result.diagnostics);
    model = result.model;
  }
  const spec = model?.services[0];
  for (const file of ruleFiles) diagnostics.push(...lintRuleFile(file, spec ? { spec } : {}));

  const sorted = sortDiagnostics(diagnostics);
  reportDiagnostics(sorted, format, io);

  const warnings = sorted.filter((d) => d.severity === "warning").length;
  if (hasErrors(sorted)) return 1;
  if (warnings > maxWarnings) {
    io.stderr(`vigil: ${warnings} warnings (more than --max-warnings ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}
