/**
 * `vigil probes run [PATH] [--listen HOST:PORT] [--once | --check]`: runs a compiled
 * `probes.json` with the probe runtime this package ships (dist/probes/vigil-probes.mjs, the
 * same self-contained bundle a spec with `probes: { bundle: true }` writes into its output), in
 * this process. PATH is a probes.json or an output directory (default `out`).
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PROBES_CONFIG_PATH } from "../probes/emit.js";
import { PROBE_BUNDLE_FILE } from "../probes/bundle.js";
import type { Io } from "./main.js";

export class ProbesUsageError extends Error {}

const USAGE = "usage: vigil probes run [PROBES_JSON | DIR] [--listen HOST:PORT] [--shard K/N] [--location NAME] [--once | --check] (DIR: a vigil output directory, default out)";

export const PROBES_HELP = `Usage: vigil probes run [PROBES_JSON | DIR] [--listen HOST:PORT] [--shard K/N] [--location NAME] [--once | --check]

Runs the checks and journeys of a compiled probes.json (or DIR/${PROBES_CONFIG_PATH}; default
DIR is out) with the probe runtime of this package, serving /metrics for Prometheus.
  --listen HOST:PORT  where to serve /metrics and /healthz (default 127.0.0.1:9464)
  --shard K/N         run only shard K of N of the checks and journeys (probes.shards)
  --location NAME     run from location NAME of probes.locations: its checks and journeys,
                      every metric labelled location="NAME" (needed when probes.json has locations)
  --once              run everything once; exit 1 if anything failed (a deploy smoke test)
  --check             validate probes.json, name the environment variables it reads, exit
Secrets come from this process's environment. The runtime file itself is
${PROBE_BUNDLE_FILE}
`;

/** `defaultDir`: DIR when no path is given (the config file's `out`, else `out`). */
export async function probesCommand(args: readonly string[], io: Io, defaultDir = "out"): Promise<number> {
  const [sub, ...rest] = args;
  // `vigil probes --help` is answered by help.ts, before this runs.
  if (sub !== "run") throw new ProbesUsageError(USAGE);
  const passed: string[] = [];
  let target: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--once" || arg === "--check") passed.push(arg);
    else if (arg === "--listen" || arg === "--shard" || arg === "--location") {
      const value = rest[++i];
      if (value === undefined) throw new ProbesUsageError(`${arg} needs ${arg === "--listen" ? "HOST:PORT" : arg === "--shard" ? "K/N" : "NAME"}\n${USAGE}`);
      passed.push(arg, value);
    } else if (arg.startsWith("--listen=") || arg.startsWith("--shard=") || arg.startsWith("--location=")) passed.push(arg);
    else if (arg.startsWith("-") || target !== undefined) throw new ProbesUsageError(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    else target = arg;
  }
  const given = target ?? defaultDir;
  const absolute = isAbsolute(given) ? given : resolve(io.cwd, given);
  const config = existsSync(absolute) && statSync(absolute).isDirectory() ? join(absolute, PROBES_CONFIG_PATH) : absolute;
  if (!existsSync(config)) {
    const shown = config === absolute ? given : join(given, PROBES_CONFIG_PATH);
    io.stderr(`vigil: ${shown} not found${target === undefined || config !== absolute ? `: run vigil compile --out ${given} first (a spec with checks or journeys writes it)` : ""}\n`);
    return 1;
  }
  const missing = missingRuntimeMessage();
  if (missing) {
    io.stderr(missing);
    return 2;
  }
  const runtime: unknown = await import(pathToFileURL(PROBE_BUNDLE_FILE).href);
  if (!hasProbesMain(runtime)) {
    io.stderr(`vigil: ${PROBE_BUNDLE_FILE} is not a vigil probe runtime (no probesMain export)\n`);
    return 2;
  }
  return runtime.probesMain(["--config", config, ...passed]);
}

/** Why the probe runtime of this installation cannot run, or undefined when it is there. */
export function missingRuntimeMessage(): string | undefined {
  return existsSync(PROBE_BUNDLE_FILE) ? undefined : `vigil: the probe runtime ${PROBE_BUNDLE_FILE} is missing; run \`npm run build\`\n`;
}

/**
 * The command line that validates a probes.json with the runtime of this package, as
 * `vigil probes run --check` does, in a process of its own (`vigil test` reads its output).
 */
export function probeCheckCommand(config: string): { bin: string; args: string[] } {
  return { bin: process.execPath, args: [PROBE_BUNDLE_FILE, "--config", config, "--check"] };
}

function hasProbesMain(value: unknown): value is { probesMain: (argv: readonly string[]) => Promise<number> } {
  return typeof value === "object" && value !== null && "probesMain" in value && typeof value.probesMain === "function";
}
