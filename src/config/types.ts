/**
 * The project config file, `vigil.config.ts` (or `.mts`, `.mjs`, `.js`, `.json`): the defaults
 * the commands take when the command line does not say (like `checkly.config.ts` or
 * `cdk8s.yaml`). Paths in it are relative to the file's directory.
 */
import type { LintLevel, OutputTarget } from "../spec/types.js";

export interface VigilConfig {
  /**
   * What `vigil compile`, `check` and `lint` read when given no spec: spec files, directories
   * (every monitoring.ts/.yaml/.json below them) or globs (`*`, `**`, `?`, `[abc]`, `{a,b}`).
   * Default: the monitoring.ts (or .yaml, .yml, .json) beside the config file.
   */
  specs?: string[];
  /** The output directory `compile` writes, `check` compares and `routes test`/`probes run` read. */
  out?: string;
  prometheus?: ConfigPrometheusSettings;
  lint?: LintConfig;
  /** The `targets` of every spec that sets none, e.g. `["files", "kubernetes"]` (default `["files"]`). */
  targets?: OutputTarget[];
  /** Where `vigil deploy` puts the compiled files and which servers it reloads (its flags win). */
  deploy?: DeployConfig;
}

/** `vigil deploy`'s servers: each the directory it reads its config from and its URL. */
export interface DeployConfig {
  /** Prometheus: `dir` holds the `prometheus.yml` it runs with (`--config.file`) and `rules/`. */
  prometheus?: DeployServerConfig;
  /** Alertmanager: `dir` holds the `alertmanager.yml` it runs with (`--config.file`). */
  alertmanager?: DeployServerConfig;
}

export interface DeployServerConfig {
  /** The directory, relative to the config file. */
  dir: string;
  /** Its base URL, e.g. `http://localhost:9090` (it must run with `--web.enable-lifecycle`). */
  url: string;
}

export interface ConfigPrometheusSettings {
  /** The Prometheus version of every spec that does not set `prometheus.version` itself, and of linted rule files (default 2.42). */
  version?: string;
}

export interface LintConfig {
  /**
   * Lint rule id → severity for every spec and rule file, e.g. `{ "alerts/for": "off" }`.
   * A spec's own `lint.rules` win over these.
   */
  rules?: Record<string, LintLevel>;
  /**
   * The values plain rule files may give the `severity` label (lint rule `alerts/severity`),
   * e.g. `["page", "ticket"]`. Default: critical, warning, info. Specs always use those three.
   */
  severities?: string[];
  /** Plain Prometheus rule files (or PrometheusRule resources) `vigil lint` reads when given no file: paths or globs. */
  files?: string[];
}
