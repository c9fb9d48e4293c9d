/** The one line `vigil compile` and `vigil check` print when they succeed (unless --quiet). */

export interface CompileFigures {
  specs: number;
  /** Files of the output, the manifest included. */
  files: number;
  out: string;
  ms: number;
  /** check: compared with the compile cache's result, not a new compile. */
  cached?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `vigil: compiled 3 specs → 32 files in 0.4 s (out)`, or `vigil: out is up to date …` for check. */
export function compileSummary(command: "compile" | "check", f: CompileFigures): string {
  const took = `${seconds(f.ms)} s`;
  return command === "compile"
    ? `vigil: compiled ${plural(f.specs, "spec")} → ${plural(f.files, "file")} in ${took} (${f.out})\n`
    : `vigil: ${f.out} is up to date with ${plural(f.specs, "spec")} (${plural(f.files, "file")} compared in ${took}${f.cached ? ", compile from cache" : ""})\n`;
}

/** One decimal, two under a tenth of a second: 0.4, 12.3, 0.05. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 0.1 ? s.toFixed(2) : s.toFixed(1);
}
