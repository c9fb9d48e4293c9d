/**
 * Real servers for end-to-end tests: started on 127.0.0.1, watched (a dead one fails the wait
 * at once, with its last output), and always stopped — SIGTERM, then SIGKILL after 5 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";

export const HOST = "127.0.0.1";
/** Bound on every wait. */
export const WAIT_MS = 60_000;
const POLL_MS = 250;

export interface Proc {
  name: string;
  child: ChildProcess;
  /** The last few KB of its stderr and stdout. */
  tail: () => string;
  exited: () => string | undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a test started, stopped in reverse order by `cleanup` (call it in afterAll). */
export class Lab {
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private cleaned = false;

  defer(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // best effort: keep stopping the rest
      }
    }
  }

  /** Listens on 127.0.0.1 (a free port) until cleanup; returns the port. */
  async listen(server: Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    this.defer(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return (server.address() as { port: number }).port;
  }

  start(name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv): Proc {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
    let tail = "";
    let exit: string | undefined;
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-6000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("error", (err) => (exit = `could not start: ${err.message}`));
    child.on("exit", (code, signal) => (exit = `exited with ${code ?? signal}`));
    const proc: Proc = { name, child, tail: () => tail, exited: () => exit };
    this.defer(() => stop(proc));
    return proc;
  }
}

/** SIGTERM, then SIGKILL if it has not exited after 5 s. */
export async function stop(p: Proc): Promise<void> {
  if (p.exited() !== undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => p.child.once("exit", () => resolve()));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 5_000);
  await gone;
  clearTimeout(timer);
}

/** A free TCP port on 127.0.0.1 (bound on port 0, then released for the server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, HOST, () => {
      const addr = s.address();
      if (!addr || typeof addr === "string") return reject(new Error("no port"));
      s.close(() => resolve(addr.port));
    });
  });
}

export function assertRunning(procs: readonly Proc[]): void {
  for (const p of procs) {
    const exit = p.exited();
    if (exit !== undefined) throw new Error(`${p.name} ${exit}; its output ended with:\n${p.tail()}`);
  }
}

/**
 * Polls `check` every 250 ms until it returns true (its errors count as not yet); fails after
 * `ms`, when a server dies, or as soon as `wrong` names something that must never happen.
 */
export async function until(what: string, procs: readonly Proc[], check: () => Promise<boolean> | boolean, wrong: () => string | undefined = () => undefined, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    assertRunning(procs);
    const problem = wrong();
    if (problem) throw new Error(problem);
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}\n${procs.map((p) => `--- ${p.name}:\n${p.tail().slice(-2000)}`).join("\n")}`);
    }
    await sleep(POLL_MS);
  }
}

export async function getJson(url: string): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

/** Prometheus' and Alertmanager's readiness endpoint. */
export async function ready(base: string): Promise<boolean> {
  const r = await fetch(`${base}/-/ready`, { signal: AbortSignal.timeout(2_000) });
  return r.ok;
}

/** A single Alertmanager (no gossip: no port outside 127.0.0.1) with the compiled config in `out`, its data under `work`. */
export function startAlertmanager(lab: Lab, out: string, work: string, port: number): Proc {
  return lab.start("prometheus-alertmanager", "prometheus-alertmanager", [
    `--config.file=${join(out, "alertmanager/alertmanager.yml")}`,
    `--storage.path=${join(work, "am-data")}`,
    `--web.listen-address=${HOST}:${port}`,
    "--cluster.listen-address=",
  ]);
}

/** Prometheus with the compiled prometheus.yml (and so its rule files) in `out`, its TSDB under `work`. */
export function startPrometheus(lab: Lab, out: string, work: string, port: number): Proc {
  return lab.start("prometheus", "prometheus", [`--config.file=${join(out, "prometheus/prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom-data")}`, `--web.listen-address=${HOST}:${port}`]);
}
