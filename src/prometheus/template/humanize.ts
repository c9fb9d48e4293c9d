/**
 * Prometheus' humanize* / toTime / parseDuration template functions
 * (prometheus v2.42.0 template/template.go, NewTemplateExpander funcMap, and
 * prometheus/common v0.39.0 model/time.go ParseDuration).
 *
 * Each takes a float64 that has already been through convertToFloat (see
 * funcs.ts) and returns the exact string Prometheus would produce.
 */

import { sprintf } from "./gofmt.js";

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/**
 * Go's int64(f) conversion as compiled for amd64 (CVTTSD2SQ): truncation
 * toward zero, and 0x8000000000000000 for NaN or out-of-range values.
 */
export function float64ToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

export function humanize(v: number): string {
  if (v === 0 || Number.isNaN(v) || !Number.isFinite(v)) return sprintf("%.4g", [v]);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return sprintf("%.4g%s", [v, prefix]);
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return sprintf("%.4g%s", [v, prefix]);
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || Number.isNaN(v) || !Number.isFinite(v)) return sprintf("%.4g", [v]);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return sprintf("%.4g%s", [v, prefix]);
}

export function humanizeDuration(v: number): string {
  if (Number.isNaN(v) || !Number.isFinite(v)) return sprintf("%.4g", [v]);
  if (v === 0) return sprintf("%.4gs", [v]);
  if (Math.abs(v) >= 1) {
    let sign = "";
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    // Go's int64 arithmetic: / truncates, % takes the dividend's sign.
    const duration = float64ToInt64(v);
    const seconds = duration % 60n;
    const minutes = (duration / 60n) % 60n;
    const hours = (duration / 60n / 60n) % 24n;
    const days = duration / 60n / 60n / 24n;
    if (days !== 0n) return sprintf("%s%dd %dh %dm %ds", [sign, days, hours, minutes, seconds]);
    if (hours !== 0n) return sprintf("%s%dh %dm %ds", [sign, hours, minutes, seconds]);
    if (minutes !== 0n) return sprintf("%s%dm %ds", [sign, minutes, seconds]);
    return sprintf("%s%.4gs", [sign, v]);
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return sprintf("%.4g%ss", [v, prefix]);
}

export function humanizePercentage(v: number): string {
  return sprintf("%.4g%%", [v * 100]);
}

export type ToTimeResult =
  | { ok: true; unixNanos: bigint }
  | { ok: false; nanOrInf: true }
  | { ok: false; nanOrInf: false; error: string };

/**
 * floatToTime: seconds → time, truncated to milliseconds (it goes through
 * model.TimeFromUnixNano, whose unit is the millisecond).
 */
export function floatToTime(v: number): ToTimeResult {
  if (Number.isNaN(v) || !Number.isFinite(v)) return { ok: false, nanOrInf: true };
  const timestamp = v * 1e9;
  // float64(math.MaxInt64) rounds to 2^63.
  if (timestamp > 2 ** 63 || timestamp < -(2 ** 63)) {
    return {
      ok: false,
      nanOrInf: false,
      error: `${sprintf("%v", [v])} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    };
  }
  const ms = float64ToInt64(timestamp) / 1_000_000n; // truncates toward zero, as Go does
  return { ok: true, unixNanos: ms * 1_000_000n };
}

const DURATION_RE = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const DURATION_UNITS_MS = [
  1000n * 60n * 60n * 24n * 365n,
  1000n * 60n * 60n * 24n * 7n,
  1000n * 60n * 60n * 24n,
  1000n * 60n * 60n,
  1000n * 60n,
  1000n,
  1n,
];

/** model.ParseDuration, returned as float64 seconds like Prometheus' parseDuration. */
export function parseDuration(d: string): { ok: true; seconds: number } | { ok: false; error: string } {
  if (d === "0") return { ok: true, seconds: 0 };
  if (d === "") return { ok: false, error: "empty duration string" };
  const m = DURATION_RE.exec(d);
  if (!m) return { ok: false, error: `not a valid duration string: ${sprintf("%q", [d])}` };
  let totalNs = 0n;
  let overflow = false;
  DURATION_UNITS_MS.forEach((mult, idx) => {
    const s = m[idx + 1];
    if (s === undefined || s === "") return;
    const n = BigInt(s);
    if (n > MAX_INT64 / mult / 1_000_000n) overflow = true;
    totalNs += n * 1_000_000n * mult;
    if (totalNs > MAX_INT64) overflow = true;
  });
  if (overflow) return { ok: false, error: "duration out of range" };
  // float64(time.Duration(v)) / float64(time.Second)
  return { ok: true, seconds: Number(totalNs) / 1e9 };
}
