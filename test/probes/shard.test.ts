/**
 * `--shard k/n` of the probe runtime: the split is a partition (disjoint, together all), each
 * probe's shard depends on its service and name only, adding a shard moves probes only to the new
 * one, the shares are near even; `--once --shard` requests exactly its share of a local server's
 * endpoints; a bad `--shard` is a usage error (exit 2). End to end with Prometheus:
 * test/e2e-probe-shards.test.ts.
 */
import http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, runCli, type CliIo } from "../../src/probes/runtime/cli.js";
import { parseShard, shardConfig, shardOf } from "../../src/probes/runtime/shard.js";
import { check, close, config, journey, listen, request, step } from "./fixtures/probes.js";

const names = Array.from({ length: 1000 }, (_, i) => `check-${i}`);

describe("rendezvous split", () => {
  it("every probe has one shard in 1..n, the same every time, and by service as well as name", () => {
    for (const n of [1, 2, 3, 7]) {
      for (const name of names.slice(0, 100)) {
        const k = shardOf("svc", name, n);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(n);
        expect(shardOf("svc", name, n)).toBe(k);
      }
    }
    // Two services' checks of one name are two probes, placed independently.
    expect(names.slice(0, 50).some((n) => shardOf("a", n, 4) !== shardOf("b", n, 4))).toBe(true);
  });

  it("adding a shard moves probes only to the new shard, about 1/(n+1) of them", () => {
    for (const n of [1, 2, 4]) {
      const moved = names.filter((name) => shardOf("svc", name, n) !== shardOf("svc", name, n + 1));
      expect(moved.every((name) => shardOf("svc", name, n + 1) === n + 1)).toBe(true);
      expect(Math.abs(moved.length - names.length / (n + 1))).toBeLessThan(names.length / (n + 1) / 4);
    }
  });

  it("shares are near even, disjoint and together all (checks and journeys)", () => {
    const cfg = config(
      names.slice(0, 600).map((n) => check(n, request("http://127.0.0.1:9/"))),
      names.slice(600, 700).map((n) => journey(n, [step("s", request("http://127.0.0.1:9/"))])),
    );
    const shares = [1, 2, 3].map((index) => shardConfig(cfg, { index, count: 3 }));
    const all = shares.flatMap((s) => [...s.checks, ...s.journeys].map((p) => p.name));
    expect(all.sort()).toEqual(names.slice(0, 700).sort());
    expect(new Set(all).size).toBe(700);
    for (const s of shares) expect(Math.abs(s.checks.length - 200)).toBeLessThan(40);
    expect(shares.map((s) => s.maxConcurrency)).toEqual([cfg.maxConcurrency, cfg.maxConcurrency, cfg.maxConcurrency]);
  });

  it("parses k/n and refuses what is not a shard", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", "1/1001"]) expect(() => parseShard(bad), bad).toThrow(/--shard: expected k\/n/);
    expect(parseArgs(["--shard", "1/2"]).shard).toEqual({ index: 1, count: 2 });
    expect(parseArgs(["--shard=2/2"]).shard).toEqual({ index: 2, count: 2 });
  });
});

describe("the runtime with --shard", () => {
  let dir = "";
  let server: http.Server;
  let base = "";
  const hits: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigil-shard-"));
    server = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("ok");
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });
  const io = (): CliIo & { err: string } => {
    const o = { err: "", log: () => {}, stderr: (t: string) => void (o.err += t), env: {}, onSignal: () => () => {} };
    return o;
  };

  it("--once --shard k/2 requests exactly shard k's endpoints; the two together request each once", async () => {
    const checks = names.slice(0, 12).map((n) => check(n, request(`${base}/${n}`)));
    const path = join(dir, "probes.json");
    writeFileSync(path, JSON.stringify(config(checks)));
    const seen: string[][] = [];
    for (const k of [1, 2]) {
      hits.length = 0;
      expect(await runCli(["--once", "--config", path, "--shard", `${k}/2`], "x", io())).toBe(0);
      seen.push([...hits].sort());
      expect(seen[k - 1]).toEqual(names.slice(0, 12).filter((n) => shardOf("svc", n, 2) === k).map((n) => `/${n}`).sort());
    }
    expect(seen.every((s) => s.length > 0)).toBe(true);
    expect([...seen[0]!, ...seen[1]!].sort()).toEqual(names.slice(0, 12).map((n) => `/${n}`).sort());
  });

  it("a bad --shard is a usage error: exit 2, nothing run", async () => {
    hits.length = 0;
    const o = io();
    expect(await runCli(["--once", "--config", join(dir, "probes.json"), "--shard", "3/2"], "x", o)).toBe(2);
    expect(o.err).toContain('--shard: expected k/n with 1 <= k <= n <= 1000, got "3/2"');
    expect(hits).toEqual([]);
  });
});
