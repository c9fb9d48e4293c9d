/**
 * `vigil lint [files...] [--format human|json|github|sarif] [--max-warnings N]
 * [--rule ID=LEVEL]... [--severities A,B]`: lints specs (monitoring.ts/.yaml/.json) and plain
 * Prometheus rule files or PrometheusRule resources. Rule files are linted with the declared
 * signals of the specs given alongside, if any. Files, directories and globs are expanded as
 * for compile; with none, the config file's `specs` and `lint.files` are linted. Rule
 * severities come from `--rule`, else the config's `lint.rules` (a spec's own `lint.rules`
 * win for that spec); the allowed `severity` label values of rule files from `--severities`,
 * else the config's `lint.severities`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import jsyaml from "js-yaml";
import { compile } from "../compile.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { isRuleDocument, lintRuleFile } from "../lint/rule-files.js";
import { lintRule } from "../lint/registry.js";
import type { LintLevel } from "../spec/types.js";
import { parseSpecTimeout } from "./options.js";
import { parseFormat, reportDiagnostics } from "./report.js";
import { lintFiles, prometheusVersion, specInputs, type Project } from "./settings.js";

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

const LEVELS: readonly string[] = ["error", "warning", "info", "off"];

/** `--rule promql/rate-window=off` → the rule's level. */
function parseRuleFlags(flags: readonly string[]): Record<string, LintLevel> {
  const out: Record<string, LintLevel> = {};
  for (const flag of flags) {
    const m = /^([^=]+)=(.*)$/.exec(flag);
    if (!m || !LEVELS.includes(m[2]!)) throw new LintUsageError(`--rule takes ID=LEVEL with LEVEL one of ${LEVELS.join(", ")}, got "${flag}"`);
    if (!lintRule(m[1]!)) throw new LintUsageError(`--rule: unknown lint rule "${m[1]}" (see spec/lint/)`);
    out[m[1]!] = m[2] as LintLevel;
  }
  return out;
}

export async function lintCommand(argv: readonly string[], io: LintIo, project: Project): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "max-warnings": { type: "string" },
        "no-typecheck": { type: "boolean" },
        "spec-timeout": { type: "string" },
        rule: { type: "string", multiple: true },
        severities: { type: "string" },
      },
    });
  } catch (err) {
    throw new LintUsageError((err as Error).message);
  }
  const format = parseFormat(parsed.values.format);
  const maxText = parsed.values["max-warnings"];
  const maxWarnings = maxText === undefined ? Infinity : Number(maxText);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new LintUsageError("--max-warnings takes a whole number");
  const config = project.config?.config.lint;
  const levels = { ...config?.rules, ...parseRuleFlags(parsed.values.rule ?? []) };
  const severitiesText = parsed.values.severities;
  const severities = severitiesText === undefined ? config?.severities : severitiesText.split(",").map((s) => s.trim());
  if (severities && (severities.length === 0 || severities.some((s) => s === ""))) throw new LintUsageError("--severities takes a comma-separated list of values, such as page,ticket");
  const version = prometheusVersion(project);

  const diagnostics: Diagnostic[] = [];
  let files: string[];
  if (parsed.positionals.length) {
    const inputs = specInputs(project, parsed.positionals);
    diagnostics.push(...inputs.diagnostics);
    files = inputs.files;
  } else {
    const configured = lintFiles(project);
    const inputs = specInputs(project, [], configured.files.length === 0 && configured.diagnostics.length === 0);
    diagnostics.push(...inputs.diagnostics, ...configured.diagnostics);
    files = [...inputs.files, ...configured.files];
  }

  const ruleFiles = files.filter(isRuleFile);
  const specs = files.filter((f) => !ruleFiles.includes(f));
  let model;
  if (specs.length) {
    const specTimeoutMs = parseSpecTimeout(parsed.values["spec-timeout"]);
    const result = await compile(specs, {
      typecheck: !parsed.values["no-typecheck"],
      emit: false,
      ...(specTimeoutMs === undefined ? {} : { specTimeoutMs }),
      ...(version ? { prometheusVersion: version } : {}),
      ...(Object.keys(levels).length ? { lintRules: levels } : {}),
    });
    diagnostics.push(...result.diagnostics);
    model = result.model;
  }
  const spec = model?.services[0];
  for (const file of ruleFiles) {
    diagnostics.push(...lintRuleFile(file, { ...(spec ? { spec } : version ? { target: version } : {}), levels, ...(severities ? { severities } : {}) }));
  }

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
