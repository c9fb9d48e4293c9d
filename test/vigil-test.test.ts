/**
 * `vigil test [DIR]`: every check of a compiled tree with the real promtool, amtool and probe
 * runtime, through the real CLI: a passing tree, a tree with one broken rule test, broken
 * routing and probes files, and a PATH without promtool.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cliEnv, REPO, runCli, runCliAsync } from "./helpers.js";

const RULES = "prometheus/rules/hello.slo-availability.rules.yml";
const TESTS = "prometheus/tests/hello.slo-availability.test.yml";
/** The minimal example as YAML, with one HTTP check so there is a probes.json to check. */
const SPEC = `${readFileSync(join(REPO, "test/fixtures/formats/monitoring.yaml"), "utf8")}checks:
  - name: health
    request: { url: "https://hello.example.com/health" }
`;
const BURSTS = "prometheus/tests/hello.slo-availability.bursts.test.yml";
const CHECKS = [
  "promtool check rules prometheus/rules/hello.rules.yml",
  `promtool check rules ${RULES}`,
  `promtool test rules ${BURSTS}`,
  `promtool test rules ${TESTS}`,
  "promtool test rules prometheus/tests/hello.test.yml",
  "promtool check config prometheus/prometheus.yml",
  "amtool check-config alertmanager/alertmanager.yml",
  "routing cases alertmanager/routing-tests.yml (amtool config routes test)",
  "probes --check probes/probes.json",
];
const ROW = (check: string, result: "pass" | "FAIL") => new RegExp(`^${check.replace(/[.()]/g, "\\$&")} +${result} +\\d+\\.\\d\\d s$`, "m");

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vigil-test-"));
  writeFileSync(join(work, "monitoring.yaml"), SPEC);
  const r = runCli(["compile", "--out", "out", "--quiet"], work);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the compiled tree, edited by `edit`. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(work, name);
  cpSync(join(work, "out"), dir, { recursive: true });
  edit(dir);
  return dir;
}

function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

describe.concurrent("vigil test", () => {
  test("on a compiled tree (DIR defaults to out): every check passes, one row each, exit 0", async ({ expect }) => {
    const r = await runCliAsync(["test"], { cwd: work });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^check +result {2}time$/);
    expect(lines).toHaveLength(CHECKS.length + 2);
    for (const check of CHECKS) expect(r.stdout).toMatch(ROW(check, "pass"));
    expect(lines.at(-1)).toMatch(/^vigil: all 9 checks of out passed in \d+\.\d+ s$/);
  });

  test("with one broken rule test: that check fails with promtool's words, the others pass, exit 1", async ({ expect }) => {
    const dir = variant("broken-test", (d) => replaceIn(join(d, TESTS), "            value: 1\n", "            value: 2\n"));
    const r = await runCliAsync(["test", dir], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^FAIL promtool test rules ${TESTS}\n`));
    expect(r.stderr).toContain("FAILED:");
    expect(r.stderr).toMatch(/exp: .* 2E\+00/);
    expect(r.stdout).toMatch(ROW(`promtool test rules ${TESTS}`, "FAIL"));
    for (const check of CHECKS.filter((c) => c !== `promtool test rules ${TESTS}`)) expect(r.stdout).toMatch(ROW(check, "pass"));
    expect(r.stdout).toContain(`vigil: 1 of 9 checks of ${dir} failed (promtool test rules ${TESTS})`);
  });

  test("with a misrouted case, an invalid rule and a broken probes.json: each of those checks fails", async ({ expect }) => {
    const dir = variant("broken-more", (d) => {
      const cases = readFileSync(join(d, "alertmanager/routing-tests.yml"), "utf8");
      const receiver = /receivers:\n\s+- (\S+)/.exec(cases)?.[1];
      if (!receiver) throw new Error("no receiver in routing-tests.yml");
      writeFileSync(join(d, "alertmanager/routing-tests.yml"), cases.replace(`- ${receiver}`, "- nobody"));
      replaceIn(join(d, RULES), "expr: vector(0.999)", "expr: vector(0.999"); // unclosed paren
      writeFileSync(join(d, "probes/probes.json"), "{ not json");
    });
    const r = await runCliAsync(["test", "broken-more"], { cwd: work });
    expect(r.status).toBe(1);
    const failing = [`promtool check rules ${RULES}`, "promtool check config prometheus/prometheus.yml", "routing cases alertmanager/routing-tests.yml (amtool config routes test)", "probes --check probes/probes.json"];
    for (const check of failing) expect(r.stdout).toMatch(ROW(check, "FAIL"));
    expect(r.stdout).toMatch(ROW("amtool check-config alertmanager/alertmanager.yml", "pass"));
    expect(r.stderr).toContain("FAIL routing cases");
    expect(r.stderr).toMatch(/expected: nobody\n/);
    expect(r.stderr).toContain("invalid JSON");
  });

  test("with promtool not on PATH: one line naming it and its Debian package, exit 2, nothing run", async ({ expect }) => {
    const bin = join(work, "only-amtool");
    mkdirSync(bin);
    symlinkSync("/usr/bin/amtool", join(bin, "amtool"));
    const r = await runCliAsync(["test", "out"], { cwd: work, env: cliEnv({ NO_COLOR: "1", PATH: bin }) });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("vigil: promtool not found on PATH: install Debian's prometheus package (apt-get install -y prometheus)\n");
  });

  test("with neither tool on PATH: both named with both packages", async ({ expect }) => {
    const r = await runCliAsync(["test", "out"], { cwd: work, env: cliEnv({ NO_COLOR: "1", PATH: join(work, "empty") }) });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "vigil: promtool and amtool not found on PATH: install Debian's prometheus and prometheus-alertmanager packages (apt-get install -y prometheus prometheus-alertmanager)\n",
    );
  });

  test("on a directory that was never compiled: exit 1 with what to do", async ({ expect }) => {
    const r = await runCliAsync(["test", "never"], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("vigil: never is not a directory: run vigil compile --out never first\n");
  });

  test("on a directory without vigil output: exit 1", async ({ expect }) => {
    mkdirSync(join(work, "empty-dir"));
    const r = await runCliAsync(["test", "empty-dir"], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("is it a vigil output directory?");
  });

  test("two directories are a usage error (exit 2)", async ({ expect }) => {
    const r = await runCliAsync(["test", "a", "b"], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vigil: usage: vigil test \[DIR\]/);
  });
});
