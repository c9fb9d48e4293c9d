/**
 * `vigil diff [specs...] [--base REV]` and `vigil diff --trees OLD NEW`: what a change means,
 * printed as text, JSON or Markdown (src/diff/). Exit 0 with or without changes, 1 with
 * `--exit-code` when there are changes or on errors, 2 on usage errors.
 */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Io } from "./main.js";
import { parseSpecTimeout } from "./options.js";
import { reportDiagnostics } from "./report.js";
import { prometheusVersion, specInputs, type Project } from "./settings.js";

export class DiffUsageError extends Error {}

export const DIFF_USAGE = "usage: vigil diff [specs...] [--base REV] [--format text|json|markdown] [--exit-code] | vigil diff --trees OLD_DIR NEW_DIR [...]";

export async function diffCommand(args: readonly string[], io: Io, project: Project): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { base: { type: "string" }, trees: { type: "boolean" }, format: { type: "string" }, "exit-code": { type: "boolean" }, "spec-timeout": { type: "string" } },
    });
  } catch (err) {
    throw new DiffUsageError(`${(err as Error).message} (${DIFF_USAGE})`);
  }
  const { values, positionals } = parsed;
  const { DIFF_FORMATS, diffSpecs, diffTrees, renderDiff } = await import("../diff/index.js");
  const format = values.format ?? "text";
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) throw new DiffUsageError(`--format must be one of ${DIFF_FORMATS.join(", ")}, got "${format}"`);
  if (values.trees && (positionals.length !== 2 || values.base !== undefined)) throw new DiffUsageError(`--trees takes two directories and no --base (${DIFF_USAGE})`);

  let result;
  if (values.trees) {
    const [oldDir, newDir] = positionals as [string, string];
    const abs = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
    result = await diffTrees(abs(oldDir), abs(newDir), { before: oldDir, after: newDir });
  } else {
    // The inputs as given (expanded in each tree): the arguments, else the config's specs, else the default spec.
    const configSpecs = project.config?.config.specs;
    const inputs = positionals.length ? { patterns: positionals, base: io.cwd } : configSpecs ? { patterns: configSpecs, base: project.config!.dir } : { patterns: specInputs(project, []).files, base: io.cwd };
    const version = prometheusVersion(project);
    const timeout = parseSpecTimeout(values["spec-timeout"]);
    result = await diffSpecs(io.cwd, inputs, values.base, { ...(version ? { prometheusVersion: version } : {}), ...(timeout ? { specTimeoutMs: timeout } : {}) });
  }
  if (!result.report) {
    reportDiagnostics(result.diagnostics, "human", io);
    return 1;
  }
  io.stdout(renderDiff(result.report, format as (typeof DIFF_FORMATS)[number]));
  return values["exit-code"] && result.report.changes.length > 0 ? 1 : 0;
}
