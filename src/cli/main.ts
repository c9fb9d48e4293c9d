/**
 * The `vigil` command line: argument parsing and printing over the library API.
 * Exit codes: 0 ok, 1 spec errors or drift, 2 usage or internal error.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { hasErrors, type Diagnostic } from "../diagnostics/index.js";
import { VIGIL_VERSION } from "../version.js";
import type { WriteOptions } from "../write/writer.js";
import { takeColorFlags } from "./color.js";
import { OptionError, parseSpecTimeout } from "./options.js";
import { parseFormat, reportDiagnostics, summaryWriter } from "./report.js";
import { PromqlUsageError } from "./promql-usage.js";
import { loadProject, outDir, prometheusVersion, SettingsUsageError, specInputs, takeConfigFlag, type Project } from "./settings.js";

const HELP = `vigil ${VIGIL_VERSION} — monitoring-as-code compiler

Usage:
  vigil init [DIR] [--force]           write a starter monitoring.ts, vigil.config.ts and CI workflow
  vigil compile [specs...] --out DIR   compile specs and write the output directory
  vigil check   [specs...] --out DIR   compile in memory; fail on spec errors or when DIR differs
  vigil test [DIR]                     run promtool, amtool, the routing cases and the probe
                                       check on a compiled DIR (default out); exit 1 if one fails
  vigil lint [files...] [--format human|json|github|sarif] [--max-warnings N]
             [--rule ID=LEVEL]... [--severities A,B]
                                       lint specs and plain Prometheus rule files
                                       (PrometheusRule resources too); exit 1 on errors
  vigil diff [specs...] [--base REV] [--format text|json|markdown] [--exit-code]
  vigil diff --trees OLD_DIR NEW_DIR   what a change means: alerts, thresholds, SLOs, routing,
                                       dashboards, checks, logs (vigil diff --help)
  vigil import KIND FILES... [--out monitoring.ts]
                                       write a monitoring.ts from existing monitoring (KIND:
                                       prometheus, sloth, openslo, pyrra,
                                       alertmanager); vigil import --help
  vigil deploy [specs...] [--apply]    put the compiled rules and configs where a running Prometheus
                                       and Alertmanager read them, reload and verify them; a dry
                                       run without --apply (vigil deploy --help)
  vigil routes test [DIR]              run every routing case of DIR (default out) through
                                       amtool config routes test; exit 1 if one misroutes
  vigil probes run [PROBES_JSON | DIR] [--listen HOST:PORT] [--shard K/N] [--location NAME] [--once | --check]
                                       run DIR's probes/probes.json (default out) with the
                                       probe runtime of this package (vigil probes --help)
  vigil promql check [--target VERSION] (EXPR | -)
                                       check PromQL as Prometheus VERSION (default 2.42) would;
                                       with -, JSON strings per line in, JSON results per line out
  vigil promql fmt [--target VERSION] EXPR
                                       print EXPR in canonical form
  vigil promql check-rules [--target VERSION] FILE...
                                       check every expression of Prometheus rule files
  vigil COMMAND --help                 usage, options and exit codes of one command
  vigil --help | --version

Specs are monitoring.ts (default), monitoring.yaml or monitoring.json files, directories (every
monitoring.{ts,mts,js,mjs,yaml,yml,json} below, not in node_modules or .dirs) or quoted globs
('services/*/monitoring.ts', expanded by vigil); several specs compile into one output (one
rule file per service). Without specs or --out, vigil.config.ts (.mts, .mjs, .js, .json) in the
current directory gives them: export default defineConfig({ specs, out, prometheus, lint }).

Options:
  -o, --out DIR      output directory (required unless the config file sets out)
      --config FILE  the config file (default: vigil.config.* in the current directory)
      --no-typecheck skip the TypeScript type check (faster; runtime checks still apply)
      --spec-timeout T  time limit for evaluating a TypeScript spec (default 10s)
      --cache-dir DIR  compile cache of check (default node_modules/.cache/vigil); --no-cache: none
      --format F     human (default), json, github or sarif (compile, check and lint)
      --quiet        print diagnostics only, no summary line
      --color | --no-color  colour diagnostics (default: when stderr is a terminal;
                     FORCE_COLOR and NO_COLOR are honoured)

