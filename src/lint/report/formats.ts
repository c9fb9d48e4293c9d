/**
 * Reporters for `vigil lint --format`: json (machine-readable), github (workflow annotations),
 * sarif (SARIF 2.1.0 for code-scanning UIs; typed against @types/sarif so the compiler checks
 * the shape). The human format is the tsc-style renderer in diagnostics/render.ts.
 */
import { relative } from "node:path";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Diagnostic } from "../../diagnostics/index.js";
import { CODES } from "../../diagnostics/codes.js";
import { VIGIL_VERSION } from "../../version.js";
import { lintRule } from "../registry.js";

const rel = (file: string, cwd: string) => relative(cwd, file).split("\\").join("/");

export function toJson(diagnostics: readonly Diagnostic[], cwd: string): string {
  return (
    JSON.stringify(
      diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        ...(d.location ? { file: rel(d.location.file, cwd), line: d.location.line, column: d.location.column } : {}),
        ...(d.location?.endLine !== undefined ? { endLine: d.location.endLine, endColumn: d.location.endColumn } : {}),
        ...(d.hint ? { hint: d.hint } : {}),
      })),
      null,
      2,
    ) + "\n"
  );
}

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
export function toGithub(diagnostics: readonly Diagnostic[], cwd: string): string {
  const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const escapeProp = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return diagnostics
    .map((d) => {
      const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      const props: string[] = [];
      if (d.location) {
        props.push(`file=${escapeProp(rel(d.location.file, cwd))}`, `line=${d.location.line}`, `col=${d.location.column}`);
        if (d.location.endLine !== undefined) props.push(`endLine=${d.location.endLine}`);
        if (d.location.endColumn !== undefined && d.location.endLine === d.location.line) props.push(`endColumn=${d.location.endColumn}`);
      }
      props.push(`title=${escapeProp(d.code)}`);
      return `::${level} ${props.join(",")}::${escapeData(d.hint ? `${d.message}\n${d.hint}` : d.message)}\n`;
    })
    .join("");
}

export function toSarif(diagnostics: readonly Diagnostic[], cwd: string): string {
  const ids = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules: ReportingDescriptor[] = ids.map((id) => {
    const lint = lintRule(id);
    const text = lint ? lint.meta.description : (CODES as Record<string, { title: string }>)[id]?.title ?? id;
    return { id, shortDescription: { text }, ...(lint ? { helpUri: `spec/lint/${id}.md` } : {}) };
  });
  const results: Result[] = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ids.indexOf(d.code),
    level: d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "note",
    message: { text: d.hint ? `${d.message}\n${d.hint}` : d.message },
    ...(d.location
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: rel(d.location.file, cwd), uriBaseId: "%SRCROOT%" },
                region: {
                  startLine: d.location.line,
                  startColumn: d.location.column,
                  ...(d.location.endLine !== undefined ? { endLine: d.location.endLine } : {}),
                  ...(d.location.endColumn !== undefined ? { endColumn: d.location.endColumn } : {}),
                },
              },
            },
          ],
        }
      : {}),
  }));
  const log: Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [{ tool: { driver: { name: "vigil", version: VIGIL_VERSION, informationUri: "https://github.com/vigil-monitoring/vigil", rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
