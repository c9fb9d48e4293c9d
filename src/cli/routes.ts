/** `vigil routes test [DIR]`: every generated routing case through `amtool config routes test`. */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { defaultConfigFile, readRoutingCases, routeCases, type RoutingResult, type RoutingStats } from "../alertmanager/amtool.js";
import { ROUTING_TESTS_PATH } from "../alertmanager/paths.js";
import type { Io } from "./main.js";

export class RoutesUsageError extends Error {}

/** `defaultDir`: DIR when none is given (the config file's `out`, else `out`). */
export async function routesCommand(args: readonly string[], io: Io, defaultDir = "out"): Promise<number> {
  const exhaustive = args.includes("--all");
  const [sub, dirArg, ...rest] = args.filter((a) => a !== "--all");
  if (sub !== "test" || rest.length > 0) throw new RoutesUsageError("usage: vigil routes test [DIR] [--all] (DIR: a vigil output directory, default out)");
  const dir = dirArg ?? defaultDir;
  const outDir = isAbsolute(dir) ? dir : join(io.cwd, dir);
  if (!existsSync(join(outDir, ROUTING_TESTS_PATH))) {
    io.stderr(`vigil: ${join(dir, ROUTING_TESTS_PATH)} not found: run vigil compile --out ${dir} first\n`);
    return 1;
  }
  const cases = await readRoutingCases(outDir);
  const { results, stats } = await routeCases(defaultConfigFile(outDir), cases, { exhaustive });
  const notFound = results.find((r) => r.error?.includes("not found"));
  if (notFound) {
    io.stderr(`vigil: ${notFound.error}\n`);
    return 2;
  }
  const failures = results.filter((r) => !r.ok);
  for (const r of failures) io.stderr(describeMisroute(r));
  const failed = failures.length;
  io.stdout(`vigil: ${results.length - failed} of ${results.length} routing cases reach their receivers (${howChecked(stats)})\n`);
  return failed === 0 ? 0 : 1;
}

/** `FAIL alert {labels}`, the receivers expected and those amtool resolved (also used by `vigil test`). */
export function describeMisroute(r: RoutingResult): string {
  const labels = Object.entries(r.case.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  return `FAIL ${r.case.alert} {${labels}}\n  expected: ${r.case.receivers.join(", ")}\n  amtool:   ${r.actual.join(", ") || "(nothing)"}${r.error ? `\n  ${r.error}` : ""}\n`;
}

/** How the cases were checked: amtool on all of them, or Vigil's route matching checked by amtool on a sample (also used by `vigil test`). */
export function howChecked(stats: RoutingStats): string {
  if (stats.amtool === stats.cases) return "amtool config routes test";
  const sets = stats.sampledSets === stats.routeSets ? `each of the ${stats.routeSets} distinct route sets` : `${stats.sampledSets} of the ${stats.routeSets} distinct route sets, spread over the tree`;
  return `Vigil's port of Alertmanager's route matching; amtool config routes test agreed on all ${stats.amtool} cases it ran: every misrouted one and one case for ${sets}`;
}
