/**
 * Runs routing cases through the real Alertmanager routing code: `amtool config routes test
 * --verify.receivers=...` per case, a few at a time. amtool prints the receivers it resolved
 * and exits non-zero when they differ from the expected ones (order included).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import yaml from "js-yaml";
import type { RoutingCase } from "./cases.js";
import { ALERTMANAGER_CONFIG_PATH, ROUTING_TESTS_PATH } from "./paths.js";

export interface RoutingResult {
  case: RoutingCase;
  ok: boolean;
  /** Receivers amtool resolved, in order. */
  actual: string[];
  /** amtool's own words when it failed to run. */
  error?: string;
}

/** Reads `<dir>/alertmanager/routing-tests.yml` as written by `vigil compile`. */
export async function readRoutingCases(outDir: string): Promise<RoutingCase[]> {
  const doc = yaml.load(await readFile(join(outDir, ROUTING_TESTS_PATH), "utf8")) as { cases?: RoutingCase[] } | null;
  return doc?.cases ?? [];
}

export async function runRoutingCases(configFile: string, cases: readonly RoutingCase[], options: { amtool?: string; concurrency?: number } = {}): Promise<RoutingResult[]> {
  const results: RoutingResult[] = new Array<RoutingResult>(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(options.amtool ?? "amtool", configFile, cases[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, cases.length) }, worker));
  return results;
}

function runCase(amtool: string, configFile: string, c: RoutingCase): Promise<RoutingResult> {
  const args = ["config", "routes", "test", `--config.file=${configFile}`, `--verify.receivers=${c.receivers.join(",")}`, ...Object.entries(c.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
  return new Promise((resolve) => {
    execFile(amtool, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const actual = stdout.split("\n").find((l) => l.trim() !== "")?.trim().split(",") ?? [];
      const missing = err && (err as NodeJS.ErrnoException).code === "ENOENT";
      const result: RoutingResult = { case: c, ok: !err, actual };
      if (missing) result.error = `${amtool} not found: install Debian's prometheus-alertmanager (apt-get install -y prometheus-alertmanager)`;
      else if (err && actual.join(",") === c.receivers.join(",")) result.error = stderr.replace(/^Warning: --config.file.*\n/m, "").trim();
      resolve(result);
    });
  });
}

export function defaultConfigFile(outDir: string): string {
  return join(outDir, ALERTMANAGER_CONFIG_PATH);
}
