/**
 * Vigil's port of Alertmanager's route matching (src/alertmanager/route-match.ts) against the
 * real one (`amtool config routes test`): on every routing case of the goldens and of a
 * two-spec merge, on those cases' labels perturbed (an unknown team, no severity, another
 * service), and on a hand-written tree with `continue`, `match`, `match_re`, `!=`, `!~`, nested
 * routes and inherited receivers, the two resolve the same receivers in the same order.
 * `vigil routes test` (routeCases) trusts the matcher only where amtool agrees in the same run:
 * a disagreement sends every case through amtool, and a misrouted case is always amtool's verdict.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterAll, describe, expect, test } from "vitest";
import { readRoutingCases, routeCases } from "../src/alertmanager/amtool.js";
import type { RoutingCase } from "../src/alertmanager/cases.js";
import { matchRoutes, routeTree } from "../src/alertmanager/route-match.js";
import { main } from "../src/cli/main.js";
import { compile } from "../src/compile.js";
import { REPO } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "vigil-route-match-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What amtool resolves for each label set (the expected receivers are left empty: amtool prints what it finds). */
async function amtoolReceivers(configFile: string, labelSets: readonly Record<string, string>[]): Promise<string[]> {
  const cases: RoutingCase[] = labelSets.map((labels, i) => ({ alert: `case-${i}`, labels, receivers: ["(none)"] }));
  const run = await routeCases(configFile, cases, { exhaustive: true, concurrency: 2 });
  expect(run.stats.amtool).toBe(cases.length);
  for (const r of run.results) expect(r.error ?? "", JSON.stringify(r.case.labels)).not.toMatch(/not found|error/i);
  return run.results.map((r) => r.actual.join(","));
}

function ownReceivers(configFile: string, labelSets: readonly Record<string, string>[]): string[] {
  const tree = routeTree(loadYaml(readFileSync(configFile, "utf8")));
  expect(tree).toBeDefined();
  return labelSets.map((l) => matchRoutes(tree!, l).map((r) => r.receiver).join(","));
}

function perturbed(cases: readonly RoutingCase[]): Record<string, string>[] {
  return cases.flatMap((c, i) => {
    const { severity: _s, ...noSeverity } = c.labels;
    const variants = [c.labels, { ...c.labels, team: "nobody" }, noSeverity];
    if (i % 3 === 0) variants.push({ ...c.labels, service: "elsewhere" }, { ...c.labels, severity: "info" });
    return variants;
  });
}

async function outputs(): Promise<{ name: string; dir: string }[]> {
  const goldens = readdirSync(join(REPO, "golden"))
    .sort()
    .filter((n) => existsSync(join(REPO, "golden", n, "alertmanager/alertmanager.yml")))
    .map((n) => ({ name: `golden/${n}`, dir: join(REPO, "golden", n) }));
  const merged = await compile(["shared-a.ts", "shared-b.ts"].map((f) => join(REPO, "test/fixtures/merge", f)), { typecheck: false, lint: false });
  expect(merged.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const dir = join(work, "merge");
  for (const f of merged.files.filter((f) => f.path.startsWith("alertmanager/"))) {
    const path = join(dir, f.path);
    (await import("node:fs")).mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, f.content);
  }
  return [...goldens, { name: "fixtures/merge (two specs)", dir }];
}

describe("route matching agrees with amtool", () => {
  test("on every routing case of the goldens and a merge, and on those labels perturbed", { timeout: 300_000 }, async () => {
    let compared = 0;
    for (const { name, dir } of await outputs()) {
      const config = join(dir, "alertmanager/alertmanager.yml");
      const labels = perturbed(await readRoutingCases(dir));
      const [amtool, own] = [await amtoolReceivers(config, labels), ownReceivers(config, labels)];
      const differ = labels.map((l, i) => ({ l, amtool: amtool[i], own: own[i] })).filter((x) => x.amtool !== x.own);
      expect(differ, name).toEqual([]);
      // Misses are among them: the catch-all or the team route itself.
      expect(new Set(amtool).size, name).toBeGreaterThan(1);
      compared += labels.length;
    }
    expect(compared).toBeGreaterThan(200);
  });

  test("on a tree with continue, match, match_re, negative matchers, nesting and inherited receivers", { timeout: 120_000 }, async () => {
    const config = join(work, "tree.yml");
    writeFileSync(
      config,
      [
        "route:",
        "  receiver: root",
        "  routes:",
        "    - matchers: ['team=\"a\"']",
        "      continue: true",
        "      routes:",
        "        - receiver: a-page",
        "          matchers: ['severity=~\"critical|error\"']",
        "        - matchers: ['severity!=\"info\"', 'env!~\"dev.*\"']",
        "          receiver: a-rest",
        "        - match: { env: dev }",
        "    - match_re: { team: 'a|b' }",
        "      receiver: ab",
        "      routes:",
        "        - matchers: [service=\"x\\\\\\\"y\"]",
        "          receiver: quoted",
        "    - matchers: ['team=~\"c.*\"', 'tier=\"\"']",
        "      receiver: c-no-tier",
        "receivers: [{ name: root }, { name: a-page }, { name: a-rest }, { name: ab }, { name: quoted }, { name: c-no-tier }]",
        "",
      ].join("\n"),
    );
    const labels: Record<string, string>[] = [];
    for (const team of ["a", "b", "c", "cc", "", "ab"])
      for (const severity of ["critical", "error", "warning", "info", ""])
        for (const env of ["prod", "dev", "dev2", ""])
          for (const extra of [{}, { tier: "page" }, { service: 'x"y' }] as Record<string, string>[]) labels.push({ ...(team ? { team } : {}), ...(severity ? { severity } : {}), ...(env ? { env } : {}), ...extra });
    const [amtool, own] = [await amtoolReceivers(config, labels), ownReceivers(config, labels)];
    expect(labels.map((l, i) => ({ l, amtool: amtool[i], own: own[i] })).filter((x) => x.amtool !== x.own)).toEqual([]);
    expect(new Set(amtool).size).toBeGreaterThanOrEqual(6);
  });
});

