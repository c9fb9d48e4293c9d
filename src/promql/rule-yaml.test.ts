/**
 * rule-yaml.ts against js-yaml: whenever our reader gives a value it must be the value js-yaml
 * gives (failsafe schema), and it must decline whenever js-yaml fails. Checked on real rule
 * files, on hand-written YAML corners, and on thousands of random edits of both.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import jsyaml from "js-yaml";
import { describe, expect, test } from "vitest";
import { readRuleYaml } from "./rule-yaml.js";

const FIXTURES = [
  "test/fixtures/lint/clean.rules.yml",
  "test/fixtures/lint/bad.rules.yml",
  "test/fixtures/lint/warn.rules.yml",
  "test/fixtures/lint/rules/promql-syntax.rules.yml",
  "test/fixtures/lint/rules/promql-type.rules.yml",
  "test/fixtures/lint/rules/alerts-severity.rules.yml",
].map((f) => readFileSync(new URL(`../../${f}`, import.meta.url), "utf8"));

/** Corners of the subset (and just outside it). */
const CORNERS = [
  `# Alerting rules, written the usual way.
groups:
  - name: web
    interval: 30s
    rules:
      - alert: HighErrorRate
        expr: |
          sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
            / sum by (job) (rate(http_requests_total[5m])) > 0.05
        for: 10m
        labels:
          severity: page
          team: "web"
        annotations:
          summary: 'High error rate on {{ $labels.job }}'
          description: >-
            {{ $value | humanizePercentage }} of requests
            fail.
          runbook_url: https://runbooks.example.com/high-error-rate

      - record: job:http_requests:rate5m   # recorded
        expr: sum by (job) (rate(http_requests_total[5m]))
`,
  "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: sum(x)\n",
  "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          sum(\n            rate(x[5m]))\n\n          > 1\n        for: 5m\n",
  "groups:\n  - name: g # comment\n    rules: # c\n      # only a comment\n      - expr: |-\n          a\n\n\n        labels:\n          severity: page\n",
  "a: |+\n  x\n\n\n# c\nb: >\n  folded\n  text\nc: >-\n  f\n  g\n\nd: 'it''s' # c\ne: \"\\u00e9\\x41\\\"\\\\ \\/\\t\\N\"\nf:\ng: ~\nh: null\ni: 'a\" #b'\nj: a #b\nk: a#b\n",
  "x:\n  - a\n  - 'b'\n  - \"c\"\n  -   d: 1\n      e: 2\ny: [a, b]\n",
  "x: &a 1\ny: *a\n",
  "x: !!str 1\n",
  "---\nx: 1\n",
  "x: 1\nx: 2\n",
  "x: a\n  b\n",
  "x: \"a\n  b\"\n",
  "x: |2\n   a\n",
  "x: |\n\n  a\n",
  "x: |\n  a\n   b\n  c\n",
  "x: >\n  a\n   b\n",
  "x:\n- a\ny:\n  - b\n",
  "- a\n",
  "x: - a\n",
  "__proto__: a\n",
  "x: \"\\q\"\n",
  "x: \"a\" b\n",
  "x: a: b\n",
  "x: a:\n",
  "x:\ty\n",
  "x: y\r\n",
  "x: 'a'#b\n",
  "x: |\n  a\n  # not a comment\n# a comment\ny: 1",
  "x: |-\n    a\n  b: 1\n",
  "x:\n  y: 1\n z: 2\n",
  "x:\n  - a:\n    - b\n",
  "x:\n  - a:\n  - b\n",
  "x: \"\\U0001F600\\uD800\"\n",
  "x: `a`\n",
  "",
  "# only\n",
  "x: a\n...\n",
  "x: 1 # \"\n",
];

