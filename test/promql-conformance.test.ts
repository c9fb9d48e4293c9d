/**
 * Conformance: Vigil's PromQL front end accepts exactly what Prometheus 2.42 accepts, and its
 * first error is where promtool puts it. Ground truth is test/promql/truth-2.42.json, produced
 * by running the real `promtool check rules` over test/promql/corpus.txt
 * (`node scripts/promql-truth.mjs`; `--check` verifies it is current).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { analyzePromQL } from "../src/promql/frontend.js";
import { parseVersion } from "../src/promql/version.js";
import { REPO, runTool } from "./helpers.js";

interface Truth {
  expr: string;
  valid: boolean;
  message?: string;
  line?: number;
  col?: number;
}

function loadTruth(): Truth[] {
  const raw = JSON.parse(readFileSync(join(REPO, "test/promql/truth-2.42.json"), "utf8")) as unknown;
  const list = Array.isArray(raw) ? raw : ((raw as { entries?: unknown[] }).entries ?? []);
  return (list as Truth[]).filter((e) => typeof e === "object" && e !== null && typeof e.expr === "string");
}

/** promtool's position: line, and column in bytes after the last newline (Go's ParseErr.Error). */
function goPosition(text: string, offset: number): { line: number; col: number } {
  const before = Buffer.from(text.slice(0, offset), "utf8");
  let line = 1;
  let lastBreak = -1;
  before.forEach((b, i) => {
    if (b === 0x0a) {
      line++;
      lastBreak = i;
    }
  });
  return { line, col: before.length - lastBreak };
}

const TRUTH = loadTruth();
const TARGET = parseVersion("2.42")!;

describe("PromQL conformance with promtool 2.42", () => {
  test("the corpus is large and mixed", () => {
    expect(TRUTH.length).toBeGreaterThanOrEqual(600);
    expect(TRUTH.filter((t) => t.valid).length).toBeGreaterThan(150);
    expect(TRUTH.filter((t) => !t.valid).length).toBeGreaterThan(150);
  });

  test("the committed truth is what promtool says today (never our own belief)", () => {
    const r = runTool(process.execPath, [join(REPO, "scripts/promql-truth.mjs"), "--check"]);
    expect(r.output).toContain("truth is current");
    expect(r.status).toBe(0);
  });

  test("100% agreement on accept/reject, and on the first error's position", () => {
    const disagreements: string[] = [];
    for (const t of TRUTH) {
      const r = analyzePromQL(t.expr, TARGET);
      if (r.ok !== t.valid) {
        disagreements.push(`${JSON.stringify(t.expr)}: promtool ${t.valid ? "accepts" : `rejects (${t.message})`}, vigil ${r.ok ? "accepts" : `rejects (${r.errors[0]!.message})`}`);
        continue;
      }
      if (!r.ok && t.line !== undefined && t.col !== undefined) {
        const ours = goPosition(t.expr, r.errors[0]!.start);
        if (ours.line !== t.line || ours.col !== t.col) {
          disagreements.push(`${JSON.stringify(t.expr)}: promtool ${t.line}:${t.col} ${t.message}, vigil ${ours.line}:${ours.col} ${r.errors[0]!.message}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  test("durations past int64 nanoseconds (about 292y) are rejected with promtool's message", () => {
    const ranged = TRUTH.filter((t) => t.message === "duration out of range");
    expect(ranged.length).toBeGreaterThanOrEqual(8);
    for (const t of ranged) {
      const r = analyzePromQL(t.expr, TARGET);
      expect([t.expr, r.ok ? "accepted" : r.errors[0]?.message]).toEqual([t.expr, "duration out of range"]);
    }
  });
});
