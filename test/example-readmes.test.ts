/**
 * examples/<name>/README.md maps every item of the example's seed to the lines of its
 * monitoring.ts and to the generated files that implement it. The table must stay true as the
 * spec and the output change: every cited `monitoring.ts:N` is a line that exists and says what
 * the README quotes of it, every cited file exists in golden/<name>/, every item that claims to
 * be expressed cites both, and the counts above the table are the table's.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO } from "./helpers.js";

const STATUSES = ["expressed", "partial", "missing", "anomaly construct (pending)", "Kibana target (pending)", "N/A"] as const;

const EXAMPLES = readdirSync(join(REPO, "examples"))
  .filter((n) => existsSync(join(REPO, "examples", n, "README.md")))
  .sort();

interface Row {
  number: number;
  item: string;
  status: string;
  lines: { line: number; quote: string }[];
  outputs: string[];
}

export function readTable(markdown: string): Row[] {
  return markdown
    .split("\n")
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
      const cells = l.split("|").map((c) => c.trim());
      // "", #, item, status, spec, output, note, ""
      expect(cells, l).toHaveLength(8);
      return {
        number: Number(cells[1]),
        item: cells[2]!,
        status: cells[3]!,
        lines: [...cells[4]!.matchAll(/monitoring\.ts:(\d+) `([^`]+)`/g)].map((m) => ({ line: Number(m[1]), quote: m[2]! })),
        outputs: [...cells[5]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      };
    });
}

test("the seeds' examples have their README", () => {
  expect(EXAMPLES).toEqual(expect.arrayContaining(["halcytone", "novel-engine"]));
});

describe.each(EXAMPLES)("examples/%s/README.md", (name) => {
  const readme = readFileSync(join(REPO, "examples", name, "README.md"), "utf8");
  const spec = readFileSync(join(REPO, "examples", name, "monitoring.ts"), "utf8").split("\n");
  const rows = readTable(readme);

  test("has a table of the seed's items, numbered in order", () => {
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => i + 1));
  });

  test("gives every item a known status", () => {
    expect(rows.filter((r) => !(STATUSES as readonly string[]).includes(r.status)).map((r) => `${r.number} ${r.status}`)).toEqual([]);
  });

  test("cites lines of monitoring.ts that exist and say what is quoted", () => {
    const wrong = rows.flatMap((r) =>
      r.lines.flatMap(({ line, quote }) => {
        const text = spec[line - 1];
        if (text === undefined) return [`row ${r.number}: monitoring.ts:${line} does not exist (${spec.length} lines)`];
        return text.includes(quote) ? [] : [`row ${r.number}: monitoring.ts:${line} does not mention \`${quote}\`: ${text.trim()}`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  test(`cites output files that exist in golden/${name}/`, () => {
    const missing = rows.flatMap((r) => r.outputs.filter((o) => !existsSync(join(REPO, "golden", name, o))).map((o) => `row ${r.number}: ${o}`));
    expect(missing).toEqual([]);
  });

  test("cites a spec line and an output file for every expressed or partial item", () => {
    const bare = rows.filter((r) => (r.status === "expressed" || r.status === "partial") && (r.lines.length === 0 || r.outputs.length === 0));
    expect(bare.map((r) => `${r.number} ${r.item}`)).toEqual([]);
  });

  test("states the table's counts", () => {
    const counts = STATUSES.map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(", ");
    expect(readme).toContain(`**Counts: ${counts}.**`);
  });

  test("says what is deliberately left out, and why", () => {
    expect(readme).toMatch(/## Deliberately left out/);
    expect(rows.filter((r) => r.status === "N/A").every((r) => readme.split("\n").some((l) => l.startsWith(`| ${r.number} |`) && /N\/A \|.*\| [^|]+ \|$/.test(l)))).toBe(true);
  });
});
