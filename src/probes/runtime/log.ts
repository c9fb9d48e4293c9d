import type { RunResult } from "./run.js";

/** Receives one JSON log line (without the newline). */
export type LogWriter = (line: string) => void;

let pending: string[] = [];
let scheduled = false;
let exitHooked = false;

/** Writes what `stdoutLog` buffered; also runs on process exit. */
export function flushStdoutLog(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = `${pending.join("\n")}\n`;
  pending = [];
  process.stdout.write(text);
}

/**
 * Lines to stdout, batched per event-loop turn: one write for all runs that ended together
 * (a write is a syscall; at hundreds of runs a second they add up).
 */
export const stdoutLog: LogWriter = (line) => {
  pending.push(line);
  if (!scheduled) {
    scheduled = true;
    if (!exitHooked) {
      exitHooked = true;
      process.once("exit", flushStdoutLog);
    }
    setImmediate(flushStdoutLog);
  }
};

/** The JSON log line of one run. Messages are already redacted and truncated by the runner. */
export function runLogLine(r: RunResult, now: Date = new Date()): string {
  const entry: Record<string, string | number | boolean> = { time: now.toISOString(), level: r.success ? "info" : "warn" };
  entry[r.kind] = r.name;
  if (r.service !== undefined) entry.service = r.service;
  entry.success = r.success;
  entry.durationMs = Math.round(r.durationMs);
  if (r.status > 0) entry.status = r.status;
  if (r.reason !== undefined) entry.reason = r.reason;
  if (r.step !== undefined) entry.step = r.step;
  if (r.message !== undefined) entry.message = r.message;
  return JSON.stringify(entry);
}

/** A JSON log line about the runtime itself. */
export function eventLogLine(level: "info" | "warn" | "error", message: string, extra: Record<string, string | number | boolean> = {}, now: Date = new Date()): string {
  return JSON.stringify({ time: now.toISOString(), level, message, ...extra });
}
