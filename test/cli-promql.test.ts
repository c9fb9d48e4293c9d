/** `vigil promql check | fmt | check-rules` through the real CLI. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli } from "./helpers.js";

describe("vigil promql check", () => {
  test("a valid expression exits 0 and names its type", () => {
    const r = runCli(["promql", "check", "sum by (job) (rate(http_requests_total[5m]))"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("valid: instant vector\n");
  });

  test("an invalid one exits 1 with line:col and a caret under the token", () => {
    const r = runCli(["promql", "check", "rate(foo)"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('1:6: error: expected type range vector in call to function "rate", got instant vector');
    expect(r.stderr).toContain("  rate(foo)\n       ~~~");
  });

  test("--target gates functions by Prometheus version", () => {
    expect(runCli(["promql", "check", 'sort_by_label(foo, "a")']).status).toBe(1);
    expect(runCli(["promql", "check", "--target", "3.0", "holt_winters(foo[5m], 0.5, 0.5)"]).stderr).toContain("renamed");
    expect(runCli(["promql", "check", "--target", "3.0", "present_over_time(foo[5m])"]).status).toBe(0);
    const bad = runCli(["promql", "check", "--target", "latest", "foo"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--target");
  });

  test("with -, one JSON result per JSON string line, character offsets, exit 1 if any is invalid", () => {
    const input = ['"up"', '"foo bar"', JSON.stringify('{a="ü"} + )'), ""].join("\n");
    const r = runCli(["promql", "check", "-"], undefined, input);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { valid: true },
      { valid: false, errors: [{ message: 'unexpected identifier "bar"', start: 4, end: 7 }] },
      // The stray ")" is reported just after it, as Prometheus does: character 11 (ü is one character).
      { valid: false, errors: [{ message: "unexpected right parenthesis ')'", start: 11, end: 11 }] },
    ]);
    expect(runCli(["promql", "check", "-"], undefined, '"up"\n"rate(x[5m])"\n').status).toBe(0);
  });

  test("stdin lines that are not JSON strings are a usage error", () => {
    const r = runCli(["promql", "check", "-"], undefined, "up\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("JSON strings");
  });
});

describe("vigil promql fmt", () => {
  test("prints the canonical form", () => {
    const r = runCli(["promql", "fmt", "sum(rate(foo{a='b'}[90m])) by (job)"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('sum by (job) (rate(foo{a="b"}[1h30m]))\n');
  });
});

describe("vigil promql check-rules", () => {
  test("reports each bad expression at its file position", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-rules-"));
    const file = join(dir, "rules.yml");
    writeFileSync(file, "groups:\n  - name: g\n    rules:\n      - record: a:b:c\n        expr: sum(rate(foo[5m]))\n      - alert: X\n        expr: rate(foo)\n");
    const r = runCli(["promql", "check-rules", file], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("rules.yml:7:20 - error VIG3002");
    writeFileSync(file, "groups:\n  - name: g\n    rules:\n      - record: a:b:c\n        expr: sum(rate(foo[5m]))\n");
    expect(runCli(["promql", "check-rules", file], dir).status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
