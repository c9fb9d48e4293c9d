/**
 * `vigil init [DIR] [--force] [--service NAME]`: writes a starter `monitoring.ts`, a
 * `vigil.config.ts` and a CI workflow (`.github/workflows/monitoring.yml`) into DIR (default
 * the current directory), so that `vigil compile` then works there with no arguments. It
 * never overwrites a file unless `--force` is given: an existing file is a VIG5005 diagnostic
 * and nothing is written.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { renderDiagnostics, summarize } from "../diagnostics/render.js";
import type { Io } from "./main.js";

export class InitUsageError extends Error {}

/** A service name from a directory name: lower case, letters, digits and `-`. */
export function serviceNameFor(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(name) ? name : `service${name ? `-${name}` : ""}`;
}

export async function initCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { force: { type: "boolean" }, service: { type: "string" } } });
  } catch (err) {
    throw new InitUsageError((err as Error).message);
  }
  if (parsed.positionals.length > 1) throw new InitUsageError("usage: vigil init [DIR] [--force] [--service NAME]");
  const given = parsed.positionals[0] ?? ".";
  const dir = resolve(io.cwd, given);
  const service = parsed.values.service ?? serviceNameFor(dir);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(service)) throw new InitUsageError(`--service: invalid service name "${service}" (use letters, digits, '-', '_' and '.')`);

  const { initFiles } = await import("./init-files.js");
  const files = initFiles({ service });
  const shown = (path: string) => (given === "." ? path : join(given, path));
  if (!parsed.values.force) {
    const existing = files.filter((f) => existsSync(join(dir, f.path)));
    if (existing.length) {
      const diagnostics: Diagnostic[] = existing.map((f) =>
        makeDiagnostic("VIG5005", `${shown(f.path)} already exists; vigil init writes nothing`, undefined, { hint: "remove it, or run vigil init --force to overwrite it" }),
      );
      io.stderr(renderDiagnostics(diagnostics, { cwd: io.cwd, color: io.color }) + "\n\n" + summarize(diagnostics) + "\n");
      return 1;
    }
  }
  const written: string[] = [];
  try {
    for (const f of files) {
      const target = join(dir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
      written.push(shown(f.path));
    }
  } catch (err) {
    const d = makeDiagnostic("VIG5003", `cannot write ${given}: ${(err as Error).message}${written.length ? ` (written before the failure: ${written.join(", ")})` : " (nothing was written)"}`);
    io.stderr(renderDiagnostics([d], { cwd: io.cwd, color: io.color }) + "\n");
    return 1;
  }
  const cd = given === "." ? "" : `cd ${given} && `;
  io.stdout(
    `vigil: wrote ${written.join(", ")}\n` +
      `Next: ${cd}npm install --save-dev vigil-monitoring (if it is not installed), edit monitoring.ts, then\n` +
      `  npx vigil compile    # writes out/ (commit it)\n` +
      `  npx vigil check      # what CI runs: fails when out/ is stale\n`,
  );
  return 0;
}
