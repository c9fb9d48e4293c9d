/**
 * One fixture per lint rule, end to end: `vigil lint` (the built CLI, run once over every
 * fixture) must report exactly the findings the fixtures announce, at the announced
 * `file:line:col`.
 *
 * Fixtures live in test/fixtures/lint/rules/, named `<group>-<name>.ts` (a spec) or
 * `<group>-<name>.rules.yml` (a plain rule file, for rules a spec cannot reach). A finding is
 * announced by a trailing comment on the line it must point at:
 *
 *     expr: `rate(${requests}[30s])`, // expect: promql/rate-window at "${requests"
 *     team: nobody # expect: alerts/routing at "nobody"
 *
 * meaning a finding with that code on this line whose column is the 1-based column of the first
 * occurrence of the quoted text in the code before the comment. Several markers on one line are
 * separated by `;`. Every finding of a fixture must be announced (other rules and VIG warnings
 * included), and every announcement found; two announcements on one line and column mean two
 * findings there.
 *
 * Because one CLI run lints everything together:
 * - all specs compile as one model: a compile error (VIGxxxx error) in any of them stops the lint
 *   rules for all of them, so spec fixtures must compile cleanly apart from lint findings;
 * - rule files are linted with the first spec's teams, signals and lint settings, so every spec
 *   fixture declares the single team "platform", no spec fixture sets `lint`, and rule-file
 *   fixtures read only built-in metrics (`up`) unless an unknown metric is the point.
 */
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { LINT_RULES } from "../src/lint/registry.js";
import { REPO, runCli } from "./helpers.js";

const DIR = "test/fixtures/lint/rules";

interface Finding {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

const names = readdirSync(`${REPO}/${DIR}`).sort();
const specs = names.filter((f) => f.endsWith(".ts"));
const ruleFiles = names.filter((f) => f.endsWith(".rules.yml"));
const fixtures = [...specs, ...ruleFiles];

/** `alerts-for.ts` → `alerts-for`. */
const stem = (file: string) => file.replace(/\.rules\.yml$|\.ts$/, "");

/** The expectations of one fixture, as `code@line:col`, sorted. */
function expectations(file: string): string[] {
  const lines = readFileSync(`${REPO}/${DIR}/${file}`, "utf8").split("\n");
  const comment = file.endsWith(".ts") ? "// expect:" : "# expect:";
  const out: string[] = [];
  lines.forEach((text, i) => {
    const at = text.indexOf(comment);
    if (at < 0) return;
    const code = text.slice(0, at);
    const markers = text.slice(at + comment.length - "expect:".length);
    const re = /expect: (\S+) at "(.*?)"(?=\s*(?:;|$))/g;
    let rest = markers;
    for (const m of markers.matchAll(re)) {
      const [, id, needle] = m as unknown as [string, string, string];
      const col = code.indexOf(needle);
      if (needle === "" || col < 0) throw new Error(`${file}:${i + 1}: marker text ${JSON.stringify(needle)} is not on the line`);
      out.push(`${id}@${i + 1}:${col + 1}`);
      rest = rest.replace(m[0], "");
    }
    if (rest.replace(/[\s;]/g, "") !== "") throw new Error(`${file}:${i + 1}: malformed expectation ${JSON.stringify(markers)} (want: expect: <rule-id> at "<text>"[; expect: ...])`);
  });
  return out.sort();
}

let findings: Finding[] = [];
let status = 0;

beforeAll(() => {
  // Specs first: rule files are linted against the first spec given.
  const r = runCli(["lint", ...fixtures.map((f) => `${DIR}/${f}`), "--format", "json"]);
  status = r.status;
  try {
    findings = JSON.parse(r.stdout) as Finding[];
  } catch {
    throw new Error(`vigil lint did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
});

describe("lint rule fixtures through `vigil lint`", () => {
  test("the run lints every fixture: no compile errors, every finding located in a fixture", () => {
    expect(fixtures.length).toBeGreaterThan(0);
    expect(status).toBe(1); // the fixtures hold error-severity findings
    const compileErrors = findings.filter((f) => /^VIG\d+$/.test(f.code) && f.severity === "error");
    // One spec fixture that does not compile silences the lint rules of all of them.
    expect(compileErrors.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`)).toEqual([]);
    const stray = findings.filter((f) => f.file === undefined || f.line === undefined || f.column === undefined || !fixtures.includes(f.file.slice(DIR.length + 1)));
    expect(stray.map((f) => `${f.file ?? "(no file)"} ${f.code} ${f.message}`)).toEqual([]);
  });

  test("spec fixtures keep what rule-file fixtures are linted against stable", () => {
    for (const f of specs) {
      const text = readFileSync(`${REPO}/${DIR}/${f}`, "utf8");
      expect(text, `${f}: spec fixtures declare exactly the team "platform"`).toContain('teams: [{ name: "platform", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/platform" }], escalation: { info: { receivers: ["hook"] } } }],');
      expect(text, `${f}: spec fixtures set no lint configuration (it would apply to the rule files)`).not.toMatch(/^\s*lint:/m);
    }
  });

  test.each(fixtures)("%s", (file) => {
    const actual = findings
      .filter((f) => f.file === `${DIR}/${file}`)
      .map((f) => `${f.code}@${f.line}:${f.column}`)
      .sort();
    expect(actual).toEqual(expectations(file));
  });

  test("every registered rule has a fixture that shows it firing", () => {
    const ids = LINT_RULES.map((r) => r.meta.id as string);
    for (const id of ids) {
      const fixture = fixtures.find((f) => stem(f) === id.replace("/", "-"));
      expect(fixture, `no fixture ${DIR}/${id.replace("/", "-")}.ts (or .rules.yml) for lint rule ${id}`).toBeDefined();
      expect(expectations(fixture!).some((e) => e.startsWith(`${id}@`)), `${fixture} expects no ${id} finding`).toBe(true);
    }
    // ... and every fixture belongs to a registered rule.
    expect(fixtures.filter((f) => !ids.some((id) => id.replace("/", "-") === stem(f)))).toEqual([]);
  });
});
