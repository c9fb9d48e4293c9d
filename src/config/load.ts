/**
 * Finds and loads the config file. A TypeScript/JavaScript config is evaluated exactly as a
 * spec is (src/load/typescript.ts: esbuild bundle, a worker thread with a time limit), never
 * in this process; a JSON config is read by the spec's JSON reader. Either way each problem
 * is a diagnostic located in the config file.
 */
import { existsSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { makeDiagnostic, type Diagnostic, type SourceLocation, type SpecRef } from "../diagnostics/index.js";
import { unreadableReason } from "../load/readable.js";
import { loadTypeScriptSpec } from "../load/typescript.js";
import type { Locator } from "../load/types.js";
import { loadYamlSpec } from "../load/yaml.js";
import type { VigilConfig } from "./types.js";
import { validateConfig } from "./validate.js";

/** The names looked for in the current directory, in this order; the first that exists is used. */
export const CONFIG_NAMES = ["vigil.config.ts", "vigil.config.mts", "vigil.config.mjs", "vigil.config.js", "vigil.config.json"] as const;

const SCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its directory: the config's paths are relative to it. */
  dir: string;
  config: VigilConfig;
}

export interface ConfigResult {
  /** Undefined when there is no config file, or when it has errors (see diagnostics). */
  loaded?: LoadedConfig;
  diagnostics: Diagnostic[];
}

/** The config file of `dir`, if it has one. */
export function findConfig(dir: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

export interface ConfigLoadOptions {
  /** Time limit for evaluating a TypeScript/JavaScript config (default 10 s, as for specs). */
  timeoutMs?: number;
}

/** Loads the config file at `path` (relative to `cwd`); a missing file is an error (VIG1010). */
export async function loadConfig(path: string, cwd: string, options: ConfigLoadOptions = {}): Promise<ConfigResult> {
  const file = resolve(cwd, path);
  const unreadable = unreadableReason(file);
  if (unreadable) {
    return { diagnostics: [makeDiagnostic("VIG1010", `cannot read config file ${path}: ${unreadable}`, undefined, { hint: `give a ${CONFIG_NAMES.join(", ")} file` })] };
  }
  const ext = extname(file).toLowerCase();
  let value: unknown;
  let locator: Locator;
  if (ext === ".json") {
    const r = loadYamlSpec(file, "json");
    if (!r.spec) return { diagnostics: r.diagnostics.map((d) => (d.code === "VIG1004" ? { ...d, message: "the config document is not an object" } : d)) };
    ({ value, locator } = r.spec);
  } else if (SCRIPT_EXTENSIONS.has(ext)) {
    const r = await loadTypeScriptSpec(file, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }, {
      noun: "config",
      exportHint: 'end the file with `export default defineConfig({ ... })` (import { defineConfig } from "vigil-monitoring")',
    });
    if (!r.spec) return { diagnostics: r.diagnostics };
    ({ value, locator } = r.spec);
  } else {
    return { diagnostics: [makeDiagnostic("VIG1010", `unsupported config file type "${ext}" (${path})`, undefined, { hint: `use ${CONFIG_NAMES.join(", ")}` })] };
  }
  const checked = validateConfig(value);
  if (!checked.config) return { diagnostics: checked.diagnostics.map((d) => locate(d, locator, file)) };
  return { loaded: { file, dir: resolve(file, ".."), config: checked.config }, diagnostics: [] };
}

function locate(d: Diagnostic, locator: Locator, file: string): Diagnostic {
  const at: SpecRef | undefined = d.at;
  const location: SourceLocation = (at && locator.locate(at)) || { file, line: 1, column: 1 };
  const out: Diagnostic = { ...d, location };
  delete out.at;
  return out;
}
