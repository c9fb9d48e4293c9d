/**
 * Loads a TypeScript/JavaScript spec: bundle it with esbuild (the user's own imports included,
 * `vigil-monitoring` resolved to this compiler's API), run the bundle as a CommonJS function in
 * a worker thread with a time limit (evaluate.ts) and take a plain-data copy of its default
 * export. Nothing is written to disk and nothing is cached between loads, so compiling the same
 * file twice in one process sees its current contents.
 */
import { build, type Message, type OutputFile } from "esbuild";
import { dirname, relative, resolve } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { ownModule } from "../util/own-files.js";
import { startSpecWorker, type EvaluateLimits, type EvaluationResult } from "./evaluate.js";
import { createTsLocator } from "./ts-locator.js";
import type { LoadResult } from "./types.js";

const BUNDLE_NAME = "vigil-spec-bundle.js";

/** What the evaluated file is, for the diagnostics' wording (a spec, or the config file). */
export interface EvaluatedSubject {
  noun: string;
  /** The hint for a file without a usable default export. */
  exportHint: string;
}

const SPEC_SUBJECT: EvaluatedSubject = { noun: "spec", exportHint: "end the file with `export default defineMonitoring({ ... })`" };

export async function loadTypeScriptSpec(file: string, limits: EvaluateLimits = {}, subject: EvaluatedSubject = SPEC_SUBJECT): Promise<LoadResult> {
  // Started now, so its start-up overlaps the bundling.
  const worker = startSpecWorker(limits);
  const result = await bundleSpec(file);

  if (result.errors.length > 0 || !result.outputFiles) {
    worker.dispose();
    return { diagnostics: result.errors.map((m) => esbuildDiagnostic(m, file)) };
  }
  const code = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"))?.text;
  const bundleDir = dirname(result.outputFiles[0]!.path);

  const outcome = await worker.evaluate(map === undefined ? { file, code, bundleDir } : { file, code, map, bundleDir });
  if (outcome.kind === "value") {
    return { spec: { file, kind: "typescript", value: outcome.value, locator: createTsLocator(file, outcome.value) }, diagnostics: [] };
  }
  return { diagnostics: [evaluationDiagnostic(outcome, file, subject)] };
}

/**
 * The spec bundled as the loader runs it: every module it imports (the module graph the loader
 * sees), `vigil-monitoring` resolved to this compiler's API. The compile cache keys on its code.
 */
export async function bundleSpec(file: string): Promise<{ errors: Message[]; outputFiles?: OutputFile[] }> {
  const apiEntry = ownModule("api/index");
  return build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    outfile: BUNDLE_NAME,
    sourcemap: "external",
    sourcesContent: false,
    absWorkingDir: dirname(file),
    logLevel: "silent",
    plugins: [
      {
        name: "vigil-monitoring",
        setup(b) {
          b.onResolve({ filter: /^vigil-monitoring$/ }, () => ({ path: apiEntry }));
        },
      },
    ],
  }).catch((err: { errors?: Message[] }) => ({ errors: err.errors ?? [], outputFiles: undefined }));
}

/** The diagnostic for a spec that did not evaluate to an object. */
function evaluationDiagnostic(outcome: Exclude<EvaluationResult, { kind: "value" }>, file: string, subject: EvaluatedSubject): Diagnostic {
  const the = `the ${subject.noun}`;
  const atFile = (d: Diagnostic) => {
    d.location = { file, line: 1, column: 1 };
    return d;
  };
  // Not at any line of the spec: the message names the file instead of a made-up 1:1.
  const name = relative(process.cwd(), file) || file;
  const about = (d: Diagnostic) => {
    d.message = `${name}: ${d.message}`;
    return d;
  };
  switch (outcome.kind) {
    case "threw": {
      const d = makeDiagnostic("VIG1003", `${the} threw while evaluating: ${outcome.message}`);
      if (!outcome.location) return about(d);
      d.location = outcome.location;
      return d;
    }
    case "no-export":
      return atFile(
        makeDiagnostic("VIG1004", outcome.what === "undefined" ? `${the} has no default export` : `${the}'s default export is not an object`, undefined, {
          hint: subject.exportHint,
        }),
      );
    case "never-settled":
      return about(
        makeDiagnostic("VIG1009", `${the}'s default export is a promise that never settles`, undefined, {
          hint: "export the object itself, or make sure the promise resolves",
        }),
      );
    case "timeout":
      return about(
        makeDiagnostic("VIG1009", `${the} did not finish evaluating within ${seconds(outcome.timeoutMs)}`, undefined, {
          hint: "look for an endless loop or a promise waiting on a timer; raise the limit with --spec-timeout",
        }),
      );
    case "out-of-memory":
      return about(makeDiagnostic("VIG1009", `${the} ran out of memory while evaluating (limit ${outcome.memoryMb} MB)`));
    case "exited":
      return about(
        makeDiagnostic("VIG1009", `${the} called process.exit(${outcome.code}) while evaluating`, undefined, {
          hint: `a ${subject.noun} only exports its ${subject.noun === "spec" ? "monitoring" : "settings"}; vigil decides the exit code`,
        }),
      );
    case "worker-error":
      // Thrown from a callback (a timer, a rejected promise nobody awaited) before the export was ready.
      return about(makeDiagnostic("VIG1003", `${the} threw while evaluating: ${outcome.message}`));
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function esbuildDiagnostic(message: Message, entry: string): Diagnostic {
  const unresolved = /^Could not resolve/.test(message.text);
  const d = makeDiagnostic(unresolved ? "VIG1008" : "VIG1002", message.text);
  const loc = message.location;
  d.location = loc
    ? { file: resolve(dirname(entry), loc.file), line: loc.line, column: loc.column + 1, endLine: loc.line, endColumn: loc.column + 1 + loc.length }
    : { file: entry, line: 1, column: 1 };
  if (message.notes[0]?.text) d.hint = message.notes[0].text;
  return d;
}
