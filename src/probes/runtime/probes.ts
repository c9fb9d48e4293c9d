import type { ProbeCheck, ProbeJourney, ProbesConfig } from "../config.js";
import { eventLogLine, runLogLine, stdoutLog, type LogWriter } from "./log.js";
import { ProbeMetrics } from "./metrics.js";
import { runProbeOnce, type RunResult } from "./run.js";
import { runAll, Scheduler, type Timers } from "./schedule.js";
import { startServer, type MetricsServer } from "./server.js";

export interface Listen {
  host: string;
  port: number;
}

/** `host:port` or `[v6]:port`. */
export function parseListen(value: string): Listen {
  const i = value.lastIndexOf(":");
  const host = i > 0 ? value.slice(0, i).replace(/^\[(.*)\]$/, "$1") : "";
  const portText = i > 0 ? value.slice(i + 1) : "";
  const port = Number(portText);
  if (host === "" || !/^\d+$/.test(portText) || port > 65535) throw new Error(`--listen: expected host:port, got ${JSON.stringify(value)}`);
  return { host, port };
}

export interface StartOptions {
  /** Serve `/metrics` and `/healthz` here; no server when absent. */
  listen?: Listen;
  /** Run log lines (default: stdout). */
  log?: LogWriter;
  env?: Readonly<Record<string, string | undefined>>;
  random?: () => number;
  timers?: Timers;
  /** How long `stop()` waits for runs in flight before aborting them (default 3000 ms). */
  graceMs?: number;
  /** `--location`: the `location` label of every metric, and the `x-vigil-location` header. */
  location?: string;
}

export interface RunningProbes {
  /** The port `/metrics` is served on (when listening). */
  port: number | undefined;
  metrics: ProbeMetrics;
  scheduler: Scheduler;
  /** Stops scheduling, waits (bounded) for runs in flight, closes the server. */
  stop(): Promise<void>;
}

function allProbes(config: ProbesConfig): (ProbeCheck | ProbeJourney)[] {
  return [...config.checks, ...config.journeys];
}

/** Schedules every check and journey of a (validated) config and serves their metrics. */
export async function startProbes(config: ProbesConfig, opts: StartOptions = {}): Promise<RunningProbes> {
  const log = opts.log ?? stdoutLog;
  const metrics = new ProbeMetrics(config, opts.location);
  let server: MetricsServer | undefined;
  if (opts.listen) server = await startServer(metrics, opts.listen.host, opts.listen.port);
  const runOpts = { ...(opts.env ? { env: opts.env } : {}), ...(opts.location !== undefined ? { location: opts.location } : {}) };
  const scheduler = new Scheduler(
    allProbes(config).map((probe) => ({
      name: probe.name,
      intervalSeconds: probe.intervalSeconds,
      jitter: probe.jitter,
      run: async (signal: AbortSignal) => {
        const result = await runProbeOnce(probe, { ...runOpts, signal });
        if (signal.aborted) return;
        metrics.record(probe, result);
        log(runLogLine(result));
      },
      skipped: () => {
        metrics.skipped(probe);
        log(eventLogLine("warn", "run skipped: the previous run is still going", { ["steps" in probe ? "journey" : "check"]: probe.name, service: probe.service }));
      },
    })),
    { maxConcurrency: config.maxConcurrency, ...(opts.random ? { random: opts.random } : {}), ...(opts.timers ? { timers: opts.timers } : {}) },
  );
  scheduler.start();
  let stopping: Promise<void> | undefined;
  return {
    port: server?.port,
    metrics,
    scheduler,
    stop: () => {
      stopping ??= (async () => {
        await scheduler.stop(opts.graceMs ?? 3000, 1000);
        await server?.close();
      })();
      return stopping;
    },
  };
}

export interface OnceOptions {
  log?: LogWriter;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Record results here too. */
  metrics?: ProbeMetrics;
  location?: string;
}

/** Runs every check and journey once (at most `maxConcurrency` at a time); results in config order. */
export async function runOnce(config: ProbesConfig, opts: OnceOptions = {}): Promise<RunResult[]> {
  const log = opts.log ?? stdoutLog;
  const runOpts = { ...(opts.env ? { env: opts.env } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.location !== undefined ? { location: opts.location } : {}) };
  return runAll(
    allProbes(config).map((probe) => async () => {
      const result = await runProbeOnce(probe, runOpts);
      opts.metrics?.record(probe, result);
      log(runLogLine(result));
      return result;
    }),
    config.maxConcurrency,
  );
}
