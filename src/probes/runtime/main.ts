/**
 * Entry point of the probe bundle, `dist/probes/vigil-probes.mjs` in the package (and
 * `probes/vigil-probes.mjs` in an output directory whose spec sets `probes: { bundle: true }`).
 * Run directly — `node vigil-probes.mjs [--config probes.json] [--listen 127.0.0.1:9464]
 * [--once | --check]`, the config defaulting to `probes.json` next to the script — or through
 * `vigil probes run`, which imports the bundle and calls `probesMain`.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "./cli.js";
import { eventLogLine } from "./log.js";

const report = (what: string) => (err: unknown): void => {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`${eventLogLine("error", `${what}: ${message.slice(0, 500)}`)}\n`);
};

/** The runtime's command line in this process; resolves with its exit code. */
export async function probesMain(argv: readonly string[]): Promise<number> {
  // A probe daemon keeps probing: nothing unexpected may take the process down.
  process.on("uncaughtException", report("uncaught exception"));
  process.on("unhandledRejection", report("unhandled rejection"));
  return runCli(argv, new URL("./probes.json", import.meta.url));
}

/** True when this file is the script node was started with (not imported by `vigil`). */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  probesMain(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Exit even if some handle lingers (a request being torn down); all output is written by now.
      setTimeout(() => process.exit(code), 500).unref();
    },
    (err: unknown) => {
      report("fatal")(err);
      process.exit(1);
    },
  );
}
