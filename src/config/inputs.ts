/**
 * Spec inputs as the command line and the config file give them: files, directories and
 * globs, expanded by Vigil itself (no shell), in a deterministic order.
 *
 * - A file is taken as it is (a path that does not exist is left for the loader to report).
 * - A directory stands for every spec file below it: files named `monitoring.ts`, `.mts`,
 *   `.js`, `.mjs`, `.yaml`, `.yml` or `.json`, at any depth, except inside `node_modules` and
 *   directories whose name starts with `.`; symbolic links to directories are not followed.
 * - A glob (a path with `*`, `?`, `[...]` or `{a,b}`) stands for every path it matches: `*`
 *   and `?` within one path segment, `**` for any number of segments; a directory it matches
 *   stands for the spec files below it, as above. A pattern that matches nothing is an error.
 *
 * Each directory's and each glob's files are sorted by path (UTF-16 code-unit order of the
 * `/`-separated path); inputs keep the order they were given in, and a file given twice counts
 * once (at its first place).
 */
import { readdirSync, statSync, type Dirent } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";

/** The file names a directory input picks up. */
export const SPEC_FILE_NAMES: readonly string[] = ["monitoring.ts", "monitoring.mts", "monitoring.js", "monitoring.mjs", "monitoring.yaml", "monitoring.yml", "monitoring.json"];

export interface ExpandedInputs {
  /** Paths as given (plain files) or relative to `cwd` (found below a directory or by a glob). */
  files: string[];
  diagnostics: Diagnostic[];
}

export interface ExpandOptions {
  /** Where relative inputs are resolved (the config file's directory for the config's `specs`). */
  base: string;
  /** Where the paths that are reported are relative to (the current directory). */
  cwd: string;
  /** What a directory stands for: spec files (default), or every file a glob may name. */
  directoryFiles?: (name: string) => boolean;
  /** Says what kind of input it is in messages, e.g. "spec". */
  noun?: string;
}

export function isGlob(input: string): boolean {
  return /[*?[{]/.test(input);
}

export function expandInputs(inputs: readonly string[], options: ExpandOptions): ExpandedInputs {
  const noun = options.noun ?? "spec";
  const wanted = options.directoryFiles ?? ((name: string) => SPEC_FILE_NAMES.includes(name));
  const files: string[] = [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const shown = (abs: string) => {
    const rel = relative(options.cwd, abs);
    return rel === "" ? "." : isAbsolute(rel) ? abs : rel;
  };
  const add = (abs: string, display: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(display);
  };
  for (const input of inputs) {
    const abs = resolve(options.base, input);
    const kind = statKind(abs);
    if (kind === "dir") {
      const found = specsBelow(abs, wanted);
      if (found.length === 0) diagnostics.push(makeDiagnostic("VIG1001", `no ${noun} file below ${input}`, undefined, { hint: `a directory stands for the files named ${SPEC_FILE_NAMES.join(", ")} below it` }));
      for (const f of found) add(f, shown(f));
    } else if (kind === "file" || !isGlob(input)) {
      // A file as given; a missing path is the loader's to report (VIG1001).
      add(abs, options.base === options.cwd ? input : shown(abs));
    } else {
      const matched = globPaths(input, options.base);
      if (matched.length === 0) diagnostics.push(makeDiagnostic("VIG1001", `no file matches ${input}`));
      for (const m of matched) {
        if (statKind(m) === "dir") for (const f of specsBelow(m, wanted)) add(f, shown(f));
        else add(m, shown(m));
      }
    }
  }
  return { files, diagnostics };
}

function statKind(path: string): "file" | "dir" | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function skipped(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

/** Spec files below `dir`, sorted by their `/`-separated path. */
function specsBelow(dir: string, wanted: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const e of entries(at)) {
      if (e.isDirectory()) {
        if (!skipped(e.name)) walk(join(at, e.name));
      } else if (wanted(e.name) && (e.isFile() || (e.isSymbolicLink() && statKind(join(at, e.name)) === "file"))) {
        out.push(join(at, e.name));
      }
    }
  };
  walk(dir);
  return sortPaths(out);
}

function sortPaths(paths: string[]): string[] {
  const key = (p: string) => p.split(sep).join("/");
  return paths.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every existing path that `pattern` (relative to `base`, or absolute) matches, sorted. */
export function globPaths(pattern: string, base: string): string[] {
  const normalized = pattern.split(sep).join("/");
  const absolute = normalized.startsWith("/");
  const segments = normalized.split("/").filter((s, i) => s !== "" && !(s === "." && i > 0));
  // The literal segments before the first pattern segment are where the walk starts.
  let start = absolute ? "/" : base;
  let i = 0;
  while (i < segments.length && !isGlob(segments[i]!)) start = join(start, segments[i++]!);
  const rest = segments.slice(i);
  const out = new Set<string>();
  const walk = (dir: string, k: number) => {
    if (k === rest.length) {
      if (statKind(dir)) out.add(dir);
      return;
    }
    const segment = rest[k]!;
    if (segment === "**") {
      walk(dir, k + 1);
      for (const e of entries(dir)) if (e.isDirectory() && !skipped(e.name)) walk(join(dir, e.name), k);
      return;
    }
    if (!isGlob(segment)) {
      walk(join(dir, segment), k + 1);
      return;
    }
    const re = segmentRegExp(segment);
    for (const e of entries(dir)) {
      // `*` does not match a leading `.` (hidden files), unless the pattern starts with one.
      if (e.name.startsWith(".") && !segment.startsWith(".")) continue;
      if (re.test(e.name)) walk(join(dir, e.name), k + 1);
    }
  };
  if (statKind(start)) walk(start, 0);
  return sortPaths([...out]);
}

/** One path segment of a glob as a regular expression: `*`, `?`, `[abc]`, `[!abc]`, `{a,b}`. */
function segmentRegExp(segment: string): RegExp {
  let re = "";
  let braces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith("!") || body.startsWith("^");
      if (negate) body = body.slice(1);
      re += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else if (c === "{") {
      braces++;
      re += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      re += ")";
    } else if (c === "," && braces > 0) re += "|";
    else if (c === "\\" && i + 1 < segment.length) re += escapeRegExp(segment[++i]!);
    else re += escapeRegExp(c);
  }
  // An unclosed `{` matches itself: the segment is taken literally.
  return new RegExp(braces > 0 ? `^${escapeRegExp(segment)}$` : `^${re}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
