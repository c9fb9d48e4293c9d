/**
 * `vigil check` from the compile cache (src/cache): a hit only when nothing the result depends
 * on changed — an edited imported module, a type-only import the type check reads, other options
 * are misses — a broken entry is ignored, and drift in the output directory is still found (and
 * reported exactly as without a cache). The CLI runs in-process (`main`), one project per test.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { main } from "../src/cli/main.js";

const root = mkdtempSync(join(tmpdir(), "vigil-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SPEC = `import { counter, defineMonitoring, env, matches } from "vigil-monitoring";
import { objective } from "./objectives";
import type { Owner } from "./owner";

const owner: Owner = { team: "platform" };
const requests = counter("http_requests_total", { help: "Requests, by status", labels: ["code"] });

export default defineMonitoring({
  service: { name: "hello", team: owner.team, runbookBaseUrl: "https://runbooks.example.com/hello" },
  teams: [{ name: "platform", receivers: [{ name: "slack", kind: "slack", channel: "#alerts", webhook: env("SLACK_WEBHOOK_URL") }] }],
  alertmanager: { catchAll: { team: "platform", receiver: "slack" } },
  signals: [requests],
  slos: [{ name: "availability", objective, sli: { kind: "ratio", bad: requests.select({ code: matches("5..") }), total: requests.select() } }],
});
`;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

let projects = 0;
/** A project: the spec, the module it imports for a value, the one it imports for a type only. */
function project(): { dir: string; run: (...args: string[]) => Promise<Run> } {
  const dir = join(root, `p${projects++}`);
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, {
    "monitoring.ts": SPEC,
    "objectives.ts": "export const objective = 99.9;\n",
    "owner.ts": "export interface Owner { team: string }\n",
  });
  const run = async (...args: string[]): Promise<Run> => {
    let stdout = "";
    let stderr = "";
    // Paths absolute: the in-process CLI resolves them against the process's directory.
    const argv = args.map((a) => (a === "monitoring.ts" || a === "out" || a === "cache" ? join(dir, a) : a));
    const status = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, color: false });
    return { status, stdout, stderr };
  };
  return { dir, run };
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const FROM_CACHE = /up to date with 1 spec \(\d+ files compared in [\d.]+ s, compile from cache\)\n$/;
const COMPILED = /up to date with 1 spec \(\d+ files compared in [\d.]+ s\)\n$/;

function cacheEntries(dir: string): string[] {
  const cache = join(dir, "node_modules", ".cache", "vigil");
  return readdirSync(cache).map((f) => join(cache, f));
}

