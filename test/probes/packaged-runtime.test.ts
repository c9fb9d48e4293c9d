/**
 * The probe runtime ships in the package and runs from there: `vigil probes run` (the built CLI,
 * importing dist/probes/vigil-probes.mjs) runs a compiled probes.json — `--check`, `--once`, and
 * as a daemon Prometheus scrapes, stopped by SIGTERM. Writing the runtime into the output is
 * opt-in (`probes: { bundle: true }`): without it the output holds probes.json alone, so a new
 * Vigil release does not rewrite a repository's committed output; with it, the copy is the
 * packaged file byte for byte and runs from a directory holding nothing else.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { writeOutput } from "../../src/write/writer.js";
import { REPO, runCli } from "../helpers.js";
import { close, getText, listen, sample } from "./fixtures/probes.js";

const PACKAGED = join(REPO, "dist/probes/vigil-probes.mjs");
let work = "";
let server: http.Server;
let base = "";
const children = new Set<ChildProcess>();

beforeAll(async () => {
  expect(existsSync(PACKAGED), "run npm run build").toBe(true);
  work = mkdtempSync(join(tmpdir(), "vigil-packaged-runtime-"));
  server = http.createServer((req, res) => {
    res.writeHead(req.url === "/down" ? 503 : 200, { "content-type": "text/plain" }).end("ok");
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await close(server);
  if (work) rmSync(work, { recursive: true, force: true });
});

function spec(name: string, over: Partial<MonitoringSpec> = {}): MonitoringSpec {
  return {
    service: { name, team: "web" },
    teams: [{ name: "web", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/web" }] }],
    checks: [{ name: `${name}-up`, interval: "1s", jitter: 0, request: { url: `${base}/`, timeout: "500ms" } }],
    ...over,
  };
}

let n = 0;
async function compileSpecs(...specs: MonitoringSpec[]) {
  const files = specs.map((s) => {
    const file = join(work, `spec-${n++}.json`);
    writeFileSync(file, JSON.stringify(s));
    return file;
  });
  return compile(files, { typecheck: false });
}

/**
 * Runs node asynchronously: the target server lives in this process, so a synchronous spawn
 * would leave every probe of it unanswered.
 */
function node(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, args, { cwd, timeout: 30_000, env: { ...process.env, NO_COLOR: "1" } }, (err, stdout, stderr) => {
      children.delete(child);
      done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
    children.add(child);
  });
}

const errors = (r: Awaited<ReturnType<typeof compile>>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);

describe("the runtime in the output is opt-in", () => {
  it("by default the output holds probes.json and not the runtime, and its manifest says so", async () => {
    const r = await compileSpecs(spec("shop"));
    expect(errors(r)).toEqual([]);
    const paths = r.files.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith("probes/"))).toEqual(["probes/probes.json"]);
    const manifest = JSON.parse(r.files.find((f) => f.path === "manifest.json")!.content) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).not.toContain("probes/vigil-probes.mjs");
  });

  it("probes: { bundle: true } writes the packaged runtime beside probes.json, byte for byte, and it runs alone", async () => {
    const r = await compileSpecs(spec("shop", { probes: { bundle: true } }));
    expect(errors(r)).toEqual([]);
    const bundle = r.files.find((f) => f.path === "probes/vigil-probes.mjs");
    expect(bundle?.content === readFileSync(PACKAGED, "utf8")).toBe(true);
    const out = join(work, "bundled-out");
    expect(writeOutput(out, r.files)).toEqual([]);
    // The probes directory deployed on its own: no Vigil, no node_modules.
    const deployed = mkdtempSync(join(work, "deployed-"));
    cpSync(join(out, "probes"), deployed, { recursive: true });
    const once = await node([join(deployed, "vigil-probes.mjs"), "--once"], tmpdir());
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toContain("ran 1 probes once: 0 failed");
  });

  it("a spec without checks writes neither, bundle or not", async () => {
    const r = await compileSpecs(spec("quiet", { checks: [], probes: { bundle: true } }));
    expect(errors(r)).toEqual([]);
    expect(r.files.map((f) => f.path).filter((p) => p.startsWith("probes/"))).toEqual([]);
  });

  it("is one setting for all specs compiled together: set in one, it holds for all; set differently, VIG2022", async () => {
    const one = await compileSpecs(spec("a", { probes: { bundle: true } }), spec("b"));
    expect(errors(one)).toEqual([]);
    expect(one.files.map((f) => f.path)).toContain("probes/vigil-probes.mjs");
    const clash = await compileSpecs(spec("a", { probes: { bundle: true } }), spec("b", { probes: { bundle: false } }));
    expect(errors(clash)).toEqual(["VIG2022: probes.bundle differs from the one another spec sets"]);
  });

  it("takes a boolean only", async () => {
    const r = await compileSpecs({ ...spec("shop"), probes: { bundle: "yes" as unknown as boolean } });
    expect(errors(r)).toEqual(["VIG1006: probes.bundle must be a boolean"]);
  });
});

