/**
 * `vigil deploy [specs...]`: compiles the specs as `vigil check` does (refusing them on any
 * error or, when the project has an output directory, on drift from it), then puts the output
 * where Prometheus and Alertmanager read it and reloads them (src/deploy). A dry run unless
 * `--apply`: it prints what would change and writes nothing.
 */
import { parseArgs } from "node:util";
import { hasErrors, type Diagnostic } from "../diagnostics/index.js";
import type { DeployTarget } from "../deploy/index.js";
import type { Io } from "./main.js";
import { parseSpecTimeout } from "./options.js";
import { reportDiagnostics } from "./report.js";
import { outDir, prometheusVersion, specInputs, type Project } from "./settings.js";
import { isAbsolute, relative, resolve } from "node:path";

export class DeployUsageError extends Error {}

export const DEPLOY_USAGE =
  "usage: vigil deploy [specs...] [--prometheus-dir DIR --prometheus-url URL] [--alertmanager-dir DIR --alertmanager-url URL] [--apply] [--out DIR] [--no-typecheck]";

export async function deployCommand(args: readonly string[], io: Io, project: Project): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        "prometheus-dir": { type: "string" },
        "prometheus-url": { type: "string" },
        "alertmanager-dir": { type: "string" },
        "alertmanager-url": { type: "string" },
        apply: { type: "boolean" },
        out: { type: "string", short: "o" },
        "no-typecheck": { type: "boolean" },
        "spec-timeout": { type: "string" },
        timeout: { type: "string" },
        quiet: { type: "boolean" },
      },
    });
  } catch (err) {
    throw new DeployUsageError(`${(err as Error).message} (${DEPLOY_USAGE})`);
  }
  const { values, positionals } = parsed;
  const config = project.config;
  const server = (name: "prometheus" | "alertmanager"): DeployTarget | undefined => {
    const fromConfig = config?.config.deploy?.[name];
    const dirFlag = values[`${name}-dir`];
    const url = values[`${name}-url`] ?? fromConfig?.url;
    const dir = dirFlag !== undefined ? resolve(io.cwd, dirFlag) : fromConfig ? resolve(config!.dir, fromConfig.dir) : undefined;
    if (dir === undefined && url === undefined) return undefined;
    if (dir === undefined || url === undefined) throw new DeployUsageError(`--${name}-dir and --${name}-url go together (or deploy.${name} in vigil.config.ts)`);
    if (!/^https?:\/\/./.test(url)) throw new DeployUsageError(`--${name}-url must be an http(s) URL, got "${url}"`);
    return { dir, url };
  };
  const prometheus = server("prometheus");
  const alertmanager = server("alertmanager");
  if (!prometheus && !alertmanager) throw new DeployUsageError(`nothing to deploy to: give --prometheus-dir/--prometheus-url, --alertmanager-dir/--alertmanager-url or deploy in vigil.config.ts (${DEPLOY_USAGE})`);
  const specTimeoutMs = parseSpecTimeout(values["spec-timeout"]);
  let timeoutMs: number | undefined;
  try {
    timeoutMs = parseSpecTimeout(values.timeout);
  } catch {
    throw new DeployUsageError(`--timeout takes a duration such as 10s or 500ms, got "${values.timeout}"`);
  }

  // The same compile as vigil check: a tree check would reject is never deployed.
  const inputs = specInputs(project, positionals);
  if (inputs.files.length === 0) {
    reportDiagnostics(inputs.diagnostics, "human", io);
    return 1;
  }
  const version = prometheusVersion(project);
  const lintRules = config?.config.lint?.rules;
  const targets = config?.config.targets;
  const { compile } = await import("../compile.js");
  // Relative to the command's directory (which need not be the process's, in the library).
  const result = await compile(inputs.files.map((f) => resolve(io.cwd, f)), {
    typecheck: !values["no-typecheck"],
    ...(specTimeoutMs ? { specTimeoutMs } : {}),
    ...(version ? { prometheusVersion: version } : {}),
    ...(lintRules ? { lintRules } : {}),
    ...(targets ? { targets } : {}),
  });
  const diagnostics: Diagnostic[] = [...inputs.diagnostics, ...result.diagnostics];
  const out = outDir(project, values.out);
  if (!hasErrors(diagnostics) && out !== undefined) diagnostics.push(...(await import("../write/drift.js")).checkDrift(out, result.files));
  if (hasErrors(diagnostics)) {
    reportDiagnostics(diagnostics, "human", io);
    io.stderr("vigil deploy: nothing deployed (the specs do not pass vigil check)\n");
    return 1;
  }
  if (diagnostics.length) reportDiagnostics(diagnostics, "human", io);

  const apply = values.apply === true;
  const { deploy } = await import("../deploy/index.js");
  const deployed = await deploy(result.files, { ...(prometheus ? { prometheus } : {}), ...(alertmanager ? { alertmanager } : {}), apply, ...(timeoutMs ? { timeoutMs } : {}) });
  const shown = (dir: string) => {
    const rel = relative(io.cwd, dir);
    return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? dir : rel;
  };
  const lines: string[] = [];
  for (const [name, target] of [["prometheus", prometheus], ["alertmanager", alertmanager]] as const) {
    if (!target) continue;
    const files = deployed.files.filter((f) => f.server === name);
    lines.push(`${name} (${shown(target.dir)}, ${target.url}): ${files.length ? `${files.length} file${files.length === 1 ? "" : "s"}` : "no file changes"}`);
    for (const f of files) lines.push(`  ${f.change === "added" ? "+" : f.change === "removed" ? "-" : "~"} ${f.path}`);
  }
  if (deployed.changes.length) {
    const { renderDiff } = await import("../diff/index.js");
    lines.push(renderDiff({ before: "deployed", after: "specs", changes: deployed.changes }, "text").trimEnd());
  }
  io.stdout(`${lines.join("\n")}\n`);
  if (deployed.diagnostics.length) {
    reportDiagnostics(deployed.diagnostics, "human", io);
    return 1;
  }
  if (!apply) {
    const why = process.env.CI ? "CI is set and --apply was not given" : "without --apply";
    io.stdout(`vigil deploy: dry run (${why}): nothing written, no server reloaded\n`);
  } else if (!values.quiet) {
    io.stdout(`vigil deploy: ${deployed.files.length} file change${deployed.files.length === 1 ? "" : "s"} written; reloaded and verified ${deployed.reloaded.join(" and ")}\n`);
  }
  return 0;
}