describe("vigil routes test's sampling", () => {
  test("amtool checks a sample; a misrouted case is amtool's verdict", { timeout: 120_000 }, async () => {
    const dir = join(REPO, "golden/halcytone");
    const config = join(dir, "alertmanager/alertmanager.yml");
    const cases = await readRoutingCases(dir);
    const run = await routeCases(config, cases, { sample: 2 });
    expect(run.results.every((r) => r.ok)).toBe(true);
    expect(run.stats.disagreements).toBe(0);
    expect(run.stats.amtool).toBe(2);
    expect(run.results.filter((r) => r.checkedBy === "amtool")).toHaveLength(2);
    // One wrong expectation: amtool runs it and reports what it resolved.
    const wrong = cases.map((c, i) => (i === 7 ? { ...c, receivers: ["someone/else"] } : c));
    const failing = await routeCases(config, wrong, { sample: 2 });
    expect(failing.results.filter((r) => !r.ok).map((r) => r.case.alert)).toEqual([cases[7]!.alert]);
    expect(failing.results[7]!.checkedBy).toBe("amtool");
    expect(failing.results[7]!.actual).toEqual(cases[7]!.receivers);
    expect(failing.stats.amtool).toBeLessThanOrEqual(3);
  });

  test("where the matcher and amtool disagree, every case goes through amtool", { timeout: 120_000 }, async () => {
    // RE2's \\s is [\\t\\n\\f\\r ]; JavaScript's also matches a no-break space: a real difference.
    const config = join(work, "nbsp.yml");
    writeFileSync(config, ["route:", "  receiver: root", "  routes:", "    - matchers: ['team=~\"a\\\\sb\"']", "      receiver: spaced", "receivers: [{ name: root }, { name: spaced }]", ""].join("\n"));
    const cases: RoutingCase[] = [
      { alert: "Nbsp", labels: { team: "a\u00a0b" }, receivers: ["root"] },
      { alert: "Space", labels: { team: "a b" }, receivers: ["spaced"] },
      { alert: "Other", labels: { team: "c" }, receivers: ["root"] },
    ];
    expect(ownReceivers(config, [cases[0]!.labels])).toEqual(["spaced"]);
    const run = await routeCases(config, cases, { sample: 1 });
    expect(run.stats.disagreements).toBe(1);
    expect(run.stats.exhaustiveBecause).toBe("disagreement");
    expect(run.stats.amtool).toBe(cases.length);
    expect(run.results.map((r) => [r.ok, r.actual.join(",")])).toEqual([
      [true, "root"],
      [true, "spaced"],
      [true, "root"],
    ]);
  });
});

describe("vigil routes test", () => {
  const cli = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const status = await main(["routes", "test", ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: REPO, color: false });
    return { status, stdout, stderr };
  };
  test("says how the cases were checked; --all runs amtool on every one", { timeout: 120_000 }, async () => {
    const cases = (await readRoutingCases(join(REPO, "golden/halcytone"))).length;
    const sampled = await cli(["golden/halcytone"]);
    expect(sampled.stderr).toBe("");
    expect(sampled.status).toBe(0);
    expect(sampled.stdout).toMatch(new RegExp(`^vigil: ${cases} of ${cases} routing cases reach their receivers \\(Vigil's port of Alertmanager's route matching; amtool config routes test agreed on all \\d+ cases it ran: every misrouted one and one case for each of the \\d+ distinct route sets\\)\\n$`));
    const all = await cli(["golden/halcytone", "--all"]);
    expect(all.status).toBe(0);
    expect(all.stdout).toBe(`vigil: ${cases} of ${cases} routing cases reach their receivers (amtool config routes test)\n`);
  });
});