describe("vigil probes run: the packaged runtime", () => {
  let out = "";
  beforeAll(async () => {
    const r = await compileSpecs(spec("shop"), spec("down", { checks: [{ name: "down-page", interval: "1s", jitter: 0, request: { url: `${base}/down`, timeout: "500ms" } }] }));
    expect(errors(r)).toEqual([]);
    out = join(work, "out");
    expect(writeOutput(out, r.files)).toEqual([]);
  });

  it("--check validates DIR/probes/probes.json or a probes.json given by path", () => {
    for (const target of [out, join(out, "probes/probes.json")]) {
      const r = runCli(["probes", "run", target, "--check"], work);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(`${join(out, "probes/probes.json")}: ok, 2 checks and 0 journeys\n`);
    }
    // Relative to the working directory, default DIR out.
    const r = runCli(["probes", "run", "--check"], work);
    expect(r.status, r.stderr).toBe(0);
  });

  it("--once runs every check once and fails when one failed", async () => {
    const r = await node([join(REPO, "bin/vigil.mjs"), "probes", "run", out, "--once"], work);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { check?: string; success?: boolean; message?: string });
    expect(lines.filter((l) => l.check).map((l) => [l.check, l.success]).sort()).toEqual([
      ["down-page", false],
      ["shop-up", true],
    ]);
    expect(lines.at(-1)?.message).toBe("ran 2 probes once: 1 failed");
  });

  it("serves /metrics for Prometheus and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [join(REPO, "bin/vigil.mjs"), "probes", "run", out, "--listen", "127.0.0.1:0"], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    try {
      let stdout = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (d: string) => (stdout += d));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      const deadline = Date.now() + 15_000;
      let port = 0;
      while (!port && Date.now() < deadline) {
        const m = /"port":(\d+)/.exec(stdout);
        if (m) port = Number(m[1]);
        else await new Promise((r) => setTimeout(r, 25));
      }
      expect(port).toBeGreaterThan(0);
      let text = "";
      while (Date.now() < deadline) {
        text = (await getText(`http://127.0.0.1:${port}/metrics`)).body;
        if (sample(text, "probe_success", { check: "down-page" }) !== undefined && sample(text, "probe_success", { check: "shop-up" }) !== undefined) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(sample(text, "probe_success", { check: "shop-up", service: "shop", team: "web" })).toBe(1);
      expect(sample(text, "probe_success", { check: "down-page", service: "down" })).toBe(0);
      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5000))]);
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      children.delete(child);
    }
  });

  it("says what is missing, and refuses what it does not take", () => {
    const empty = mkdtempSync(join(work, "empty-"));
    const missing = runCli(["probes", "run", empty], work);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`vigil: ${join(empty, "probes/probes.json")} not found: run vigil compile --out ${empty} first (a spec with checks or journeys writes it)\n`);
    const bogus = runCli(["probes", "run", out, "--bogus"], work);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^vigil: unexpected argument "--bogus"\nusage: vigil probes run /);
    expect(runCli(["probes", "start"], work).status).toBe(2);
    const help = runCli(["probes", "--help"], work);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(PACKAGED);
  });
});

describe("the bundle file", () => {
  it("runs when node starts it (also through a symlink), and only exports probesMain when imported", () => {
    const link = join(work, "linked-probes.mjs");
    symlinkSync(PACKAGED, link);
    for (const file of [PACKAGED, link]) {
      const r = spawnSync(process.execPath, [file, "--help"], { encoding: "utf8", timeout: 30_000 });
      expect(r.status, file).toBe(0);
      expect(r.stderr, file).toMatch(/^usage: vigil-probes\.mjs /);
    }
    // Imported (as `vigil probes run` does), it starts nothing: no output, the process ends.
    const imported = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import(${JSON.stringify(pathToFileURL(PACKAGED).href)}); console.log(Object.keys(m).join(","), typeof m.probesMain);`],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toBe("probesMain function\n");
    expect(imported.stderr).toBe("");
  });
});
