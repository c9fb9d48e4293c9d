import type { Diagnostic, SourceLocation, SpecRef } from "../diagnostics/index.js";

export type SpecKind = "typescript" | "yaml" | "json";

/** Resolves a place in the spec value to a position in the spec's source. */
export interface Locator {
  locate(ref: SpecRef): SourceLocation | undefined;
}

export interface LoadedSpec {
  /** Absolute path of the spec file. */
  file: string;
  kind: SpecKind;
  /** The spec value (default export, or the parsed document). */
  value: unknown;
  locator: Locator;
}

export interface LoadResult {
  spec?: LoadedSpec;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Type-check TypeScript specs with the TypeScript compiler (default true). */
  typecheck?: boolean;
  /** Time limit for evaluating a TypeScript/JavaScript spec, in milliseconds (default 10 s). */
  specTimeoutMs?: number;
}
