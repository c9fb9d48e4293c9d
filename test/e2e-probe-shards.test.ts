/**
 * Sharded probe runtime, end to end on 127.0.0.1: a spec with `probes.shards` (two addresses)
 * compiles to a prometheus.yml scraping both and to a no-data alert per check; two replicas of the
 * packaged runtime (dist/probes/vigil-probes.mjs, `--shard 1/2` and `--shard 2/2`) run the same
 * probes.json against a local target, and a real Prometheus scrapes them with the generated config
 * and rules.
 *
 * - the replicas run disjoint shares of the checks, together all of them, each the share
 *   rendezvous hashing gives it;
 * - killing one: its target's `up` is 0, its checks' results go away, and exactly its checks'
 *   `<Name>CheckNoData` alerts fire in Prometheus (none of the other shard's);
 * - the generated promtool tests (no-data alerts included) pass.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { shardOf } from "../src/probes/runtime/shard.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO, runTool } from "./helpers.js";
import { freePort, getJson, HOST, Lab, ready, until, type Proc } from "./servers.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

const CHECKS = ["home", "login", "search", "cart", "checkout", "profile"];
const camel = (s: string) => s[0]!.toUpperCase() + s.slice(1);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

test("two runtime shards split the checks; killing one fires exactly its checks' no-data alerts", { timeout: 90_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-shards-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  const target = createServer((_req, res) => res.writeHead(200).end("ok"));
  const targetPort = await lab.listen(target);
  const shards = [`${HOST}:${await freePort()}`, `${HOST}:${await freePort()}`];
  const spec: MonitoringSpec = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: "1s" },
    probes: { shards },
    service: { name: "web", team: "web" },
    teams: [{ name: "web", receivers: [{ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/hook" }] }],
    checks: CHECKS.map((name) => ({ name, request: { url: `http://${HOST}:${targetPort}/${name}`, timeout: "500ms" }, interval: "1s" })),
  };
  const specPath = join(work, "web.json");
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const result = await compile([specPath], { typecheck: false, lint: false });
  expect(result.diagnostics.filter((d) => d.severity === "error" || d.code === "VIG4001").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);

  // The generated promtool tests cover the no-data alerts, and pass.
  const tests = readdirSync(join(out, "prometheus/tests"));
  for (const f of tests) {
    const r = runTool("promtool", ["test", "rules", join(out, "prometheus/tests", f)], REPO, 60_000);
    expect(r.status, r.output).toBe(0);
  }
  expect(result.files.filter((f) => f.path.startsWith("prometheus/tests/")).map((f) => f.content).join("").match(/alertname: \w+CheckNoData/g)?.length).toBeGreaterThanOrEqual(CHECKS.length);

  // Two replicas of the packaged runtime, one probes.json, a shard each.
  const runtimes: Proc[] = shards.map((listen, k) =>
    lab.start(`probes-${k + 1}`, process.execPath, [join(REPO, "dist/probes/vigil-probes.mjs"), "--config", join(out, "probes/probes.json"), "--listen", listen, "--shard", `${k + 1}/2`]),
  );
  const promPort = await freePort();
  const prom = lab.start("prometheus", "prometheus", [`--config.file=${join(out, "prometheus/prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom")}`, `--web.listen-address=${HOST}:${promPort}`]);
  const base = `http://${HOST}:${promPort}`;
  await until("Prometheus to be ready", [prom, ...runtimes], () => ready(base));
  const query = async (expr: string) => ((await getJson(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)) as { data: { result: Sample[] } }).data.result;
  const checksBy = async (expr: string) => {
    const by = new Map<string, string[]>();
    for (const s of await query(expr)) by.set(s.metric.instance!, [...(by.get(s.metric.instance!) ?? []), s.metric.check!].sort());
    return by;
  };

  // 1. Disjoint shares, together all, each the one rendezvous hashing gives the shard.
  let by = new Map<string, string[]>();
  await until("every check's result from its shard", [prom, ...runtimes], async () => {
    by = await checksBy('probe_success{job="vigil-probes", service="web"} == 1');
    return [...by.values()].flat().length === CHECKS.length;
  });
  const expected = shards.map((_, k) => CHECKS.filter((c) => shardOf("web", c, 2) === k + 1).sort());
  expect(expected.every((share) => share.length > 0)).toBe(true);
  expect(shards.map((s) => by.get(s) ?? [])).toEqual(expected);
  expect([...by.values()].flat().sort()).toEqual([...CHECKS].sort());

  // Before the first runs every check had no data: wait for those alerts to resolve.
  await until("no alert to fire while both shards run", [prom, ...runtimes], async () => (await query('ALERTS{service="web"}')).length === 0);

  // 2. Kill shard 1: up goes to 0, its checks' results go away, exactly their no-data alerts fire.
  runtimes[0]!.child.kill("SIGKILL");
  const tKilled = Date.now();
  const noData = (checks: string[]) => checks.map((c) => `${camel(c)}CheckNoData`).sort();
  let firing: string[] = [];
  await until("shard 1's checks' no-data alerts to fire", [prom, runtimes[1]!], async () => {
    firing = (await query('ALERTS{alertstate="firing", service="web"}')).map((s) => s.metric.alertname!).sort();
    const down = (await query(`up{job="vigil-probes", instance="${shards[0]}"} == 0`)).length === 1;
    return down && firing.join() === noData(expected[0]!).join();
  }, () => {
    const wrong = firing.filter((a) => !noData(expected[0]!).includes(a));
    return wrong.length ? `fired for a check that still runs: ${wrong.join(", ")}` : undefined;
  }, 30_000);
  const tFired = Date.now() - tKilled;
  expect((await query(`up{job="vigil-probes", instance="${shards[0]}"}`)).map((s) => s.value[1])).toEqual(["0"]);
  expect((await query(`up{job="vigil-probes", instance="${shards[1]}"}`)).map((s) => s.value[1])).toEqual(["1"]);
  by = await checksBy('probe_success{job="vigil-probes", service="web"}');
  expect([...by.keys()]).toEqual([shards[1]]);
  expect(by.get(shards[1]!)).toEqual(expected[1]);

  await lab.cleanup();
  console.log(`probe shards: ${expected.map((s) => s.length).join("+")} checks; no-data alerts fired ${(tFired / 1000).toFixed(1)} s after the kill; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
});
