/**
 * The goldens' probe bundles, checked by their real consumer: each golden bundle reads its
 * golden probes.json with `--check` (the runtime's own validation), and names the environment
 * variables the checks and journeys read — never their values.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers.js";

const EXPECTED_ENV: Record<string, string[]> = { halcytone: [], "novel-engine": ["SYNTHETIC_API_TOKEN", "SYNTHETIC_USER_PASSWORD"] };
const tmp = mkdtempSync(join(tmpdir(), "vigil-probes-golden-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const check = (bundle: string, config: string) => spawnSync(process.execPath, [bundle, "--config", config, "--check"], { encoding: "utf8", timeout: 30_000 });

describe.each(Object.keys(EXPECTED_ENV))("golden %s: probes", (name) => {
  const dir = join(REPO, "golden", name, "probes");

  it("the bundle accepts its probes.json and names the variables it reads", () => {
    const r = check(join(dir, "vigil-probes.mjs"), join(dir, "probes.json"));
    expect(r.status, r.stderr).toBe(0);
    const env = EXPECTED_ENV[name]!;
    expect(r.stderr).toContain(env.length ? `; reads ${env.join(", ")} from the environment` : " journeys\n");
  });

  it("is the bundle this build makes", () => {
    const built = join(REPO, "dist/probes/vigil-probes.mjs");
    expect(existsSync(built), "run npm run build").toBe(true);
    expect(readFileSync(join(dir, "vigil-probes.mjs"), "utf8") === readFileSync(built, "utf8")).toBe(true);
  });

  it("refuses a config it could not run, in one line, exit 2", () => {
    const config = JSON.parse(readFileSync(join(dir, "probes.json"), "utf8")) as { checks: { request: { timeoutMs: unknown } }[] };
    config.checks[0]!.request.timeoutMs = "10s";
    const bad = join(tmp, `${name}.json`);
    writeFileSync(bad, JSON.stringify(config));
    const r = check(join(dir, "vigil-probes.mjs"), bad);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/timeoutMs/);
  });
});
