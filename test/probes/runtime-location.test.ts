/**
 * `--location NAME` (probes.locations), against a real HTTP server on 127.0.0.1:
 * - the runtime runs only the probes that list its location (a probe without a list runs in every one);
 * - every series it exports carries `location="NAME"`, counters and journey steps included;
 * - each request carries `x-vigil-location: NAME` unless the check sets that header itself;
 * - a located probes.json needs --location to run (not to --check), an unknown or malformed name
 *   is a usage error (exit 2), an unlocated one takes none; a probe listing an undeclared
 *   location is a config error.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbesConfig } from "../../src/probes/config.js";
import { runCli } from "../../src/probes/runtime/cli.js";
import { ProbeMetrics } from "../../src/probes/runtime/metrics.js";
import { runOnce } from "../../src/probes/runtime/probes.js";
import { validateConfig } from "../../src/probes/runtime/validate.js";
import { check, cliIo, close, config, journey, listen, request, status, step, text } from "./fixtures/probes.js";

let dir = "";
let server: http.Server;
let base = "";
/** The x-vigil-location header of each request, by path. */
const seen: { path: string; location: string | undefined }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vigil-location-"));
  server = http.createServer((req, res) => {
    const location = req.headers["x-vigil-location"];
    seen.push({ path: req.url ?? "", location: typeof location === "string" ? location : undefined });
    // Fails the requests from location b only.
    res.writeHead(location === "b" ? 503 : 200).end("x");
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});

const io = cliIo;

const located = (): ProbesConfig => ({
  ...config(
    [
      check("home", request(`${base}/home`), { locations: ["a", "b"] }),
      check("api", request(`${base}/api`)),
      check("own", request(`${base}/own`, { headers: { "x-vigil-location": text("set-by-check") } }), { locations: ["c"] }),
    ],
    [journey("login", [step("form", request(`${base}/login`), { assertions: [status(200)] })], { locations: ["b"] })],
  ),
  locations: ["a", "b", "c"],
});

describe("--location", () => {
  it("runs the location's probes, labels every series with it and sends it as x-vigil-location", async () => {
    const path = join(dir, "located.json");
    writeFileSync(path, JSON.stringify(located()));
    seen.length = 0;
    const b = io();
    // home and login fail from b (the server refuses b's requests): exit 1.
    expect(await runCli(["--config", path, "--location", "b", "--once"], "unused.json", b)).toBe(1);
    expect(b.out.filter((l) => l.includes('"success"')).map((l) => JSON.parse(l) as { check?: string; journey?: string; success: boolean }).map((r) => `${r.check ?? r.journey}:${r.success}`).sort()).toEqual([
      "api:false",
      "home:false",
      "login:false",
    ]);
    expect(seen.map((s) => `${s.path} ${s.location}`).sort()).toEqual(["/api b", "/home b", "/login b"]);

    seen.length = 0;
    const c = io();
    expect(await runCli(["--config", path, "--location=c", "--once"], "unused.json", c)).toBe(0);
    // A check's own x-vigil-location wins.
    expect(seen.map((s) => `${s.path} ${s.location}`).sort()).toEqual(["/api c", "/own set-by-check"]);
  });

  it("every exported series carries location (metrics of the probes of location b)", async () => {
    const cfg = located();
    const here = { ...cfg, checks: cfg.checks.filter((p) => p.locations?.includes("b") ?? true), journeys: cfg.journeys };
    const metrics = new ProbeMetrics(here, "b");
    await runOnce(here, { metrics, location: "b", log: () => {} });
    const samples = (await metrics.metrics()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((l) => !l.includes('location="b"'))).toEqual([]);
    for (const name of ["probe_success", "vigil_probe_consecutive_failures", "vigil_probe_runs_total", "vigil_probe_failures_total", "vigil_journey_step_success"]) {
      expect(samples.some((l) => l.startsWith(`${name}{`)), name).toBe(true);
    }
    // Without a location, no series has the label (unlocated configs export what they did).
    const plain = new ProbeMetrics(config([check("api", request(`${base}/api`))]));
    await runOnce(config([check("api", request(`${base}/api`))]), { metrics: plain, log: () => {} });
    expect(await plain.metrics()).not.toContain("location=");
  });

  it("a located config needs a known --location to run; --check does not; an unlocated one takes none", async () => {
    const path = join(dir, "located.json");
    writeFileSync(path, JSON.stringify(located()));
    const missing = io();
    expect(await runCli(["--config", path, "--once"], "unused.json", missing)).toBe(2);
    expect(missing.err).toContain("runs in locations a, b, c: pass --location NAME");
    const unknown = io();
    expect(await runCli(["--config", path, "--location", "d", "--once"], "unused.json", unknown)).toBe(2);
    expect(unknown.err).toContain("--location d: not one of the locations of this probes.json (a, b, c)");
    const malformed = io();
    expect(await runCli(["--config", path, "--location", "EU West", "--once"], "unused.json", malformed)).toBe(2);
    expect(malformed.err).toContain("--location: expected a location name");
    const checked = io();
    expect(await runCli(["--config", path, "--check"], "unused.json", checked)).toBe(0);
    expect(checked.err).toContain("ok, 3 checks and 1 journeys in locations a, b, c");
    const checkedHere = io();
    expect(await runCli(["--config", path, "--check", "--location", "a"], "unused.json", checkedHere)).toBe(0);
    expect(checkedHere.err).toContain("ok, 2 checks and 0 journeys in location a");

    const plainPath = join(dir, "plain.json");
    writeFileSync(plainPath, JSON.stringify(config([check("api", request(`${base}/api`))])));
    const plain = io();
    expect(await runCli(["--config", plainPath, "--location", "a", "--once"], "unused.json", plain)).toBe(2);
    expect(plain.err).toContain("declares no locations");
  });

  it("a probe listing an undeclared location, or a config without locations, is a config error", () => {
    const cfg = located();
    expect(() => validateConfig({ ...cfg, checks: [{ ...cfg.checks[0]!, locations: ["a", "z"] }] })).toThrow(/checks\[0\]\.locations\[1\]: expected one of the locations a, b, c, got "z"/);
    expect(() => validateConfig({ ...cfg, checks: [{ ...cfg.checks[0]!, locations: ["a", "a"] }] })).toThrow(/location "a" is listed twice/);
    const { locations: _, ...unlocated } = cfg;
    expect(() => validateConfig(unlocated)).toThrow(/checks\[0\]\.locations: the config declares no locations/);
    expect(() => validateConfig({ ...cfg, locations: [] })).toThrow(/locations: expected at least one location/);
  });
});
