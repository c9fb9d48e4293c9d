/**
 * Goldens are the contract: each example compiles to exactly the bytes under golden/<name>,
 * and every golden file is accepted by the real tool for its format — `promtool check rules`
 * for rule files, `promtool test rules` for the generated unit tests, `amtool check-config` and
 * `amtool config routes test` for the Alertmanager config and its routing cases, `promtool check
 * config` for prometheus.yml, `mtail --compile_only` for the mtail programs, `vmalert -dryRun` for
 * the rule files as VictoriaMetrics reads them; the Kubernetes resources' published models
 * (test/kubernetes/resources.ts) and `promtool check rules` for the ruler namespaces.
 * Regenerate on purpose with `npm run golden:update`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readRoutingCases, runRoutingCases } from "../src/alertmanager/amtool.js";
import { parse, parseAllDocuments } from "yaml";
import { compile } from "../src/compile.js";
import { analyzePromQL } from "../src/promql/frontend.js";
import { checkDrift } from "../src/write/drift.js";
import { listFiles } from "../src/write/writer.js";
import { filebeatProblems } from "./filebeat/contract.js";
import { REPO, runTool } from "./helpers.js";
import { resourceProblems } from "./kubernetes/resources.js";

const EXAMPLES = readdirSync(join(REPO, "examples")).filter((n) => existsSync(join(REPO, "examples", n, "monitoring.ts"))).sort();

describe.each(EXAMPLES)("example %s", (name) => {
  const golden = join(REPO, "golden", name);

  // Compiling halcytone (its generated tests) took 82 s on the loaded 2-core machine, past the 60 s default.
  test("compiles to its golden files, byte for byte", { timeout: 180_000 }, async () => {
    const result = await compile([join(REPO, "examples", name, "monitoring.ts")]);
    // No errors, and no VIG4001 "no test generated" warnings: every alert of an example is proven.
    expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    const drift = checkDrift(golden, result.files);
    expect(drift.map((d) => `${d.message}\n${d.hint ?? ""}`)).toEqual([]);
  });

  test("promtool check rules accepts every golden rule file", () => {
    const rules = listFiles(golden).filter((f) => f.startsWith("prometheus/rules/"));
    expect(rules.length).toBeGreaterThan(0);
    const r = runTool("promtool", ["check", "rules", ...rules.map((f) => join(golden, f))]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status, r.output).toBe(0);
  });

  test("vmalert -dryRun accepts every golden rule file (VictoriaMetrics' MetricsQL parser and templates)", () => {
    // One run over all of them: vmalert parses every file and fails naming the first it rejects; a file
    // without groups (a service with no alert of its own) is only a warning beside files that have rules.
    const rules = listFiles(golden).filter((f) => f.startsWith("prometheus/rules/"));
    const r = runTool("vmalert", ["-dryRun", "-loggerLevel=WARN", ...rules.map((f) => `-rule=${join(golden, f)}`)]);
    expect(r.output).not.toMatch(/\t(error|fatal)\t/);
    expect(r.status, r.output).toBe(0);
  });

  test("every rule expression passes Vigil's PromQL checker, as promtool accepts it", () => {
    const files = listFiles(golden).filter((f) => f.startsWith("prometheus/rules/"));
    const exprs = files.flatMap((f) =>
      (parse(readFileSync(join(golden, f), "utf8")) as RuleFile).groups.flatMap((g) => g.rules.map((r) => (r as { expr: string }).expr)),
    );
    expect(exprs.length).toBeGreaterThan(0);
    const rejected = exprs.flatMap((e) => {
      const r = analyzePromQL(e);
      return r.ok ? [] : [`${e}: ${r.errors[0]!.message}`];
    });
    expect(rejected).toEqual([]);
  });

  test("amtool check-config accepts the golden Alertmanager config", () => {
    const r = runTool("amtool", ["check-config", join(golden, "alertmanager/alertmanager.yml")]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("SUCCESS");
  });

  test("every routing case reaches exactly its team's receivers (amtool config routes test)", async () => {
    const cases = await readRoutingCases(golden);
    expect(cases.length).toBeGreaterThan(0);
    // The examples route everything to named team receivers: nothing relies on the catch-all.
    expect(cases.filter((c) => c.receivers.some((r) => r.startsWith("vigil/")))).toEqual([]);
    const failed = (await runRoutingCases(join(golden, "alertmanager/alertmanager.yml"), cases)).filter((r) => !r.ok);
    expect(failed.map((r) => `${r.case.alert} ${JSON.stringify(r.case.labels)}: expected ${r.case.receivers.join(",")}, amtool ${r.actual.join(",")} ${r.error ?? ""}`)).toEqual([]);
  });

  test("promtool check config accepts the golden prometheus.yml (with its rule files)", () => {
    const r = runTool("promtool", ["check", "config", join(golden, "prometheus/prometheus.yml")]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("SUCCESS");
  });

  test.runIf(existsSync(join(golden, "kubernetes")))("every golden Kubernetes resource passes its published model, and kustomization.yaml lists them all", () => {
    const files = listFiles(golden).filter((f) => f.startsWith("kubernetes/") && f !== "kubernetes/kustomization.yaml");
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((f) => {
      const docs = parseAllDocuments(readFileSync(join(golden, f), "utf8"));
      if (docs.length !== 1) return [`${f}: ${docs.length} documents`];
      return resourceProblems(docs[0]!.toJS() as Record<string, unknown>).map((p) => `${f}: ${p}`);
    });
    expect(problems).toEqual([]);
    const kustomization = parse(readFileSync(join(golden, "kubernetes/kustomization.yaml"), "utf8")) as { resources: string[] };
    expect(kustomization.resources).toEqual(files.map((f) => f.slice("kubernetes/".length)));
  });

  test.runIf(existsSync(join(golden, "ruler")))("promtool check rules accepts every golden ruler namespace, one a service", () => {
    const files = listFiles(golden).filter((f) => f.startsWith("ruler/"));
    const services = new Set(listFiles(golden).filter((f) => /^prometheus\/rules\/[^/.]+\.rules\.yml$/.test(f)).map((f) => f.slice("prometheus/rules/".length, -".rules.yml".length)));
    expect(files.map((f) => f.slice("ruler/".length, -".yml".length)).sort()).toEqual([...services].sort());
    const r = runTool("promtool", ["check", "rules", ...files.map((f) => join(golden, f))]);
    expect(r.status, r.output).toBe(0);
  });

  test.runIf(existsSync(join(golden, "mtail")))("mtail --compile_only accepts every golden mtail program", () => {
    const r = runTool("mtail", ["--compile_only", "--logtostderr", "--progs", join(golden, "mtail")]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toMatch(/compile failed/);
    expect(r.output).toContain("Loaded program");
  });

  // Storage settings are command-line flags: a real Prometheus must start with them (an unknown
  // flag or a bad size stops it while it parses its arguments).
  test.runIf(existsSync(join(golden, "prometheus/prometheus.args")))("prometheus starts with the golden prometheus.args", { timeout: 60_000 }, async () => {
    const args = readFileSync(join(golden, "prometheus/prometheus.args"), "utf8").split("\n").filter(Boolean);
    expect(args.length).toBeGreaterThan(0);
    const help = runTool("prometheus", ["--help"]).output;
    for (const a of args) expect(help, a).toContain(`${a.split("=")[0]}=`);
    const data = mkdtempSync(join(tmpdir(), "vigil-prometheus-args-"));
    const proc = spawn("prometheus", [`--config.file=${join(golden, "prometheus/prometheus.yml")}`, `--storage.tsdb.path=${data}`, "--web.listen-address=127.0.0.1:0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    try {
      const outcome = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), 50_000);
        const read = (chunk: Buffer) => {
          log += chunk.toString();
          if (log.includes("Server is ready to receive web requests")) {
            clearTimeout(timer);
            resolve("ready");
          }
        };
        proc.stdout.on("data", read);
        proc.stderr.on("data", read);
        proc.on("exit", () => {
          clearTimeout(timer);
          resolve("exited");
        });
      });
      expect(outcome, log).toBe("ready");
      expect(log).not.toMatch(/level=error/);
    } finally {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode === null ? proc.on("exit", r) : r(undefined)));
      rmSync(data, { recursive: true, force: true });
    }
  });

  test("every golden Filebeat config meets Filebeat's config contract and ships to the service's beats input", () => {
    const dir = join(golden, "filebeat");
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".filebeat.yml")) : [];
    for (const f of files) {
      const config = parse(readFileSync(join(dir, f), "utf8"), { version: "1.1" }) as Record<string, { hosts: string[] }>;
      expect(filebeatProblems(config), f).toEqual([]);
      const service = f.replace(/\.filebeat\.yml$/, "");
      const input = readFileSync(join(golden, "logstash/pipeline", `${service}.conf`), "utf8");
      const port = /beats \{\s*port => (\d+)/.exec(input)?.[1];
      expect(port, `${service}: a beats input`).toBeDefined();
      expect(config["output.logstash"]!.hosts.every((h) => h.endsWith(`:${port}`)), f).toBe(true);
    }
  });

  // promtool evaluates every rule at every step of every test: minutes on a loaded machine.
  test("promtool test rules passes every generated unit test", { timeout: 300_000 }, () => {
    const tests = listFiles(golden).filter((f) => f.startsWith("prometheus/tests/"));
    expect(tests.length).toBeGreaterThan(0);
    const r = runTool("promtool", ["test", "rules", ...tests.map((f) => join(golden, f))], REPO, 290_000);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("SUCCESS");
  });
});

/** promtool's expansion of `a+bxn` terms: b added n times (`_` is a missing sample). */
function expand(values: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const term of values.trim().split(/\s+/)) {
    const gap = /^_x(\d+)$/.exec(term);
    if (gap) {
      for (let i = 0; i < Number(gap[1]); i++) out.push(undefined);
      continue;
    }
    const x = term.lastIndexOf("x");
    // The step's sign is the first + or - after the start that is not an exponent's.
    const sign = [...term.slice(0, x)].findIndex((c, i) => i > 0 && (c === "+" || c === "-") && term[i - 1] !== "e");
    if (x < 0 || sign < 0) {
      out.push(Number(term));
      continue;
    }
    let v = Number(term.slice(0, sign));
    const step = Number(term.slice(sign, x));
    out.push(v);
    for (let i = 0; i < Number(term.slice(x + 1)); i++) out.push((v += step));
  }
  return out;
}

