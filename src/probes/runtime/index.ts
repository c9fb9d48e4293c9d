/** Library API of the probe runtime (the CLI entry is `main.ts`). */
export { evaluate, compare, type AssertionOutcome } from "./assert.js";
export { runCli, parseArgs, loadConfig, USAGE } from "./cli.js";
export { ProbeError, reasonOf } from "./errors.js";
export { extractValue, atPath, ResponseView } from "./extract.js";
export { httpRequest, type HttpPhases, type HttpResponse } from "./http.js";
export { ProbeMetrics } from "./metrics.js";
export { startProbes, runOnce, parseListen, type RunningProbes, type StartOptions } from "./probes.js";
export { runProbeOnce, runCheck, runJourney, type RunResult, type RunOptions } from "./run.js";
export { Scheduler, Semaphore, jitterDelayMs, type ScheduledProbe } from "./schedule.js";
export { renderText, renderJson, type JsonValue } from "./template.js";
export { validateConfig, ConfigError } from "./validate.js";
