/**
 * `vigil diff`: what a change to the specs means. Either the specs at a git revision against
 * the working tree, each compiled in memory and compared as models, or two compiled output
 * directories compared file by file. Nothing is written.
 */
import { existsSync, realpathSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { compile, type CompileOptions } from "../compile.js";
import { hasErrors, makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { compareFacts, type DiffChange } from "./compare.js";
import { modelFacts } from "./model-facts.js";
import type { DiffReport } from "./render.js";
import { extractRevision, repositoryRoot, resolveBase } from "./git.js";
import { maskSecrets, TreeError, treeFacts } from "./tree-facts.js";

export type { DiffChange } from "./compare.js";
export { renderDiff, DIFF_FORMATS, MARKDOWN_MARKER, type DiffFormat, type DiffReport } from "./render.js";

export interface DiffResult {
  /** Absent when there are errors. */
  report?: DiffReport;
  diagnostics: Diagnostic[];
}

export type SpecDiffOptions = Pick<CompileOptions, "specTimeoutMs" | "prometheusVersion">;

/**
 * The specs (paths in the working tree) at `base` (default: see `resolveBase`) against the working
 * tree. A spec that did not exist at the base counts as empty there (everything in it is added).
 */
export async function diffSpecs(cwd: string, specs: readonly string[], base: string | undefined, options: SpecDiffOptions = {}): Promise<DiffResult> {
  const compileOptions: CompileOptions = { ...options, typecheck: false, lint: false, emit: false };
  try {
    const root = repositoryRoot(cwd);
    const revision = resolveBase(root, base);
    const after = await compile(specs, compileOptions);
    if (hasErrors(after.diagnostics) || !after.model) return { diagnostics: after.diagnostics };

    const extracted = extractRevision(root, revision.commit);
    try {
      const inRepo = specs.map((s) => relative(root, realpathSync(resolve(cwd, s))));
      const outside = inRepo.find((p) => p.startsWith(".."));
      if (outside !== undefined) return { diagnostics: [makeDiagnostic("VIG6020", `${outside} is outside the git repository ${root}`)] };
      const atBase = inRepo.map((p) => join(extracted.dir, p)).filter((p) => existsSync(p));
      const before = atBase.length ? await compile(atBase, compileOptions) : undefined;
      const label = `${revision.name}:`;
      if (before && (hasErrors(before.diagnostics) || !before.model)) {
        const rewritten = before.diagnostics.map((d) => relabel(d, extracted.dir, label));
        return { diagnostics: [makeDiagnostic("VIG6021", `the specs at ${revision.name} (${revision.commit.slice(0, 12)}) do not compile, so there is nothing to compare with`), ...rewritten] };
      }
      const changes = compareFacts(modelFacts(before?.model), modelFacts(after.model));
      return { report: { before: `${revision.name} (${revision.commit.slice(0, 12)})`, after: "working tree", changes }, diagnostics: [] };
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
    const changes = compareFacts(await treeFacts(oldDir), await treeFacts(newDir)).map(masked);
    return { report: { ...labels, changes }, diagnostics: [] };
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

