import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeJourney } from "../../src/probes/config.js";
import { runLogLine } from "../../src/probes/runtime/log.js";
import { ProbeMetrics } from "../../src/probes/runtime/metrics.js";
import { runOnce } from "../../src/probes/runtime/probes.js";
import { runProbeOnce } from "../../src/probes/runtime/run.js";
import { close, config, journey, listen, request, sample, step } from "./fixtures/probes.js";

const PASSWORD = "pa55word-from-env";
let server: http.Server;
let base = "";
let loginFails = false;
const counts = { login: 0, create: 0, get: 0 };
let createdWith: { auth?: string; body?: unknown } = {};

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => resolve(s));
  });
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.method === "POST" && req.url === "/login") {
      counts.login++;
      if (loginFails) return json(500, { error: "down" });
      const creds = JSON.parse(body) as { user: string; password: string };
      if (creds.password !== PASSWORD) return json(401, { error: "bad password" });
      return json(200, { token: "tok-abc", user: { id: 42 } });
    }
    if (req.method === "POST" && req.url === "/items") {
      counts.create++;
      createdWith = { auth: req.headers.authorization, body: JSON.parse(body) };
      if (req.headers.authorization !== "Bearer tok-abc") return json(401, { error: "no token" });
      return json(201, { id: 7 }, { location: "/items/7" });
    }
    if (req.method === "GET" && req.url === "/items/7") {
      counts.get++;
      return json(200, { id: 7, owner: 42 });
    }
    json(404, {});
  });
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  await close(server);
});

function shopJourney(): ProbeJourney {
  return journey("shop", [
    step(
      "login",
      request(`${base}/login`, {
        method: "POST",
        body: {
          kind: "json",
          value: {
            kind: "object",
            entries: [
              ["user", { kind: "string", value: [{ text: "probe" }] }],
              ["password", { kind: "string", value: [{ env: "VIGIL_TEST_PASSWORD" }] }],
            ],
          },
        },
      }),
      {
        assertions: [{ subject: { kind: "status" }, comparator: "equals", expected: 200, label: "journeys[0].steps[0].assertions[0]" }],
        extract: [
          { name: "token", from: "jsonBody", path: ["token"] },
          { name: "userId", from: "jsonBody", path: ["user", "id"] },
        ],
      },
    ),
    step(
      "create",
      request(`${base}/items`, {
        method: "POST",
        headers: { authorization: [{ text: "Bearer " }, { ref: { step: "login", name: "token" } }] },
        body: { kind: "json", value: { kind: "object", entries: [["owner", { kind: "ref", ref: { step: "login", name: "userId" } }]] } },
      }),
      {
        assertions: [{ subject: { kind: "status" }, comparator: "equals", expected: 201, label: "journeys[0].steps[1].assertions[0]" }],
        extract: [
          { name: "id", from: "jsonBody", path: ["id"] },
          { name: "location", from: "header", header: "location" },
        ],
      },
    ),
    step("get", request(base, { url: [{ text: base }, { ref: { step: "create", name: "location" } }] }), {
      assertions: [
        { subject: { kind: "jsonBody", path: ["owner"] }, comparator: "equals", expected: 42, label: "journeys[0].steps[2].assertions[0]" },
        { subject: { kind: "jsonBody", path: ["id"] }, comparator: "equals", expected: 7, label: "journeys[0].steps[2].assertions[1]" },
      ],
    }),
  ]);
}

describe("journeys", () => {
  const env = { VIGIL_TEST_PASSWORD: PASSWORD };

  it("login → create → get passes, values flowing forward with their types", async () => {
    loginFails = false;
    const j = shopJourney();
    const r = await runProbeOnce(j, { env });
    expect(r).toMatchObject({ kind: "journey", name: "shop", success: true, status: 200 });
    expect(r.steps?.map((s) => [s.name, s.success])).toEqual([
      ["login", true],
      ["create", true],
      ["get", true],
    ]);
    expect(createdWith).toEqual({ auth: "Bearer tok-abc", body: { owner: 42 } });
  });

  it("a failing login stops the journey: step recorded in metrics and log, create not sent", async () => {
    const j = shopJourney();
    const metrics = new ProbeMetrics(config([], [j]));

    loginFails = false;
    metrics.record(j, await runProbeOnce(j, { env }));
    let text = await metrics.metrics();
    expect(sample(text, "vigil_journey_step_success", { journey: "shop", step: "get" })).toBe(1);
    expect(sample(text, "vigil_journey_step_duration_seconds", { journey: "shop", step: "create" })).toBeGreaterThan(0);

    loginFails = true;
    const before = { ...counts };
    const r = await runProbeOnce(j, { env });
    expect(r).toMatchObject({ success: false, step: "login", reason: "assertion", status: 500 });
    expect(r.message).toContain("journeys[0].steps[0].assertions[0]");
    expect(counts.login).toBe(before.login + 1);
    expect(counts.create).toBe(before.create);
    expect(counts.get).toBe(before.get);

    metrics.record(j, r);
    text = await metrics.metrics();
    expect(sample(text, "probe_success", { journey: "shop" })).toBe(0);
    expect(sample(text, "vigil_probe_failures_total", { journey: "shop", step: "login", reason: "assertion" })).toBe(1);
    expect(sample(text, "vigil_probe_runs_total", { journey: "shop", result: "failure" })).toBe(1);
    expect(sample(text, "vigil_probe_runs_total", { journey: "shop", result: "success" })).toBe(1);
    expect(sample(text, "vigil_probe_consecutive_failures", { journey: "shop" })).toBe(1);
    expect(sample(text, "vigil_journey_step_success", { journey: "shop", step: "login" })).toBe(0);
    // steps not reached have no series
    expect(sample(text, "vigil_journey_step_success", { journey: "shop", step: "create" })).toBeUndefined();
    expect(sample(text, "vigil_journey_step_duration_seconds", { journey: "shop", step: "get" })).toBeUndefined();
    // no per-phase series for journeys
    expect(text).not.toMatch(/probe_http_duration_seconds\{[^}]*journey=/);

    const line = JSON.parse(runLogLine(r)) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "warn", journey: "shop", success: false, step: "login", reason: "assertion", status: 500 });
    expect(JSON.stringify(line)).not.toContain(PASSWORD);
    loginFails = false;
  });

  it("a missing secret fails the first step without sending anything", async () => {
    const before = { ...counts };
    const r = await runProbeOnce(shopJourney(), { env: {} });
    expect(r).toMatchObject({ success: false, step: "login", reason: "missing_env", status: 0 });
    expect(counts).toEqual(before);
  });

  it("a value missing from a response fails with extraction at that step", async () => {
    const j = shopJourney();
    const login = j.steps[0];
    if (login) login.extract.push({ name: "refresh", from: "jsonBody", path: ["refreshToken"] });
    const r = await runProbeOnce(j, { env });
    expect(r).toMatchObject({ success: false, step: "login", reason: "extraction" });
  });

  it("--once semantics via runOnce: results in order, secrets never logged", async () => {
    const lines: string[] = [];
    const results = await runOnce(config([], [shopJourney()]), { env, log: (l) => lines.push(l) });
    expect(results.map((r) => r.success)).toEqual([true]);
    expect(lines).toHaveLength(1);
    expect(lines.join("\n")).not.toContain(PASSWORD);
    expect(lines.join("\n")).not.toContain("tok-abc");
  });
});
