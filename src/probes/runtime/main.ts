/**
 * Entry point of `probes/vigil-probes.mjs`: `node vigil-probes.mjs [--config probes.json]
 * [--listen 127.0.0.1:9464] [--once]`. The config defaults to `probes.json` next to this script.
 */
import { runCli } from "./cli.js";
import { eventLogLine } from "./log.js";

const report = (what: string) => (err: unknown): void => {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`${eventLogLine("error", `${what}: ${message.slice(0, 500)}`)}\n`);
};
// A probe daemon keeps probing: nothing unexpected may take the process down.
process.on("uncaughtException", report("uncaught exception"));
process.on("unhandledRejection", report("unhandled rejection"));

runCli(process.argv.slice(2), new URL("./probes.json", import.meta.url)).then(
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
