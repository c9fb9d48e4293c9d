/**
 * The checks `vigil test` runs on a compiled output directory, each with the real tool that
 * consumes the file: promtool for the Prometheus files, amtool for the Alertmanager config and
 * the routing cases, the probe runtime of this package for probes.json.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defaultConfigFile, readRoutingCases, runRoutingCases } from "../alertmanager/amtool.js";
import { ALERTMANAGER_CONFIG_PATH, ROUTING_TESTS_PATH } from "../alertmanager/paths.js";
import { PROBES_CONFIG_PATH } from "../probes/emit.js";
import { PROMETHEUS_CONFIG_PATH } from "../prometheus/config.js";
import { missingRuntimeMessage, probeCheckCommand } from "./probes.js";
import { describeMisroute } from "./routes.js";
import { runTool, type Tool } from "./tools.js";

const RULES_DIR = "prometheus/rules";
const TESTS_DIR = "prometheus/tests";
/** Per tool run; `promtool test rules` of a large service takes tens of seconds. */
const TOOL_TIMEOUT_MS = 10 * 60_000;

export interface Outcome {
  ok: boolean;
  /** What went wrong (the tool's own output), shown when the check fails. */
  detail?: string;
}

export interface Check {
  /** The row of the summary table, e.g. `promtool test rules prometheus/tests/hello.test.yml`. */
  name: string;
  /** The external tool it needs on PATH, if any. */
  tool?: Tool;
  run: () => Promise<Outcome>;
}

/** Every check that applies to the files `dir` holds, in the order of the summary table. */
export function checksFor(dir: string): Check[] {
  const has = (path: string) => existsSync(join(dir, path));
  const tool = (bin: Tool, args: string[], name = `${bin} ${args.join(" ")}`): Check => ({
    name,
    tool: bin,
    run: async () => {
      const r = await runTool(bin, args, { cwd: dir, timeoutMs: TOOL_TIMEOUT_MS });
      return r.code === 0 ? { ok: true } : { ok: false, detail: r.output };
    },
  });
  const checks: Check[] = [];
  for (const file of yamlFiles(dir, RULES_DIR)) checks.push(tool("promtool", ["check", "rules", `${RULES_DIR}/${file}`]));
  for (const file of yamlFiles(dir, TESTS_DIR)) checks.push(tool("promtool", ["test", "rules", `${TESTS_DIR}/${file}`]));
  if (has(PROMETHEUS_CONFIG_PATH)) checks.push(tool("promtool", ["check", "config", PROMETHEUS_CONFIG_PATH]));
  // HA replicas (prometheus.replicas): prometheus/prometheus-<k>.yml each.
  for (const file of yamlFiles(dir, "prometheus").filter((f) => /^prometheus-\d+\.yml$/.test(f))) checks.push(tool("promtool", ["check", "config", `prometheus/${file}`]));
  if (has(ALERTMANAGER_CONFIG_PATH)) checks.push(tool("amtool", ["check-config", ALERTMANAGER_CONFIG_PATH]));
  if (has(ROUTING_TESTS_PATH) && has(ALERTMANAGER_CONFIG_PATH)) checks.push(routingCases(dir));
  if (has(PROBES_CONFIG_PATH)) checks.push(probeCheck(dir));
  return checks;
}

function yamlFiles(dir: string, sub: string): string[] {
  try {
    return readdirSync(join(dir, sub), { withFileTypes: true })
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The routing cases through `amtool config routes test`, as `vigil routes test` runs them. */
function routingCases(dir: string): Check {
  return {
    name: `routing cases ${ROUTING_TESTS_PATH} (amtool config routes test)`,
    tool: "amtool",
    run: async () => {
      const cases = await readRoutingCases(dir);
      const results = await runRoutingCases(defaultConfigFile(dir), cases);
      const failures = results.filter((r) => !r.ok);
      if (failures.length === 0) return { ok: true };
      return { ok: false, detail: `${failures.length} of ${results.length} routing cases misroute\n${failures.map(describeMisroute).join("")}` };
    },
  };
}

/** probes.json through the probe runtime's `--check`, as `vigil probes run --check` does. */
function probeCheck(dir: string): Check {
  return {
    name: `probes --check ${PROBES_CONFIG_PATH}`,
    run: async () => {
      const missing = missingRuntimeMessage();
      if (missing) return { ok: false, detail: missing };
      const { bin, args } = probeCheckCommand(join(dir, PROBES_CONFIG_PATH));
      const r = await runTool(bin, args, { cwd: dir, timeoutMs: TOOL_TIMEOUT_MS });
      return r.code === 0 ? { ok: true } : { ok: false, detail: r.output };
    },
  };
}