Exit codes: 0 ok, 1 spec errors, drift or a failed check, 2 usage or internal error or a
missing tool (vigil COMMAND --help lists each command's own).
`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  color: boolean;
  /** All of standard input (for `vigil promql check -`). */
  readStdin?: () => Promise<string>;
}

class UsageError extends Error {}

export { colorFromEnvironment } from "./color.js";

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { argv: args, color } = takeColorFlags(argv, io.color);
    return await run(args, { ...io, color });
  } catch (err) {
    if (err instanceof UsageError || err instanceof PromqlUsageError || err instanceof OptionError || err instanceof SettingsUsageError) {
      io.stderr(`vigil: ${err.message}\nRun vigil --help for usage.\n`);
      return 2;
    }
    io.stderr(`vigil: internal error: ${internalMessage(err)}\n`);
    if (process.env.VIGIL_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}

/** One line, whatever was thrown (the stack only with VIGIL_DEBUG=1). */
function internalMessage(err: unknown): string {
  try {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const line = text.split("\n")[0] ?? "";
    return (line.length > 300 ? `${line.slice(0, 300)}…` : line) + " (please report it; VIGIL_DEBUG=1 prints the stack)";
  } catch {
    return "an error that cannot be printed";
  }
}

async function run(rawArgv: readonly string[], io: Io): Promise<number> {
  if (rawArgv[0] === "help" || rawArgv.some((a) => a === "--help" || a === "-h")) {
    const help = (await import("./help.js")).commandHelp(rawArgv);
    if (help !== undefined) {
      io.stdout(help);
      return 0;
    }
  }
  // `--config FILE` belongs to every command that reads the project config (not promql).
  const { configPath, args: argv } = rawArgv[0] === "promql" ? { configPath: undefined, args: [...rawArgv] } : takeConfigFlag(rawArgv);
  /** The project config, loaded on first use; undefined once its diagnostics are printed. */
  const project = async (timeoutMs?: number): Promise<Project | undefined> => {
    const loaded = await loadProject(io.cwd, configPath, timeoutMs);
    if (loaded.diagnostics.length) reportDiagnostics(loaded.diagnostics, "human", io);
    return loaded.project;
  };
  // Commands load their modules on demand: `vigil promql` need not load the compiler.
  const rest = argv.slice(1);
  if (argv[0] === "test") {
    const m = await import("./test.js");
    return subcommand(() => m.testCommand(rest, io), m.TestUsageError);
  }
  if (argv[0] === "init") {
    const m = await import("./init.js");
    return subcommand(() => m.initCommand(rest, io), m.InitUsageError);
  }
  if (argv[0] === "import") {
    const m = await import("./import.js");
    return subcommand(() => m.importCommand(rest, io), m.ImportUsageError);
  }
  if (argv[0] === "lint") {
    const m = await import("./lint.js");
    const p = await project();
    return p ? subcommand(() => m.lintCommand(rest, io, p), m.LintUsageError) : 1;
  }
  if (argv[0] === "routes") {
    const m = await import("./routes.js");
    const p = await project();
    return p ? subcommand(() => m.routesCommand(rest, io, outDir(p, undefined)), m.RoutesUsageError) : 1;
  }
  if (argv[0] === "probes") {
    const m = await import("./probes.js");
    const p = await project();
    return p ? subcommand(() => m.probesCommand(rest, io, outDir(p, undefined)), m.ProbesUsageError) : 1;
  }
  if (argv[0] === "deploy") {
    const m = await import("./deploy.js");
    const p = await project();
    return p ? subcommand(() => m.deployCommand(rest, io, p), m.DeployUsageError) : 1;
  }
  if (argv[0] === "diff") {
    const m = await import("./diff.js");
    const p = await project();
    return p ? subcommand(() => m.diffCommand(rest, io, p), m.DiffUsageError) : 1;
  }
  if (argv[0] === "promql") {
    const { promqlCommand } = await import("./promql.js");
    return promqlCommand(argv.slice(1), { ...io, readStdin: io.readStdin ?? (async () => "") });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        "no-typecheck": { type: "boolean" },
        "cache-dir": { type: "string" },
        "no-cache": { type: "boolean" },
        "spec-timeout": { type: "string" },
        quiet: { type: "boolean" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${VIGIL_VERSION}\n`);
    return 0;
  }
  const [command, ...specs] = positionals;
  if (values.help || command === undefined || command === "help") {
    io.stdout(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command !== "compile" && command !== "check") throw new UsageError(`unknown command "${command}"`);
  const specTimeoutMs = parseSpecTimeout(values["spec-timeout"]);
  const format = parseFormat(values.format);
  // The config file is evaluated like a spec, under the same time limit.
  const p = await project(specTimeoutMs);
  if (!p) return 1;
  const out = outDir(p, values.out);
  if (!out) throw new UsageError(`${command} needs --out DIR (or out in vigil.config.ts)`);
  const inputs = specInputs(p, specs);
  if (inputs.files.length === 0) {
    reportDiagnostics(inputs.diagnostics, format, io);
    return 1;
  }
  const specPaths = inputs.files;
  const version = prometheusVersion(p);
  const lintRules = p.config?.config.lint?.rules;
  const targets = p.config?.config.targets;

  const started = performance.now();
  const compileOptions = { typecheck: !values["no-typecheck"], specTimeoutMs, ...(version ? { prometheusVersion: version } : {}), ...(lintRules ? { lintRules } : {}), ...(targets ? { targets } : {}) };
  // The compile cache (src/cache): an unchanged tree is checked against what it compiled to last.
  const cache = values["no-cache"] ? undefined : await import("../cache/index.js");
  const lookup = cache && (await cache.lookupCompile(specPaths, compileOptions, resolve(io.cwd, values["cache-dir"] ?? cache.defaultCacheDir(io.cwd))));
  if (command === "check" && lookup?.hit && cache!.outputMatches(out, lookup.hit.files)) {
    const diagnostics = [...inputs.diagnostics, ...lookup.hit.diagnostics];
    reportDiagnostics(diagnostics, format, io);
    if (hasErrors(diagnostics)) return 1;
    if (!values.quiet) {
      const { compileSummary } = await import("./summary.js");
      summaryWriter(format, io)(compileSummary(command, { specs: lookup.hit.specs, files: Object.keys(lookup.hit.files).length, out, ms: performance.now() - started, cached: true }));
    }
    return 0;
  }
  // The worker that evaluates TypeScript specs starts while the compiler's modules load.
  if (specPaths.some((p) => /\.[mc]?[jt]s$/i.test(p))) (await import("../load/evaluate.js")).prewarmSpecWorker();
  const [{ compile }, { writeOutput }, { checkDrift }] = await Promise.all([import("../compile.js"), import("../write/writer.js"), import("../write/drift.js")]);
  const result = await compile(specPaths, compileOptions);
  if (lookup && !hasErrors(result.diagnostics)) cache!.storeCompile(lookup, result);
  // A directory or glob that names no spec is an error too; the output is then left as it is.
  const diagnostics: Diagnostic[] = [...inputs.diagnostics, ...result.diagnostics];
  if (!hasErrors(diagnostics)) {
    diagnostics.push(...(command === "compile" ? writeOutput(out, result.files, writeFaultForTests()) : checkDrift(out, result.files)));
  }
  reportDiagnostics(diagnostics, format, io);
  if (hasErrors(diagnostics)) return 1;
  if (!values.quiet) {
    const { compileSummary } = await import("./summary.js");
    summaryWriter(format, io)(compileSummary(command, { specs: result.specs.length, files: result.files.length, out, ms: performance.now() - started }));
  }
  return 0;
}

/** Runs a command, its own usage errors becoming vigil's (exit 2 with the usage hint). */
async function subcommand(command: () => Promise<number>, usage: abstract new (...args: never[]) => Error): Promise<number> {
  try {
    return await command();
  } catch (err) {
    if (err instanceof usage) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * VIGIL_TEST_KILL_AT=<step> kills this process at that step of the output swap, so the tests
 * can check that an interrupted write is recovered by the next run. Not for users.
 */
function writeFaultForTests(): WriteOptions {
  const step = process.env.VIGIL_TEST_KILL_AT;
  if (!step) return {};
  return { onStep: (at) => (at === step ? process.kill(process.pid, "SIGKILL") : undefined) };
}
