/**
 * `vigil deploy`: puts a compiled output where a running Prometheus and Alertmanager read it,
 * reloads them and checks that the reload took.
 *
 * - Prometheus gets `prometheus.yml` and `rules/**` (not the promtool tests or the flags file)
 *   in its directory, Alertmanager `alertmanager.yml` in its own. Each directory keeps a list of
 *   what Vigil put there (`.vigil-deploy.json`), so a rule file the specs no longer produce is
 *   removed and files Vigil did not write are left alone.
 * - Without `apply` nothing is written: the plan (files added, changed, removed, and what the
 *   change means, as `vigil diff --trees` says it) is all.
 * - Every file is written to a temporary file beside it and renamed over it, rule files before
 *   the `prometheus.yml` that reads them, so a server never reads half a file.
 * - Each server is reloaded (`POST /-/reload`, which needs `--web.enable-lifecycle`) and checked:
 *   Prometheus' last reload succeeded (its own /metrics) and the rule groups it runs from the
 *   files Vigil manages are those of the deployed files (other rule files there are the user's); Alertmanager's last reload succeeded and its `alertmanager_config_hash` is
 *   that of the deployed file's bytes. If one fails, every
 *   file is put back as it was and both servers are reloaded again.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { ALERTMANAGER_CONFIG_PATH } from "../alertmanager/paths.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { compareFacts, type DiffChange } from "../diff/compare.js";
import { treeFacts } from "../diff/tree-facts.js";
import { MANIFEST_PATH } from "../emit/index.js";
import type { OutputFile } from "../emit/types.js";

export type DeployServer = "prometheus" | "alertmanager";

/** A server to deploy to: the directory it reads its config from and its base URL. */
export interface DeployTarget {
  dir: string;
  url: string;
}

export interface DeployOptions {
  prometheus?: DeployTarget;
  alertmanager?: DeployTarget;
  /** Write and reload; otherwise only say what would change. */
  apply: boolean;
  /** Bound on each HTTP request and on waiting for a reload to show (default 10 s). */
  timeoutMs?: number;
}

export interface FileChange {
  server: DeployServer;
  /** Path inside the server's directory. */
  path: string;
  change: "added" | "changed" | "removed";
}

export interface DeployResult {
  /** Files added, changed or removed (would be, without `apply`). */
  files: FileChange[];
  /** What the change means: alerts, rules, routes, receivers (as `vigil diff --trees`). */
  changes: DiffChange[];
  applied: boolean;
  /** Servers reloaded and verified. */
  reloaded: DeployServer[];
  /** Whether a failed deploy put the previous files back. */
  restored: boolean;
  diagnostics: Diagnostic[];
}

/** The list of files Vigil wrote into a server's directory. */
export const DEPLOY_STATE = ".vigil-deploy.json";

/** The files of the output a server reads, by their path in its directory. */
export function serverFiles(server: DeployServer, files: readonly OutputFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    if (server === "alertmanager" && f.path === ALERTMANAGER_CONFIG_PATH) out.set("alertmanager.yml", f.content);
    if (server === "prometheus" && (f.path === "prometheus/prometheus.yml" || f.path.startsWith("prometheus/rules/"))) out.set(f.path.slice("prometheus/".length), f.content);
  }
  return out;
}

interface Plan {
  server: DeployServer;
  target: DeployTarget;
  root: string;
  wanted: Map<string, string>;
  /** Every path this deploy touches, with its text before (undefined: it did not exist). */
  before: Map<string, string | undefined>;
  files: FileChange[];
}

function readState(root: string): string[] {
  try {
    const state = JSON.parse(readFileSync(join(root, DEPLOY_STATE), "utf8")) as { files?: unknown };
    return Array.isArray(state.files) ? state.files.filter((f): f is string => typeof f === "string" && !f.includes("..")) : [];
  } catch {
    return [];
  }
}

function readIfFile(path: string): string | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
}

function plan(server: DeployServer, target: DeployTarget, output: readonly OutputFile[]): Plan {
  const root = resolve(target.dir);
  const wanted = serverFiles(server, output);
  const before = new Map<string, string | undefined>();
  const files: FileChange[] = [];
  for (const [path, content] of wanted) {
    const old = readIfFile(join(root, path));
    before.set(path, old);
    if (old === undefined) files.push({ server, path, change: "added" });
    else if (old !== content) files.push({ server, path, change: "changed" });
  }
  for (const path of readState(root)) {
    if (wanted.has(path)) continue;
    const old = readIfFile(join(root, path));
    if (old === undefined) continue;
    before.set(path, old);
    files.push({ server, path, change: "removed" });
  }
  before.set(DEPLOY_STATE, readIfFile(join(root, DEPLOY_STATE)));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { server, target, root, wanted, before, files };
}

