/**
 * Issue 15, Adoption: the config file (`vigil.config.ts`/`.json`, `--config`), directory and
 * glob inputs, and configurable `vigil lint` on plain rule files — all through the real CLI,
 * each in a project of its own under os.tmpdir().
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli, sha256Tree, tempProjects } from "./helpers.js";

const projects = tempProjects();
afterAll(projects.remove);
const project = projects.create;

/** A minimal YAML spec of service `name` (no alerts: nothing to route, nothing to lint). */
const yamlSpec = (name: string) => `service: { name: ${name}, team: t }\nteams: [{ name: t }]\n`;

/** The services whose rules a compile wrote: `<service>.rules.yml`, standing for its own and its SLOs' rule files. */
const rules = (dir: string, out: string) => [...new Set(readdirSync(join(dir, out, "prometheus/rules")).map((f) => f.replace(/\.slo-[^/]*\.rules\.yml$/, ".rules.yml")))].sort();

describe("the config file", () => {
  const services = { "services/a/monitoring.yaml": yamlSpec("a"), "services/b/monitoring.yaml": yamlSpec("b") };

  test("gives compile and check their specs and out; arguments on the command line win", () => {
    const dir = project({ ...services, "vigil.config.json": JSON.stringify({ specs: ["services/"], out: "build" }) });
    const compile = runCli(["compile"], dir);
    expect(compile.status, compile.stderr).toBe(0);
    expect(compile.stdout).toMatch(/compiled 2 specs → \d+ files in \d+\.\d s \(build\)/);
    expect(rules(dir, "build")).toEqual(["a.rules.yml", "b.rules.yml"]);
    expect(runCli(["check"], dir).status).toBe(0);

    // --out wins over out; a spec argument wins over specs.
    const before = sha256Tree(join(dir, "build"));
    const other = runCli(["compile", "services/b/monitoring.yaml", "--out", "other"], dir);
    expect(other.status, other.stderr).toBe(0);
    expect(rules(dir, "other")).toEqual(["b.rules.yml"]);
    expect(sha256Tree(join(dir, "build"))).toBe(before);
    // check against the config's out with one spec: b alone is not what build/ holds.
    const drift = runCli(["check", "services/b/monitoring.yaml"], dir);
    expect(drift.status).toBe(1);
    expect(drift.stderr).toContain("error VIG5002");
  });

  test("vigil.config.ts is evaluated like a spec and typed with defineConfig", () => {
    const dir = project({
      ...services,
      "vigil.config.ts": 'import { defineConfig } from "vigil-monitoring";\n\nconst dirs = ["a", "b"];\nexport default defineConfig({ specs: dirs.map((d) => `services/${d}/monitoring.yaml`), out: "gen" });\n',
    });
    const r = runCli(["compile"], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(rules(dir, "gen")).toEqual(["a.rules.yml", "b.rules.yml"]);
  });

  test("prometheus.version is the version of specs that do not set one", () => {
    // holt_winters exists in 2.x and was removed in 3.0.
    const spec = `${yamlSpec("ver")}signals: [{ name: queue_depth, type: gauge, help: "Jobs waiting" }]\nrecordings:\n  - record: "queue_depth:smoothed"\n    expr: "holt_winters(queue_depth[10m], 0.5, 0.5)"\n`;
    const dir = project({ "monitoring.yaml": spec, "vigil.config.json": '{ "out": "out" }' });
    expect(runCli(["compile"], dir).status).toBe(0);
    writeFileSync(join(dir, "vigil.config.json"), '{ "out": "out", "prometheus": { "version": "3.1" } }');
    const r = runCli(["compile"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/monitoring\.yaml:6:\d+ - error VIG3003: .*holt_winters.*Prometheus 3\.1/);
    // A spec's own prometheus.version wins.
    writeFileSync(join(dir, "monitoring.yaml"), `prometheus: { version: "2.55" }\n${spec}`);
    expect(runCli(["compile"], dir).status).toBe(0);
  });

  test("targets are the targets of specs that set none", () => {
    const dir = project({ "monitoring.yaml": yamlSpec("tgt"), "vigil.config.json": '{ "out": "out", "targets": ["files", "ruler"] }' });
    const r = runCli(["compile"], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, "out/ruler/tgt.yml"))).toBe(true);
    expect(existsSync(join(dir, "out/kubernetes"))).toBe(false);
    // A spec's own targets win.
    writeFileSync(join(dir, "monitoring.yaml"), `targets: [files, kubernetes]\n${yamlSpec("tgt")}`);
    expect(runCli(["compile"], dir).status).toBe(0);
    expect(existsSync(join(dir, "out/kubernetes/kustomization.yaml"))).toBe(true);
    expect(existsSync(join(dir, "out/ruler"))).toBe(false);
  });

  test("lint.rules apply to the specs compiled", () => {
    // An alert without a runbook: alerts/annotations, a warning by default.
    const spec = [
      "service: { name: n, team: t }",
      'teams: [{ name: t, receivers: [{ name: slack, kind: slack, channel: "#t", webhook: { env: SLACK_WEBHOOK_URL } }] }]',
      'signals: [{ name: jobs_failed_total, type: counter, help: "Failed jobs" }]',
      "alerts:",
      '  - { name: JobsFailing, expr: "rate(jobs_failed_total[5m]) > 0", for: 10m, severity: warning, summary: s, description: d }',
      "",
    ].join("\n");
    const dir = project({ "monitoring.yaml": spec, "vigil.config.json": '{ "out": "out" }' });
    const plain = runCli(["compile"], dir);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).toContain("monitoring.yaml:5:5 - warning alerts/annotations");
    writeFileSync(join(dir, "vigil.config.json"), '{ "out": "out", "lint": { "rules": { "alerts/annotations": "error" } } }');
    const strict = runCli(["compile"], dir);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("monitoring.yaml:5:5 - error alerts/annotations");
    writeFileSync(join(dir, "vigil.config.json"), '{ "out": "out", "lint": { "rules": { "alerts/annotations": "off" } } }');
    const quiet = runCli(["compile"], dir);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("alerts/annotations");
    // A spec's own lint.rules win over the config's.
    writeFileSync(join(dir, "monitoring.yaml"), `lint: { rules: { "alerts/annotations": warning } }\n${spec}`);
    expect(runCli(["compile"], dir).stderr).toContain("warning alerts/annotations");
  });

  test("--config FILE names a config elsewhere; its paths are relative to it", () => {
    const dir = project({ ...services, "conf/monitoring.json": JSON.stringify({ specs: ["../services/a/monitoring.yaml"], out: "../out-a" }) });
    mkdirSync(join(dir, "elsewhere"));
    const r = runCli(["compile", "--config", "../conf/monitoring.json"], join(dir, "elsewhere"));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/compiled 1 spec → \d+ files in \d+\.\d s \(\.\.\/out-a\)/);
    expect(rules(dir, "out-a")).toEqual(["a.rules.yml"]);
    // --config=FILE, and a missing one is an error, not silently no config.
    expect(runCli(["check", "--config=../conf/monitoring.json"], join(dir, "elsewhere")).status).toBe(0);
    const missing = runCli(["compile", "--config", "nope.ts", "--out", "x"], dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("error VIG1010: cannot read config file nope.ts: no such file");
  });

  test("an invalid config is a located diagnostic (file:line:col), exit 1, nothing written", () => {
    const dir = project({
      ...services,
      "vigil.config.ts": 'import { defineConfig } from "vigil-monitoring";\n\nexport default defineConfig({\n  specs: ["services/"],\n  outt: "out",\n});\n',
    });
    const r = runCli(["compile"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('vigil.config.ts:5:3 - error VIG1010: the config: unknown property "outt"');
    expect(r.stderr).toContain('hint: did you mean "out"?');
    expect(existsSync(join(dir, "out"))).toBe(false);

    writeFileSync(join(dir, "vigil.config.json"), '{\n  "out": "out",\n  "lint": { "rules": { "alerts/fro": "off" }, "severities": [] }\n}\n');
    const json = runCli(["check", "--config", "vigil.config.json"], dir);
    expect(json.status).toBe(1);
    expect(json.stderr).toContain('vigil.config.json:3:61 - error VIG1010: lint.severities must not be empty');
    writeFileSync(join(dir, "vigil.config.json"), '{\n  "out": "out",\n  "lint": { "rules": { "alerts/fro": "off" } }\n}\n');
    const rule = runCli(["lint", "--config", "vigil.config.json"], dir);
    expect(rule.status).toBe(1);
    expect(rule.stderr).toContain('vigil.config.json:3:24 - error VIG2021: unknown lint rule "alerts/fro"');
  });

  test("a config that calls process.exit(0) or loops cannot end or hang vigil: it runs in the spec worker (VIG1009)", () => {
    const dir = project({ ...services, "vigil.config.mjs": 'process.exit(0);\nexport default { out: "out" };\n' });
    const r = runCli(["check", "services/a/monitoring.yaml"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error VIG1009: vigil.config.mjs: the config called process.exit(0) while evaluating");
    // An endless loop is stopped at the time limit, --spec-timeout as for specs.
    writeFileSync(join(dir, "vigil.config.mjs"), "for (;;) {}\nexport default {};\n");
    const hung = runCli(["check", "services/a/monitoring.yaml", "--spec-timeout", "300ms"], dir);
    expect(hung.status).toBe(1);
    expect(hung.stderr).toContain("error VIG1009: vigil.config.mjs: the config did not finish evaluating within 300ms");
  });

  test("routes test and probes run read the config's out", () => {
    const dir = project({ "vigil.config.json": '{ "out": "generated" }' });
    const routes = runCli(["routes", "test"], dir);
    expect(routes.status).toBe(1);
    expect(routes.stderr).toContain("generated/alertmanager/routing-tests.yml not found");
    const probes = runCli(["probes", "run", "--check"], dir);
    expect(probes.status).toBe(1);
    expect(probes.stderr).toContain("vigil: generated not found: run vigil compile --out generated first");
    // An explicit DIR wins.
    expect(runCli(["routes", "test", "mine"], dir).stderr).toContain("mine/alertmanager/routing-tests.yml not found");
  });
});

describe("directory and glob inputs", () => {
  // Two specs of one service: VIG2017 is reported at the later one, which shows the order.
  const dir = project({
    "services/b/monitoring.yaml": yamlSpec("dup"),
    "services/a/monitoring.yaml": yamlSpec("dup"),
    "services/a/deep/er/monitoring.json": JSON.stringify({ service: { name: "deep", team: "t" }, teams: [{ name: "t" }] }),
    "services/c/notes.yaml": "not: a spec\n",
    "services/node_modules/x/monitoring.yaml": "this: is not read\n",
    "services/.cache/monitoring.yaml": "nor: this\n",
    "other/monitoring.yaml": yamlSpec("other"),
  });
  const laterOf = (r: { stderr: string }) => /(\S+):\d+:\d+ - error VIG2017/.exec(r.stderr)?.[1];

  test("a directory stands for every monitoring.* below it, sorted by path, outside node_modules and .dirs", () => {
    const r = runCli(["check", "services", "--out", "out"], dir);
    expect(r.status).toBe(1);
    // Sorted: services/a/deep/er/monitoring.json, services/a/monitoring.yaml, services/b/monitoring.yaml.
    expect(laterOf(r)).toBe("services/b/monitoring.yaml");
    expect(r.stderr).not.toContain("node_modules");
    expect(r.stderr).not.toContain(".cache");
    rmSync(join(dir, "services/b/monitoring.yaml"));
    const ok = runCli(["compile", "services/", "--out", "out"], dir);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("compiled 2 specs");
    expect(rules(dir, "out")).toEqual(["deep.rules.yml", "dup.rules.yml"]);
    writeFileSync(join(dir, "services/b/monitoring.yaml"), yamlSpec("dup"));
  });

  test("inputs keep the order given; a glob is expanded by vigil, in path order", () => {
    expect(laterOf(runCli(["check", "services/b/monitoring.yaml", "services/a/monitoring.yaml", "--out", "out"], dir))).toBe("services/a/monitoring.yaml");
    // `*` is one path segment: services/a/deep/er is not matched; b comes after a.
    const glob = runCli(["check", "services/*/monitoring.yaml", "--out", "out"], dir);
    expect(laterOf(glob)).toBe("services/b/monitoring.yaml");
    expect(glob.stderr.match(/ - error /g)).toHaveLength(1);
    // The same file twice counts once.
    const twice = runCli(["compile", "other/monitoring.yaml", "other/*.yaml", "--out", "o2"], dir);
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stdout).toContain("compiled 1 spec");
    // `**` spans directories, `{a,b}` alternates.
    const deep = runCli(["compile", "services/**/monitoring.{json,yml}", "--out", "o3"], dir);
    expect(deep.status, deep.stderr).toBe(0);
    expect(rules(dir, "o3")).toEqual(["deep.rules.yml"]);
  });

  test("a glob that matches nothing or a directory without specs is VIG1001, exit 1, no output", () => {
    const r = runCli(["compile", "services/*/monitoring.ts", "services/c", "--out", "none"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error VIG1001: no file matches services/*/monitoring.ts");
    expect(r.stderr).toContain("error VIG1001: no spec file below services/c");
    expect(existsSync(join(dir, "none"))).toBe(false);
  });
});

describe("vigil lint on plain rule files, configured", () => {
  const ruleFile = [
    "groups:",
    "  - name: g",
    "    rules:",
    "      - alert: Down",
    "        expr: up == 0",
    "        for: 5m",
    "        labels: { severity: page, team: t }",
    '        annotations: { summary: s, description: d, runbook_url: "https://runbooks.example.com/down" }',
    "      - alert: Late",
    "        expr: up == 0",
    "        for: 5m",
    "        labels: { severity: ticket, team: t }",
    "        annotations: { summary: s, description: d }",
    "",
  ].join("\n");

  test("severities page/ticket from the config's lint section; lint.files when no file is given", () => {
    const dir = project({ "rules/team.rules.yml": ruleFile });
    const defaults = runCli(["lint", "rules/team.rules.yml"], dir);
    expect(defaults.status).toBe(1);
    expect(defaults.stderr).toContain('rules/team.rules.yml:7:29 - error alerts/severity: alert "Down" has severity "page", which is not one of critical, warning, info');

    writeFileSync(join(dir, "vigil.config.json"), JSON.stringify({ lint: { severities: ["page", "ticket"], files: ["rules/*.yml"] } }));
    const configured = runCli(["lint"], dir);
    expect(configured.status, configured.stderr).toBe(0);
    expect(configured.stderr).not.toContain("alerts/severity");

    // A value outside the configured ones is reported against them.
    writeFileSync(join(dir, "rules/team.rules.yml"), ruleFile.replace("severity: ticket", "severity: warning"));
    const off = runCli(["lint"], dir);
    expect(off.status).toBe(1);
    expect(off.stderr).toContain('rules/team.rules.yml:12:29 - error alerts/severity: alert "Late" has severity "warning", which is not one of page, ticket');
  });

  test("flags win: --severities over lint.severities, --rule ID=LEVEL over lint.rules", () => {
    const dir = project({ "team.rules.yml": ruleFile, "vigil.config.json": JSON.stringify({ lint: { severities: ["page", "ticket"], rules: { "alerts/annotations": "error" } } }) });
    // Late has no runbook_url: alerts/annotations, a warning by default, is an error by the config.
    expect(runCli(["lint", "team.rules.yml", "--config", "none.json"], dir).status).toBe(1); // (a missing --config is an error)
    const byConfig = runCli(["lint", "team.rules.yml", "--format", "json"], dir);
    expect(byConfig.status).toBe(1);
    expect((JSON.parse(byConfig.stdout) as { code: string; severity: string }[]).map((d) => `${d.code}:${d.severity}`)).toEqual(["alerts/annotations:error"]);
    const flags = runCli(["lint", "team.rules.yml", "--format", "json", "--rule", "alerts/annotations=off", "--severities", "page"], dir);
    expect(flags.status).toBe(1);
    expect((JSON.parse(flags.stdout) as { code: string; message: string }[]).map((d) => `${d.code}: ${d.message}`)).toEqual([
      'alerts/severity: alert "Late" has severity "ticket", which is not one of page',
    ]);
    const bad = runCli(["lint", "team.rules.yml", "--rule", "alerts/fro=off"], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--rule: unknown lint rule "alerts/fro"');
  });
});
