/**
 * Time interval ranges (weekdays, months, years, days of the month): Vigil refuses exactly the
 * well-formed ranges the real Alertmanager refuses. Each candidate range is compiled by Vigil
 * (all in one spec, one interval each) and loaded by `amtool check-config` on its own; the two
 * must agree on every one. What Vigil accepts, compiled, passes `amtool check-config`, and every
 * rewrite a VIG2047 hint suggests compiles and passes it too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/index.js";
import type { MonitoringSpec, TimeRangeSpec } from "../src/spec/types.js";
import { runTool } from "./helpers.js";

type Field = "weekdays" | "months" | "years" | "daysOfMonth";
interface Candidate {
  field: Field;
  value: string;
}
const AM_FIELD: Record<Field, string> = { weekdays: "weekdays", months: "months", years: "years", daysOfMonth: "days_of_month" };

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "march", "june", "november", "december", "1", "2", "11", "12"];
const YEARS = ["2025", "2026", "2027"];
// Around the 28-day month Alertmanager checks the order in, and both ends of the month counted either way.
const DAYS = ["1", "2", "5", "25", "27", "28", "29", "31", "-1", "-2", "-3", "-4", "-27", "-28", "-29", "-31"];

const pairs = (field: Field, xs: readonly string[]): Candidate[] => xs.flatMap((a) => [{ field, value: a }, ...xs.map((b) => ({ field, value: `${a}:${b}` }))]);
const CANDIDATES: Candidate[] = [...pairs("weekdays", WEEKDAYS), ...pairs("months", MONTHS), ...pairs("years", YEARS), ...pairs("daysOfMonth", DAYS), { field: "months", value: "march:2" }, { field: "months", value: "2:march" }];

const work = mkdtempSync(join(tmpdir(), "vigil-time-ranges-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A spec with one interval per range, each on a line of its own (the diagnostics' line names the range). */
function specFile(name: string, ranges: readonly TimeRangeSpec[]): string {
  const spec: MonitoringSpec = {
    service: { name: "ranges", team: "payments" },
    teams: [{ name: "payments", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/payments" }] }],
    alertmanager: { catchAll: { team: "payments", receiver: "hook" }, timeIntervals: ranges.map((r, i) => ({ name: `t${i}`, ranges: [r] })) },
  };
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

function lineOf(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in the spec`);
  return text.slice(0, at).split("\n").length;
}

/** amtool's verdict on an Alertmanager config holding just this range. */
function amtoolAccepts(c: Candidate): { ok: boolean; output: string } {
  const path = join(work, "one.yml");
  writeFileSync(path, `route: { receiver: r }\nreceivers: [{ name: r }]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - ${AM_FIELD[c.field]}: [${JSON.stringify(c.value)}]\n`);
  const r = runTool("amtool", ["check-config", path]);
  return { ok: r.status === 0, output: r.output };
}

async function compileRanges(name: string, ranges: readonly TimeRangeSpec[]): Promise<{ path: string; errors: Diagnostic[]; files: { path: string; content: string }[] }> {
  const path = specFile(name, ranges);
  const result = await compile([path], { typecheck: false, lint: false });
  return { path, errors: result.diagnostics.filter((d) => d.severity === "error"), files: result.files };
}

describe("time interval ranges", () => {
  test("Vigil refuses a range exactly when amtool check-config does", { timeout: 240_000 }, async () => {
    const { path, errors } = await compileRanges("candidates", CANDIDATES.map((c) => ({ [c.field]: [c.value] })));
    const text = readFileSync(path, "utf8");
    let from = 0;
    const lines = CANDIDATES.map((c) => {
      const line = lineOf(text, `"${c.value}"`, from);
      from = text.indexOf(`"${c.value}"`, from) + 1;
      return line;
    });
    const refusedAt = new Map(errors.map((d) => [d.location?.line, d]));
    const disagreements: string[] = [];
    let refused = 0;
    for (const [i, c] of CANDIDATES.entries()) {
      const vigil = refusedAt.get(lines[i]);
      const am = amtoolAccepts(c);
      if (vigil) refused++;
      if (!vigil !== am.ok) disagreements.push(`${c.field} ${c.value}: vigil ${vigil ? `refuses (${vigil.code} ${vigil.message})` : "accepts"}, amtool ${am.ok ? "accepts" : `refuses (${am.output.trim().split("\n")[0]})`}`);
      // The well-formed refusals are VIG2047, at the value itself.
      if (vigil) expect(vigil.code, c.value).toBe("VIG2047");
    }
    expect(disagreements).toEqual([]);
    // Both verdicts occur in every field (the comparison is not vacuous).
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(CANDIDATES.length - 100);
  });

  test("the accepted ranges, compiled, and every rewrite a hint suggests pass amtool check-config", { timeout: 240_000 }, async () => {
    const bad = await compileRanges("refused", CANDIDATES.map((c) => ({ [c.field]: [c.value] })));
    const suggestions: TimeRangeSpec[] = [];
    for (const d of bad.errors) {
      expect(d.code).toBe("VIG2047");
      const m = /^write (.+)$/.exec(d.hint ?? "") ?? /e\.g\. ("[^"]+")/.exec(d.hint ?? "");
      expect(m, `${d.message}: ${d.hint}`).not.toBeNull();
      const rewrite = JSON.parse(m![1]!) as string | string[];
      const field = (["weekdays", "months", "years", "daysOfMonth"] as const).find((f) => d.message.startsWith({ weekdays: "weekday", months: "month", years: "year", daysOfMonth: "day-of-month" }[f] + " range"))!;
      suggestions.push({ [field]: typeof rewrite === "string" ? [rewrite] : rewrite });
    }
    expect(suggestions.length).toBeGreaterThan(100);
    const accepted = CANDIDATES.filter((c) => amtoolAccepts(c).ok).map((c) => ({ [c.field]: [c.value] }));
    const good = await compileRanges("accepted", [...accepted, ...suggestions, { weekdays: ["saturday", "sunday"], times: [{ start: "00:00", end: "24:00" }] }]);
    expect(good.errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const config = good.files.find((f) => f.path === "alertmanager/alertmanager.yml")!;
    const out = join(work, "alertmanager.yml");
    writeFileSync(out, config.content);
    const r = runTool("amtool", ["check-config", out]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });
});