/** Temp file beside the target, renamed over it: a reader sees the old file or the new, never half of one. */
function writeAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.vigil-${process.pid}-${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function stateText(paths: Iterable<string>): string {
  return `${JSON.stringify({ files: [...paths].sort() }, null, 2)}\n`;
}

/** Writes the plan's files: rule files first, the config that reads them last, then removals and the state. */
function applyPlan(p: Plan): void {
  const order = [...p.wanted.keys()].sort((a, b) => Number(a === "prometheus.yml") - Number(b === "prometheus.yml") || (a < b ? -1 : 1));
  for (const path of order) if (p.before.get(path) !== p.wanted.get(path)) writeAtomic(join(p.root, path), p.wanted.get(path)!);
  for (const f of p.files) if (f.change === "removed") unlinkSync(join(p.root, f.path));
  writeAtomic(join(p.root, DEPLOY_STATE), stateText(p.wanted.keys()));
}

/** Puts every touched file back as it was, atomically (removing those that did not exist); no server reads them before the reload that follows. */
function restorePlan(p: Plan): void {
  for (const [path, old] of p.before) {
    const file = join(p.root, path);
    if (old === undefined) rmSync(file, { force: true });
    else writeAtomic(file, old);
  }
}

/** The semantic change, from two trees laid out as `vigil compile` writes them. */
async function semanticChanges(plans: readonly Plan[]): Promise<DiffChange[]> {
  const work = mkdtempSync(join(tmpdir(), "vigil-deploy-"));
  try {
    const lay = (side: "before" | "after") => {
      const dir = join(work, side);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, MANIFEST_PATH), "{}\n");
      for (const p of plans) {
        const prefix = p.server === "prometheus" ? "prometheus/" : "alertmanager/";
        // `before` holds every path the deploy touches (each wanted one too), as it is now.
        const entries: [string, string | undefined][] = side === "after" ? [...p.wanted] : [...p.before];
        for (const [path, content] of entries) {
          if (content === undefined || path === DEPLOY_STATE) continue;
          mkdirSync(dirname(join(dir, prefix + path)), { recursive: true });
          writeFileSync(join(dir, prefix + path), content);
        }
      }
      return dir;
    };
    return compareFacts(await treeFacts(lay("before")), await treeFacts(lay("after")));
  } catch {
    // A file on the server that does not parse: the file list still says what changes.
    return [];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function request(url: string, timeoutMs: number, method: "GET" | "POST" = "GET"): Promise<{ ok: boolean; status: number; text: string }> {
  try {
    const r = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) });
    return { ok: r.ok, status: r.status, text: await r.text() };
  } catch (err) {
    return { ok: false, status: 0, text: (err as Error).message };
  }
}

/** The rule groups the deployed files hold, as `file-name group-name`. */
function expectedGroups(p: Plan): string[] {
  const out: string[] = [];
  for (const [path, content] of p.wanted) {
    if (!path.startsWith("rules/")) continue;
    const doc = parseYaml(content) as { groups?: { name?: string }[] } | null;
    for (const g of doc?.groups ?? []) out.push(`${path} ${g.name}`);
  }
  return out.sort();
}

/** POST /-/reload, then check that the server runs what the directory now holds; the reason when it does not. */
async function reload(p: Plan, timeoutMs: number, verify: boolean): Promise<string | undefined> {
  const base = p.target.url.replace(/\/+$/, "");
  const since = Date.now();
  const r = await request(`${base}/-/reload`, timeoutMs, "POST");
  if (!r.ok) {
    const why = r.status === 0 ? `cannot reach ${base}: ${r.text}` : `${base}/-/reload answered ${r.status}: ${r.text.trim().split("\n")[0]}`;
    return r.status === 403 || r.status === 405 ? `${why} (start ${p.server} with --web.enable-lifecycle)` : why;
  }
  if (!verify) return undefined;
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    last = (await (p.server === "prometheus" ? prometheusRuns(base, p, timeoutMs, since) : alertmanagerRuns(base, p, timeoutMs, since))) ?? "";
    if (last === "" || Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  return last || undefined;
}

async function prometheusRuns(base: string, p: Plan, timeoutMs: number, since: number): Promise<string | undefined> {
  // Its own metrics, not a query: the deployed config need not scrape Prometheus itself.
  const m = await request(`${base}/metrics`, timeoutMs);
  const metric = (name: string) => metricValue(m.text, name);
  const value = m.ok ? metric("prometheus_config_last_reload_successful") : undefined;
  if (value !== "1") return `Prometheus at ${base} reports prometheus_config_last_reload_successful ${value ?? "(unknown)"}: it did not load the new config`;
  const at = Number(metric("prometheus_config_last_reload_success_timestamp_seconds"));
  if (!(at * 1000 >= since - 1000)) return `Prometheus at ${base} last loaded its config at ${new Date(at * 1000).toISOString()}, before this reload`;
  const managed = new Set([...p.wanted.keys(), ...p.files.filter((f) => f.change === "removed").map((f) => f.path)].map((path) => join(p.root, path)));
  const rules = await request(`${base}/api/v1/rules`, timeoutMs);
  if (!rules.ok) return `${base}/api/v1/rules answered ${rules.status}`;
  const groups = ((JSON.parse(rules.text) as { data?: { groups?: { name: string; file: string }[] } }).data?.groups ?? [])
    // Groups of the files Vigil manages there (deployed now or removed now); other rule files are the user's.
    .filter((g) => managed.has(resolve(p.root, g.file)))
    .map((g) => `${relative(p.root, resolve(p.root, g.file)).split(sep).join("/")} ${g.name}`)
    .sort();
  const want = expectedGroups(p);
  if (JSON.stringify(groups) !== JSON.stringify(want)) {
    const missing = want.filter((g) => !groups.includes(g));
    const extra = groups.filter((g) => !want.includes(g));
    return `Prometheus at ${base} does not run the deployed rule groups${missing.length ? `; missing: ${missing.slice(0, 5).join(", ")}` : ""}${extra.length ? `; still running: ${extra.slice(0, 5).join(", ")}` : ""}`;
  }
  return undefined;
}

/** The number Alertmanager's `alertmanager_config_hash` shows for a config file: the first 48 bits of its MD5, little-endian (config/coordinator.go). */
export function alertmanagerConfigHash(text: string): number {
  const sum = createHash("md5").update(text, "utf8").digest();
  let n = 0;
  for (let i = 5; i >= 0; i--) n = n * 256 + sum[i]!;
  return n;
}

/** A sample of a server's own /metrics, by name (no labels). */
function metricValue(text: string, name: string): string | undefined {
  return new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1];
}

