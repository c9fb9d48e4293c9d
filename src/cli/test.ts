/**
 * `vigil test [DIR]`: every check of a compiled output directory (default out) with the real
 * tools in one command (test-checks.ts), a few at a time, then a table of each check, its
 * result and its time. Exit 0 when all pass, 1 when one fails, 2 when a tool is not on PATH.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Io } from "./main.js";
import { seconds } from "./summary.js";
import { checksFor, type Check, type Outcome } from "./test-checks.js";
import { missingToolsMessage, onPath, type Tool } from "./tools.js";

export class TestUsageError extends Error {}

interface Row {
  check: Check;
  outcome: Outcome;
  ms: number;
}

export async function testCommand(argv: readonly string[], io: Io): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({ args: [...argv], allowPositionals: true, options: {} }).positionals;
  } catch (err) {
    throw new TestUsageError((err as Error).message);
  }
  if (positionals.length > 1) throw new TestUsageError("usage: vigil test [DIR] (DIR: a vigil output directory, default out)");
  const given = positionals[0] ?? "out";
  const dir = isAbsolute(given) ? given : resolve(io.cwd, given);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr(`vigil: ${given} is not a directory: run vigil compile --out ${given} first\n`);
    return 1;
  }
  const checks = checksFor(dir);
  if (checks.length === 0) {
    io.stderr(`vigil: ${given} holds no Prometheus, Alertmanager or probe files: is it a vigil output directory?\n`);
    return 1;
  }
  const needed = [...new Set(checks.flatMap((c) => (c.tool ? [c.tool] : [])))];
  const missing = needed.filter((t: Tool) => !onPath(t, process.env.PATH));
  if (missing.length) {
    io.stderr(missingToolsMessage(missing));
    return 2;
  }

  const started = performance.now();
  const rows = await runAll(checks, Math.max(1, Math.min(4, availableParallelism())));
  for (const row of rows) {
    if (!row.outcome.ok) io.stderr(`FAIL ${row.check.name}\n${indent(row.outcome.detail ?? "")}\n`);
  }
  const failed = rows.filter((r) => !r.outcome.ok).length;
  io.stdout(table(rows, io.color));
  const total = `${seconds(performance.now() - started)} s`;
  io.stdout(
    failed === 0
      ? `vigil: all ${rows.length} checks of ${given} passed in ${total}\n`
      : `vigil: ${failed} of ${rows.length} checks of ${given} failed (${rows.filter((r) => !r.outcome.ok).map((r) => r.check.name).join("; ")}) in ${total}\n`,
  );
  return failed === 0 ? 0 : 1;
}

/** Runs the checks `concurrency` at a time; the rows keep the checks' order. */
async function runAll(checks: readonly Check[], concurrency: number): Promise<Row[]> {
  const rows = new Array<Row>(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      const check = checks[i]!;
      const t0 = performance.now();
      let outcome: Outcome;
      try {
        outcome = await check.run();
      } catch (err) {
        outcome = { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
      rows[i] = { check, outcome, ms: performance.now() - t0 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  return rows;
}

function table(rows: readonly Row[], color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const width = Math.max("check".length, ...rows.map((r) => r.check.name.length));
  const lines = [`${"check".padEnd(width)}  result  time`];
  for (const r of rows) {
    const result = r.outcome.ok ? paint(32, "pass".padEnd(6)) : paint(31, "FAIL".padEnd(6));
    lines.push(`${r.check.name.padEnd(width)}  ${result}  ${(r.ms / 1000).toFixed(2).padStart(6)} s`);
  }
  return lines.join("\n") + "\n";
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
