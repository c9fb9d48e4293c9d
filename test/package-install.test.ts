/**
 * The package as a team gets it: `npm pack` of this repository, installed with
 * `npm install --save-dev <tarball>` into a fresh project outside the repository (its
 * dependencies from the npm cache), then used there the way the README says: `npx vigil
 * compile` and `npx vigil check` on a monitoring.ts that imports "vigil-monitoring", and
 * `tsc --noEmit` on that import under every TypeScript module resolution a project may use.
 * It also reads what the tarball holds: no install script of ours, no source maps or sources,
 * the LICENSE, the built dist/ with the probe runtime, which `npx vigil probes run` runs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

const TSC = join(REPO, "node_modules/typescript/bin/tsc");
const LIFECYCLE_INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "preprepare", "prepare", "postprepare"];

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}
interface Manifest {
  name: string;
  license?: string;
  repository?: { type: string; url: string };
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
  main?: string;
  types?: string;
}

let work = "";
let project = "";
let pack: PackResult;
let installOutput = "";
let installMode = "";

/**
 * The environment of a user's shell: none of the npm_* variables `npm test` passes down
 * (they would configure the child npm like the repository's own run), the cache kept.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    if (k === "INIT_CWD" || k === "NODE_OPTIONS" || k.startsWith("VITEST")) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1" };
}

function run(bin: string, args: readonly string[], cwd: string, timeout = 60_000): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(bin, [...args], { cwd, encoding: "utf8", timeout, env: userEnv() });
  if (r.error) throw new Error(`${bin} ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const npm = (args: readonly string[], cwd: string) => run("npm", args, cwd, 80_000);

beforeAll(() => {
  expect(existsSync(join(REPO, "dist/cli/main.js")), "dist/ is missing: run `npm run build` (npm test does)").toBe(true);
  work = realpathSync(mkdtempSync(join(tmpdir(), "vigil-package-")));
  // Packs dist/ as built (npm test builds it first); --ignore-scripts: prepack would rebuild
  // dist/ under the feet of the test files running beside this one.
  const packed = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO);
  expect(packed.status, packed.stderr).toBe(0);
  pack = (JSON.parse(packed.stdout) as PackResult[])[0]!;
  const tarball = join(work, pack.filename);

  project = join(work, "team-repo");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "team-repo", version: "1.0.0", private: true, type: "module" }, null, 2));
  const install = (mode: string) => npm(["install", mode, "--no-audit", "--no-fund", "--save-dev", tarball], project);
  let r = install("--offline");
  installMode = "--offline";
  if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
    // A dependency is not in this machine's npm cache: fetch only what is missing.
    r = install("--prefer-offline");
    installMode = "--prefer-offline";
  }
  expect(r.status, r.stderr).toBe(0);
  installOutput = r.stdout + r.stderr;
}, 90_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("is installed into a project outside the repository, which nothing above it can satisfy", () => {
    expect(relative(REPO, project).startsWith("..")).toBe(true);
    // No node_modules in any parent directory: what resolves is what the tarball installed.
    for (let dir = dirname(project); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, "node_modules")), dir).toBe(false);
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
    expect(manifest.devDependencies?.["vigil-monitoring"]).toMatch(/^file:.*\.tgz$/);
    expect(existsSync(join(project, "node_modules/.bin/vigil"))).toBe(true);
    console.log(`package: ${pack.filename}, ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.files.length} files; installed with ${installMode}`);
  });

  it("has no install script of ours, in its manifest or in what npm reports", () => {
    const installed = JSON.parse(readFileSync(join(project, "node_modules/vigil-monitoring/package.json"), "utf8")) as Manifest;
    expect(installed.name).toBe("vigil-monitoring");
    for (const script of LIFECYCLE_INSTALL_SCRIPTS) expect(installed.scripts?.[script], script).toBeUndefined();
    // npm lists the packages whose install scripts it would run; vigil-monitoring is not one.
    expect(installOutput).not.toMatch(/vigil-monitoring@[^ ]* \(/);
  });

  it("ships dist/, bin/, spec/, README and LICENSE — no sources, tests or source maps", () => {
    const paths = pack.files.map((f) => f.path);
    for (const path of paths) expect(path, path).toMatch(/^(bin|dist|spec)\/|^(package\.json|README\.md|LICENSE)$/);
    expect(paths.filter((p) => p.endsWith(".map"))).toEqual([]);
    for (const path of ["LICENSE", "bin/vigil.mjs", "dist/probes/vigil-probes.mjs", "dist/api/index.js", "dist/api/index.d.ts", "dist/index.d.ts", "dist/cli/main.js", "spec/monitoring.schema.json"]) {
      expect(paths, path).toContain(path);
    }
    // No shipped file points at a source map (or a source) the package does not hold.
    const root = join(project, "node_modules/vigil-monitoring");
    const js = paths.filter((p) => /\.(m?js|d\.ts)$/.test(p));
    expect(js.length).toBeGreaterThan(50);
    for (const path of js) expect(readFileSync(join(root, path), "utf8"), path).not.toContain("sourceMappingURL");
  });

  it("says what it is: Apache-2.0 with its LICENSE, a repository, the vigil binary, types", () => {
    const root = join(project, "node_modules/vigil-monitoring");
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest;
    expect(manifest.license).toBe("Apache-2.0");
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(manifest.bin).toEqual({ vigil: "bin/vigil.mjs" });
    expect(manifest.types && existsSync(join(root, manifest.types))).toBe(true);
    expect(manifest.main && existsSync(join(root, manifest.main))).toBe(true);
  });
});

const SPEC = `import { counter, defineMonitoring, env, matches } from "vigil-monitoring";

const httpRequests = counter("http_requests_total", { labels: ["code"] });

export default defineMonitoring({
  service: { name: "hello", team: "platform", runbookBaseUrl: "https://runbooks.example.com/hello" },
  teams: [{ name: "platform", receivers: [{ name: "slack", kind: "slack", channel: "#platform-alerts", webhook: env("SLACK_WEBHOOK_URL") }] }],
  alertmanager: { catchAll: { team: "platform", receiver: "slack" } },
  signals: [httpRequests],
  slos: [{ name: "availability", objective: 99.9, sli: { kind: "ratio", bad: httpRequests.select({ code: matches("5..") }), total: httpRequests.select() } }],
  checks: [{ name: "health", request: { url: "https://hello.example.com/health" } }],
});
`;

describe("npx vigil in the team's project", () => {
  it("vigil init writes a project that compiles and checks with no arguments, and type-checks against the installed types", () => {
    const init = run("npx", ["--no-install", "vigil", "init", "svc"], project);
    expect(init.status, init.stderr).toBe(0);
    const dir = join(project, "svc");
    const compiled = run("npx", ["--no-install", "vigil", "compile"], dir);
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(compiled.stdout).toMatch(/^vigil: compiled 1 spec → \d+ files in \d+\.\d s \(out\)/);
    expect(existsSync(join(dir, "out/prometheus/rules/svc.rules.yml"))).toBe(true);
    expect(run("npx", ["--no-install", "vigil", "check"], dir).status).toBe(0);
    writeFileSync(
      join(project, "tsconfig.init.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler", types: [], skipLibCheck: false }, files: ["svc/monitoring.ts", "svc/vigil.config.ts"] }),
    );
    const tsc = run(process.execPath, [TSC, "-p", "tsconfig.init.json"], project);
    expect(tsc.status, tsc.stdout).toBe(0);
  });

  it("compiles a monitoring.ts that imports vigil-monitoring, and check finds it up to date", () => {
    writeFileSync(join(project, "monitoring.ts"), SPEC);
    const compiled = run("npx", ["--no-install", "vigil", "compile", "monitoring.ts", "--out", "out"], project);
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(compiled.stderr).toBe("");
    expect(compiled.stdout).toMatch(/^vigil: compiled 1 spec → \d+ files in \d+\.\d+ s \(out\)\n$/);
    for (const file of ["prometheus/rules/hello.slo-availability.rules.yml", "prometheus/tests/hello.slo-availability.test.yml", "prometheus/prometheus.yml", "alertmanager/alertmanager.yml", "grafana/dashboards/vigil-hello-overview.json", "manifest.json"]) {
      expect(existsSync(join(project, "out", file)), file).toBe(true);
    }
    expect(readFileSync(join(project, "out/prometheus/rules/hello.slo-availability.rules.yml"), "utf8")).toContain('code=~"5.."');
    const checked = run("npx", ["--no-install", "vigil", "check", "monitoring.ts", "--out", "out"], project);
    expect(checked.status, checked.stderr).toBe(0);
  });

  it("runs the compiled probes.json with the probe runtime inside the package, not a copy in the output", () => {
    expect(existsSync(join(project, "out/probes/probes.json"))).toBe(true);
    expect(existsSync(join(project, "out/probes/vigil-probes.mjs"))).toBe(false);
    const shipped = join(project, "node_modules/vigil-monitoring/dist/probes/vigil-probes.mjs");
    expect(readFileSync(shipped).equals(readFileSync(join(REPO, "dist/probes/vigil-probes.mjs")))).toBe(true);
    const r = run("npx", ["--no-install", "vigil", "probes", "run", "out", "--check"], project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`${join(project, "out/probes/probes.json")}: ok, 1 checks and 0 journeys\n`);
    const help = run("npx", ["--no-install", "vigil", "probes", "--help"], project);
    expect(help.stdout).toContain(shipped);
  });

  it("vigil test runs promtool, amtool and the packaged probe check on the team's output", () => {
    const r = run("npx", ["--no-install", "vigil", "test", "out"], project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^probes --check probes\/probes\.json +pass /m);
    expect(r.stdout).toMatch(/^vigil: all 9 checks of out passed in /m);
  });

  it("type-checks the spec against the installed types: a label typo is an error", () => {
    writeFileSync(join(project, "typo.ts"), SPEC.replace('select({ code: matches("5..") })', 'select({ status: matches("5..") })'));
    const r = run("npx", ["--no-install", "vigil", "compile", "typo.ts", "--out", "out-typo"], project);
    expect(r.status).toBe(1);
    // One mistake, one error: Vigil's VIG2002 stands for TypeScript's TS2353 at the same place
    // (the tsc runs below prove the installed types on their own).
    expect(r.stderr).toMatch(/typo\.ts:10:\d+ - error VIG2002: signal "http_requests_total" has no label "status"/);
    expect(existsSync(join(project, "out-typo"))).toBe(false);
  });
});

/** `module` each resolution needs (node16/nodenext require their namesake). */
const RESOLUTIONS: [resolution: string, module: string][] = [
  ["node16", "node16"],
  ["nodenext", "nodenext"],
  ["bundler", "esnext"],
  ["node10", "commonjs"],
];

