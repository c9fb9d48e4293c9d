import { describe, expect, it } from "vitest";
import { jitterDelayMs, runAll, Scheduler, Semaphore, type ScheduledProbe, type Timers } from "../../src/probes/runtime/schedule.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Manual timers: records requested delays; `advance` fires what is due. */
class FakeTimers implements Timers {
  t = 0;
  private seq = 0;
  pending = new Map<number, { at: number; fn: () => void; ms: number }>();
  requested: number[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.requested.push(ms);
    this.pending.set(id, { at: this.t + ms, fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(to: number): void {
    for (;;) {
      const due = [...this.pending.entries()].filter(([, p]) => p.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = to;
  }
}

function probe(name: string, over: Partial<ScheduledProbe> = {}): ScheduledProbe & { runs: number; skips: number } {
  const p = {
    name,
    intervalSeconds: 10,
    jitter: 0.5,
    runs: 0,
    skips: 0,
    run: async () => {
      p.runs++;
    },
    skipped: () => {
      p.skips++;
    },
    ...over,
  };
  return p;
}

describe("jitter", () => {
  it("stays in [0, jitter × interval)", () => {
    for (const r of [0, 0.25, 0.5, 0.999999999, 1 - Number.EPSILON]) {
      const d = jitterDelayMs(10, 0.5, () => r);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(5000);
    }
    expect(jitterDelayMs(10, 0.5, () => 0.5)).toBe(2500);
    expect(jitterDelayMs(10, 0, () => 0.9)).toBe(0);
    expect(jitterDelayMs(10, 0.5, () => 7)).toBe(0); // a broken random source cannot push a run out of bounds
  });

  it("delays the first run and every later run by a fresh jitter", async () => {
    const flush = () => new Promise<void>((r) => setImmediate(r));
    const timers = new FakeTimers();
    const values = [0.1, 0.9, 0.3, 0.7];
    let i = 0;
    const p = probe("a");
    const s = new Scheduler([p], { maxConcurrency: 1, timers, random: () => values[i++ % values.length] as number });
    s.start();
    expect(timers.requested).toEqual([500]); // first run: 0.1 × 0.5 × 10 s
    timers.advance(500);
    await flush();
    expect(p.runs).toBe(1);
    // next period starts at 10 s; its jitter is 0.9 × 5 s
    expect(timers.requested[1]).toBe(10_000 + 4500 - 500);
    timers.advance(14_500);
    await flush();
    expect(p.runs).toBe(2);
    expect(timers.requested[2]).toBe(20_000 + 1500 - 14_500);
    for (const d of timers.requested) expect(d).toBeGreaterThanOrEqual(0);
    void s.stop(10);
    expect(timers.pending.size).toBe(0);
  });
});

describe("scheduler", () => {
  it("never overlaps runs of one probe: a due run is skipped and counted", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const p = probe("slow", {
      intervalSeconds: 0.02,
      jitter: 0,
      run: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        p.runs++;
        await sleep(120);
        inFlight--;
      },
    });
    const s = new Scheduler([p], { maxConcurrency: 4 });
    s.start();
    await sleep(400);
    await s.stop(2000);
    expect(maxInFlight).toBe(1);
    expect(p.runs).toBeGreaterThanOrEqual(2);
    expect(p.skips).toBeGreaterThanOrEqual(3);
  });

  it("bounds concurrency: 20 probes, maxConcurrency 3", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let total = 0;
    const probes = Array.from({ length: 20 }, (_, i) =>
      probe(`p${i}`, {
        intervalSeconds: 60,
        jitter: 0,
        run: async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(15);
          inFlight--;
          total++;
        },
      }),
    );
    const s = new Scheduler(probes, { maxConcurrency: 3 });
    s.start();
    const deadline = Date.now() + 10_000;
    while (total < 20 && Date.now() < deadline) await sleep(10);
    await s.stop(2000);
    expect(total).toBe(20);
    expect(maxInFlight).toBe(3);
  });

  it("stop() stops scheduling and waits for runs in flight", async () => {
    let finished = false;
    const p = probe("p", {
      intervalSeconds: 0.01,
      jitter: 0,
      run: async () => {
        p.runs++;
        await sleep(200);
        finished = true;
      },
    });
    const s = new Scheduler([p], { maxConcurrency: 1 });
    s.start();
    await sleep(30);
    expect(p.runs).toBe(1);
    await s.stop(5000);
    expect(finished).toBe(true);
    await sleep(50);
    expect(p.runs).toBe(1);
  });

  it("stop() is bounded: it aborts runs that outlive the grace period", async () => {
    let sawAbort = false;
    const p = probe("hang", {
      intervalSeconds: 60,
      jitter: 0,
      run: (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve();
          });
        }),
    });
    const s = new Scheduler([p], { maxConcurrency: 1 });
    s.start();
    await sleep(20);
    const t = Date.now();
    await s.stop(100, 1000);
    expect(sawAbort).toBe(true);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("a run that throws does not stop the schedule", async () => {
    let runs = 0;
    const p = probe("boom", {
      intervalSeconds: 0.01,
      jitter: 0,
      run: async () => {
        runs++;
        throw new Error("boom");
      },
    });
    const s = new Scheduler([p], { maxConcurrency: 1 });
    s.start();
    await sleep(100);
    await s.stop(1000);
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

describe("semaphore and runAll", () => {
  it("hands slots over in order and turns waiters away on close", async () => {
    const sem = new Semaphore(1);
    expect(await sem.acquire()).toBe(true);
    const order: number[] = [];
    const w1 = sem.acquire().then((ok) => order.push(ok ? 1 : -1));
    const w2 = sem.acquire().then((ok) => order.push(ok ? 2 : -2));
    sem.release();
    await w1;
    sem.close();
    await w2;
    expect(order).toEqual([1, -2]);
    expect(await sem.acquire()).toBe(false);
  });

  it("runAll keeps order and bounds concurrency", async () => {
    let inFlight = 0;
    let max = 0;
    const results = await runAll(
      Array.from({ length: 10 }, (_, i) => async () => {
        inFlight++;
        max = Math.max(max, inFlight);
        await sleep(5);
        inFlight--;
        return i;
      }),
      3,
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(max).toBe(3);
  });
});
