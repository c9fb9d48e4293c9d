/**
 * Multi-location checks end to end on 127.0.0.1: a spec with three `probes.locations` and a check
 * whose alert needs 2 failing locations compiles; three processes of the packaged runtime
 * (dist/probes/vigil-probes.mjs, `--location eu-west|us-east|ap-south`) run its probes.json against
 * a local target that refuses the requests carrying chosen `x-vigil-location` headers, and a real
 * Prometheus scrapes them with the generated config and rules.
 *
 * - every location reports its own `probe_success{location=...}`;
 * - one failing location: its failed runs in a row pass the threshold, Prometheus counts 1 failing
 *   location, and `HomeCheckFailing` stays silent through further evaluations;
 * - two failing locations: it fires, once, for the check (no `location` label); the overview
 *   dashboard's "Success by location" query shows 0 for those two and 1 for the third;
 * - one location's runtime killed: `HomeCheckNoData` fires for that location alone;
 * - the generated promtool tests pass.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO, runTool } from "./helpers.js";
import { freePort, getJson, HOST, Lab, ready, until, type Proc } from "./servers.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface RuleGroups {
  data: { groups: { rules: { name: string; lastEvaluation: string }[] }[] };
}

test("one failing location of three stays silent, two fire the check's alert; a silent location gets its own no-data alert", { timeout: 90_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-locations-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // The target refuses the requests of the locations in `failing`.
  const failing = new Set<string>();
  const seenFrom = new Set<string>();
  const target = createServer((req, res) => {
    const location = String(req.headers["x-vigil-location"] ?? "");
    seenFrom.add(location);
    res.writeHead(failing.has(location) ? 503 : 200).end("ok");
  });
  const targetPort = await lab.listen(target);
  const names = ["eu-west", "us-east", "ap-south"];
  const locations = await Promise.all(names.map(async (name) => ({ name, address: `${HOST}:${await freePort()}` })));
  const spec: MonitoringSpec = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: "1s" },
    probes: { locations },
    service: { name: "web", team: "web" },
    teams: [{ name: "web", receivers: [{ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/hook" }] }],
    checks: [{ name: "home", request: { url: `http://${HOST}:${targetPort}/`, timeout: "500ms" }, interval: "1s", alert: { failingLocations: 2 } }],
  };
  const specPath = join(work, "web.json");
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const result = await compile([specPath], { typecheck: false, lint: false });
  expect(result.diagnostics.filter((d) => d.severity === "error" || d.code === "VIG4001").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);
  for (const f of readdirSync(join(out, "prometheus/tests"))) {
    const r = runTool("promtool", ["test", "rules", join(out, "prometheus/tests", f)], REPO, 60_000);
    expect(r.status, r.output).toBe(0);
  }

  const runtimes: Proc[] = locations.map((l) =>
    lab.start(`probes-${l.name}`, process.execPath, [join(REPO, "dist/probes/vigil-probes.mjs"), "--config", join(out, "probes/probes.json"), "--listen", l.address, "--location", l.name]),
  );
  const promPort = await freePort();
  const prom = lab.start("prometheus", "prometheus", [`--config.file=${join(out, "prometheus/prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom")}`, `--web.listen-address=${HOST}:${promPort}`]);
  const all = [prom, ...runtimes];
  const base = `http://${HOST}:${promPort}`;
  await until("Prometheus to be ready", all, () => ready(base));
  const query = async (expr: string) => ((await getJson(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)) as { data: { result: Sample[] } }).data.result;
  const alerts = async (name: string) => (await query(`ALERTS{alertname="${name}", service="web"}`)).map((s) => s.metric);
  const lastEvaluation = async (name: string) => {
    const groups = ((await getJson(`${base}/api/v1/rules?type=alert`)) as RuleGroups).data.groups;
    return Date.parse(groups.flatMap((g) => g.rules).find((r) => r.name === name)!.lastEvaluation);
  };

  // 1. Every location reports its own result, each request carrying its location.
  await until("a passing result from every location", all, async () => (await query('probe_success{check="home", service="web"} == 1')).map((s) => s.metric.location).sort().join() === [...names].sort().join());
  expect([...seenFrom].sort()).toEqual([...names].sort());
  await until("no failing alert while every location passes", all, async () => (await alerts("HomeCheckFailing")).length === 0);

  // 2. eu-west fails: one failing location, under the quorum of 2. Silent through evaluations after it counted.
  failing.add("eu-west");
  const countFailing = 'count by (check, service) (vigil_probe_consecutive_failures{check="home", service="web"} >= 2)';
  const fired = (name: string) => async () => ((await alerts(name)).length ? `${name} fired: ${JSON.stringify(await alerts(name))}` : undefined);
  let silentSince = 0;
  await until("eu-west to count as a failing location", all, async () => {
    const r = await query(countFailing);
    if (r.length !== 1 || r[0]!.value[1] !== "1") return false;
    silentSince = Date.now();
    return true;
  });
  let wrong: string | undefined;
  await until(
    "three evaluations of HomeCheckFailing with one location failing",
    all,
    async () => {
      wrong = await fired("HomeCheckFailing")();
      return (await lastEvaluation("HomeCheckFailing")) > silentSince + 3_000;
    },
    () => wrong,
    20_000,
  );
  expect((await query('vigil_probe_consecutive_failures{check="home", location="eu-west"} >= 2')).length).toBe(1);
  expect(await alerts("HomeCheckFailing")).toEqual([]);
  const tSecond = Date.now();

  // 3. us-east fails too: two failing locations, the quorum: it fires, once, for the check.
  failing.add("us-east");
  await until("HomeCheckFailing to fire with two locations failing", all, async () => (await alerts("HomeCheckFailing")).some((m) => m.alertstate === "firing"), undefined, 20_000);
  const tFired = Date.now() - tSecond;
  const firing = await alerts("HomeCheckFailing");
  expect(firing).toHaveLength(1);
  expect(firing[0]).toMatchObject({ alertname: "HomeCheckFailing", alertstate: "firing", check: "home", service: "web", severity: "critical", team: "web" });
  expect(firing[0]!.location).toBeUndefined();
  expect((await query(countFailing))[0]!.value[1]).toBe("2");
  const panel = result.files
    .filter((f) => f.path.startsWith("grafana/dashboards/"))
    .flatMap((f) => (JSON.parse(f.content) as { panels: { title: string; targets?: { expr: string }[] }[] }).panels)
    .find((p) => p.title === "Success by location")!;
  const byLocation = Object.fromEntries((await query(panel.targets![0]!.expr)).map((s) => [s.metric.location, s.value[1]]));
  expect(byLocation).toEqual({ "eu-west": "0", "us-east": "0", "ap-south": "1" });

  // 4. The ap-south runtime stops: its no-data alert fires for ap-south alone (for: 2s).
  expect(await alerts("HomeCheckNoData")).toEqual([]);
  runtimes[2]!.child.kill("SIGKILL");
  let noData: Record<string, string>[] = [];
  await until("HomeCheckNoData to fire for ap-south", [prom, runtimes[0]!, runtimes[1]!], async () => {
    noData = (await alerts("HomeCheckNoData")).filter((m) => m.alertstate === "firing");
    return noData.length > 0;
  }, () => (noData.some((m) => m.location !== "ap-south") ? `no-data fired for ${JSON.stringify(noData)}` : undefined), 30_000);
  expect(noData.map((m) => m.location)).toEqual(["ap-south"]);

  await lab.cleanup();
  console.log(`probe locations: the 2-of-3 alert fired ${(tFired / 1000).toFixed(1)} s after the second location began failing; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
});
