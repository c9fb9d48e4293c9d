/**
 * `vigil import <kind> FILES... [--out FILE] [--force] [--service NAME] [--team NAME]`: writes the
 * `monitoring.ts` the importer generates to FILE (whole, through a temporary file renamed into
 * place) or to stdout. Exit 0 with the import's warnings printed, 1 when the input cannot be read
 * or imported (nothing written), 2 usage.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hasErrors, makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Io } from "./main.js";
import { parseFormat, reportDiagnostics } from "./report.js";

export class ImportUsageError extends Error {}

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { out: { type: "string", short: "o" }, force: { type: "boolean" }, service: { type: "string" }, team: { type: "string" }, format: { type: "string" } },
    });
  } catch (err) {
    throw new ImportUsageError((err as Error).message);
  }
  const { IMPORT_KINDS, importSpec } = await import("../import/index.js");
  const [kind, ...files] = parsed.positionals;
  if (kind === undefined) throw new ImportUsageError(`vigil import needs a kind (${IMPORT_KINDS.join(", ")}) and files`);
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new ImportUsageError(`unknown import kind "${kind}" (kinds: ${IMPORT_KINDS.join(", ")})`);
  if (files.length === 0) throw new ImportUsageError(`vigil import ${kind} needs at least one file or directory`);
  const name = /^[a-z][a-z0-9-]*$/;
  for (const key of ["service", "team"] as const) {
    const v = parsed.values[key];
    if (v !== undefined && !name.test(v)) throw new ImportUsageError(`--${key}: "${v}" is not a lower-case name (letters, digits and '-')`);
  }
  const format = parseFormat(parsed.values.format);
  const result = await importSpec(kind as (typeof IMPORT_KINDS)[number], files, {
    cwd: io.cwd,
    ...(parsed.values.service ? { service: parsed.values.service } : {}),
    ...(parsed.values.team ? { team: parsed.values.team } : {}),
  });
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  const out = parsed.values.out;
  if (result.text !== undefined && !hasErrors(diagnostics)) {
    if (out === undefined) {
      reportDiagnostics(diagnostics, format, io);
      io.stdout(result.text);
      return 0;
    }
    const target = resolve(io.cwd, out);
    if (existsSync(target) && !parsed.values.force) {
      diagnostics.push(makeDiagnostic("VIG6005", `${out} already exists; nothing is written`, undefined, { hint: "remove it, or pass --force to replace it" }));
    } else {
      const staging = join(dirname(target), `.${Date.now()}-${process.pid}.vigil-import.tmp`);
      try {
        writeFileSync(staging, result.text);
        renameSync(staging, target);
      } catch (err) {
        rmSync(staging, { force: true });
        diagnostics.push(makeDiagnostic("VIG5003", `cannot write ${out}: ${(err as Error).message} (nothing was written)`));
      }
    }
  }
  reportDiagnostics(diagnostics, format, io);
  if (hasErrors(diagnostics)) return 1;
  io.stderr(`vigil: wrote ${out}${diagnostics.length ? ` (${diagnostics.length} warning${diagnostics.length === 1 ? "" : "s"} above)` : ""}; next: vigil compile ${out} --out out\n`);
  return 0;
}
