/**
 * What a command takes from the project config file (`vigil.config.ts` in the current
 * directory, or the file `--config` names) when its own arguments do not say: the specs, the
 * output directory, the Prometheus version and the lint settings. Arguments given on the
 * command line always win. The config module is loaded only when there is a config file.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/index.js";
import type { LoadedConfig } from "../config/load.js";
import { expandInputs, type ExpandedInputs } from "../config/inputs.js";

/** A usage mistake the command reports as such (exit 2). */
export class SettingsUsageError extends Error {}

/** The spec looked for when neither the command line nor the config names one, in this order. */
export const DEFAULT_SPEC_NAMES = ["monitoring.ts", "monitoring.yaml", "monitoring.yml", "monitoring.json"] as const;

/** `--config FILE` / `--config=FILE` taken out of the arguments (every command that compiles or reads an output takes it). */
export function takeConfigFlag(argv: readonly string[]): { configPath?: string; args: string[] } {
  const args: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.push(...argv.slice(i));
      break;
    }
    if (arg === "--config" || arg.startsWith("--config=")) {
      const value = arg === "--config" ? argv[++i] : arg.slice("--config=".length);
      if (value === undefined || value === "") throw new SettingsUsageError("--config needs a FILE");
      if (configPath !== undefined) throw new SettingsUsageError("--config is given twice");
      configPath = value;
    } else {
      args.push(arg);
    }
  }
  return configPath === undefined ? { args } : { configPath, args };
}

export interface Project {
  cwd: string;
  /** The config file, when there is one. */
  config?: LoadedConfig;
}

/** Loads the project's config: the file `--config` names, else the first of vigil.config.* in `cwd`, else none. */
export async function loadProject(cwd: string, configPath: string | undefined, timeoutMs?: number): Promise<{ project?: Project; diagnostics: Diagnostic[] }> {
  const { findConfig, loadConfig } = await import("../config/load.js");
  const path = configPath ?? findConfig(cwd);
  if (path === undefined) return { project: { cwd }, diagnostics: [] };
  const result = await loadConfig(path, cwd, timeoutMs === undefined ? {} : { timeoutMs });
  if (!result.loaded) return { diagnostics: result.diagnostics };
  return { project: { cwd, config: result.loaded }, diagnostics: [] };
}

/** A path of the config (relative to its directory) as the user reads it: relative to the current directory when inside it. */
function fromConfig(project: Project, path: string): string {
  const abs = resolve(project.config!.dir, path);
  const rel = relative(project.cwd, abs);
  return rel === "" ? "." : isAbsolute(rel) ? abs : rel;
}

/**
 * The specs of a command: its arguments (files, directories, globs) if any, else the config's
 * `specs`, else the monitoring.ts (or .yaml, .yml, .json) beside the config file or in the
 * current directory. `required: false` returns no file instead of failing when there is none.
 */
export function specInputs(project: Project, positionals: readonly string[], required = true): ExpandedInputs {
  if (positionals.length) return expandInputs(positionals, { base: project.cwd, cwd: project.cwd });
  const config = project.config;
  if (config?.config.specs) return expandInputs(config.config.specs, { base: config.dir, cwd: project.cwd });
  const dir = config?.dir ?? project.cwd;
  const name = DEFAULT_SPEC_NAMES.find((n) => existsSync(join(dir, n)));
  if (name) return { files: [config ? fromConfig(project, name) : name], diagnostics: [] };
  if (!required) return { files: [], diagnostics: [] };
  throw new SettingsUsageError(
    config
      ? `no spec given, no specs in ${relative(project.cwd, config.file) || config.file} and no monitoring.ts beside it`
      : "no spec given and no monitoring.ts in the current directory",
  );
}

/** The output directory: `--out` if given, else the config's `out`. */
export function outDir(project: Project, flag: string | undefined): string | undefined {
  if (flag !== undefined) return flag;
  const out = project.config?.config.out;
  return out === undefined ? undefined : fromConfig(project, out);
}

/** The Prometheus version of specs that do not set one (the config's `prometheus.version`). */
export function prometheusVersion(project: Project): string | undefined {
  return project.config?.config.prometheus?.version;
}

/** The rule files `vigil lint` reads when given no file (the config's `lint.files`, globs expanded). */
export function lintFiles(project: Project): ExpandedInputs {
  const config = project.config;
  const files = config?.config.lint?.files;
  if (!config || !files) return { files: [], diagnostics: [] };
  return expandInputs(files, { base: config.dir, cwd: project.cwd, directoryFiles: (name) => /\.(ya?ml|json)$/i.test(name), noun: "rule" });
}
