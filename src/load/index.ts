/** Stage 1 of the pipeline: a spec file → its value, a locator, and load diagnostics. */
import { statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { makeDiagnostic } from "../diagnostics/index.js";
import { unreadableReason } from "./readable.js";
import { typecheckSpecs } from "./typecheck.js";
export { typecheckSpecs } from "./typecheck.js";
import { loadTypeScriptSpec } from "./typescript.js";
import type { LoadOptions, LoadResult } from "./types.js";
import { loadYamlSpec } from "./yaml.js";

export type { LoadedSpec, LoadOptions, LoadResult, Locator, SpecKind } from "./types.js";

const TS_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

export async function loadSpec(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const file = resolve(path);
  // A path that is not a readable file has no source to point into: the diagnostic names the
  // path and carries no location (it would be a made-up 1:1).
  const unreadable = unreadableReason(file);
  if (unreadable) {
    const inside = unreadable === "it is a directory" ? SPEC_NAMES.find((n) => isFile(join(file, n))) : undefined;
    return {
      diagnostics: [
        makeDiagnostic("VIG1001", `cannot read spec file ${path}: ${unreadable}`, undefined, {
          hint: inside ? `give the spec file: ${join(path, inside)}` : unreadable === "it is a directory" ? "give a monitoring.ts, .yaml or .json file" : undefined,
        }),
      ],
    };
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return loadYamlSpec(file, "yaml");
  if (ext === ".json") return loadYamlSpec(file, "json");
  if (!TS_EXTENSIONS.has(ext)) {
    const d = makeDiagnostic("VIG1007", `unsupported spec file type "${ext}" (${path})`, undefined, {
      hint: "use monitoring.ts, monitoring.yaml or monitoring.json",
    });
    return { diagnostics: [d] };
  }
  const loaded = await loadTypeScriptSpec(file, options.specTimeoutMs === undefined ? {} : { timeoutMs: options.specTimeoutMs });
  // Type errors are reported alongside a successful load: the spec may still run fine.
  if (loaded.spec && options.typecheck !== false && isTypeScript(file)) {
    loaded.diagnostics.push(...typecheckSpecs([file]));
  }
  return loaded;
}

const SPEC_NAMES = ["monitoring.ts", "monitoring.yaml", "monitoring.yml", "monitoring.json"];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isTypeScript(file: string): boolean {
  return /\.[mc]?ts$/i.test(file);
}
