import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProbesConfig } from "../config.js";
import { envNames } from "../templates.js";
import { eventLogLine, stdoutLog, type LogWriter } from "./log.js";
import { parseListen, runOnce, startProbes, type Listen } from "./probes.js";
import { parseShard, shardConfig, type Shard } from "./shard.js";
import { locationConfig, parseLocation } from "./location.js";
import { ConfigError, validateConfig } from "./validate.js";

export const USAGE = "usage: vigil-probes.mjs [--config probes.json] [--listen 127.0.0.1:9464] [--shard k/n] [--location NAME] [--once | --check]";

export interface CliArgs {
  config: string | undefined;
  listen: Listen;
  once: boolean;
  /** Validate the config, name the environment variables it needs, and exit. */
  check: boolean;
  help: boolean;
  /** `--shard k/n`: run only this shard's checks and journeys (shard.ts). */
  shard?: Shard;
  /** `--location NAME`: run this location's checks and journeys, label metrics with it (location.ts). */
  location?: string;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { config: undefined, listen: { host: "127.0.0.1", port: 9464 }, once: false, check: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (arg.startsWith("--") && eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--config":
        args.config = value();
        break;
      case "--listen":
        args.listen = parsed(parseListen, value());
        break;
      case "--shard":
        args.shard = parsed(parseShard, value());
        break;
      case "--location":
        args.location = parsed(parseLocation, value());
        break;
      case "--once":
        args.once = true;
        break;
      case "--check":
        args.check = true;
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

/** A flag's value parsed, its parser's error as a usage error. */
function parsed<T>(parse: (value: string) => T, value: string): T {
  try {
    return parse(value);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads and validates a config file; a ConfigError with a one-line message otherwise. */
export function loadConfig(path: string): ProbesConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : "";
    throw new ConfigError(`${path}: cannot read${code ? ` (${code})` : ""}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return validateConfig(parsed);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${path}: ${err.message}`);
    throw err;
  }
}

export interface CliIo {
  log: LogWriter;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Calls `stop` on SIGTERM/SIGINT; returns an unsubscribe function. */
  onSignal: (stop: () => void) => () => void;
}

export const processIo: CliIo = {
  log: stdoutLog,
  stderr: (text) => {
    process.stderr.write(text);
  },
  env: process.env,
  onSignal: (stop) => {
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
    };
  },
};

/**
 * The CLI: 0 when all went well (or stopped by a signal), 1 when `--once` saw a failure,
 * 2 for a bad command line or config.
 */
export async function runCli(argv: readonly string[], defaultConfig: URL | string, io: CliIo = processIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr(`vigil-probes: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stderr(`${USAGE}\n`);
    return 0;
  }
  const path = args.config ?? (typeof defaultConfig === "string" ? defaultConfig : fileURLToPath(defaultConfig));
  let config: ProbesConfig;
  try {
    config = loadConfig(path);
    config = locationConfig(config, args.location, args.check);
    if (args.shard) config = shardConfig(config, args.shard);
  } catch (err) {
    io.stderr(`vigil-probes: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }

  if (args.check) {
    const env = envNames(config);
    const where = config.locations && args.location === undefined ? ` in locations ${config.locations.join(", ")}` : args.location !== undefined ? ` in location ${args.location}` : "";
    io.stderr(`${path}: ok, ${config.checks.length} checks and ${config.journeys.length} journeys${where}${env.length ? `; reads ${env.join(", ")} from the environment` : ""}\n`);
    return 0;
  }

  if (args.once) {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const unsubscribe = io.onSignal(() => controller.abort());
    try {
      const results = await runOnce(config, { log: io.log, env: io.env, signal: controller.signal, ...(args.location !== undefined ? { location: args.location } : {}) });
      const failed = results.filter((r) => !r.success).length;
      io.log(eventLogLine(failed === 0 ? "info" : "warn", `ran ${results.length} probes once: ${failed} failed`, { probes: results.length, failed }));
      return failed === 0 && !controller.signal.aborted ? 0 : 1;
    } finally {
      unsubscribe();
    }
  }

  let running;
  try {
    running = await startProbes(config, { listen: args.listen, log: io.log, env: io.env, ...(args.location !== undefined ? { location: args.location } : {}) });
  } catch (err) {
    io.stderr(`vigil-probes: cannot listen on ${args.listen.host}:${args.listen.port}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const r = running;
  io.log(
    eventLogLine("info", `listening on http://${r.port === undefined ? "" : `${args.listen.host.includes(":") ? `[${args.listen.host}]` : args.listen.host}:${r.port}`}/metrics`, {
      port: r.port ?? 0,
      checks: config.checks.length,
      journeys: config.journeys.length,
      ...(args.shard ? { shard: `${args.shard.index}/${args.shard.count}` } : {}),
      ...(args.location !== undefined ? { location: args.location } : {}),
    }),
  );
  await new Promise<void>((resolve) => {
    const unsubscribe = io.onSignal(() => {
      unsubscribe();
      resolve();
    });
  });
  io.log(eventLogLine("info", "stopping"));
  await r.stop();
  io.log(eventLogLine("info", "stopped"));
  return 0;
}