describe.each(EXAMPLES)("example %s: generated input series", (name) => {
  test("counters never step down as promtool expands them (a step down would read as a reset)", () => {
    const golden = join(REPO, "golden", name);
    const files = listFiles(golden).filter((f) => f.startsWith("prometheus/tests/"));
    const decreasing: string[] = [];
    for (const f of files) {
      const doc = parse(readFileSync(join(golden, f), "utf8")) as { tests: { name: string; input_series?: { series: string; values: string }[] }[] };
      for (const t of doc.tests) {
        for (const s of t.input_series ?? []) {
          if (!/^\w+(_total|_bucket|_count|_sum)\{/.test(s.series)) continue;
          const v = expand(s.values).filter((x): x is number => x !== undefined);
          const at = v.findIndex((x, i) => i > 0 && x < v[i - 1]!);
          if (at > 0) decreasing.push(`${f} "${t.name}" ${s.series}: ${v[at - 1]} then ${v[at]} at minute ${at}`);
        }
      }
    }
    expect(decreasing).toEqual([]);
  });

  test("counters continue across a phase change from exactly where promtool's expansion left them (one ulp up fires increase(x[10m]) > 0)", () => {
    const golden = join(REPO, "golden", name);
    const jumps: string[] = [];
    for (const f of listFiles(golden).filter((x) => x.startsWith("prometheus/tests/"))) {
      const doc = parse(readFileSync(join(golden, f), "utf8")) as { tests: { name: string; input_series?: { series: string; values: string }[] }[] };
      for (const t of doc.tests) {
        for (const s of t.input_series ?? []) {
          if (!/^\w+(_total|_bucket|_count|_sum)\{/.test(s.series)) continue;
          let last: number | undefined;
          for (const term of s.values.trim().split(/\s+/)) {
            const v = expand(term);
            const start = v[0];
            // The term's step: what expand added to its start (0 for a term of one sample).
            const step = v.length > 1 && v[1] !== undefined && start !== undefined ? Number(term.slice(term.search(/(?<=.)[+-](?<!e[+-])/), term.lastIndexOf("x"))) : undefined;
            if (last !== undefined && start !== undefined && step !== undefined && start !== last + step) jumps.push(`${f} "${t.name}" ${s.series}: ${start} after ${last} with step ${step}`);
            last = v.at(-1);
          }
        }
      }
    }
    expect(jumps).toEqual([]);
  });
});

test("expand follows promtool: 0.1 added ten times is not 1", () => {
  expect(expand("1e-05+2e-06x1")).toEqual([1e-5, 1e-5 + 2e-6]);
  expect(expand("0+0.1x10 1+0x1 _x2 5")).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.7999999999999999, 0.8999999999999999, 0.9999999999999999, 1, 1, undefined, undefined, 5]);
});

