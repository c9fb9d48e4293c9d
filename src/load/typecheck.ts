/**
 * Type-checks TypeScript specs with the TypeScript compiler, `vigil-monitoring` mapped to this
 * compiler's own API types. One program covers every spec of a compile, so the standard
 * library is parsed once.
 */
import { readFileSync } from "node:fs";
import { sep } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { OWN_ROOT, ownTypes } from "../util/own-files.js";
import { typescript, type TS } from "../util/typescript.js";

/** `inputs`, when given, receives every source file the program read (the compile cache hashes them). */
export function typecheckSpecs(files: readonly string[], inputs?: Set<string>): Diagnostic[] {
  if (files.length === 0) return [];
  const ts = typescript();
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    lib: ["lib.es2022.d.ts"],
    // A spec needs the standard library and our API; Node's types (~0.5 s to check) only
    // when it touches Node (`process.env`, `node:` imports).
    types: files.some(usesNode) ? ["node"] : [],
    paths: { "vigil-monitoring": [ownTypes("api/index")] },
  };
  const program = ts.createProgram([...files], options, ts.createCompilerHost(options));
  if (inputs) for (const f of program.getSourceFiles()) inputs.add(f.fileName);
  const out: Diagnostic[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file && (d.file.isDeclarationFile || d.file.fileName.startsWith(OWN_ROOT + sep))) continue;
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const [first, ...rest] = text.split("\n");
    const diag = makeDiagnostic("VIG1005", `TS${d.code}: ${first}`, undefined, rest.length ? { hint: rest.map((l) => l.trim()).join(" ") } : {});
    if (d.file && d.start !== undefined) {
      const s = d.file.getLineAndCharacterOfPosition(d.start);
      const e = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
      diag.location = { file: d.file.fileName, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    }
    out.push(diag);
  }
  return out;
}

function usesNode(file: string): boolean {
  try {
    return /\bprocess\.|\bBuffer\b|["']node:/.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

export function typecheckSpec(file: string): Diagnostic[] {
  return typecheckSpecs([file]);
}
