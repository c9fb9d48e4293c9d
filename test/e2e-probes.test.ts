/**
 * End to end, with the real servers: a small target service on 127.0.0.1 (healthy, then
 * failing on demand), the probe runtime of this package (`vigil probes run`, as a team runs it)
 * running the compiled probes.json, a real
 * Prometheus scraping it with the compiled prometheus.yml and rules, a real Alertmanager with
 * the compiled config, and a webhook receiver this test stands in for. It proves that the
 * journey (login → token → create) passes while the target is healthy; that when the health
 * endpoint fails, the check's alert reaches the owning team's receiver (and nobody else's);
 * and that when login breaks, the journey records `login` as its failing step, stops before
 * creating anything, and its alert reaches its team.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO } from "./helpers.js";
import { freePort, getJson, HOST, Lab, ready, until } from "./servers.js";

const lab = new Lab();
afterAll(() => lab.cleanup());

interface Notification {
  path: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

test("checks and journeys run in the packaged runtime, Prometheus scrapes it, and their alerts reach the owning team", { timeout: 120_000 }, async () => {
  const t0 = Date.now();
  const work = mkdtempSync(join(tmpdir(), "vigil-e2e-probes-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));

  // 1. The target service and the stand-in webhook receivers, on one local server.
  const state = { healthy: true, loginWorks: true };
  const hits: Record<string, number> = {};
  const notifications: Notification[] = [];
  const TOKEN = "tok-e2e-123";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      hits[path] = (hits[path] ?? 0) + 1;
      const body = Buffer.concat(chunks).toString("utf8");
      const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (path.startsWith("/hook/")) {
        notifications.push({ path, alerts: (JSON.parse(body) as { alerts: Notification["alerts"] }).alerts });
        return res.writeHead(200).end("ok");
      }
      if (path === "/health") return state.healthy ? json(200, { status: "healthy" }) : json(503, { status: "degraded" });
      if (path === "/auth/login" && req.method === "POST") {
        const creds = JSON.parse(body || "{}") as { username?: string; password?: string };
        if (!state.loginWorks) return json(500, { error: "auth backend down" });
        return creds.password === "s3cret-from-env" ? json(200, { token: TOKEN }) : json(401, { error: "bad credentials" });
      }
      if (path === "/api/stories" && req.method === "POST") {
        return req.headers.authorization === `Bearer ${TOKEN}` ? json(201, { id: 42 }) : json(401, { error: "no token" });
      }
      json(404, { error: "not found" });
    });
  });
  const target = `http://${HOST}:${await lab.listen(server)}`;
  const [amPort, promPort, probePort] = [await freePort(), await freePort(), await freePort()];

  // 2. The spec: one team owns the check, another the journey.
  const fast = { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" };
  const hookTeam = (name: string): NonNullable<MonitoringSpec["teams"]>[number] => ({
    name,
    receivers: [{ name: "hook", kind: "webhook", url: `${target}/hook/${name}` }],
    escalation: { critical: { receivers: ["hook"], ...fast }, warning: { receivers: ["hook"], ...fast }, info: { receivers: ["hook"], ...fast } },
  });
  const spec: MonitoringSpec = {
    prometheus: { scrapeInterval: "1s", evaluationInterval: "1s" },
    alertmanager: { address: `${HOST}:${amPort}` },
    probes: { address: `${HOST}:${probePort}` },
    service: { name: "e2e-shop", team: "web", runbookBaseUrl: "https://runbooks.example.com/e2e-shop" },
    teams: [hookTeam("web"), hookTeam("checkout")],
    checks: [
      {
        name: "health",
        interval: "1s",
        jitter: 0,
        request: { url: `${target}/health`, timeout: "500ms" },
        assertions: [
          { source: "status", comparison: "equals", target: 200 },
          { source: "jsonBody", property: "$.status", comparison: "equals", target: "healthy" },
        ],
        alert: { failingRuns: 2 },
      },
    ],
    journeys: [
      {
        name: "story",
        team: "checkout",
        interval: "1s",
        jitter: 0,
        steps: [
          {
            name: "login",
            request: { method: "POST", url: `${target}/auth/login`, timeout: "400ms", body: { json: { username: "synthetic", password: { env: "E2E_PROBE_PASSWORD" } } } },
            assertions: [{ source: "status", comparison: "equals", target: 200 }],
            extract: { token: { from: "jsonBody", property: "$.token" } },
          },
          {
            name: "create",
            request: { method: "POST", url: `${target}/api/stories`, timeout: "400ms", headers: { Authorization: ["Bearer ", { ref: { step: "login", name: "token" } }] }, body: { json: { title: "e2e" } } },
            assertions: [{ source: "status", comparison: "equals", target: 201 }],
          },
        ],
        alert: { failingRuns: 2 },
      },
    ],
  };
  const specFile = join(work, "shop.json");
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  const result = await compile([specFile]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  const out = join(work, "out");
  expect(writeOutput(out, result.files)).toEqual([]);
  // The secret stays in the environment: probes.json names the variable only.
  const probesJson = result.files.find((f) => f.path === "probes/probes.json")!.content;
  expect(probesJson).toContain("E2E_PROBE_PASSWORD");
  expect(probesJson).not.toContain("s3cret-from-env");
  // The runtime is not copied into the output (no `probes: { bundle: true }`): the package runs it.
  expect(result.files.map((f) => f.path).filter((p) => p.startsWith("probes/"))).toEqual(["probes/probes.json"]);
  expect(existsSync(join(out, "probes/vigil-probes.mjs"))).toBe(false);

  // 3. The real servers, and the compiled probes.json run by `vigil probes run`.
  const am = lab.start("prometheus-alertmanager", "prometheus-alertmanager", [
    `--config.file=${join(out, "alertmanager/alertmanager.yml")}`,
    `--storage.path=${join(work, "am-data")}`,
    `--web.listen-address=${HOST}:${amPort}`,
    "--cluster.listen-address=",
  ]);
  const probes = lab.start("vigil probes run", process.execPath, [join(REPO, "bin/vigil.mjs"), "probes", "run", out, "--listen", `${HOST}:${probePort}`], {
    ...process.env,
    E2E_PROBE_PASSWORD: "s3cret-from-env",
  });
  const amBase = `http://${HOST}:${amPort}`;
  await until("Alertmanager to be ready", [am, probes], () => ready(amBase));
  const prom = lab.start("prometheus", "prometheus", [`--config.file=${join(out, "prometheus/prometheus.yml")}`, `--storage.tsdb.path=${join(work, "prom-data")}`, `--web.listen-address=${HOST}:${promPort}`]);
  const procs = [am, probes, prom];
  const promBase = `http://${HOST}:${promPort}`;
  await until("Prometheus to be ready", procs, () => ready(promBase));
  const query = async (q: string): Promise<number | undefined> => {
    const r = (await getJson(`${promBase}/api/v1/query?query=${encodeURIComponent(q)}`)) as { data: { result: { value: [number, string] }[] } };
    const v = r.data.result[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  };
  const names = (path: string) => [...new Set(notifications.filter((n) => n.path === path).flatMap((n) => n.alerts.filter((a) => a.status === "firing").map((a) => a.labels.alertname)))].sort();

  // 4. Healthy: Prometheus sees both probes succeed; nobody is notified.
  await until("Prometheus to see the check and the journey succeed", procs, async () => (await query('probe_success{check="health"}')) === 1 && (await query('probe_success{journey="story"}')) === 1);
  const tHealthy = Date.now() - t0;
  expect(await query('vigil_journey_step_success{journey="story", step="create"}')).toBe(1);
  expect(hits["/api/stories"]).toBeGreaterThan(0);
  expect(notifications).toEqual([]);

  // 5. The health endpoint fails: the check's alert reaches team web, and only team web.
  state.healthy = false;
  await until("HealthCheckFailing at team web's receiver", procs, () => names("/hook/web").includes("HealthCheckFailing"), () =>
    names("/hook/checkout").length ? `team checkout was notified: ${names("/hook/checkout").join(", ")}` : undefined,
  );
  const tCheckAlert = Date.now() - t0;
  expect(await query('vigil_probe_failures_total{check="health", reason="assertion"}')).toBeGreaterThan(0);
  const web = notifications.filter((n) => n.path === "/hook/web").flatMap((n) => n.alerts);
  expect(web.find((a) => a.labels.alertname === "HealthCheckFailing")!.labels).toMatchObject({ check: "health", team: "web", severity: "critical", service: "e2e-shop" });

  // 6. Login breaks: the journey fails at step login, never sends create, and team checkout hears of it.
  state.loginWorks = false;
  await until("the journey to report its failing step", procs, async () => (await query('vigil_journey_step_success{journey="story", step="login"}')) === 0);
  const creates = hits["/api/stories"] ?? 0;
  expect(await query('vigil_probe_failures_total{journey="story", step="login"}')).toBeGreaterThan(0);
  await until("StoryJourneyFailing at team checkout's receiver", procs, () => names("/hook/checkout").includes("StoryJourneyFailing"));
  const tJourneyAlert = Date.now() - t0;
  // Runs went on while login was broken; not one of them reached the create step.
  expect(hits["/api/stories"] ?? 0).toBe(creates);
  expect(await query('vigil_journey_step_success{journey="story", step="create"}')).toBeUndefined();
  expect(names("/hook/checkout")).toEqual(["StoryJourneyFailing"]);

  await lab.cleanup();
  // SIGTERM reached the runtime inside `vigil probes run`: it stopped cleanly, exit 0.
  expect(probes.exited()).toBe("exited with 0");
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`e2e probes: healthy seen ${s(tHealthy)}, check alert delivered ${s(tCheckAlert)}, journey alert delivered ${s(tJourneyAlert)}; ${Object.values(hits).reduce((a, b) => a + b, 0)} requests to the target`);
});
