/**
 * Issue 15, Adoption: `vigil init` writes a starter monitoring.ts, vigil.config.ts and CI
 * workflow; `vigil compile`/`check`/`lint` then work there with no arguments. Through the real
 * CLI, in projects under os.tmpdir().
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { typecheckSpecs } from "../src/load/typecheck.js";
import { runCli, tempProjects } from "./helpers.js";

const projects = tempProjects();
afterAll(projects.remove);
const project = projects.create;

/** The services whose rules a compile wrote: `<service>.rules.yml`, standing for its own and its SLOs' rule files. */
const rules = (dir: string, out: string) => [...new Set(readdirSync(join(dir, out, "prometheus/rules")).map((f) => f.replace(/\.slo-[^/]*\.rules\.yml$/, ".rules.yml")))].sort();

describe("vigil init", () => {
  const dir = project({}, "payments-");
  const init = runCli(["init"], dir);
  const spec = join(dir, "monitoring.ts");

  test("writes a commented monitoring.ts, a vigil.config.ts and a CI workflow", () => {
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain("wrote monitoring.ts, vigil.config.ts, .github/workflows/monitoring.yml");
    const text = readFileSync(spec, "utf8");
    expect(text).toMatch(/^\/\*\*/); // a header comment
    expect(text).toContain('import { assertStatus, counter, defineMonitoring, env, histogram, matches, team } from "vigil-monitoring";');
    expect(text).toContain('kind: "ratio"');
    expect(text).toContain('kind: "latency"');
    expect(text).toContain("thresholds: { critical: 0.05, warning: 0.01 }");
    expect(text).toMatch(/team\(\{ name: "payments-[^"]*-team", receivers: \[\{ name: "slack", kind: "slack", .*webhook: env\("SLACK_WEBHOOK_URL"\)/);
    expect(text).toContain("checks: [");
    expect(text).toContain("assertions: [assertStatus().equals(200)]");
    expect(text.split("\n").filter((l) => l.trim().startsWith("//")).length).toBeGreaterThan(8);
    expect(readFileSync(join(dir, "vigil.config.ts"), "utf8")).toContain('import { defineConfig } from "vigil-monitoring";');
    const workflow = readFileSync(join(dir, ".github/workflows/monitoring.yml"), "utf8");
    expect(workflow).toContain("run: npx vigil check");
    expect(workflow).toContain("run: npm ci");
  });

  test("then compile with no arguments writes the config's out/, check and lint pass", () => {
    const compile = runCli(["compile"], dir);
    expect(compile.status, compile.stderr).toBe(0);
    expect(compile.stderr).toBe("");
    expect(compile.stdout).toMatch(/compiled 1 spec → \d+ files in \d+\.\d s \(out\)/);
    expect(rules(dir, "out")).toEqual([`${readFileSync(spec, "utf8").match(/name: "(payments-[^"]*)"/)![1]}.rules.yml`]);
    expect(existsSync(join(dir, "out/probes/probes.json"))).toBe(true); // the HTTP check
    const check = runCli(["check"], dir);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain("out is up to date with 1 spec");
    const lint = runCli(["lint"], dir);
    expect(lint.status, lint.stderr).toBe(0);
  });

  test("the generated files type-check, and the compile's type check is what passed", () => {
    // vigil.config.ts with the compiler's own types (as the package's types resolve it).
    expect(typecheckSpecs([join(dir, "vigil.config.ts")])).toEqual([]);
    // The compile above type-checked monitoring.ts: the same file with a type error only
    // TypeScript can see (Vigil's own checks report label typos themselves) fails it.
    const typo = project({ "monitoring.ts": `${readFileSync(spec, "utf8")}\nconst retries: number = "three";\nvoid retries;\n`, "vigil.config.ts": readFileSync(join(dir, "vigil.config.ts"), "utf8") });
    const r = runCli(["compile"], typo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/monitoring\.ts:\d+:\d+ - error VIG1005: TS2322: /);
    expect(existsSync(join(typo, "out"))).toBe(false);
  });

  test("refuses to overwrite any file (VIG5005, exit 1, nothing written) unless --force", () => {
    writeFileSync(spec, "// mine\n");
    const again = runCli(["init"], dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("error VIG5005: monitoring.ts already exists; vigil init writes nothing");
    expect(again.stderr).toContain("error VIG5005: vigil.config.ts already exists");
    expect(readFileSync(spec, "utf8")).toBe("// mine\n");

    // One existing file is enough to write none of the others.
    const partly = project({ ".github/workflows/monitoring.yml": "name: ours\n" });
    const r = runCli(["init", "."], partly);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error VIG5005: .github/workflows/monitoring.yml already exists");
    expect(existsSync(join(partly, "monitoring.ts"))).toBe(false);
    expect(existsSync(join(partly, "vigil.config.ts"))).toBe(false);

    const forced = runCli(["init", "--force"], dir);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(spec, "utf8")).toContain("defineMonitoring(");
  });

  test("init DIR writes into DIR (created if missing), named after it", () => {
    const parent = project();
    const r = runCli(["init", "svc/checkout"], parent);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("wrote svc/checkout/monitoring.ts");
    expect(readFileSync(join(parent, "svc/checkout/monitoring.ts"), "utf8")).toContain('name: "checkout"');
  });
});

