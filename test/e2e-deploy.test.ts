/**
 * `vigil deploy` end to end, with a real Prometheus and Alertmanager on 127.0.0.1 reading the
 * directories it deploys to: a dry run writes nothing; a deploy makes Prometheus run the
 * spec's rule groups (/api/v1/rules) and Alertmanager the spec's routes (its /api/v2/status
 * config, and amtool's routing against the running server); a changed spec changes both and
 * removes the rule file of a dropped SLO; a spec with an error changes nothing; a server that
 * refuses the reload gets its previous files back.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { main } from "../src/cli/main.js";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { runTool, sha256Tree, type CliRun } from "./helpers.js";
import { freePort, getJson, HOST, Lab, ready, until, type Proc } from "./servers.js";

const lab = new Lab();
const work = mkdtempSync(join(tmpdir(), "vigil-deploy-e2e-"));
afterAll(async () => {
  await lab.cleanup();
  rmSync(work, { recursive: true, force: true });
});

function spec(version: 1 | 2 | "broken"): MonitoringSpec {
  const threshold = version === 1 ? 100 : 50;
  return {
    service: { name: "shop", team: "payments", runbookBaseUrl: "https://runbooks.example.com/shop" },
    teams: [
      {
        name: "payments",
        receivers: [
          { name: "hook", kind: "webhook", url: "https://hooks.example.com/payments" },
          { name: "pager", kind: "webhook", url: "https://pager.example.com/payments" },
        ],
        // v2 pages a second receiver on critical.
        escalation: version === 1 ? { critical: { receivers: ["hook"] } } : { critical: { receivers: ["pager"] } },
      },
    ],
    alertmanager: { catchAll: { team: "payments", receiver: "hook" } },
    signals: [
      { name: "shop_requests_total", type: "counter", labels: ["code"] },
      { name: "shop_queue_depth", type: "gauge", labels: [] },
    ],
    slos:
      version === 1
        ? [{ name: "availability", objective: 99.9, sli: { kind: "ratio", bad: 'sum(rate(shop_requests_total{code=~"5.."}[{{window}}]))', total: "sum(rate(shop_requests_total[{{window}}]))" } }]
        : [],
    alerts: [
      { name: "QueueDeep", expr: version === "broken" ? "sum(shop_queue_dept)" : "sum(shop_queue_depth)", threshold, severity: "critical", summary: "queue deep", description: "the queue is deep" },
      ...(version === 2 ? [{ name: "Errors", expr: 'sum(rate(shop_requests_total{code=~"5.."}[5m]))', threshold: 1, severity: "warning" as const, summary: "errors", description: "5xx" }] : []),
    ],
  };
}

const specPath = join(work, "monitoring.json");
const promDir = join(work, "prometheus");
const amDir = join(work, "alertmanager");
let prom: Proc;
let am: Proc;
let promUrl: string;
let amUrl: string;

async function run(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  try {
    const status = await main(["deploy", specPath, "--no-typecheck", ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: work, color: false });
    return { status, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  }
}
const servers = () => ["--prometheus-dir", promDir, "--prometheus-url", promUrl, "--alertmanager-dir", amDir, "--alertmanager-url", amUrl];

interface RuleGroups {
  data: { groups: { name: string; file: string; rules: { name: string; type: string; query: string }[] }[] };
}
async function rules(): Promise<{ groups: string[]; alerts: Record<string, string> }> {
  const r = (await getJson(`${promUrl}/api/v1/rules`)) as RuleGroups;
  const alerts: Record<string, string> = {};
  for (const g of r.data.groups) for (const rule of g.rules) if (rule.type === "alerting") alerts[rule.name] = rule.query;
  return { groups: r.data.groups.map((g) => g.name).sort(), alerts };
}
/** The receivers of the config the running Alertmanager shows (/api/v2/status, re-serialised by it). */
async function amReceivers(): Promise<string[]> {
  const original = ((await getJson(`${amUrl}/api/v2/status`)) as { config: { original: string } }).config.original;
  return receiversOf(original);
}
function receiversOf(yaml: string): string[] {
  return ((parseYaml(yaml) as { receivers: { name: string }[] }).receivers ?? []).map((r) => r.name).sort();
}
/** The receivers the running Alertmanager routes these labels to (amtool against its API). */
function liveRoute(labels: string[]): string {
  const r = runTool("amtool", ["config", "routes", "test", `--alertmanager.url=${amUrl}`, ...labels]);
  expect(r.status, r.output).toBe(0);
  return r.output.trim();
}
async function compiled(version: 1 | 2): Promise<Map<string, string>> {
  const path = join(work, `expected-${version}.json`);
  writeFileSync(path, JSON.stringify(spec(version), null, 2));
  const result = await compile([path], { typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map(result.files.map((f) => [f.path, f.content]));
}

beforeAll(async () => {
  mkdirSync(promDir, { recursive: true });
  mkdirSync(amDir, { recursive: true });
  // What the servers run before the first deploy.
  writeFileSync(join(promDir, "prometheus.yml"), "global:\n  evaluation_interval: 1s\n");
  writeFileSync(join(amDir, "alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n  - name: none\n");
  const [pp, ap] = [await freePort(), await freePort()];
  promUrl = `http://${HOST}:${pp}`;
  amUrl = `http://${HOST}:${ap}`;
  prom = lab.start("prometheus", "prometheus", [`--config.file=${join(promDir, "prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom-data")}`, `--web.listen-address=${HOST}:${pp}`, "--web.enable-lifecycle"]);
  am = lab.start("prometheus-alertmanager", "prometheus-alertmanager", [`--config.file=${join(amDir, "alertmanager.yml")}`, `--storage.path=${join(work, "am-data")}`, `--web.listen-address=${HOST}:${ap}`, "--cluster.listen-address="]);
  await until("Prometheus and Alertmanager ready", [prom, am], async () => (await ready(promUrl)) && (await ready(amUrl)));
}, 90_000);

describe("vigil deploy to a running Prometheus and Alertmanager", () => {
  test("a dry run (no --apply, or CI) prints the plan and writes nothing", { timeout: 60_000 }, async () => {
    writeFileSync(specPath, JSON.stringify(spec(1), null, 2));
    const before = [sha256Tree(promDir), sha256Tree(amDir)];
    for (const env of [{ CI: undefined }, { CI: "true" }]) {
      const r = await run(servers(), env);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^ {2}\+ rules\/shop\.rules\.yml$/m);
      expect(r.stdout).toMatch(/^ {2}~ prometheus\.yml$/m);
      expect(r.stdout).toMatch(/^ {2}~ alertmanager\.yml$/m);
      expect(r.stdout).toMatch(/\+ alert shop\/QueueDeep/);
      expect(r.stdout).toContain(env.CI ? "dry run (CI is set and --apply was not given)" : "dry run (without --apply)");
    }
    expect([sha256Tree(promDir), sha256Tree(amDir)]).toEqual(before);
    expect((await rules()).groups).toEqual([]);
  });

  test("--apply: Prometheus runs the spec's rule groups, Alertmanager its config and routes", { timeout: 90_000 }, async () => {
    const want = await compiled(1);
    const r = await run([...servers(), "--apply"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/reloaded and verified prometheus and alertmanager/);
    // Every rule file's groups, and nothing else.
    const live = await rules();
    const groups = [...want].filter(([p]) => p.startsWith("prometheus/rules/")).flatMap(([, text]) => [...text.matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1]!));
    expect(groups.length).toBeGreaterThan(1);
    expect(live.groups).toEqual(groups.sort());
    expect(live.alerts.QueueDeep).toBe("sum(shop_queue_depth) > 100");
    expect(Object.keys(live.alerts).some((a) => /availability/i.test(a) || /Burn/i.test(a))).toBe(true);
    expect(await amReceivers()).toEqual(receiversOf(want.get("alertmanager/alertmanager.yml")!));
    expect(await amReceivers()).toContain("payments/hook");
    expect(liveRoute(["service=shop", "team=payments", "severity=critical", "alertname=QueueDeep"])).toBe("payments/hook");
    expect(readFileSync(join(promDir, "prometheus.yml"), "utf8")).toBe(want.get("prometheus/prometheus.yml"));
  });

  test("a changed spec: the change is reported and runs; the dropped SLO's rule file is removed", { timeout: 90_000 }, async () => {
    const want = await compiled(2);
    // A rule file of the user's own beside Vigil's: left alone, and Prometheus runs it too.
    const own = "groups:\n  - name: users-own\n    rules:\n      - record: users:own\n        expr: vector(1)\n";
    writeFileSync(join(promDir, "rules/users-own.rules.yml"), own);
    writeFileSync(specPath, JSON.stringify(spec(2), null, 2));
    const r = await run([...servers(), "--apply"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}~ rules\/shop\.rules\.yml$/m);
    expect(r.stdout).toMatch(/^ {2}- rules\/shop\.slo-availability\.rules\.yml$/m);
    expect(r.stdout).toMatch(/\+ alert shop\/Errors/);
    expect(r.stdout).toMatch(/~ alert shop\/QueueDeep.*expr/);
    const live = await rules();
    expect(live.alerts.QueueDeep).toBe("sum(shop_queue_depth) > 50");
    expect(live.alerts.Errors).toBeDefined();
    expect(live.groups.some((g) => g.includes("availability"))).toBe(false);
    expect(live.groups).toContain("users-own");
    expect(readFileSync(join(promDir, "rules/users-own.rules.yml"), "utf8")).toBe(own);
    expect(r.stdout).not.toContain("users-own");
    expect(await amReceivers()).toEqual(receiversOf(want.get("alertmanager/alertmanager.yml")!));
    expect(liveRoute(["service=shop", "team=payments", "severity=critical", "alertname=QueueDeep"])).toBe("payments/pager");
  });

  test("a spec with an error deploys nothing: exit 1, the directories and the servers unchanged", { timeout: 60_000 }, async () => {
    const before = [sha256Tree(promDir), sha256Tree(amDir)];
    const running = [await rules(), await amReceivers(), liveRoute(["service=shop", "team=payments", "severity=critical"])];
    writeFileSync(specPath, JSON.stringify(spec("broken"), null, 2));
    const r = await run([...servers(), "--apply"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error VIG2001: .*unknown signal "shop_queue_dept"/);
    expect(r.stderr).toContain("nothing deployed");
    expect([sha256Tree(promDir), sha256Tree(amDir)]).toEqual(before);
    expect([await rules(), await amReceivers(), liveRoute(["service=shop", "team=payments", "severity=critical"])]).toEqual(running);
  });

  test("vigil.config's deploy names the servers (paths relative to it); a misspelt key is VIG1010 at it", { timeout: 60_000 }, async () => {
    const project = join(work, "project");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, "monitoring.json"), JSON.stringify(spec(1), null, 2));
    writeFileSync(join(project, "vigil.config.json"), JSON.stringify({ deploy: { prometheus: { dir: "../prometheus", url: promUrl }, alertmanager: { dir: "../alertmanager", url: amUrl } } }, null, 2));
    let stdout = "";
    let stderr = "";
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: project, color: false };
    const status = await main(["deploy", "--no-typecheck"], io);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    // The servers run spec 2 (the test before): spec 1 would bring the SLO's rule file back.
    expect(stdout).toContain(`prometheus (${promDir}, ${promUrl}): `);
    expect(stdout).toContain(`alertmanager (${amDir}, ${amUrl}): 1 file\n  ~ alertmanager.yml\n`);
    expect(stdout).toMatch(/^ {2}\+ rules\/shop\.slo-availability\.rules\.yml$/m);
    expect(stdout).toContain("dry run");
    writeFileSync(join(project, "vigil.config.json"), JSON.stringify({ deploy: { prometheus: { dri: "../prometheus", url: promUrl } } }, null, 2));
    stdout = stderr = "";
    expect(await main(["deploy", "--no-typecheck"], io)).toBe(1);
    expect(stderr).toMatch(/vigil\.config\.json:4:7 - error VIG1010: /);
  });

  test("an Alertmanager that cannot be reached after Prometheus reloaded: both directories restored, Prometheus runs its previous rules again", { timeout: 90_000 }, async () => {
    const before = [sha256Tree(promDir), sha256Tree(amDir)];
    const running = await rules();
    expect(running.alerts.QueueDeep).toBe("sum(shop_queue_depth) > 50");
    writeFileSync(specPath, JSON.stringify(spec(1), null, 2));
    const gone = `http://${HOST}:${await freePort()}`;
    const r = await run(["--prometheus-dir", promDir, "--prometheus-url", promUrl, "--alertmanager-dir", amDir, "--alertmanager-url", gone, "--apply", "--timeout", "3s"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error VIG5010: deploy to alertmanager failed: cannot reach http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/the previous files are back, but reloading them failed too \(alertmanager: cannot reach/);
    expect([sha256Tree(promDir), sha256Tree(amDir)]).toEqual(before);
    // Prometheus had loaded spec 1 (the SLO's groups); the restore reloaded it to what it ran before.
    expect(await rules()).toEqual(running);
  });

  test("a Prometheus that refuses the reload (no --web.enable-lifecycle) gets its previous files back: exit 1, VIG5010", { timeout: 90_000 }, async () => {
    const dir = join(work, "prometheus-locked");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "prometheus.yml"), "global:\n  evaluation_interval: 1s\n");
    const port = await freePort();
    const url = `http://${HOST}:${port}`;
    const locked = lab.start("prometheus-locked", "prometheus", [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom-locked-data")}`, `--web.listen-address=${HOST}:${port}`]);
    await until("the second Prometheus ready", [locked], () => ready(url));
    const before = sha256Tree(dir);
    writeFileSync(specPath, JSON.stringify(spec(1), null, 2));
    const r = await run(["--prometheus-dir", dir, "--prometheus-url", url, "--apply"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error VIG5010: deploy to prometheus failed: .*\/-\/reload answered 403.*--web\.enable-lifecycle/);
    expect(r.stderr).toMatch(/the previous files are back, but reloading them failed too/);
    expect(sha256Tree(dir)).toBe(before);
    expect(((await getJson(`${url}/api/v1/rules`)) as RuleGroups).data.groups).toEqual([]);
  });
});
