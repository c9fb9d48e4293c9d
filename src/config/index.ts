/** The config file (`vigil.config.ts`): its types, finding and loading it, and input expansion. */
export type { ConfigPrometheusSettings, DeployConfig, DeployServerConfig, LintConfig, VigilConfig } from "./types.js";
export { CONFIG_NAMES, findConfig, loadConfig, type ConfigResult, type LoadedConfig } from "./load.js";
export { expandInputs, globPaths, isGlob, SPEC_FILE_NAMES, type ExpandedInputs } from "./inputs.js";
