/** Running the real promtool on generated test files, and writing its input series. */
import { execFile } from "node:child_process";

const num = (x: number) => String(Number(x.toPrecision(12)));

/** promtool's expanding notation (`a+bxn`) for a counter starting at 0 with these increments. */
export function seriesValues(inc: readonly number[]): string {
  const parts: string[] = [];
  let value = 0;
  let i = 0;
  let first = true;
  while (i < inc.length) {
    let j = i;
    while (j < inc.length && inc[j] === inc[i]) j++;
    const step = inc[i]!;
    const n = j - i;
    // The first segment also holds the first sample (0).
    parts.push(first ? `0+${num(step)}x${n}` : `${num(value + step)}+${num(step)}x${n - 1}`);
    value += step * n;
    first = false;
    i = j;
  }
  return parts.join(" ");
}

export function runPromtool(file: string, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile("promtool", ["test", "rules", file], { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (err && (err.killed || err.signal)) return reject(new Error(`promtool test rules ${file} was stopped after ${timeoutMs} ms (${err.signal ?? "killed"})`));
      if (err && typeof err.code !== "number") return reject(new Error(`promtool could not run: ${err.message}`));
      resolve({ code: err ? Number(err.code) : 0, output });
    });
  });
}

/** Go's model.Duration text (`6h1m`, `1d`) in minutes. */
export function minutesOf(duration: string): number {
  const units: Record<string, number> = { y: 525_600, w: 10_080, d: 1_440, h: 60, m: 1, s: 1 / 60, ms: 1 / 60_000 };
  let total = 0;
  let rest = duration;
  for (const m of duration.matchAll(/(\d+)(ms|[ywdhms])/g)) {
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.replace(m[0], "");
  }
  if (rest !== "" || duration === "") throw new Error(`unparsed duration "${duration}"`);
  return total;
}
