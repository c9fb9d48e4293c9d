/**
 * Renders diagnostics the way tsc does: `file:line:col - error CODE: message`, then the
 * source line with the span underlined, then hints and related locations.
 */
import { readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import type { Diagnostic, SourceLocation } from "./diagnostic.js";

export interface RenderOptions {
  /** Paths are shown relative to this directory. */
  cwd: string;
  color: boolean;
}

const COLORS = { red: 31, yellow: 33, cyan: 36, grey: 90, blue: 34 } as const;

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions): string {
  const sources = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, readSource(file));
    return sources.get(file);
  };
  const paint = (color: keyof typeof COLORS, text: string) => (options.color ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text);
  const where = (loc: SourceLocation) => `${paint("cyan", relative(options.cwd, loc.file) || loc.file)}:${paint("yellow", String(loc.line))}:${paint("yellow", String(loc.column))}`;

  const blocks = diagnostics.map((d) => {
    const severity = d.severity === "error" ? paint("red", "error") : d.severity === "warning" ? paint("yellow", "warning") : paint("blue", "info");
    const head = `${d.location ? `${where(d.location)} - ` : ""}${severity} ${paint("grey", d.code)}: ${d.message}`;
    const out = [head];
    if (d.location) out.push(...excerpt(d.location, linesOf(d.location.file), paint, d.mask === true));
    if (d.hint) out.push(...d.hint.split("\n").map((l, i) => (i === 0 ? `  hint: ${l}` : `    ${l}`)));
    for (const r of d.related ?? []) out.push(`  ${r.location ? `${where(r.location)}: ` : ""}${r.message}`);
    return out.join("\n");
  });
  return blocks.join("\n\n");
}

/** Largest file an excerpt is read from; a location in anything bigger is shown without one. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

/**
 * The lines of a regular file, or undefined for anything else: a directory, a device, a file
 * that vanished or cannot be read. Rendering never fails on a diagnostic's location.
 */
function readSource(file: string): string[] | undefined {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_SOURCE_BYTES) return undefined;
    return readFileSync(file, "utf8").split(/\r?\n/);
  } catch {
    return undefined;
  }
}

function excerpt(loc: SourceLocation, lines: string[] | undefined, paint: (c: keyof typeof COLORS, t: string) => string, mask = false): string[] {
  const line = lines?.[loc.line - 1];
  if (line === undefined) return [];
  // A secret is printed as *s: the span pointed at, or the rest of the line when that is unknown.
  const maskFrom = Math.max(0, loc.column - 1);
  const maskTo = loc.endLine === loc.line && loc.endColumn !== undefined && loc.endColumn > loc.column ? loc.endColumn - 1 : line.length;
  const text = mask ? line.slice(0, maskFrom) + "*".repeat(Math.max(0, maskTo - maskFrom)) + line.slice(maskTo) : line;
  const gutter = String(loc.line);
  const start = Math.max(0, loc.column - 1);
  const end = loc.endLine === loc.line && loc.endColumn !== undefined && loc.endColumn > loc.column ? loc.endColumn - 1 : loc.endLine !== undefined && loc.endLine > loc.line ? text.length : start + 1;
  const marker = " ".repeat(gutter.length + 1) + text.slice(0, start).replace(/[^\t]/g, " ") + "~".repeat(Math.max(1, end - start));
  return ["", `${paint("grey", gutter)} ${text}`, paint("red", marker), ""];
}

export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.length ? `Found ${parts.join(" and ")}.` : "";
}
