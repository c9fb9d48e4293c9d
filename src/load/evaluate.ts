/**
 * Runs a spec's bundle in a worker thread with a time and memory limit (spec-worker.ts), so the
 * user's code cannot hang the compiler, keep it alive, exit it, or change its globals. The
 * worker is started before the bundle is ready (`startSpecWorker`) to hide its start-up time.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { OWN_ROOT, ownModule } from "../util/own-files.js";
import { UNSUPPORTED, WORKER_DATA, type SpecJob, type SpecOutcome } from "./spec-worker.js";

export type { SpecOutcome, ThrowLocation } from "./spec-worker.js";

export interface EvaluateLimits {
  /** Wall-clock limit for evaluating one spec (default 10 s). */
  timeoutMs?: number;
  /** Heap limit of the worker (default 1024 MB). */
  memoryMb?: number;
}

export const DEFAULT_SPEC_TIMEOUT_MS = 10_000;
const DEFAULT_MEMORY_MB = 1024;

/** What went wrong outside the spec's own code: the limit it hit, or how its worker ended. */
export type EvaluationFailure =
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "out-of-memory"; memoryMb: number }
  | { kind: "exited"; code: number }
  | { kind: "worker-error"; message: string };

export type EvaluationResult = SpecOutcome | EvaluationFailure;

export interface SpecWorker {
  /** Evaluates the bundle; resolves once, whatever the spec does. */
  evaluate(job: Omit<SpecJob, "ownRoot">): Promise<EvaluationResult>;
  /** Stops the worker without evaluating anything (e.g. the bundle did not build). */
  dispose(): void;
}

let workerSource: { path: string } | { code: string } | undefined;

/** The worker's script: compiled JS from dist/, or the TS source transpiled once under the test runner. */
function source(): { path: string } | { code: string } {
  if (!workerSource) {
    const file = ownModule("load/spec-worker");
    if (file.endsWith(".ts")) {
      // Only under the test runner (src/ is TypeScript): esbuild is loaded for this alone.
      const { transformSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
      workerSource = { code: transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "cjs", target: "node20" }).code };
    } else {
      workerSource = { path: file };
    }
  }
  return workerSource;
}

interface Started {
  worker: Worker;
  memoryMb: number;
  /** How the worker failed before it was given a job, if it did. */
  early?: EvaluationResult;
  onEarlyError: (err: Error) => void;
}

function launch(memoryMb: number): Started {
  const src = source();
  const options = { workerData: WORKER_DATA, resourceLimits: { maxOldGenerationSizeMb: memoryMb } };
  const worker = "path" in src ? new Worker(src.path, options) : new Worker(src.code, { ...options, eval: true });
  const started: Started = { worker, memoryMb, onEarlyError: (err) => (started.early ??= failure(err, memoryMb)) };
  worker.on("error", started.onEarlyError);
  worker.once("exit", (code) => (started.early ??= { kind: "worker-error", message: `the evaluation worker stopped before it was used (exit code ${code})` }));
  // Until it has a job, the worker does not keep the process alive.
  worker.unref();
  return started;
}

/** A worker started ahead of need (`prewarmSpecWorker`), taken by the next evaluation. */
let spare: Started | undefined;

/**
 * Starts a worker now so the next spec evaluation does not wait for one (a worker takes tens of
 * milliseconds to start). The CLI calls this first thing; unused, it costs nothing at exit.
 */
export function prewarmSpecWorker(): void {
  spare ??= launch(DEFAULT_MEMORY_MB);
}

export function startSpecWorker(limits: EvaluateLimits = {}): SpecWorker {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_SPEC_TIMEOUT_MS;
  const memoryMb = limits.memoryMb ?? DEFAULT_MEMORY_MB;
  let started: Started;
  if (spare && spare.memoryMb === memoryMb) {
    started = spare;
    spare = undefined;
  } else {
    started = launch(memoryMb);
  }
  const { worker } = started;
  let done = false;

  return {
    evaluate(job) {
      return new Promise<EvaluationResult>((resolvePromise) => {
        const finish = (result: EvaluationResult) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          void worker.terminate();
          resolvePromise(result);
        };
        const timer = setTimeout(() => finish({ kind: "timeout", timeoutMs }), timeoutMs);
        if (started.early) return finish(started.early);
        worker.off("error", started.onEarlyError);
        worker.on("message", (outcome: SpecOutcome) => finish(outcome.kind === "value" ? { kind: "value", value: revive(outcome.value) } : outcome));
        worker.on("error", (err) => finish(failure(err, memoryMb)));
        worker.on("exit", (code) => finish({ kind: "exited", code }));
        worker.ref();
        worker.postMessage({ ...job, ownRoot: OWN_ROOT } satisfies SpecJob);
      });
    },
    dispose() {
      done = true;
      void worker.terminate();
    },
  };
}

function failure(err: Error, memoryMb: number): EvaluationFailure {
  if ((err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY") return { kind: "out-of-memory", memoryMb };
  let message: string;
  try {
    message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    message = "an error that cannot be printed";
  }
  return { kind: "worker-error", message };
}

/** Values the worker could not send as data become functions again, which the schema rejects as before. */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(revive);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === UNSUPPORTED) return function unsupported() {};
  for (const key of keys) Object.defineProperty(record, key, { value: revive(record[key]), enumerable: true, writable: true, configurable: true });
  return value;
}