const CONSUMER = `import { counter, defineConfig, defineMonitoring, histogram, type MonitoringSpec, type VigilConfig } from "vigil-monitoring";
import { compile } from "vigil-monitoring/compiler";

const requests = counter("http_requests_total", { labels: ["code"] });
const latency = histogram("http_request_duration_seconds", { labels: ["route"] });
// @ts-expect-error "status" is not a declared label (an unused directive fails if types were lost)
requests.select({ status: "500" });

export const spec: MonitoringSpec = defineMonitoring({ service: { name: "typed", team: "t" }, signals: [requests, latency] });
export const compileSpecs: typeof compile = compile;
export const config: VigilConfig = defineConfig({ specs: ["services/"], out: "out", lint: { severities: ["page", "ticket"] } });
// @ts-expect-error "outt" is not a config property
defineConfig({ outt: "out" });
`;

describe("import … from \"vigil-monitoring\" type-checks (tsc --noEmit, strict, no skipLibCheck)", () => {
  it.each(RESOLUTIONS)("moduleResolution %s (module %s)", (resolution, module) => {
    writeFileSync(join(project, "consumer.ts"), CONSUMER);
    const config = `tsconfig.${resolution}.json`;
    writeFileSync(
      join(project, config),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2022", module, moduleResolution: resolution, types: [], skipLibCheck: false }, files: ["consumer.ts", "monitoring.ts"] }),
    );
    const r = run(process.execPath, [TSC, "-p", config, "--noEmit", "--traceResolution"], project);
    expect(r.status, r.stdout).toBe(0);
    // Resolved to the installed package's declarations, not to anything of the repository.
    expect(r.stdout).toMatch(/'vigil-monitoring' was successfully resolved to '[^']*\/team-repo\/node_modules\/vigil-monitoring\/dist\/api\/index\.d\.ts'/);
    expect(r.stdout).toMatch(/'vigil-monitoring\/compiler' was successfully resolved to '[^']*\/team-repo\/node_modules\/vigil-monitoring\/dist\/index\.d\.ts'/);
  });
});

