/**
 * Stage 5: the only code that writes. All files go to a staging directory next to the
 * output directory, which then replaces it with two renames (rolled back on failure), so
 * an interrupted or failed write leaves the previous output intact: all files or none.
 * A directory holding files Vigil did not generate is never replaced.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { MANIFEST_PATH, type Manifest } from "../emit/index.js";
import type { OutputFile } from "../emit/types.js";

export function writeOutput(outDir: string, files: readonly OutputFile[]): Diagnostic[] {
  // A symlinked output directory is written through: the swap happens at the real directory.
  const target = existsSync(outDir) ? realpathSync(resolve(outDir)) : resolve(outDir);
  const foreign = foreignFiles(target);
  if (foreign.length > 0) {
    const d = makeDiagnostic(
      "VIG5001",
      `${outDir} contains files vigil did not generate (${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}); nothing was written`,
      undefined,
      { hint: "compile into an empty directory or one vigil generated" },
    );
    d.location = { file: target, line: 1, column: 1 };
    return [d];
  }
  const parent = dirname(target);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.${basename(target)}.vigil-staging-${suffix}`);
  const old = join(parent, `.${basename(target)}.vigil-old-${suffix}`);
  try {
    mkdirSync(parent, { recursive: true });
    for (const file of files) {
      const path = join(staging, ...file.path.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    if (existsSync(target)) {
      renameSync(target, old);
      try {
        renameSync(staging, target);
      } catch (err) {
        renameSync(old, target);
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    return [];
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const d = makeDiagnostic("VIG5003", `cannot write ${outDir}: ${(err as Error).message}; nothing was changed`);
    d.location = { file: target, line: 1, column: 1 };
    return [d];
  }
}

/** Files under `dir` that its manifest does not list (all of them when there is no manifest). */
export function foreignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [basename(dir)];
  const manifest = readManifest(dir);
  const owned = new Set(manifest ? [MANIFEST_PATH, ...Object.keys(manifest.files)] : []);
  return listFiles(dir).filter((f) => !owned.has(f));
}

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_PATH);
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return m.generator === "vigil" && m.files && typeof m.files === "object" ? m : undefined;
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
