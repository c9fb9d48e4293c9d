/**
 * The real `vigil` binary: usage and exit codes (0 ok, 1 spec errors or drift, 2 usage),
 * `compile` writing the output and its manifest, and `check` failing on any drift.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cliEnv, REPO, runCli } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const MINIMAL = join(REPO, "examples/minimal/monitoring.ts");
const RULES = "prometheus/rules/hello.slo-availability.rules.yml";
const TESTS = "prometheus/tests/hello.slo-availability.test.yml";
/** Everything the minimal example compiles to, besides the manifest. */
const OUTPUTS = [
  "alertmanager/alertmanager.yml",
  "alertmanager/routing-tests.yml",
  "alertmanager/write-secrets.sh",
  "grafana/dashboards/vigil-hello-overview.json",
  "grafana/dashboards/vigil-hello-slos.json",
  "grafana/provisioning/dashboards/vigil.yml",
  "grafana/provisioning/datasources/vigil.yml",
  "prometheus/prometheus.yml",
  "prometheus/rules/hello.rules.yml",
  RULES,
  "prometheus/tests/hello.slo-availability.bursts.test.yml",
  TESTS,
];
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

type CliResult = ReturnType<typeof runCli>;

/** `runCli` without blocking, so independent cases run side by side (each start costs ~0.3 s). */
function runCliAsync(args: readonly string[], cwd: string): Promise<CliResult> {
  if (!existsSync(join(REPO, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, "bin/vigil.mjs"), ...args], { cwd, env: cliEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vigil-cli-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Relative POSIX paths of the files below `dir`, read with plain fs. */
function filesIn(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesIn(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`]))
    .sort();
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe.concurrent("usage", () => {
  test.for(["--help", "-h"])("%s prints the usage and exits 0", async (arg, { expect }) => {
    const r = await runCliAsync([arg], work);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vigil compile .*--out DIR/);
    expect(r.stdout).toMatch(/vigil check .*--out DIR/);
    expect(r.stderr).toBe("");
  });

  test("--version prints the version from package.json", async ({ expect }) => {
    const r = await runCliAsync(["--version"], work);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  test.for([
    ["an unknown command", ["deploy", "--out", "x"], /deploy/],
    ["compile without --out", ["compile", MINIMAL], /--out/],
    ["an unknown option", ["compile", MINIMAL, "--out", "x", "--frobnicate"], /frobnicate/],
  ] as const)("%s exits 2 with a short usage error and no stack trace", async ([, args, mentions], { expect }) => {
    const r = await runCliAsync(args, work);
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^vigil: /);
    expect(lines[0]).toMatch(mentions);
    expect(lines.length, r.stderr).toBeLessThanOrEqual(2); // the error, and at most a pointer to --help
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(join(work, "x"))).toBe(false); // no output directory
  });

  test("no command at all is a usage error too (exit 2)", async ({ expect }) => {
    const r = await runCliAsync([], work);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe("compile, then check", () => {
  let compiled: string;
  let compileRun: CliResult;

  beforeAll(() => {
    compiled = join(work, "compiled");
    // As a user would type it: relative spec path, with the type check.
    compileRun = runCli(["compile", "examples/minimal/monitoring.ts", "--out", compiled]);
  });

  test("compile exits 0 and writes the rules, their tests, the Alertmanager and Prometheus configs, the dashboards and the manifest", () => {
    expect(compileRun.status, compileRun.stderr).toBe(0);
    expect(compileRun.stderr).toBe("");
    expect(filesIn(compiled)).toEqual([...OUTPUTS.filter((f) => f < "manifest.json"), "manifest.json", ...OUTPUTS.filter((f) => f > "manifest.json")]);
    // The golden files are the reviewed output of this very spec.
    for (const f of OUTPUTS) {
      expect(readFileSync(join(compiled, f), "utf8"), f).toBe(readFileSync(join(REPO, "golden/minimal", f), "utf8"));
    }
  });

  test("the manifest lists every other file with the sha256 of its bytes", () => {
    const manifest = JSON.parse(readFileSync(join(compiled, "manifest.json"), "utf8")) as {
      generator: string;
      version: string;
      files: Record<string, string>;
    };
    expect(manifest.generator).toBe("vigil");
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.files).sort()).toEqual(OUTPUTS);
    for (const f of OUTPUTS) expect(manifest.files[f], f).toBe(sha256(readFileSync(join(compiled, f))));
  });

  describe.concurrent("check", () => {
    /** A private copy of the fresh output, to edit. */
    function copy(name: string): string {
      const dir = join(work, name);
      cpSync(compiled, dir, { recursive: true });
      return dir;
    }

    function check(out: string): Promise<CliResult> {
      // Run from `work` so diagnostics show paths relative to it, e.g. `edited/prometheus/...`.
      return runCliAsync(["check", MINIMAL, "--out", out, "--no-typecheck"], work);
    }

    test("on the fresh output exits 0", async ({ expect }) => {
      const r = await check(compiled);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });

    test("after one byte of the rules file changed exits 1, naming the file and showing the change", async ({ expect }) => {
      const out = copy("edited");
      const path = join(out, RULES);
      const lines = readFileSync(path, "utf8").split("\n");
      const n = lines.findIndex((l) => l.includes("expr: vector(0.999)"));
      expect(n).toBeGreaterThan(0);
      const edited = lines[n]!.replace("0.999", "0.998"); // one byte
      const text = [...lines.slice(0, n), edited, ...lines.slice(n + 1)].join("\n");
      writeFileSync(path, text);

      const r = await check(out);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`edited/${RULES}:${n + 1}:1 - error VIG5002:`);
      expect(r.stderr).toContain(`- ${edited}`); // committed
      expect(r.stderr).toContain(`+ ${lines[n]}`); // what the spec compiles to
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(readFileSync(path, "utf8")).toBe(text); // check never writes
    });

    test("after a generated file was deleted exits 1, naming the file", async ({ expect }) => {
      const out = copy("deleted");
      rmSync(join(out, TESTS));
      const r = await check(out);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`error VIG5002: ${TESTS} is missing`);
      expect(existsSync(join(out, TESTS))).toBe(false);
    });

    test("with a file the spec does not generate exits 1, naming the file", async ({ expect }) => {
      const out = copy("extra");
      writeFileSync(join(out, "prometheus/rules/old.rules.yml"), "groups: []\n");
      const r = await check(out);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("error VIG5002: prometheus/rules/old.rules.yml");
    });

    test("against a directory that does not exist exits 1 and does not create it", async ({ expect }) => {
      const r = await check(join(work, "never-compiled"));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`error VIG5002: ${RULES} is missing`);
      expect(existsSync(join(work, "never-compiled"))).toBe(false);
    });
  });
});

describe.concurrent("a spec with errors", () => {
  const bad = join(REPO, "test/fixtures/bad/objective-100.ts");

  test.for(["compile", "check"])("%s exits 1 with the diagnostic and creates no output directory", async (command, { expect }) => {
    const out = join(work, `bad-${command}`);
    const r = await runCliAsync([command, bad, "--out", out, "--no-typecheck"], work);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error VIG2003: /);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes("vigil-staging"))).toEqual([]);
  });
});
