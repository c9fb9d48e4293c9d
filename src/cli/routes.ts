/** `vigil routes test [DIR]`: every generated routing case through `amtool config routes test`. */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { defaultConfigFile, readRoutingCases, runRoutingCases, type RoutingResult } from "../alertmanager/amtool.js";
import { ROUTING_TESTS_PATH } from "../alertmanager/paths.js";
import type { Io } from "./main.js";

export class RoutesUsageError extends Error {}

/** `defaultDir`: DIR when none is given (the config file's `out`, else `out`). */
export async function routesCommand(args: readonly string[], io: Io, defaultDir = "out"): Promise<number> {
  const [sub, dirArg, ...rest] = args;
  if (sub !== "test" || rest.length > 0) throw new RoutesUsageError("usage: vigil routes test [DIR] (DIR: a vigil output directory, default out)");
  const dir = dirArg ?? defaultDir;
  const outDir = isAbsolute(dir) ? dir : join(io.cwd, dir);
  if (!existsSync(join(outDir, ROUTING_TESTS_PATH))) {
    io.stderr(`vigil: ${join(dir, ROUTING_TESTS_PATH)} not found: run vigil compile --out ${dir} first\n`);
    return 1;
  }
  const cases = await readRoutingCases(outDir);
  const results = await runRoutingCases(defaultConfigFile(outDir), cases);
  const notFound = results.find((r) => r.error?.includes("not found"));
  if (notFound) {
    io.stderr(`vigil: ${notFound.error}\n`);
    return 2;
  }
  const failures = results.filter((r) => !r.ok);
  for (const r of failures) io.stderr(describeMisroute(r));
  const failed = failures.length;
  io.stdout(`vigil: ${results.length - failed} of ${results.length} routing cases reach their receivers (amtool config routes test)\n`);
  return failed === 0 ? 0 : 1;
}

/** `FAIL alert {labels}`, the receivers expected and those amtool resolved (also used by `vigil test`). */
export function describeMisroute(r: RoutingResult): string {
  const labels = Object.entries(r.case.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  return `FAIL ${r.case.alert} {${labels}}\n  expected: ${r.case.receivers.join(", ")}\n  amtool:   ${r.actual.join(", ") || "(nothing)"}${r.error ? `\n  ${r.error}` : ""}\n`;
}
