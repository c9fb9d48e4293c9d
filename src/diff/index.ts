/**
 * `vigil diff`: what a change to the specs means. Either the specs at a git revision against
 * the working tree, each compiled in memory and compared as models, or two compiled output
 * directories compared file by file. Nothing is written.
 */
import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { compile, type CompileOptions } from "../compile.js";
import { expandInputs } from "../config/inputs.js";
import { hasErrors, makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { compareFacts, type DiffChange } from "./compare.js";
import { modelFacts } from "./model-facts.js";
import { summarize } from "./summary.js";
import type { DiffReport } from "./render.js";
import { extractRevision, repositoryRoot, resolveBase } from "./git.js";
import { maskSecrets, TreeError, treeFacts } from "./tree-facts.js";

export type { DiffChange } from "./compare.js";
export type { DiffSummary } from "./summary.js";
export { renderDiff, DIFF_FORMATS, MARKDOWN_MARKER, type DiffFormat, type DiffReport } from "./render.js";

export interface DiffResult {
  /** Absent when there are errors. */
  report?: DiffReport;
  diagnostics: Diagnostic[];
}

export type SpecDiffOptions = Pick<CompileOptions, "specTimeoutMs" | "prometheusVersion">;

/** Spec inputs as the user gave them (files, directories, globs) and the directory they are relative to. */
export interface SpecInputs {
  patterns: readonly string[];
  base: string;
}

/**
 * The specs at `revision` (default: see `resolveBase`) against the working tree. The inputs are
 * expanded in each tree, so a spec added or removed below a directory or glob counts: a spec
 * that does not exist on one side is empty there (everything in it is added, or removed).
 */
export async function diffSpecs(cwd: string, inputs: SpecInputs, revision: string | undefined, options: SpecDiffOptions = {}): Promise<DiffResult> {
  const compileOptions: CompileOptions = { ...options, typecheck: false, lint: false, emit: false };
  try {
    const root = repositoryRoot(cwd);
    const rev = resolveBase(root, revision);
    const working = expandInputs(inputs.patterns, { base: inputs.base, cwd });
    if (hasErrors(working.diagnostics)) return { diagnostics: working.diagnostics };
    const after = await compile(working.files.map((f) => (isAbsolute(f) || cwd === process.cwd() ? f : resolve(cwd, f))), compileOptions);
    if (hasErrors(after.diagnostics) || !after.model) return { diagnostics: after.diagnostics };

    const extracted = extractRevision(root, rev.commit);
    try {
      const base = relative(root, realpathSync(resolve(cwd, inputs.base)));
      if (base.startsWith("..") || isAbsolute(base)) return { diagnostics: [makeDiagnostic("VIG6020", `${inputs.base} is outside the git repository ${root}`)] };
      const there = join(extracted.dir, base);
      // Absolute inputs inside the repository point into the extracted tree; directories and globs that name nothing there are empty.
      const patterns = inputs.patterns.map((p) => (isAbsolute(p) && !relative(root, p).startsWith("..") ? join(extracted.dir, relative(root, p)) : p));
      const atBase = existsSync(there) ? expandInputs(patterns, { base: there, cwd: there }).files.map((f) => resolve(there, f)).filter((f) => existsSync(f)) : [];
      const before = atBase.length ? await compile(atBase, compileOptions) : undefined;
      if (before && (hasErrors(before.diagnostics) || !before.model)) {
        const rewritten = before.diagnostics.map((d) => relabel(d, extracted.dir, `${rev.name}:`));
        return { diagnostics: [makeDiagnostic("VIG6021", `the specs at ${rev.name} (${rev.commit.slice(0, 12)}) do not compile, so there is nothing to compare with`), ...rewritten] };
      }
      const [beforeFacts, afterFacts] = [modelFacts(before?.model), modelFacts(after.model)];
      const changes = compareFacts(beforeFacts, afterFacts);
      return { report: { before: `${rev.name} (${rev.commit.slice(0, 12)})`, after: "working tree", changes, summary: summarize(changes, beforeFacts, afterFacts) }, diagnostics: [] };
    } finally {
      extracted.remove();
    }
  } catch (err) {
    if (err instanceof TreeError) return { diagnostics: [err.diagnostic] };
    throw err;
  }
}

/** Two directories `vigil compile` wrote. */
export async function diffTrees(oldDir: string, newDir: string, labels: { before: string; after: string } = { before: oldDir, after: newDir }): Promise<DiffResult> {
  try {
    const [beforeFacts, afterFacts] = [await treeFacts(oldDir), await treeFacts(newDir)];
    const changes = compareFacts(beforeFacts, afterFacts).map(masked);
    return { report: { ...labels, changes, summary: summarize(changes, beforeFacts, afterFacts).map((s) => ({ ...s, text: maskSecrets(s.text) })) }, diagnostics: [] };
  } catch (err) {
    if (err instanceof TreeError) return { diagnostics: [err.diagnostic] };
    throw err;
  }
}

function masked(c: DiffChange): DiffChange {
  const out: DiffChange = { ...c };
  if (c.before !== undefined) out.before = maskSecrets(c.before);
  if (c.after !== undefined) out.after = maskSecrets(c.after);
  if (c.fields) out.fields = Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, maskSecrets(v)]));
  return out;
}

/** A diagnostic of a base spec: `REV:path` for the temporary copy's path. */
function relabel(d: Diagnostic, dir: string, label: string): Diagnostic {
  const fix = (text: string): string => text.split(dir + "/").join(label);
  const out: Diagnostic = { ...d, message: fix(d.message) };
  if (d.location) out.location = { ...d.location, file: fix(d.location.file) };
  if (d.related) out.related = d.related.map((r) => (r.location ? { ...r, message: fix(r.message), location: { ...r.location, file: fix(r.location.file) } } : { ...r, message: fix(r.message) }));
  return out;
}

