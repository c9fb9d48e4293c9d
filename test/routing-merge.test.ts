/**
 * Specs compiled together share one Alertmanager: a team is declared in full by one spec (or
 * identically by each) and named by the others; time intervals and settings are one set.
 * Conflicts are VIG2022 at the second declaration, with the first as related location in the
 * other file; a team named without receivers gets the receivers another spec declares, and the
 * one alertmanager.yml routes both services' alerts there (checked with amtool).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import yaml from "js-yaml";
import { afterAll, describe, expect, test } from "vitest";
import { defaultConfigFile, readRoutingCases, runRoutingCases } from "../src/alertmanager/amtool.js";
import { ALERTMANAGER_CONFIG_PATH, ROUTING_TESTS_PATH } from "../src/alertmanager/index.js";
import { compile } from "../src/compile.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO, runCli, runTool } from "./helpers.js";

const FIXTURES = join(REPO, "test/fixtures/merge");
const fixture = (name: string) => join(FIXTURES, name);

/** `line:col` of the unique `needle` in a fixture (plus an offset into it). */
function position(file: string, needle: string, offset = 0): string {
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`needle ${JSON.stringify(needle)} must occur exactly once in ${file}`);
  const before = text.slice(0, at + offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

const work = mkdtempSync(join(tmpdir(), "vigil-merge-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Conflict {
  title: string;
  a: string;
  b: string;
  /** Where the error points, in b, and the related location, in a. */
  at: string;
  relatedAt: string;
  message: RegExp;
  related: RegExp;
}

const CONFLICTS: Conflict[] = [
  {
    title: "the same team with different receivers",
    a: "conflict-a.ts",
    b: "conflict-b.ts",
    at: '"payments",\n      receivers',
    relatedAt: '"payments",\n      receivers',
    message: /team "payments" is declared with different receivers or escalation by two specs/,
    related: /declared differently here/,
  },
  {
    title: "the same time interval with different ranges",
    a: "intervals-a.ts",
    b: "intervals-b.ts",
    at: '"nights", ranges',
    relatedAt: '"nights", ranges',
    message: /time interval "nights" is declared twice with different ranges/,
    related: /first declared here/,
  },
];

describe("conflicting declarations across specs (VIG2022)", () => {
  for (const c of CONFLICTS) {
    test(`${c.title}: at the second, related to the first`, async () => {
      const a = fixture(c.a);
      const b = fixture(c.b);
      const result = await compile([a, b]);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((d) => d.code)).toEqual(["VIG2022"]);
      const d = errors[0]!;
      expect(d.message).toMatch(c.message);
      expect(d.location?.file).toBe(b);
      expect(`${d.location?.line}:${d.location?.column}`).toBe(position(b, c.at));
      expect(d.related).toHaveLength(1);
      expect(d.related![0]!.message).toMatch(c.related);
      expect(d.related![0]!.location?.file).toBe(a);
      expect(`${d.related![0]!.location?.line}:${d.related![0]!.location?.column}`).toBe(position(a, c.relatedAt));
      expect(result.files).toEqual([]);
    });

    test(`${c.title}: vigil compile exits 1 and writes nothing`, () => {
      const out = join(work, `out-${c.a}`);
      const r = runCli(["compile", fixture(c.a), fixture(c.b), "--out", out, "--no-typecheck"], work);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${relative(work, fixture(c.b))}:${position(fixture(c.b), c.at)} - error VIG2022:`);
      expect(existsSync(out)).toBe(false);
    });
  }

  test("order decides which file carries the error", async () => {
    const result = await compile([fixture("conflict-b.ts"), fixture("conflict-a.ts")]);
    const d = result.diagnostics.find((x) => x.code === "VIG2022")!;
    expect(d.location?.file).toBe(fixture("conflict-a.ts"));
    expect(d.related?.[0]?.location?.file).toBe(fixture("conflict-b.ts"));
  });
});

describe("a team declared in one spec and named in another", () => {
  const a = fixture("shared-a.ts");
  const b = fixture("shared-b.ts");
  const out = join(work, "shared");

  /** alerts/routing sees the teams of every spec: b's alerts reach the receivers a declares. */
  test("compiles with lint (vigil compile a.ts b.ts --out DIR exits 0)", () => {
    const r = runCli(["compile", a, b, "--out", join(work, "shared-cli"), "--no-typecheck"], work);
    expect(r.stderr).not.toContain("alerts/routing");
    expect(r.status).toBe(0);
  });

  test("compiles into one alertmanager.yml with both services' routes", async () => {
    const result = await compile([a, b]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.files.filter((f) => f.path.endsWith("alertmanager.yml")).map((f) => f.path)).toEqual([ALERTMANAGER_CONFIG_PATH]);
    expect(result.files.map((f) => f.path)).toEqual(expect.arrayContaining(["prometheus/rules/checkout.rules.yml", "prometheus/rules/refunds.rules.yml"]));
    expect(writeOutput(out, result.files)).toEqual([]);

    const config = yaml.load(readFileSync(join(out, ALERTMANAGER_CONFIG_PATH), "utf8")) as {
      route: { routes: { matchers: string[]; routes: { matchers: string[]; mute_time_intervals?: string[]; routes?: { mute_time_intervals?: string[] }[] }[] }[] };
      receivers: { name: string }[];
      inhibit_rules: { source_matchers: string[] }[];
      time_intervals: { name: string }[];
    };
    // One team route; refunds' maintenance (an interval shared-a.ts declares) gives it its own muted severity routes first.
    expect(config.route.routes.map((r) => r.matchers)).toEqual([['team="payments"']]);
    // Intervals sit on the routes that deliver: a severity fanned out to several receivers carries them on each child.
    const delivering = (r: { mute_time_intervals?: string[]; routes?: { mute_time_intervals?: string[] }[] }) =>
      r.routes?.length ? [...new Set(r.routes.flatMap((c) => c.mute_time_intervals ?? []))] : (r.mute_time_intervals ?? []);
    expect(config.route.routes[0]!.routes.map((r) => [r.matchers.join(","), delivering(r)])).toEqual([
      ['service="refunds",severity="critical"', ["sunday-deploys"]],
      ['service="refunds",severity="warning"', ["sunday-deploys"]],
      ['service="refunds",severity="info"', ["sunday-deploys"]],
      ['severity="critical"', []],
      ['severity="warning"', []],
      ['severity="info"', []],
    ]);
    expect(config.receivers.map((r) => r.name)).toEqual(["vigil/catch-all", "vigil/discard", "payments/pagerduty", "payments/slack", "payments/mail"]);
    expect(config.time_intervals.map((t) => t.name)).toEqual(["sunday-deploys"]);
    expect(config.inhibit_rules.map((r) => r.source_matchers)).toContainEqual(['service="refunds"', 'alertname="RefundsDown"']);
    expect(runTool("amtool", ["check-config", join(out, ALERTMANAGER_CONFIG_PATH)]).status).toBe(0);
  });

  test("both services' routing cases reach the team's receivers (amtool)", async () => {
    expect(existsSync(join(out, ROUTING_TESTS_PATH))).toBe(true);
    const cases = await readRoutingCases(out);
    expect(cases.map((c) => `${c.labels.service} ${c.alert} ${c.labels.severity} → ${c.receivers.join(",")}`)).toEqual([
      "checkout CheckoutErrors critical → payments/pagerduty,payments/slack",
      "checkout CheckoutErrors warning → payments/slack",
      "checkout CheckoutErrors info → payments/mail",
      "refunds RefundErrors critical → payments/pagerduty,payments/slack",
      "refunds RefundErrors warning → payments/slack",
      "refunds RefundsDown critical → payments/pagerduty,payments/slack",
    ]);
    const results = await runRoutingCases(defaultConfigFile(out), cases);
    expect(results.filter((r) => !r.ok).map((r) => ({ alert: r.case.alert, labels: r.case.labels, expected: r.case.receivers, amtool: r.actual, error: r.error }))).toEqual([]);
    expect(results.map((r) => r.actual.join(","))).toEqual(cases.map((c) => c.receivers.join(",")));
  });
});
