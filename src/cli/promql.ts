/**
 * `vigil promql check [--target VERSION] [EXPR | -]` and `vigil promql fmt [--target VERSION] EXPR`:
 * the PromQL front end on the command line. With `-`, one JSON string per line on stdin and
 * one JSON object per line on stdout (positions in characters of the expression).
 */
import { parseArgs } from "node:util";
import { makeDiagnostic } from "../diagnostics/make.js";
import { unreadableReason } from "../load/readable.js";
import { PromqlUsageError } from "./promql-usage.js";
import { analyzePromQL, resolveTarget, type PromQLError } from "../promql/frontend.js";
import { checkRuleFile } from "../promql/rule-file.js";
import { renderDiagnostics, summarize } from "../diagnostics/render.js";
import { parseVersion } from "../promql/version.js";

export interface PromqlIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  cwd: string;
  color: boolean;
}

export { PromqlUsageError };

export async function promqlCommand(argv: readonly string[], io: PromqlIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { target: { type: "string" } } });
  } catch (err) {
    throw new PromqlUsageError((err as Error).message);
  }
  const [sub, ...rest] = parsed.positionals;
  const targetText = parsed.values.target;
  if (targetText !== undefined && !parseVersion(targetText)) throw new PromqlUsageError(`--target must be a Prometheus version such as 2.42 or 3.1, got "${targetText}"`);
  const target = resolveTarget(targetText);
  if (sub === "check-rules") {
    if (rest.length === 0) throw new PromqlUsageError("promql check-rules takes rule files");
    const diagnostics = [];
    for (const file of rest) {
      // A path that is not a readable file has no source to point into: no location.
      const unreadable = unreadableReason(file);
      if (unreadable) diagnostics.push(makeDiagnostic("VIG1001", `cannot read rule file ${file}: ${unreadable}`));
      else diagnostics.push(...(await checkRuleFile(file, target)).diagnostics);
    }
    if (diagnostics.length === 0) return 0;
    io.stderr(renderDiagnostics(diagnostics, { cwd: io.cwd, color: io.color }) + "\n\n" + summarize(diagnostics) + "\n");
    return 1;
  }
  if (sub !== "check" && sub !== "fmt") throw new PromqlUsageError(`unknown promql command "${sub ?? ""}" (use check, fmt or check-rules)`);
  if (rest.length !== 1) throw new PromqlUsageError(`promql ${sub} takes one expression (or - for stdin)`);
  const input = rest[0]!;

  if (sub === "check" && input === "-") {
    let allValid = true;
    for (const line of (await io.readStdin()).split("\n")) {
      if (line.trim() === "") continue;
      let expr: unknown;
      try {
        expr = JSON.parse(line);
      } catch {
        expr = undefined;
      }
      if (typeof expr !== "string") throw new PromqlUsageError(`stdin lines must be JSON strings, got: ${line.slice(0, 60)}`);
      const r = analyzePromQL(expr, target);
      if (r.ok) io.stdout(`${JSON.stringify({ valid: true })}\n`);
      else {
        allValid = false;
        const errors = r.errors.map((e) => ({ message: e.message, start: chars(expr as string, e.start), end: chars(expr as string, e.end) }));
        io.stdout(`${JSON.stringify({ valid: false, errors })}\n`);
      }
    }
    return allValid ? 0 : 1;
  }

  const r = analyzePromQL(input, target);
  if (!r.ok) {
    io.stderr(r.errors.map((e) => render(input, e)).join("\n") + "\n");
    return 1;
  }
  if (sub === "fmt") {
    // Loaded here: the printer is only needed by `fmt` (check-rules starts faster without it).
    const { printExpr } = await import("../promql/print.js");
    io.stdout(`${printExpr(r.expr)}\n`);
  } else io.stdout(`valid: ${DOCUMENTED[r.type]}\n`);
  return 0;
}

const DOCUMENTED = { vector: "instant vector", matrix: "range vector", scalar: "scalar", string: "string" } as const;

/** Character (code point) offset of a UTF-16 offset. */
function chars(text: string, offset: number): number {
  return Array.from(text.slice(0, offset)).length;
}

/** `1:5: error: message`, the expression line and a caret under the offending characters. */
function render(text: string, e: PromQLError): string {
  const before = text.slice(0, e.start);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = text.indexOf("\n", e.start) === -1 ? text.length : text.indexOf("\n", e.start);
  const col = chars(text.slice(lineStart), e.start - lineStart) + 1;
  const width = Math.max(1, chars(text.slice(e.start), Math.min(e.end, lineEnd) - e.start));
  return `${line}:${col}: error: ${e.message}\n  ${text.slice(lineStart, lineEnd)}\n  ${" ".repeat(col - 1)}${"~".repeat(width)}`;
}