interface TestFile {
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: { exp_labels?: Record<string, string> }[] }[] }[];
}
interface RuleFile {
  groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[];
}

describe.each(EXAMPLES)("example %s: generated tests cover every alerting rule", (name) => {
  const golden = join(REPO, "golden", name);
  const read = <T>(dir: string): T[] =>
    listFiles(golden)
      .filter((f) => f.startsWith(dir))
      .map((f) => parse(readFileSync(join(golden, f), "utf8")) as T);
  const rules = read<RuleFile>("prometheus/rules/").flatMap((f) => f.groups.flatMap((g) => g.rules)).filter((r) => r.alert);
  const checks = read<TestFile>("prometheus/tests/").flatMap((f) => f.tests.flatMap((t) => t.alert_rule_test ?? []));

  test.each(rules.map((r) => [r.alert!, r.labels?.tier ?? r.labels?.severity ?? "", r] as const))("%s (%s) fires in a test and stays silent in another", (alert, _variant, rule) => {
    const forAlert = checks.filter((c) => c.alertname === alert);
    // Fires: some test expects an alert carrying this rule's distinguishing labels.
    const fires = forAlert.some((c) =>
      (c.exp_alerts ?? []).some((a) => ["severity", "tier"].every((k) => rule.labels?.[k] === undefined || a.exp_labels?.[k] === rule.labels[k])),
    );
    const silent = forAlert.some((c) => (c.exp_alerts ?? []).length === 0);
    expect(fires, `no test where ${alert} fires`).toBe(true);
    expect(silent, `no test where ${alert} stays silent`).toBe(true);
  });
});

test("compiling twice gives the same bytes", async () => {
  const spec = join(REPO, "examples/halcytone/monitoring.ts");
  const a = await compile([spec], { typecheck: false });
  const b = await compile([spec], { typecheck: false });
  expect(a.files.length).toBeGreaterThan(0);
  expect(b.files).toEqual(a.files);
});
