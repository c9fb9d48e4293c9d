/** Stage 1 of the pipeline: a spec file → its value, a locator, and load diagnostics. */
import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { makeDiagnostic } from "../diagnostics/index.js";
import { typecheckSpecs } from "./typecheck.js";
export { typecheckSpecs } from "./typecheck.js";
import { loadTypeScriptSpec } from "./typescript.js";
import type { LoadOptions, LoadResult } from "./types.js";
import { loadYamlSpec } from "./yaml.js";

export type { LoadedSpec, LoadOptions, LoadResult, Locator, SpecKind } from "./types.js";

const TS_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

export async function loadSpec(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    const d = makeDiagnostic("VIG1001", `cannot read spec file ${path}`);
    d.location = { file, line: 1, column: 1 };
    return { diagnostics: [d] };
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return loadYamlSpec(file, "yaml");
  if (ext === ".json") return loadYamlSpec(file, "json");
  if (!TS_EXTENSIONS.has(ext)) {
    const d = makeDiagnostic("VIG1007", `unsupported spec file type "${ext}"`, undefined, {
      hint: "use monitoring.ts, monitoring.yaml or monitoring.json",
    });
    d.location = { file, line: 1, column: 1 };
    return { diagnostics: [d] };
  }
  const loaded = await loadTypeScriptSpec(file);
  // Type errors are reported alongside a successful load: the spec may still run fine.
  if (loaded.spec && options.typecheck !== false && isTypeScript(file)) {
    loaded.diagnostics.push(...typecheckSpecs([file]));
  }
  return loaded;
}

export function isTypeScript(file: string): boolean {
  return /\.[mc]?ts$/i.test(file);
}
