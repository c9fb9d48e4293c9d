/**
 * Bad input: every case yields its diagnostic code at the exact file:line:col of the
 * offending character, exits 1 through the real CLI, and leaves the output directory as it
 * was. Expected positions are given as a unique needle in the fixture (plus an offset into
 * it), so each case says which character the diagnostic must point at.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { listFiles } from "../src/write/writer.js";
import { REPO, runCli, sha256Tree } from "./helpers.js";

interface Case {
  file: string;
  code: string;
  needle: string;
  offset?: number;
  message?: RegExp;
}

const CASES: Case[] = [
  { file: "promql-syntax.ts", code: "VIG3001", needle: '/ 2"', offset: 3, message: /unclosed left parenthesis/ },
  { file: "unknown-signal.ts", code: "VIG2001", needle: "http_request_total{", message: /unknown signal "http_request_total"/ },
  { file: "objective-100.ts", code: "VIG2003", needle: "objective: 100", offset: 11, message: /out of range/ },
  { file: "objective-0.ts", code: "VIG2003", needle: "objective: 0", offset: 11, message: /out of range/ },
  { file: "duplicate-slo.ts", code: "VIG2004", needle: '"availability", objective: 99,', message: /duplicate SLO name "availability"/ },
  { file: "type-error.ts", code: "VIG1005", needle: 'status: "500"', message: /TS2353/ },
  { file: "type-error.ts", code: "VIG2002", needle: 'status: "500"', message: /has no label "status"/ },
  { file: "schema.yaml", code: "VIG1006", needle: "objectve", message: /unknown property "objectve"/ },
  // Prometheus positions a stray ")" just after it; so do we, to agree with promtool.
  { file: "sli-query-syntax.yaml", code: "VIG3001", needle: '])) )"', offset: 5, message: /unexpected right parenthesis/ },
  { file: "promql-type.ts", code: "VIG3002", needle: 'http_requests_total{code=~\\"5..\\"}))', message: /expected type range vector in call to function "rate", got instant vector/ },
  { file: "promql-version.ts", code: "VIG3003", needle: "sort_by_label(", message: /sort_by_label/ },
  // After `${...}` interpolations the column is still the source column of the token.
  { file: "promql-template.ts", code: "VIG3001", needle: "extra`", message: /unexpected identifier "extra"/ },
  // A `{{window}}` placeholder before the error does not shift it.
  { file: "promql-window.yaml", code: "VIG3001", needle: "bool'", message: /unexpected end of input|bool/ },
  { file: "throws.ts", code: "VIG1003", needle: "new Error(`no threshold", message: /no threshold for staging/ },
];

const FIXTURES = join(REPO, "test/fixtures/bad");

function position(text: string, needle: string, offset = 0): string {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`needle ${JSON.stringify(needle)} must occur exactly once`);
  const before = text.slice(0, at + offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe("diagnostics point at the offending character", () => {
  for (const c of CASES) {
    test(`${c.file}: ${c.code}`, async () => {
      const path = join(FIXTURES, c.file);
      const result = await compile([path]);
      const text = readFileSync(path, "utf8");
      const expected = position(text, c.needle, c.offset);
      const hits = result.diagnostics.filter((d) => d.code === c.code);
      expect(hits.map((d) => `${d.location?.line}:${d.location?.column}`)).toContain(expected);
      const hit = hits.find((d) => `${d.location?.line}:${d.location?.column}` === expected)!;
      expect(hit.location?.file).toBe(path);
      if (c.message) expect(hit.message).toMatch(c.message);
      expect(result.files).toEqual([]);
    });
  }
});

describe("the CLI exits 1 and leaves the output directory untouched", () => {
  let work: string;
  let before: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-bad-"));
    // A previous, valid output the failed compiles must not touch.
    const ok = runCli(["compile", join(REPO, "examples/minimal/monitoring.ts"), "--out", join(work, "out"), "--no-typecheck"]);
    expect(ok.status).toBe(0);
    before = sha256Tree(join(work, "out"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const c of [...new Map(CASES.map((c) => [c.file, c])).values()]) {
    test(c.file, () => {
      const spec = join(work, c.file);
      cpSync(join(FIXTURES, c.file), spec);
      const text = readFileSync(spec, "utf8");
      const r = runCli(["compile", spec, "--out", join(work, "out")], work);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${relative(work, spec)}:${position(text, c.needle, c.offset)} - error ${c.code}:`);
      expect(r.stderr).not.toMatch(/^\s+at .*\.(js|ts):\d+:\d+\)?$/m); // no stack traces for user errors
      expect(sha256Tree(join(work, "out"))).toBe(before);
      expect(listFiles(work).filter((f) => f.includes("vigil-staging"))).toEqual([]);
    });
  }
});
