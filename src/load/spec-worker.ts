/**
 * The worker that evaluates a TypeScript/JavaScript spec's bundle (see evaluate.ts). It runs
 * the user's code, awaits its default export and posts back a plain-data copy of it, so
 * nothing the spec does — an endless loop, a leftover timer, `process.exit`, a polluted
 * `Object.prototype`, a throwing getter — reaches the compiler's own thread.
 *
 * This file imports Node built-ins only: under the test runner it is transpiled on the fly and
 * run as a script.
 */
import { createRequire, SourceMap } from "node:module";
import { dirname, resolve, sep } from "node:path";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";

/** What the compiler sends: the bundle and where it came from. */
export interface SpecJob {
  file: string;
  code: string;
  map?: string;
  bundleDir: string;
  /** Vigil's own `src/` or `dist/`: frames there are not the user's. */
  ownRoot: string;
}

export interface ThrowLocation {
  file: string;
  line: number;
  column: number;
}

/** Marks the worker this file is started as (it is also imported, for its types and constants). */
export const WORKER_DATA = { vigilSpecWorker: 1 } as const;

/** Values plain data cannot hold; the compiler turns them back into something the schema rejects. */
export const UNSUPPORTED = "__vigil_unsupported_value__";

export type SpecOutcome =
  | { kind: "value"; value: unknown }
  | { kind: "no-export"; what: "undefined" | "not-object" }
  | { kind: "threw"; message: string; location?: ThrowLocation }
  | { kind: "never-settled" };

/** Deeper than any spec; a deeper value is almost surely built by a runaway loop. */
const MAX_DEPTH = 200;

class NotData extends Error {}

function run(job: SpecJob): Promise<SpecOutcome> {
  const scriptName = `vigil-spec:${job.file}`;
  const locate = (err: unknown) => (job.map ? throwLocation(err, scriptName, job.map, job.bundleDir, job.ownRoot) : undefined);
  return (async (): Promise<SpecOutcome> => {
    let exported: unknown;
    try {
      const wrapper = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${job.code}\n})`, {
        filename: scriptName,
      }).runInThisContext() as (...args: unknown[]) => void;
      const initial: Record<string, unknown> = {};
      const module = { exports: initial };
      wrapper(module.exports, createRequire(job.file), module, job.file, dirname(job.file));
      // CommonJS specs set module.exports; one that exports nothing at all (an empty file) left it as it was.
      const untouched = module.exports === initial && Object.keys(initial).length === 0;
      exported = module.exports.default ?? (module.exports.__esModule || untouched ? undefined : module.exports);
      exported = await exported;
      if (exported === undefined || exported === null) return { kind: "no-export", what: "undefined" };
      if (typeof exported !== "object" || Array.isArray(exported)) return { kind: "no-export", what: "not-object" };
      return { kind: "value", value: toData(exported, [], []) };
    } catch (err) {
      if (err instanceof NotData) return { kind: "threw", message: err.message };
      const location = locate(err);
      const outcome: SpecOutcome = { kind: "threw", message: describe(err) };
      if (location) outcome.location = location;
      return outcome;
    }
  })();
}

/**
 * A copy of `value` as plain data: own enumerable properties of objects (as JSON sees them),
 * arrays by index, primitives as they are. Getters run here, in the worker; shared references
 * are copied, a reference cycle is an error.
 */
function toData(value: unknown, path: (string | number)[], ancestors: object[]): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") return { [UNSUPPORTED]: typeof value };
    return value;
  }
  if (ancestors.includes(value)) throw new NotData(`the spec's default export refers to itself at ${pathText(path)}`);
  if (ancestors.length >= MAX_DEPTH) throw new NotData(`the spec's default export is nested more than ${MAX_DEPTH} levels deep at ${pathText(path)}`);
  const next = [...ancestors, value];
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(toData(value[i], [...path, i], next));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = toData((value as Record<string, unknown>)[key], [...path, key], next);
    // `__proto__` as an own key stays data (defineProperty does not touch the prototype).
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function pathText(path: readonly (string | number)[]): string {
  return path.length === 0 ? "the top level" : path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}

/** `Name: message` of whatever was thrown, without running anything that throws again. */
function describe(err: unknown): string {
  try {
    if (err instanceof Error) return `${String(err.name)}: ${String(err.message)}`;
    return `threw ${String(err)}`;
  } catch {
    return "threw a value that cannot be printed";
  }
}

/** Maps the first stack frame inside the bundle back to the user's source. */
function throwLocation(err: unknown, scriptName: string, mapText: string, bundleDir: string, ownRoot: string): ThrowLocation | undefined {
  let stack = "";
  try {
    stack = err instanceof Error ? String(err.stack ?? "") : "";
  } catch {
    return undefined;
  }
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
  for (const line of stack.split("\n")) {
    const at = line.lastIndexOf(scriptName + ":");
    if (at < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(line.slice(at + scriptName.length));
    if (!m) continue;
    // The wrapper's header takes one line: bundle line N is script line N + 1.
    const entry = map.findEntry(Number(m[1]) - 2, Number(m[2]) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource || entry.originalLine === undefined) continue;
    const source = entry.originalSource.startsWith("file://") ? new URL(entry.originalSource).pathname : resolve(bundleDir, entry.originalSource);
    if (source.includes("/node_modules/") || source.startsWith(ownRoot + sep)) continue;
    return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
  return undefined;
}

const port = (workerData as typeof WORKER_DATA | undefined)?.vigilSpecWorker === 1 ? parentPort : null;
if (port) {
  let settled = false;
  // The event loop ran dry while the default export was still pending: nothing will settle it.
  process.once("beforeExit", () => {
    if (!settled) port.postMessage({ kind: "never-settled" } satisfies SpecOutcome);
  });
  port.once("message", (job: SpecJob) => {
    void run(job).then((outcome) => {
      settled = true;
      try {
        port.postMessage(outcome);
      } catch (err) {
        port.postMessage({ kind: "threw", message: `the spec's default export cannot be copied: ${describe(err)}` } satisfies SpecOutcome);
      }
    });
  });
}
