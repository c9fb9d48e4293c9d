/** `vigil lint` on rule files and specs, with every reporter, through the real CLI. */
import { describe, expect, test } from "vitest";
import { runCli } from "./helpers.js";

const BAD = "test/fixtures/lint/bad.rules.yml";

describe("vigil lint on plain rule files", () => {
  test("reports front-end errors and rule findings at their file positions", () => {
    const r = runCli(["lint", BAD]);
    expect(r.status).toBe(1);
    // rate over 30s at the default 15s scrape interval (line 5, the matrix selector at column 34)
    expect(r.stderr).toContain("bad.rules.yml:5:34 - warning promql/rate-window:");
    // the stray identifier inside a block scalar (line 9, column 43)
    expect(r.stderr).toContain('bad.rules.yml:9:43 - error promql/syntax: unexpected identifier "bar"');
    expect(r.stderr).toContain("bad.rules.yml:14:20 - error promql/type:");
    expect(r.stderr).not.toContain("    at "); // no stack traces
  });

  test("reads PrometheusRule custom resources", () => {
    const r = runCli(["lint", "test/fixtures/lint/prometheusrule.yaml"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("prometheusrule.yaml:10:26 - error promql/type:");
  });

  test("a clean file exits 0; --max-warnings turns warnings into failure", () => {
    expect(runCli(["lint", "test/fixtures/lint/clean.rules.yml"]).status).toBe(0);
    const warnOnly = "test/fixtures/lint/warn.rules.yml";
    expect(runCli(["lint", warnOnly]).status).toBe(0);
    const strict = runCli(["lint", warnOnly, "--max-warnings", "0"]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("1 warnings (more than --max-warnings 0)");
  });
});

describe("reporters", () => {
  test("json", () => {
    const r = runCli(["lint", BAD, "--format", "json"]);
    const found = JSON.parse(r.stdout) as { code: string; file: string; line: number; column: number }[];
    expect(found.map((f) => `${f.code}@${f.line}:${f.column}`)).toEqual(["promql/rate-window@5:34", "promql/syntax@9:43", "promql/type@14:20"]);
    expect(found[0]!.file).toBe(BAD);
  });

  test("github workflow annotations", () => {
    const lines = runCli(["lint", BAD, "--format", "github"]).stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`::error file=${BAD},line=9,col=43,endLine=9,endColumn=46,title=promql/syntax::unexpected identifier "bar"`);
    expect(lines[0]).toMatch(/^::warning file=.*title=promql\/rate-window::/);
  });

  test("sarif 2.1.0", () => {
    const log = JSON.parse(runCli(["lint", BAD, "--format", "sarif"]).stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("vigil");
    expect(run.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ["promql/rate-window", "warning", 5],
      ["promql/syntax", "error", 9],
      ["promql/type", "error", 14],
    ]);
    for (const x of run.results) expect(run.tool.driver.rules[x.ruleIndex]!.id).toBe(x.ruleId);
  });

  test("an unknown format is a usage error", () => {
    const r = runCli(["lint", BAD, "--format", "xml"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--format");
  });
});