/** A rule file in the shape bench/promql-rules.mjs writes (JSON-quoted expressions). */
function generateRules(n: number): string {
  const exprs = [
    (i: number) => `sum by (job) (rate(svc${i}_requests_total{code=~"5..", env="prod"}[5m]))`,
    (i: number) => `histogram_quantile(0.9, sum by (le) (rate(svc${i}_bucket[5m]))) > 0.${i}`,
    (i: number) => `label_replace(up{job="a\\b"}, "x", "$1", "job", "(.*)") or vector(${i})`,
  ];
  let out = "groups:\n";
  for (let g = 0; g < Math.ceil(n / 10); g++) {
    out += `  - name: bench-${g}\n    rules:\n`;
    for (let i = g * 10; i < Math.min(n, g * 10 + 10); i++) out += `      - record: bench:rule:n${i}\n        expr: ${JSON.stringify(exprs[i % exprs.length]!(i))}\n`;
  }
  return out;
}

function ours(text: string): unknown {
  return readRuleYaml(text);
}

function theirs(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: jsyaml.load(text, { schema: jsyaml.FAILSAFE_SCHEMA }) };
  } catch {
    return { ok: false };
  }
}

/** `undefined` when the two agree (or ours declined); else a description of the disagreement. */
function disagreement(text: string): string | undefined {
  const mine = ours(text);
  if (mine === undefined) return undefined;
  const ref = theirs(text);
  if (!ref.ok) return `accepted what js-yaml rejects: ${JSON.stringify(text)}`;
  if (!isDeepStrictEqual(mine, ref.value)) return `differs on ${JSON.stringify(text)}: ${JSON.stringify(mine)} vs ${JSON.stringify(ref.value)}`;
  return undefined;
}

/** Deterministic PRNG (the test must be reproducible). */
function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const PIECES = [" ", "  ", "\n", "- ", ": ", ":", "#", " #", "|", "|-", "|+", ">", ">-", "'", '"', "\\", "\\n", "''", "{", "[", "&a", "*a", "!", "-", "?", "%", "@", "`", "\t", "\r", "x", "key: v", "\n  ", "\n    - ", "\n\n", "é", "\u2028", "---", "..."];

function mutate(text: string, r: (n: number) => number): string {
  let s = text;
  const edits = 1 + r(3);
  for (let k = 0; k < edits; k++) {
    const lines = s.split("\n");
    const li = r(lines.length);
    switch (r(6)) {
      case 0: { // insert a piece
        const p = r(s.length + 1);
        s = s.slice(0, p) + PIECES[r(PIECES.length)] + s.slice(p);
        break;
      }
      case 1: { // delete a few characters
        const p = r(s.length + 1);
        s = s.slice(0, p) + s.slice(p + 1 + r(4));
        break;
      }
      case 2: // re-indent a line
        lines[li] = " ".repeat(r(12)) + lines[li]!.trimStart();
        s = lines.join("\n");
        break;
      case 3: // duplicate a line
        lines.splice(li, 0, lines[li]!);
        s = lines.join("\n");
        break;
      case 4: // drop a line
        lines.splice(li, 1);
        s = lines.join("\n");
        break;
      default: { // swap in a line from elsewhere
        lines[li] = lines[r(lines.length)]!;
        s = lines.join("\n");
      }
    }
  }
  return s;
}

describe("readRuleYaml", () => {
  const seeds = [...FIXTURES, ...CORNERS, generateRules(25)];

  test("reads the rule files of the benchmark and fixtures itself", () => {
    const big = generateRules(300);
    expect(ours(big)).toEqual(theirs(big).ok ? (theirs(big) as { value: unknown }).value : "js-yaml failed");
    expect(ours(FIXTURES[0]!)).toBeDefined();
  });

  test("agrees with js-yaml on the corner cases", () => {
    const problems = seeds.map(disagreement).filter((d) => d !== undefined);
    expect(problems).toEqual([]);
  });

  test("agrees with js-yaml on random edits of rule files", () => {
    const r = rng(20240611);
    const problems: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      const seed = seeds[r(seeds.length)]!;
      // Edit a window of the big seeds, to keep each case small and the failures readable.
      const text = mutate(seed.length > 3000 ? seed.slice(0, 3000) : seed, r);
      const d = disagreement(text);
      if (d !== undefined) problems.push(d);
      if (ours(text) !== undefined) accepted++;
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // The edits must leave most inputs in the subset, or the test would test nothing.
    expect(accepted).toBeGreaterThan(2500);
  });
});
