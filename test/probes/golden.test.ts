/**
 * The goldens' probes, checked by their real consumer: the probe runtime this package ships,
 * through `vigil probes run DIR --check` (the runtime's own validation), which names the
 * environment variables the checks and journeys read — never their values. The goldens hold
 * probes.json only: the runtime is not copied into them (the examples do not opt in with
 * `probes: { bundle: true }`), so a new Vigil release leaves them as they are.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers.js";

const EXPECTED_ENV: Record<string, string[]> = { halcytone: [], "novel-engine": ["SYNTHETIC_API_TOKEN", "SYNTHETIC_USER_PASSWORD"] };
const tmp = mkdtempSync(join(tmpdir(), "vigil-probes-golden-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(Object.keys(EXPECTED_ENV))("golden %s: probes", (name) => {
  const out = join(REPO, "golden", name);
  const dir = join(out, "probes");

  it("the packaged runtime accepts its probes.json and names the variables it reads", () => {
    const r = runCli(["probes", "run", out, "--check"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${join(dir, "probes.json")}: ok, `);
    const env = EXPECTED_ENV[name]!;
    expect(r.stderr).toContain(env.length ? `; reads ${env.join(", ")} from the environment` : " journeys\n");
  });

  it("holds probes.json and no copy of the runtime", () => {
    expect(existsSync(join(dir, "probes.json"))).toBe(true);
    expect(existsSync(join(dir, "vigil-probes.mjs"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).filter((f) => f.startsWith("probes/"))).toEqual(["probes/probes.json"]);
  });

  it("refuses a config it could not run, in one line, exit 2", () => {
    const config = JSON.parse(readFileSync(join(dir, "probes.json"), "utf8")) as { checks: { request: { timeoutMs: unknown } }[] };
    config.checks[0]!.request.timeoutMs = "10s";
    const bad = join(tmp, `${name}.json`);
    writeFileSync(bad, JSON.stringify(config));
    const r = runCli(["probes", "run", bad, "--check"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/timeoutMs/);
  });
});