describe.sequential("vigil check from the compile cache", () => {
  test("an unchanged tree is checked from the cache; an edit to an imported module (not the spec) is a miss that compiles anew", async () => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck")).status).toBe(0);
    const hit = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck");
    expect(hit.status).toBe(0);
    expect(hit.stdout).toMatch(FROM_CACHE);

    // The imported module changes the SLO: the cached result would say "up to date".
    writeFileSync(join(dir, "objectives.ts"), "export const objective = 99.5;\n");
    const edited = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck", "--format", "json");
    expect(edited.status).toBe(1);
    const drift = JSON.parse(edited.stdout) as { code: string; message: string }[];
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((d) => d.code === "VIG5002")).toBe(true);
    expect(drift.map((d) => d.message)).toContain("prometheus/rules/hello.slo-availability.rules.yml differs from what the spec compiles to");

    // Compiled again, the new result is cached in turn.
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck")).stdout).toMatch(FROM_CACHE);
  });

  test("a file only the type check reads (a type-only import) is part of the key", async () => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--quiet")).status).toBe(0);
    expect((await run("check", "monitoring.ts", "--out", "out")).stdout).toMatch(FROM_CACHE);
    // esbuild drops a type-only import: the bundle is the same, the type check is not.
    writeFileSync(join(dir, "owner.ts"), "export interface Owner { team: number }\n");
    const r = await run("check", "monitoring.ts", "--out", "out");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/monitoring\.ts:\d+:\d+ - error VIG1005: TS2322/);
  });

  test("other options are a miss: the type check on or off, another spec timeout, --no-cache", async () => {
    const { run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    const withTypecheck = await run("check", "monitoring.ts", "--out", "out");
    expect(withTypecheck.status).toBe(0);
    expect(withTypecheck.stdout).toMatch(COMPILED);
    expect((await run("check", "monitoring.ts", "--out", "out")).stdout).toMatch(FROM_CACHE);
    expect((await run("check", "monitoring.ts", "--out", "out", "--spec-timeout", "20s")).stdout).toMatch(COMPILED);
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-cache")).stdout).toMatch(COMPILED);
    // Each set of options has its entry: the first is still there.
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck")).stdout).toMatch(FROM_CACHE);
  });

  /** The entry's text, edited, stored under its own checksum again (a hand edit that "repairs" it), or as it is. */
  const reseal = (stored: string, edit: (entry: Record<string, unknown>) => void, repair: boolean) => {
    const outer = JSON.parse(stored) as { sha256: string; entry: string };
    const entry = JSON.parse(outer.entry) as Record<string, unknown>;
    edit(entry);
    const text = JSON.stringify(entry);
    return JSON.stringify({ sha256: repair ? createHash("sha256").update(text).digest("hex") : outer.sha256, entry: text });
  };

  test.for([
    ["not JSON", () => "{ truncated"],
    ["cut short", (text: string) => text.slice(0, text.length >> 1)],
    ["a flipped digit in a file's hash", (text: string) => reseal(text, (e) => ((e.files as Record<string, string>)["manifest.json"] = "0".repeat(64)), false)],
    ["another format", (text: string) => reseal(text, (e) => (e.format = 0), true)],
    ["a malformed file list", (text: string) => reseal(text, (e) => (e.files = { "manifest.json": 42 }), true)],
    ["another key", (text: string) => reseal(text, (e) => (e.key = "0".repeat(64)), true)],
  ] as const)("a corrupted entry (%s) is ignored: compiled anew, and replaced", async ([, corrupt]) => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    const [entry] = cacheEntries(dir);
    writeFileSync(entry!, corrupt(readFileSync(entry!, "utf8")));
    const r = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(COMPILED);
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck")).stdout).toMatch(FROM_CACHE);
  });

  test("an entry edited to vouch for a drifted output (its checksum not renewed) cannot hide the drift", async () => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    const rules = join(dir, "out", "prometheus", "rules", "hello.rules.yml");
    writeFileSync(rules, readFileSync(rules, "utf8") + "# edited\n");
    const [entry] = cacheEntries(dir);
    const digest = createHash("sha256").update(readFileSync(rules)).digest("hex");
    writeFileSync(entry!, reseal(readFileSync(entry!, "utf8"), (e) => ((e.files as Record<string, string>)["prometheus/rules/hello.rules.yml"] = digest), false));
    const r = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck", "--format", "json");
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { message: string }[]).map((d) => d.message)).toEqual(["prometheus/rules/hello.rules.yml differs from what the spec compiles to"]);
  });

  test("drift in the output directory is found on a cache hit, reported as without the cache", async () => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    const out = join(dir, "out");
    writeFileSync(join(out, "prometheus", "rules", "hello.rules.yml"), "groups: []\n");
    unlinkSync(join(out, "alertmanager", "alertmanager.yml"));
    writeFileSync(join(out, "stale.txt"), "left over\n");
    const cached = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck", "--format", "json");
    const uncached = await run("check", "monitoring.ts", "--out", "out", "--no-typecheck", "--format", "json", "--no-cache");
    expect(cached.status).toBe(1);
    expect(cached.stdout).toBe(uncached.stdout);
    const messages = (JSON.parse(cached.stdout) as { message: string }[]).map((d) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "prometheus/rules/hello.rules.yml differs from what the spec compiles to",
        `alertmanager/alertmanager.yml is missing from ${out}`,
        "stale.txt is not generated by the spec any more",
      ]),
    );
    // Put back, the tree is up to date again, from the cache.
    unlinkSync(join(out, "stale.txt"));
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet")).status).toBe(0);
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck")).stdout).toMatch(FROM_CACHE);
  });

  test("--cache-dir puts the cache where it says", async () => {
    const { dir, run } = project();
    expect((await run("compile", "monitoring.ts", "--out", "out", "--no-typecheck", "--quiet", "--cache-dir", "cache")).status).toBe(0);
    expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck", "--cache-dir", "cache")).stdout).toMatch(FROM_CACHE);
    // The default directory was never used, so checking there compiles.
    expect((await run("check", "monitoring.ts", "--out", "out", "--no-typecheck")).stdout).toMatch(COMPILED);
  });
});
