/**
 * The compile cache of `vigil check` (and `vigil compile`, which fills it): what a set of specs
 * compiled to — each output file's sha256 and the diagnostics — stored under a key of everything
 * the result depends on, so an unchanged tree is checked without compiling it again.
 *
 * The key hashes Vigil's version and build, Node's version, the compile options, the spec paths
 * and, per spec, what the loader runs: a TypeScript spec's esbuild bundle (`bundleSpec`: every
 * module it imports, from the current files, so an edited import changes it) or a YAML/JSON
 * spec's text. Files only the type check reads (type-only imports, declaration files) are not in
 * a bundle: the entry lists every file the type check read with its hash, and any change is a
 * miss. A hit still compares the output directory file by file (`outputMatches`); on any
 * difference the caller compiles for real, so drift is reported exactly as without a cache.
 * An entry carries the sha256 of its text: an unreadable, damaged, edited or foreign entry is a
 * miss (and is replaced). Only results without errors are stored.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import type { CompileOptions, CompileResult } from "../compile.js";
import { hasErrors, type Diagnostic } from "../diagnostics/index.js";
import { bundleSpec } from "../load/typescript.js";
import { ownModule } from "../util/own-files.js";
import { VIGIL_VERSION } from "../version.js";
import { listFiles } from "../write/writer.js";

/** Bumped when the entry's layout changes: an entry of another format is a miss. */
const FORMAT = 1;

interface Entry {
  format: number;
  key: string;
  /** Files the type check read → sha256 of their contents. */
  inputs: Record<string, string>;
  /** Output path → sha256 of its contents (the manifest included). */
  files: Record<string, string>;
  diagnostics: Diagnostic[];
  specs: number;
}

/** An entry as stored: its JSON and that text's sha256, so a damaged or edited entry is a miss. */
interface Stored {
  sha256: string;
  entry: string;
}

export interface CacheLookup {
  /** The entry's file: one per set of spec paths and options, overwritten as they change. */
  path: string;
  key: string;
  /** The stored result, when it was made from exactly these inputs. */
  hit?: CachedCompile;
}

export interface CachedCompile {
  /** Output path → sha256. */
  files: Readonly<Record<string, string>>;
  diagnostics: Diagnostic[];
  specs: number;
}

/** The default cache directory of a project: `node_modules/.cache/vigil` under `cwd`. */
export function defaultCacheDir(cwd: string): string {
  return join(cwd, "node_modules", ".cache", "vigil");
}

/** Looks the specs up; undefined when they cannot be keyed (a spec that does not bundle or read: the compile reports it). */
export async function lookupCompile(specPaths: readonly string[], options: CompileOptions, cacheDir: string): Promise<CacheLookup | undefined> {
  const files = specPaths.map((p) => resolve(p));
  const specs: { file: string; sha256: string }[] = [];
  for (const file of files) {
    const digest = await specDigest(file);
    if (digest === undefined) return undefined;
    specs.push({ file, sha256: digest });
  }
  const settings = {
    typecheck: options.typecheck !== false,
    lint: options.lint !== false,
    emit: options.emit !== false,
    specTimeoutMs: options.specTimeoutMs ?? null,
    prometheusVersion: options.prometheusVersion ?? null,
    lintRules: options.lintRules ? Object.fromEntries(Object.entries(options.lintRules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : null,
  };
  const slot = sha256(JSON.stringify({ files, settings }));
  const key = sha256(JSON.stringify({ format: FORMAT, vigil: VIGIL_VERSION, build: ownBuild(), node: process.version, settings, specs }));
  const path = join(cacheDir, `${slot}.json`);
  const lookup: CacheLookup = { path, key };
  const entry = readEntry(path);
  if (entry && entry.key === key && Object.entries(entry.inputs).every(([file, digest]) => fileDigest(file) === digest)) {
    lookup.hit = { files: entry.files, diagnostics: entry.diagnostics, specs: entry.specs };
  }
  return lookup;
}

/** Stores a compile's result under the lookup's key (results with errors are not stored); a cache that cannot be written is skipped. */
export function storeCompile(lookup: CacheLookup, result: CompileResult): void {
  if (hasErrors(result.diagnostics)) return;
  const inputs: Record<string, string> = {};
  for (const file of result.typecheckInputs ?? []) {
    const digest = fileDigest(file);
    // A file the type check read that cannot be read now cannot be vouched for.
    if (digest === undefined) return;
    inputs[file] = digest;
  }
  const entry: Entry = {
    format: FORMAT,
    key: lookup.key,
    inputs,
    files: Object.fromEntries(result.files.map((f) => [f.path, sha256(f.content)])),
    diagnostics: result.diagnostics,
    specs: result.specs.length,
  };
  const tmp = `${lookup.path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(lookup.path, ".."), { recursive: true });
    const text = JSON.stringify(entry);
    writeFileSync(tmp, JSON.stringify({ sha256: sha256(text), entry: text } satisfies Stored));
    renameSync(tmp, lookup.path);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Whether `outDir` holds exactly these files with these contents (nothing missing, nothing extra). */
export function outputMatches(outDir: string, files: Readonly<Record<string, string>>): boolean {
  const root = resolve(outDir);
  let present: string[];
  try {
    if (!statSync(root).isDirectory()) return false;
    present = listFiles(root);
  } catch {
    return false;
  }
  const expected = Object.keys(files);
  if (present.length !== expected.length) return false;
  return present.every((path) => files[path] !== undefined && fileDigest(join(root, ...path.split("/"))) === files[path]);
}

async function specDigest(file: string): Promise<string | undefined> {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml" || ext === ".json") return fileDigest(file);
  const bundle = await bundleSpec(file);
  if (bundle.errors.length > 0 || !bundle.outputFiles) return undefined;
  const hash = createHash("sha256");
  for (const f of [...bundle.outputFiles].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${f.path}\0`).update(f.contents).update("\0");
  return hash.digest("hex");
}

function readEntry(path: string): Entry | undefined {
  let value: unknown;
  try {
    const stored = JSON.parse(readFileSync(path, "utf8")) as Partial<Stored>;
    if (typeof stored.entry !== "string" || stored.sha256 !== sha256(stored.entry)) return undefined;
    value = JSON.parse(stored.entry);
  } catch {
    return undefined;
  }
  return isEntry(value) ? value : undefined;
}

function isEntry(v: unknown): v is Entry {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Partial<Entry>;
  const digests = (r: unknown) => typeof r === "object" && r !== null && !Array.isArray(r) && Object.values(r).every((d) => typeof d === "string" && /^[0-9a-f]{64}$/.test(d));
  return (
    e.format === FORMAT &&
    typeof e.key === "string" &&
    digests(e.inputs) &&
    digests(e.files) &&
    Array.isArray(e.diagnostics) &&
    e.diagnostics.every((d) => typeof d === "object" && d !== null && typeof d.code === "string" && typeof d.message === "string" && typeof d.severity === "string") &&
    Number.isInteger(e.specs)
  );
}

/** This build of Vigil: a rebuilt compiler (same version, other code) is a miss. */
function ownBuild(): string {
  const s = statSync(ownModule("compile"));
  return `${s.size}:${s.mtimeMs}`;
}

function fileDigest(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
