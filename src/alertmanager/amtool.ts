/**
 * Runs routing cases against the real Alertmanager routing: `amtool config routes test
 * --verify.receivers=...` for a case, a few at a time. amtool prints the receivers it resolved
 * and exits non-zero when they differ from the expected ones (order included).
 *
 * One amtool process per case parses the whole config each time (0.2 s for 500 services), so
 * by default every case is routed by Vigil's port of Alertmanager's route matching
 * (route-match.ts) and amtool runs on a sample in the same run: every case the matcher finds
 * misrouted (so a failure is always amtool's verdict, in its words) and one case for each
 * distinct set of routes the cases end at, up to `sample` of them spread over the tree. If amtool
 * disagrees with the matcher on any of them, or the matcher cannot read the config, every case
 * goes through amtool. `exhaustive: true` runs amtool on every case.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import yaml from "js-yaml";
import type { RoutingCase } from "./cases.js";
import { matchRoutes, routeTree } from "./route-match.js";
import { ALERTMANAGER_CONFIG_PATH, ROUTING_TESTS_PATH } from "./paths.js";

export interface RoutingResult {
  case: RoutingCase;
  ok: boolean;
  /** Receivers amtool resolved, in order. */
  actual: string[];
  /** amtool's own words when it failed to run. */
  error?: string;
  /** Who routed it: amtool, or Vigil's route matching where amtool agreed on the sample. */
  checkedBy: "amtool" | "route-match";
}

/** Reads `<dir>/alertmanager/routing-tests.yml` as written by `vigil compile`. */
export async function readRoutingCases(outDir: string): Promise<RoutingCase[]> {
  const doc = yaml.load(await readFile(join(outDir, ROUTING_TESTS_PATH), "utf8")) as { cases?: RoutingCase[] } | null;
  return doc?.cases ?? [];
}

export interface RoutingRunOptions {
  amtool?: string;
  concurrency?: number;
  /** amtool on every case, not a sample (default false). */
  exhaustive?: boolean;
  /** How many distinct route sets amtool checks at most besides the misrouted cases (default 100). */
  sample?: number;
}

export interface RoutingStats {
  cases: number;
  /** Cases amtool ran. */
  amtool: number;
  /** Distinct sets of routes the cases end at (by the matcher), and how many of them amtool sampled. */
  routeSets?: number;
  sampledSets?: number;
  /** Sampled cases on which amtool and the matcher disagreed (then amtool ran every case). */
  disagreements: number;
  /** Why amtool ran every case, if it did. */
  exhaustiveBecause?: "asked" | "unreadable config" | "disagreement";
}

/** Results of every case, in order, and how they were checked. */
export interface RoutingRun {
  results: RoutingResult[];
  stats: RoutingStats;
}

export async function runRoutingCases(configFile: string, cases: readonly RoutingCase[], options: RoutingRunOptions = {}): Promise<RoutingResult[]> {
  return (await routeCases(configFile, cases, options)).results;
}

export async function routeCases(configFile: string, cases: readonly RoutingCase[], options: RoutingRunOptions = {}): Promise<RoutingRun> {
  const stats: RoutingStats = { cases: cases.length, amtool: 0, disagreements: 0 };
  const viaAmtool = async (indices: readonly number[]): Promise<Map<number, RoutingResult>> => {
    const out = new Map<number, RoutingResult>();
    let next = 0;
    const worker = async () => {
      while (next < indices.length) {
        const i = indices[next++]!;
        out.set(i, await runCase(options.amtool ?? "amtool", configFile, cases[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, indices.length) }, worker));
    stats.amtool += indices.length;
    return out;
  };
  const all = (because: NonNullable<RoutingStats["exhaustiveBecause"]>) => async (): Promise<RoutingRun> => {
    stats.exhaustiveBecause = because;
    const got = await viaAmtool(cases.map((_, i) => i));
    return { results: cases.map((_, i) => got.get(i)!), stats };
  };
  if (options.exhaustive) return all("asked")();
  let tree;
  try {
    tree = routeTree(yaml.load(await readFile(configFile, "utf8")));
  } catch {
    tree = undefined;
  }
  if (!tree) return all("unreadable config")();
  const root = tree;
  const routed = cases.map((c) => matchRoutes(root, c.labels));
  const own = routed.map((rs) => rs.map((r) => r.receiver));
  // amtool checks: every case the matcher finds misrouted, and one case per distinct route set.
  const picked = new Set<number>();
  cases.forEach((c, i) => {
    if (own[i]!.join(",") !== c.receivers.join(",")) picked.add(i);
  });
  const firstOf = new Map<string, number>();
  routed.forEach((rs, i) => {
    const key = rs.map((r) => r.id).join(" ");
    if (!firstOf.has(key)) firstOf.set(key, i);
  });
  const groups = [...firstOf.values()];
  const want = Math.min(groups.length, options.sample ?? 100);
  for (let k = 0; k < want; k++) picked.add(groups[Math.floor((k * groups.length) / want)]!);
  stats.routeSets = groups.length;
  stats.sampledSets = want;
  const checked = await viaAmtool([...picked].sort((a, b) => a - b));
  for (const [i, r] of checked) if (r.error === undefined && r.actual.join(",") !== own[i]!.join(",")) stats.disagreements++;
  if (stats.disagreements > 0) {
    const rest = await viaAmtool(cases.map((_, i) => i).filter((i) => !checked.has(i)));
    stats.exhaustiveBecause = "disagreement";
    return { results: cases.map((_, i) => checked.get(i) ?? rest.get(i)!), stats };
  }
  return { results: cases.map((c, i) => checked.get(i) ?? { case: c, ok: true, actual: own[i]!, checkedBy: "route-match" }), stats };
}

function runCase(amtool: string, configFile: string, c: RoutingCase): Promise<RoutingResult> {
  const args = ["config", "routes", "test", `--config.file=${configFile}`, `--verify.receivers=${c.receivers.join(",")}`, ...Object.entries(c.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
  return new Promise((resolve) => {
    execFile(amtool, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const actual = stdout.split("\n").find((l) => l.trim() !== "")?.trim().split(",") ?? [];
      const missing = err && (err as NodeJS.ErrnoException).code === "ENOENT";
      const result: RoutingResult = { case: c, ok: !err, actual, checkedBy: "amtool" };
      if (missing) result.error = `${amtool} not found: install Debian's prometheus-alertmanager (apt-get install -y prometheus-alertmanager)`;
      else if (err && actual.join(",") === c.receivers.join(",")) result.error = stderr.replace(/^Warning: --config.file.*\n/m, "").trim();
      resolve(result);
    });
  });
}

export function defaultConfigFile(outDir: string): string {
  return join(outDir, ALERTMANAGER_CONFIG_PATH);
}
