/** Shared test helpers: the repository root, the real CLI, real tools, tree hashing. */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { listFiles } from "../src/write/writer.js";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(REPO, "bin/vigil.mjs");

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** This process's environment without colour settings, plus `extra` (an undefined value removes a variable). */
export function cliEnv(extra: Readonly<Record<string, string | undefined>> = { NO_COLOR: "1" }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the built `vigil` binary (dist/ is built by `npm test` before vitest starts). */
export function runCli(args: readonly string[], cwd = REPO, input?: string): CliRun {
  if (!existsSync(join(REPO, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 60_000, env: cliEnv(), input: input ?? "" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `runCli` without blocking (independent cases run side by side), in the environment given (default: cliEnv()). */
export function runCliAsync(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  if (!existsSync(join(REPO, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: options.env ?? cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status: status ?? -1, stdout, stderr });
    });
  });
}

/** Runs a real tool; returns its exit status and combined output. */
export function runTool(bin: string, args: readonly string[], cwd = REPO, timeoutMs = 120_000): { status: number; output: string } {
  const r = spawnSync(bin, [...args], { cwd, encoding: "utf8", timeout: timeoutMs });
  if (r.error) throw new Error(`${bin} could not run (${r.error.message}); npm test installs it, see scripts/ensure-tools.mjs`);
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** One hash over every file's path and content below `dir`. */
export function sha256Tree(dir: string): string {
  const h = createHash("sha256");
  for (const f of listFiles(dir)) h.update(f).update("\0").update(readFileSync(join(dir, f))).update("\0");
  return h.digest("hex");
}

export function toolVersion(bin: string): string {
  return execFileSync(bin, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
}

/** Project directories under os.tmpdir(), each holding the files given (path → content); `remove` deletes them all. */
export function tempProjects(): { create: (files?: Record<string, string>, prefix?: string) => string; remove: () => void } {
  const made: string[] = [];
  return {
    create(files = {}, prefix = "vigil-adopt-") {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      return dir;
    },
    remove() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * All rule groups of a service in one rule file's text (its own, per-SLO and history files,
 * concatenated in the order `vigil compile` lists them), for tests that load a service's rules as one.
 */
export function serviceRulesText(files: readonly { path: string; content: string }[], service: string): string | undefined {
  const own = files.filter((f) => f.path.startsWith(`prometheus/rules/${service}.`) && f.path.endsWith(".rules.yml") && !f.path.endsWith(".anomalies.rules.yml"));
  const mine = own.filter((f) => f.path === `prometheus/rules/${service}.rules.yml` || /^\.(slo-[^/]+|history)\.rules\.yml$/.test(f.path.slice(`prometheus/rules/${service}`.length)));
  if (mine.length === 0) return undefined;
  const groups = mine.flatMap((f) => (parseYaml(f.content) as { groups: unknown[] }).groups);
  return stringifyYaml({ groups }, { lineWidth: 0 });
}
