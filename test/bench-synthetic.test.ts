/**
 * The scale benchmark's synthetic platform (bench/synthetic.mjs) must stay a valid platform as
 * the spec language moves: it compiles without a diagnostic to the sizes it promises, and the
 * same size writes the same bytes. Front end only (emit: false): the benchmark itself emits.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { platformOf, sloCount, syntheticServiceSpec, writeSyntheticPlatform, type SyntheticSize } from "../bench/synthetic.mjs";
import { compile } from "../src/compile.js";

const tmp = mkdtempSync(join(tmpdir(), "vigil-synthetic-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test("a synthetic platform compiles cleanly to the SLOs, ladders, dashboards and checks of its size", async () => {
  const size: SyntheticSize = { services: 3, slos: 5, ladders: 3, dashboards: 2, checks: 2 };
  const paths = writeSyntheticPlatform(join(tmp, "a"), size);
  expect(paths).toHaveLength(3);
  const result = await compile(paths, { typecheck: false, emit: false });
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const services = result.model!.services;
  expect(services.map((s) => s.name)).toEqual(["svc-0000", "svc-0001", "svc-0002"]);
  expect(services.reduce((n, s) => n + s.slos.length, 0)).toBe(sloCount(size));
  for (const s of services) {
    // A ladder is one alert name with a rule per severity: critical, warning and info.
    const ladders = new Map<string, string[]>();
    for (const a of s.alerts) if (/^(ErrorRatio|SlowRoute)\d+$/.test(a.name)) ladders.set(a.name, [...(ladders.get(a.name) ?? []), a.severity]);
    expect([...ladders.values()].map((sev) => [...sev].sort())).toEqual(Array.from({ length: size.ladders }, () => ["critical", "info", "warning"]));
    expect(s.dashboards).toHaveLength(size.dashboards);
    expect(s.probes?.checks ?? []).toHaveLength(size.checks);
  }
});

test("a platform of 1,000 SLOs is 100 services; a service is written as generated", () => {
  const size = platformOf(1000);
  expect(size.services).toBe(100);
  expect(sloCount(size)).toBe(1000);
  const one = { ...size, services: 1 };
  const [first] = writeSyntheticPlatform(join(tmp, "b"), one);
  expect(readFileSync(first!, "utf8")).toBe(syntheticServiceSpec(0, one));
  expect(() => platformOf(105)).toThrow(/multiple of 10/);
});