async function alertmanagerRuns(base: string, p: Plan, timeoutMs: number, since: number): Promise<string | undefined> {
  // /api/v2/status shows the config re-serialised (secrets hidden); the hash is of the file's bytes.
  const m = await request(`${base}/metrics`, timeoutMs);
  if (!m.ok) return `${base}/metrics answered ${m.status || m.text}`;
  if (metricValue(m.text, "alertmanager_config_last_reload_successful") !== "1") return `Alertmanager at ${base} reports alertmanager_config_last_reload_successful ${metricValue(m.text, "alertmanager_config_last_reload_successful") ?? "(unknown)"}: it did not load the new config`;
  const at = Number(metricValue(m.text, "alertmanager_config_last_reload_success_timestamp_seconds"));
  if (!(at * 1000 >= since - 1000)) return `Alertmanager at ${base} last loaded its config at ${new Date(at * 1000).toISOString()}, before this reload`;
  const hash = Number(metricValue(m.text, "alertmanager_config_hash"));
  return hash === alertmanagerConfigHash(p.wanted.get("alertmanager.yml") ?? "") ? undefined : `Alertmanager at ${base} runs another alertmanager.yml than the deployed one (alertmanager_config_hash differs)`;
}

/**
 * Deploys `files` (a clean compile's output: the caller refuses specs with errors) to the
 * servers given. Never throws for a server or file system problem: it is a diagnostic, and
 * after a failed write or reload the previous files are back.
 */
export async function deploy(files: readonly OutputFile[], options: DeployOptions): Promise<DeployResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const plans = (["prometheus", "alertmanager"] as const).flatMap((s) => (options[s] ? [plan(s, options[s]!, files)] : []));
  const changed = plans.flatMap((p) => p.files);
  const result: DeployResult = { files: changed, changes: await semanticChanges(plans), applied: false, reloaded: [], restored: false, diagnostics: [] };
  if (!options.apply) return result;
  const touched = plans.filter((p) => p.files.length > 0 || p.before.get(DEPLOY_STATE) !== stateText(p.wanted.keys()));
  const written: Plan[] = [];
  try {
    for (const p of touched) {
      written.push(p);
      applyPlan(p);
    }
  } catch (err) {
    result.diagnostics.push(makeDiagnostic("VIG5011", `cannot write ${written[written.length - 1]!.target.dir}: ${(err as Error).message}`, undefined, { hint: "nothing was reloaded; the previous files are back" }));
    for (const p of written) restorePlan(p);
    result.restored = true;
    return result;
  }
  result.applied = true;
  // Every server is reloaded, changed or not: a deploy also brings a server back to what its directory says.
  for (const p of plans) {
    const problem = await reload(p, timeoutMs, true);
    if (problem === undefined) {
      result.reloaded.push(p.server);
      continue;
    }
    for (const q of written) restorePlan(q);
    result.restored = true;
    const again = await Promise.all(written.map(async (q) => ({ q, problem: await reload(q, timeoutMs, false) })));
    const notBack = again.filter((a) => a.problem !== undefined).map((a) => `${a.q.server}: ${a.problem}`);
    result.reloaded = [];
    result.diagnostics.push(
      makeDiagnostic("VIG5010", `deploy to ${p.server} failed: ${problem}`, undefined, {
        hint: notBack.length ? `the previous files are back, but reloading them failed too (${notBack.join("; ")})` : "the previous files are back and the servers reloaded them",
      }),
    );
    return result;
  }
  return result;
}
