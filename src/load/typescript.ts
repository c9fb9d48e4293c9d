/**
 * Loads a TypeScript/JavaScript spec: bundle it with esbuild (the user's own imports included,
 * `vigil-monitoring` resolved to this compiler's API), run the bundle as a CommonJS function in
 * a `vm.Script` and take its default export. Nothing is written to disk and nothing is cached
 * between loads, so compiling the same file twice in one process sees its current contents.
 */
import { build, type Message } from "esbuild";
import { SourceMap } from "node:module";
import { createRequire } from "node:module";
import { dirname, resolve, sep } from "node:path";
import vm from "node:vm";
import { makeDiagnostic, type Diagnostic, type SourceLocation } from "../diagnostics/index.js";
import { OWN_ROOT, ownModule } from "../util/own-files.js";
import { createTsLocator } from "./ts-locator.js";
import type { LoadResult } from "./types.js";

const BUNDLE_NAME = "vigil-spec-bundle.js";

export async function loadTypeScriptSpec(file: string): Promise<LoadResult> {
  const apiEntry = ownModule("api/index");
  const result = await build({
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

  if (result.errors.length > 0 || !result.outputFiles) {
    return { diagnostics: result.errors.map((m) => esbuildDiagnostic(m, file)) };
  }
  const code = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
  const mapText = result.outputFiles.find((f) => f.path.endsWith(".map"))?.text;
  const sourceMap = mapText ? new SourceMap(JSON.parse(mapText)) : undefined;
  const bundleDir = dirname(result.outputFiles[0]!.path);

  const scriptName = `vigil-spec:${file}`;
  let exported: unknown;
  try {
    const wrapper = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${code}\n})`, {
      filename: scriptName,
    }).runInThisContext() as (...args: unknown[]) => void;
    const module = { exports: {} as Record<string, unknown> };
    wrapper(module.exports, createRequire(file), module, file, dirname(file));
    exported = module.exports.default ?? (module.exports.__esModule ? undefined : module.exports);
    exported = await exported;
  } catch (err) {
    const location = sourceMap ? throwLocation(err, scriptName, sourceMap, bundleDir) : undefined;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : `threw ${String(err)}`;
    const d = makeDiagnostic("VIG1003", `the spec threw while evaluating: ${message}`);
    d.location = location ?? { file, line: 1, column: 1 };
    return { diagnostics: [d] };
  }

  if (exported === undefined || exported === null || typeof exported !== "object" || Array.isArray(exported)) {
    const d = makeDiagnostic(
      "VIG1004",
      exported === undefined ? "the spec has no default export" : "the spec's default export is not an object",
      undefined,
      { hint: "end the file with `export default defineMonitoring({ ... })`" },
    );
    d.location = { file, line: 1, column: 1 };
    return { diagnostics: [d] };
  }

  return {
    spec: { file, kind: "typescript", value: exported, locator: createTsLocator(file, exported) },
    diagnostics: [],
  };
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

/** Maps the first stack frame inside the bundle back to the user's source. */
function throwLocation(err: unknown, scriptName: string, map: SourceMap, bundleDir: string): SourceLocation | undefined {
  const stack = err instanceof Error ? (err.stack ?? "") : "";
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
    const source = entry.originalSource.startsWith("file://")
      ? new URL(entry.originalSource).pathname
      : resolve(bundleDir, entry.originalSource);
    if (source.includes("/node_modules/") || isOwnSource(source)) continue;
    return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
  return undefined;
}

function isOwnSource(path: string): boolean {
  return path.startsWith(OWN_ROOT + sep);
}
