/** Shared state of one spec's normalization: where diagnostics go and how paths are built. */
import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type SpecRef } from "../diagnostics/index.js";
import { parseDurationChecked } from "../promql/duration.js";

export type Path = readonly (string | number)[];

export class NormalizeContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly spec: number) {}

  ref(path: Path, extra: Omit<SpecRef, "path" | "spec"> = {}): SpecRef {
    return { path, spec: this.spec, ...extra };
  }

  report(code: DiagnosticCode, message: string, path: Path, extra: { hint?: string; key?: boolean; related?: Diagnostic["related"] } = {}): void {
    const ref = this.ref(path, extra.key ? { key: true } : {});
    this.diagnostics.push(makeDiagnostic(code, message, ref, extra));
  }

  /** Parses a duration, reporting VIG2005 (and returning the fallback) when it is invalid. */
  duration(value: string | undefined, fallbackMs: number, path: Path): number {
    if (value === undefined) return fallbackMs;
    const ms = parseDurationChecked(value);
    if (ms === "out of range") {
      this.report("VIG2005", `duration "${value}" is out of range`, path, { hint: "Prometheus durations are int64 nanoseconds: at most 292y (106751d)" });
      return fallbackMs;
    }
    if (ms === "invalid") {
      this.report("VIG2005", `invalid duration "${value}"`, path, { hint: "use e.g. 30s, 5m, 1h30m, 30d (units y w d h m s ms, largest first)" });
      return fallbackMs;
    }
    return ms;
  }

  /** A duration that is a period or a time limit (a scrape interval, a timeout): 0s is reported (VIG2005). */
  interval(value: string | undefined, fallbackMs: number, path: Path): number {
    const ms = this.duration(value, fallbackMs, path);
    if (ms > 0) return ms;
    this.report("VIG2005", `duration "${value}" must be longer than 0s`, path, { hint: "an interval or timeout of 0s never elapses; e.g. 15s" });
    return fallbackMs;
  }
}
