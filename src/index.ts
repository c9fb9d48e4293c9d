/**
 * The compiler's library API (`vigil-monitoring/compiler`): what the CLI uses.
 * The authoring API for specs is the package's main entry (`vigil-monitoring`).
 */
export { compile, type CompileOptions, type CompileResult } from "./compile.js";
export { writeOutput } from "./write/writer.js";
export { checkDrift } from "./write/drift.js";
export { renderDiagnostics, summarize } from "./diagnostics/render.js";
export { CODES, type Diagnostic, type DiagnosticCode, type SourceLocation } from "./diagnostics/index.js";
export type { OutputFile } from "./emit/types.js";
export type { Model } from "./model/types.js";
export { VIGIL_VERSION } from "./version.js";
export { defineConfig } from "./api/index.js";
export { CONFIG_NAMES, expandInputs, findConfig, loadConfig, type ConfigResult, type LoadedConfig, type VigilConfig, type LintConfig } from "./config/index.js";
export { deploy, serverFiles, DEPLOY_STATE, type DeployOptions, type DeployResult, type DeployServer, type DeployTarget, type FileChange } from "./deploy/index.js";
export { diffSpecs, diffTrees, renderDiff, DIFF_FORMATS, type DiffChange, type DiffFormat, type DiffReport, type DiffResult } from "./diff/index.js";
