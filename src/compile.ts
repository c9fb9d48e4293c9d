/**
 * The library API the CLI calls: load → validate → normalize → check → emit, all in memory.
 * Writing is separate (`write/`), so `check` can compare without touching the disk.
 */
import { hasErrors, sortDiagnostics, type Diagnostic, type SourceLocation, type SpecRef } from "./diagnostics/index.js";
import { checkModel } from "./check/index.js";
import { emitAll } from "./emit/index.js";
import { lintModel } from "./lint/run.js";
import type { OutputFile } from "./emit/types.js";
import { isTypeScript, loadSpec, typecheckSpecs, type LoadedSpec } from "./load/index.js";
import { dropDuplicateTypeErrors } from "./load/one-error.js";
import type { Model } from "./model/types.js";
import { normalizeModel } from "./normalize/index.js";
import { validateSpec } from "./spec/validate.js";
import type { LintLevel, MonitoringSpec, OutputTarget } from "./spec/types.js";

export interface CompileOptions {
  /** Type-check TypeScript specs (default true). */
  typecheck?: boolean;
  /** Run the lint rules (default true); lint errors stop the compile like any other error. */
  lint?: boolean;
  /** Generate the output files (default true); `vigil lint` only needs the diagnostics. */
  emit?: boolean;
  /**
   * Time limit for evaluating each TypeScript/JavaScript spec, in milliseconds (default 10 s).
   * Specs run in a worker thread, so a spec that loops, exits or never settles becomes a
   * VIG1009 diagnostic instead of hanging or ending the caller.
   */
  specTimeoutMs?: number;
  /** The Prometheus version of specs that do not set `prometheus.version` (the config file's `prometheus.version`). */
  prometheusVersion?: string;
  /** The `targets` of specs that set none (the config file's `targets`). */
  targets?: readonly OutputTarget[];
  /** Lint rule severities for every spec (the config file's `lint.rules`); a spec's own `lint.rules` win. */
  lintRules?: Readonly<Record<string, LintLevel>>;
}

export interface CompileResult {
  /** Generated files; empty when there are errors (nothing half-built is ever returned). */
  files: OutputFile[];
  diagnostics: Diagnostic[];
  model?: Model;
  specs: LoadedSpec[];
  /** Every file the type check read (absent without it): what else, beside the bundles, the result depends on. */
  typecheckInputs?: string[];
}

export async function compile(specPaths: readonly string[], options: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics: Diagnostic[] = [];
  const specs: LoadedSpec[] = [];
  for (const path of specPaths) {
    const loaded = await loadSpec(path, options.specTimeoutMs === undefined ? { typecheck: false } : { typecheck: false, specTimeoutMs: options.specTimeoutMs });
    diagnostics.push(...loaded.diagnostics);
    if (loaded.spec) specs.push(loaded.spec);
  }
  const typecheckInputs = options.typecheck !== false ? new Set<string>() : undefined;
  if (typecheckInputs) diagnostics.push(...typecheckSpecs(specs.map((s) => s.file).filter(isTypeScript), typecheckInputs));

  const valid: { index: number; value: MonitoringSpec }[] = [];
  specs.forEach((spec, index) => {
    const problems = validateSpec(spec.value, index);
    diagnostics.push(...problems);
    if (problems.length === 0) valid.push({ index, value: withDefaults(spec.value as MonitoringSpec, options) });
  });

  let model: Model | undefined;
  if (valid.length === specs.length && specs.length === specPaths.length) {
    const normalized = normalizeModel(valid.map((v) => v.value));
    diagnostics.push(...normalized.diagnostics);
    model = normalized.model;
    if (options.lintRules) for (const service of model.services) service.lint.rules = { ...options.lintRules, ...service.lint.rules };
    if (!hasErrors(diagnostics)) diagnostics.push(...checkModel(model));
    if (!hasErrors(diagnostics) && options.lint !== false) diagnostics.push(...lintModel(model));
  }

  let files: OutputFile[] = [];
  if (model && !hasErrors(diagnostics) && options.emit !== false) {
    const emitted = emitAll(model);
    // An emitter's error (a clash only visible across targets) leaves nothing half-built either.
    files = hasErrors(emitted.diagnostics) ? [] : emitted.files;
    diagnostics.push(...emitted.diagnostics);
  }

  const located = sortDiagnostics(dropDuplicateTypeErrors(diagnostics.map((d) => locate(d, specs))));
  const result: CompileResult = { files, diagnostics: located, specs };
  if (model) result.model = model;
  if (typecheckInputs) result.typecheckInputs = [...typecheckInputs].sort();
  return result;
}

/** The spec with the caller's defaults filled in where it says nothing (a copy; the loaded value is kept). */
function withDefaults(spec: MonitoringSpec, options: CompileOptions): MonitoringSpec {
  let out = spec;
  if (options.targets !== undefined && spec.targets === undefined) out = { ...out, targets: [...options.targets] };
  if (options.prometheusVersion === undefined || spec.prometheus?.version !== undefined) return out;
  return { ...out, prometheus: { ...out.prometheus, version: options.prometheusVersion } };
}

/** Resolves spec-relative places (`at`) to file positions through each spec's locator. */
function locate(d: Diagnostic, specs: readonly LoadedSpec[]): Diagnostic {
  const resolve = (at: SpecRef | undefined): SourceLocation | undefined => {
    if (!at) return undefined;
    const spec = specs[at.spec ?? 0];
    return spec?.locator.locate(at) ?? (spec ? { file: spec.file, line: 1, column: 1 } : undefined);
  };
  const out: Diagnostic = { ...d };
  if (!out.location) {
    const loc = resolve(d.at);
    if (loc) out.location = loc;
  }
  if (d.related) {
    out.related = d.related.map((r) => {
      const loc = r.location ?? resolve(r.at);
      return loc ? { ...r, location: loc } : r;
    });
  }
  return out;
}
