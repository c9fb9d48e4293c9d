/**
 * Stage 5: the only code that writes. All files go to a staging directory next to the
 * output directory, which then takes its place: all files or none.
 *
 * Replacing a non-empty directory takes two renames (`out` → `.out.vigil-old-…`, then
 * `.out.vigil-staging-…` → `out`); no portable call swaps two directories in one step. So each
 * write starts by recovering from an interrupted one: when a kill came between the renames
 * (no `out`, a complete `.out.vigil-old-…` beside it), the old copy is renamed back first;
 * staging and old copies left by dead writers are removed. Every step either leaves the
 * previous output in place or the new one, and the diagnostics say which.
 *
 * A directory holding anything Vigil did not generate (a file its manifest does not list, an
 * extra directory, even an empty one) is never replaced, nor is a read-only tree.
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { MANIFEST_PATH, type Manifest } from "../emit/index.js";
import type { OutputFile } from "../emit/types.js";

/** The points between the steps of a write, in order (for fault-injection tests). */
export type WriteStep = "staged" | "moved-aside" | "swapped";

export interface WriteOptions {
  /**
   * Called after each step of the swap. Tests throw or kill the process here to check that an
   * interrupted write leaves a recoverable state; production code passes nothing.
   */
  onStep?: (step: WriteStep) => void;
}

/** A stale copy is left alone while its writer may still be running, unless it is this old. */
const STALE_AFTER_MS = 60 * 60 * 1000;

