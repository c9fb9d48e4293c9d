import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";

/** A counting semaphore with a FIFO queue; `close()` turns away waiters and later callers. */
export class Semaphore {
  private readonly limit: number;
  private active = 0;
  private closed = false;
  private readonly waiters: (((ok: boolean) => void) | undefined)[] = [];
  private head = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves true when a slot is taken, false when the semaphore was closed first. */
  acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head < this.waiters.length && !this.closed) {
      const next = this.waiters[this.head];
      this.waiters[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next?.(true);
      return;
    }
    this.active--;
  }

  close(): void {
    this.closed = true;
    const waiting = this.waiters.splice(this.head);
    this.head = 0;
    this.waiters.length = 0;
    for (const w of waiting) w?.(false);
  }
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ScheduledProbe {
  name: string;
  intervalSeconds: number;
  /** Fraction of the interval (0–0.5) each run may start late. */
  jitter: number;
  /** One run; must not reject (a rejection is swallowed). */
  run(signal: AbortSignal): Promise<void>;
  /** Called when a run is due while the previous one is still going (or waiting for a slot). */
  skipped(): void;
}

export interface SchedulerOptions {
  maxConcurrency: number;
  /** Source of randomness for jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  timers?: Timers;
}

/** A delay in [0, jitter × interval) milliseconds. */
export function jitterDelayMs(intervalSeconds: number, jitter: number, random: () => number): number {
  const span = jitter * intervalSeconds * 1000;
  if (!(span > 0)) return 0;
  const r = random();
  const d = Math.floor((r >= 0 && r < 1 ? r : 0) * span);
  return d < span ? d : 0;
}

interface ProbeState {
  probe: ScheduledProbe;
  /** When the current period starts (monotonic ms); the run is due at base + jitter. */
  base: number;
  timer: unknown;
  running: boolean;
}

/**
 * Runs each probe every `intervalSeconds`, each run delayed by a fresh random jitter; a probe's runs
 * never overlap (a due run is skipped while the previous one is going); at most `maxConcurrency`
 * runs at once across all probes.
 */
export class Scheduler {
  private readonly states: ProbeState[];
  private readonly semaphore: Semaphore;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private started = false;
  private stopped = false;

  constructor(probes: ScheduledProbe[], opts: SchedulerOptions) {
    this.semaphore = new Semaphore(opts.maxConcurrency);
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? realTimers;
    this.states = probes.map((probe) => ({ probe, base: 0, timer: undefined, running: false }));
    // Every run in flight listens on the one shutdown signal.
    setMaxListeners(0, this.controller.signal);
  }

  /** Runs currently executing (holding a concurrency slot). */
  get active(): number {
    return this.semaphore.inFlight;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const now = this.timers.now();
    for (const s of this.states) {
      s.base = now;
      this.arm(s);
    }
  }

  private arm(s: ProbeState): void {
    const due = s.base + jitterDelayMs(s.probe.intervalSeconds, s.probe.jitter, this.random);
    s.timer = this.timers.setTimeout(() => this.fire(s), Math.max(0, due - this.timers.now()));
  }

  private fire(s: ProbeState): void {
    s.timer = undefined;
    if (this.stopped) return;
    if (s.running) s.probe.skipped();
    else this.launch(s);
    const interval = s.probe.intervalSeconds * 1000;
    s.base += interval;
    // After a stall (blocked loop, suspended machine) do not fire a burst of catch-up runs.
    const now = this.timers.now();
    if (s.base + interval <= now) s.base = now;
    this.arm(s);
  }

  private launch(s: ProbeState): void {
    s.running = true;
    const signal = this.controller.signal;
    const p = (async () => {
      if (!(await this.semaphore.acquire())) return;
      try {
        if (!signal.aborted) await s.probe.run(signal);
      } catch {
        // A run reports its own failures; nothing may escape into the scheduler.
      } finally {
        this.semaphore.release();
      }
    })();
    this.inFlight.add(p);
    void p.then(() => {
      this.inFlight.delete(p);
      s.running = false;
    });
  }

  /**
   * Stops scheduling, waits up to `graceMs` for runs in flight, then aborts what is left and waits
   * up to `abortWaitMs` more for it to settle.
   */
  async stop(graceMs = 5000, abortWaitMs = 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.states) {
      if (s.timer !== undefined) this.timers.clearTimeout(s.timer);
      s.timer = undefined;
    }
    this.semaphore.close();
    if (!(await settleWithin([...this.inFlight], graceMs))) {
      this.controller.abort();
      await settleWithin([...this.inFlight], abortWaitMs);
    }
  }
}

/** True when all promises settled within `ms`. */
export async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every task once with at most `maxConcurrency` at a time; results in task order. */
export async function runAll<T>(tasks: (() => Promise<T>)[], maxConcurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task) results[i] = await task();
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(Math.max(1, maxConcurrency), tasks.length); i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}
