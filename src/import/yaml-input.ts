/**
 * The YAML documents an importer reads: files, or every `.yml`/`.yaml` below a directory (sorted,
 * so the import is the same on every machine), each document with a locator that turns a path
 * in it into file:line:col. Unreadable input is VIG6001 at the file (or the YAML error's place).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { makeDiagnostic, type Diagnostic, type SourceLocation, type SpecRef } from "../diagnostics/index.js";
import { yamlLocator } from "../load/yaml.js";

export interface YamlInputDoc {
  file: string;
  /** Index of the document in its file (`---` separated). */
  index: number;
  value: unknown;
  locate(ref: SpecRef): SourceLocation;
  /** The comment written above the node at `path` (`# ...` lines), if any. */
  comment(path: readonly (string | number)[]): string | undefined;
}

export interface YamlInput {
  docs: YamlInputDoc[];
  diagnostics: Diagnostic[];
}

function located(d: Diagnostic, location: SourceLocation): Diagnostic {
  d.location = location;
  return d;
}

/** The files a path names: itself, or the YAML files below it (not in dot directories or node_modules). */
function expand(path: string, cwd: string, diagnostics: Diagnostic[]): string[] {
  const full = isAbsolute(path) ? path : join(cwd, path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    diagnostics.push(located(makeDiagnostic("VIG6001", `${path}: no such file or directory`), { file: full, line: 1, column: 1 }));
    return [];
  }
  if (!stat.isDirectory()) return [full];
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) visit(p);
      else if (/\.ya?ml$/i.test(entry.name)) found.push(p);
    }
  };
  visit(full);
  if (found.length === 0) diagnostics.push(located(makeDiagnostic("VIG6001", `${path}: the directory holds no .yml or .yaml file`), { file: full, line: 1, column: 1 }));
  return found;
}

export function readYamlInputs(paths: readonly string[], cwd: string): YamlInput {
  const diagnostics: Diagnostic[] = [];
  const docs: YamlInputDoc[] = [];
  const files = paths.flatMap((p) => expand(p, cwd, diagnostics));
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      diagnostics.push(located(makeDiagnostic("VIG6001", `${relative(cwd, file) || file}: ${(err as Error).message}`), { file, line: 1, column: 1 }));
      continue;
    }
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const all = Array.isArray(parsed) ? parsed : [];
    const errors = all.flatMap((d) => d.errors);
    if (!Array.isArray(parsed) || errors.length) {
      const e = errors[0];
      const at = e ? lines.linePos(e.pos[0]) : { line: 1, col: 1 };
      diagnostics.push(located(makeDiagnostic("VIG6001", `does not parse as YAML: ${(e?.message ?? "empty stream").split("\n")[0]}`), { file, line: at.line, column: at.col }));
      continue;
    }
    all.forEach((doc, index) => {
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (err) {
        diagnostics.push(located(makeDiagnostic("VIG6001", `cannot be read: ${(err as Error).message}`), { file, line: 1, column: 1 }));
        return;
      }
      if (value === null || value === undefined) return;
      const locator = yamlLocator(file, text, doc, lines);
      const comment = (path: readonly (string | number)[]): string | undefined => {
        type Commented = { commentBefore?: string | null } | undefined;
        const node = doc.getIn(path, true) as Commented;
        let text = node && typeof node === "object" ? node.commentBefore?.trim() : undefined;
        // A comment above a list's first item belongs to the list in the yaml library's tree.
        if (!text && path[path.length - 1] === 0) text = (doc.getIn(path.slice(0, -1), true) as Commented)?.commentBefore?.trim();
        return text ? text : undefined;
      };
      docs.push({ file, index, value, locate: (ref) => locator.locate(ref) ?? { file, line: 1, column: 1 }, comment });
    });
  }
  return { docs, diagnostics };
}

/** A diagnostic at a path of a document. */
export function at(doc: YamlInputDoc, d: Diagnostic, ref: SpecRef): Diagnostic {
  return located(d, doc.locate(ref));
}