export function writeOutput(outDir: string, files: readonly OutputFile[], options: WriteOptions = {}): Diagnostic[] {
  const notes: Diagnostic[] = [];
  let target: string;
  try {
    // A symlinked output directory is written through: the swap happens at the real directory.
    target = isSymlink(resolve(outDir)) ? realpathSync(resolve(outDir)) : resolve(outDir);
  } catch (err) {
    return [cannotWrite(outDir, err, "nothing was changed")];
  }
  const parent = dirname(target);
  if (parent === target) return [makeDiagnostic("VIG5003", `cannot write ${outDir}: the root directory cannot be an output directory; nothing was changed`)];

  const blocked = blockingAncestor(parent);
  if (blocked) return [makeDiagnostic("VIG5003", `cannot write ${outDir}: ${blocked} is not a directory; nothing was changed`)];

  notes.push(...recoverInterrupted(target, outDir));

  const kind = entryKind(target);
  if (kind !== "missing" && kind !== "directory") {
    return [
      ...notes,
      makeDiagnostic("VIG5001", `${outDir} is ${kind === "file" ? "a file" : "not a directory"}, not a directory vigil generated; nothing was written`, undefined, {
        hint: "point --out at an empty directory or one vigil generated",
      }),
    ];
  }
  if (kind === "directory") {
    let foreign: string[];
    try {
      foreign = foreignEntries(target);
    } catch (err) {
      return [...notes, cannotWrite(outDir, err, "nothing was changed")];
    }
    if (foreign.length > 0) {
      return [
        ...notes,
        makeDiagnostic(
          "VIG5001",
          `${outDir} contains ${foreign.length === 1 ? "an entry" : "entries"} vigil did not generate (${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}); nothing was written`,
          undefined,
          { hint: "compile into an empty directory or one vigil generated" },
        ),
      ];
    }
    // Replacing means deleting the old tree afterwards: refuse up front rather than swap and
    // then fail to clean up (or claim that nothing changed when it did).
    const readOnly = readOnlyDirectory(target);
    if (readOnly !== undefined) {
      return [
        ...notes,
        makeDiagnostic("VIG5003", `cannot replace ${outDir}: ${readOnly ? join(outDir, readOnly) : outDir} is read-only; nothing was changed`, undefined, {
          hint: "make the output tree writable (chmod -R u+w) or compile elsewhere",
        }),
      ];
    }
  }

  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.${basename(target)}.vigil-staging-${suffix}`);
  const old = join(parent, `.${basename(target)}.vigil-old-${suffix}`);
  let movedAside = false;
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(staging);
    for (const file of files) {
      const path = join(staging, ...file.path.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    options.onStep?.("staged");
    if (kind === "directory") {
      renameSync(target, old);
      movedAside = true;
      options.onStep?.("moved-aside");
      renameSync(staging, target);
      movedAside = false;
    } else {
      renameSync(staging, target);
    }
  } catch (err) {
    removeQuietly(staging);
    if (movedAside) {
      try {
        renameSync(old, target);
      } catch {
        return [
          ...notes,
          cannotWrite(outDir, err, `the previous output is in ${relativeTo(outDir, old)}, and the next vigil compile puts it back`),
        ];
      }
    }
    return [...notes, cannotWrite(outDir, err, "nothing was changed")];
  }
  // The new output is in place; from here on a failure only leaves a copy behind.
  try {
    options.onStep?.("swapped");
    if (kind === "directory") rmSync(old, { recursive: true, force: true });
  } catch (err) {
    notes.push(
      makeDiagnostic("VIG5004", `wrote ${outDir}, but the previous copy ${relativeTo(outDir, old)} could not be removed: ${errorText(err)}`, undefined, {
        hint: "remove it by hand; the next vigil compile also tries again",
      }),
    );
  }
  return notes;
}

/**
 * Puts back an output directory that a killed write had moved aside, and removes the staging
 * and old copies of writers that are gone. Returns what it did, as warnings.
 */
function recoverInterrupted(target: string, outDir: string): Diagnostic[] {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.vigil-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return []; // no parent yet (or not a directory): the write itself reports that
  }
  const copies = names
    .map((name) => {
      const m = /^(staging|old)-(\d+)-([0-9a-z]+)$/.exec(name.slice(prefix.length));
      return m ? { name, kind: m[1] as "staging" | "old", pid: Number(m[2]), time: parseInt(m[3]!, 36) } : undefined;
    })
    .filter((c): c is NonNullable<typeof c> => c !== undefined && isDirectory(join(parent, c.name)) && !maybeRunning(c.pid, c.time));
  const notes: Diagnostic[] = [];
  const olds = copies.filter((c) => c.kind === "old").sort((a, b) => b.time - a.time);
  if (entryKind(target) === "missing" && olds[0]) {
    // Killed between the two renames: the old copy is the last complete output.
    try {
      renameSync(join(parent, olds[0].name), target);
      notes.push(
        makeDiagnostic("VIG5004", `restored ${outDir} from ${relativeTo(outDir, join(parent, olds[0].name))}, left by an interrupted vigil compile`, undefined, {
          hint: "the interrupted compile wrote nothing; this one replaces the restored output as usual",
        }),
      );
      olds.shift();
    } catch (err) {
      notes.push(makeDiagnostic("VIG5004", `cannot restore ${outDir} from ${relativeTo(outDir, join(parent, olds[0].name))}: ${errorText(err)}`));
      return notes;
    }
  }
  const leftovers = [...copies.filter((c) => c.kind === "staging"), ...olds];
  const failed: string[] = [];
  for (const c of leftovers) {
    try {
      rmSync(join(parent, c.name), { recursive: true, force: true });
    } catch {
      failed.push(c.name);
    }
  }
  const removed = leftovers.length - failed.length;
  if (removed > 0) {
    notes.push(makeDiagnostic("VIG5004", `removed ${removed} stale ${removed === 1 ? "copy" : "copies"} of ${outDir} left by interrupted vigil runs`, undefined, { severity: "info" }));
  }
  if (failed.length > 0) {
    notes.push(makeDiagnostic("VIG5004", `cannot remove stale ${failed.length === 1 ? "copy" : "copies"} of ${outDir}: ${failed.join(", ")}`, undefined, { hint: "remove them by hand" }));
  }
  return notes;
}

/** Whether the writer that made a copy may still be at work (same host, live pid, recent). */
function maybeRunning(pid: number, time: number): boolean {
  if (pid === process.pid) return false; // this process has not started writing yet
  if (!(Date.now() - time < STALE_AFTER_MS)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function cannotWrite(outDir: string, err: unknown, outcome: string): Diagnostic {
  return makeDiagnostic("VIG5003", `cannot write ${outDir}: ${errorText(err)}; ${outcome}`);
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a parent of it is not a directory",
  EISDIR: "a directory is in the way",
  EEXIST: "a file is in the way",
  ENAMETOOLONG: "a path is too long",
  ELOOP: "too many symbolic links",
  EBUSY: "the directory is in use",
  EXDEV: "it is on another file system than its parent",
};

/** A one-line reason without the internal staging path Node puts into its messages. */
function errorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO_TEXT[code]) return `${ERRNO_TEXT[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

function relativeTo(outDir: string, path: string): string {
  return join(dirname(outDir), basename(path));
}

/** The nearest existing ancestor of `dir` (itself included) when it is not a directory. */
function blockingAncestor(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const kind = entryKind(d);
    if (kind === "directory") return undefined;
    if (kind !== "missing") return d;
    if (dirname(d) === d) return undefined;
  }
}

type EntryKind = "missing" | "directory" | "file" | "other";

function entryKind(path: string): EntryKind {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "directory" : st.isFile() ? "file" : "other";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "missing" : "other";
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  return entryKind(path) === "directory";
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left behind for the next write's recovery to remove.
  }
}

/** The first directory of the tree (relative; "" for the root) this process cannot modify. */
function readOnlyDirectory(dir: string): string | undefined {
  const walk = (rel: string): string | undefined => {
    const full = rel ? join(dir, rel) : dir;
    try {
      accessSync(full, constants.W_OK | constants.X_OK);
    } catch {
      return rel;
    }
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const found = walk(rel ? join(rel, entry.name) : entry.name);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk("");
}

/** Files under `dir` that its manifest does not list (all of them when there is no manifest). */
export function foreignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [basename(dir)];
  const manifest = readManifest(dir);
  const owned = new Set(manifest ? [MANIFEST_PATH, ...Object.keys(manifest.files)] : []);
  return listFiles(dir).filter((f) => !owned.has(f));
}

/**
 * Everything under `dir` a write would delete without having made it: files the manifest does
 * not list, and directories (`name/`) that hold none of the files it lists, empty ones too.
 */
export function foreignEntries(dir: string): string[] {
  const manifest = readManifest(dir);
  const owned = new Set(manifest ? [MANIFEST_PATH, ...Object.keys(manifest.files)] : []);
  const ownedDirs = new Set<string>();
  for (const f of owned) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) ownedDirs.add(parts.slice(0, i).join("/"));
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(rel ? join(dir, rel) : dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ownedDirs.has(path)) walk(path);
        else out.push(`${path}/`);
      } else if (!owned.has(path)) out.push(path);
    }
  };
  walk("");
  return out.sort();
}

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_PATH);
  try {
    if (!statSync(path).isFile()) return undefined;
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return m && m.generator === "vigil" && m.files && typeof m.files === "object" ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Relative POSIX paths of all files below `dir`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}
