/**
 * Finds parameters for a scenario: explore coarse combinations, then refine the best ones
 * one parameter at a time over a fine grid. Objectives return a score (lower is better)
 * and whether the scenario's goal is met. Deterministic: no randomness, fixed order.
 */
import { dyadic, type Param } from "./variants.js";

export interface Judgement {
  feasible: boolean;
  /** Lower is better; compared among feasible candidates, or to guide refinement. */
  score: number;
}

export type Objective = (params: readonly Param[]) => Judgement;

/**
 * A function of the parameters, evaluated once per distinct parameters: the searches of one
 * alert's or SLO's scenarios visit many of the same inputs. Results are shared, not copied.
 */
export function memoized<T>(f: (params: readonly Param[]) => T): (params: readonly Param[]) => T {
  const known = new Map<string, T>();
  return (params) => {
    const key = JSON.stringify(params);
    if (known.has(key)) return known.get(key)!;
    const value = f(params);
    known.set(key, value);
    return value;
  };
}

const MAX_COARSE = 512;
const REFINE_ROUNDS = 2;
const KEEP = 3;

export function search(domains: readonly { coarse: Param[]; fine: Param[] }[], objective: Objective): Param[] | undefined {
  const scored: { params: Param[]; j: Judgement }[] = [];
  for (const params of coarseCombinations(domains)) scored.push({ params, j: safe(objective, params) });
  scored.sort(compare);
  let best: { params: Param[]; j: Judgement } | undefined;
  for (const start of scored.slice(0, KEEP)) {
    const refined = refine(start, domains, objective);
    if (!best || compare(refined, best) < 0) best = refined;
  }
  return best?.j.feasible ? best.params : undefined;
}

function refine(start: { params: Param[]; j: Judgement }, domains: readonly { fine: Param[] }[], objective: Objective) {
  let current = start;
  for (let round = 0; round < REFINE_ROUNDS; round++) {
    let improved = false;
    for (let i = 0; i < domains.length; i++) {
      for (const value of domains[i]!.fine) {
        const params = [...current.params];
        params[i] = value;
        const candidate = { params, j: safe(objective, params) };
        if (compare(candidate, current) < 0) {
          current = candidate;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return current;
}

function safe(objective: Objective, params: readonly Param[]): Judgement {
  try {
    return objective(params);
  } catch {
    return { feasible: false, score: Infinity };
  }
}

function compare(a: { j: Judgement }, b: { j: Judgement }): number {
  if (a.j.feasible !== b.j.feasible) return a.j.feasible ? -1 : 1;
  return a.j.score - b.j.score;
}

/** All combinations of the coarse values, or an evenly spread subset when there are too many. */
function* coarseCombinations(domains: readonly { coarse: Param[] }[]): Generator<Param[]> {
  const sizes = domains.map((d) => d.coarse.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const step = Math.max(1, Math.ceil(total / MAX_COARSE));
  for (let n = 0; n < total; n += step) {
    let rest = n;
    const params: Param[] = [];
    for (let i = 0; i < domains.length; i++) {
      params.push(domains[i]!.coarse[rest % sizes[i]!]);
      rest = Math.floor(rest / sizes[i]!);
    }
    yield params;
  }
}

/** Scale steps of polish, coarse to fine, each tried up and down. */
const POLISH_STEPS = [2, 1.5, 1.25, 1.1, 1.05, 1.02];
const POLISH_ROUNDS = 6;

/**
 * Moves a feasible result closer to its goal by scaling one numeric parameter at a time, to
 * dyadic values (exact in every engine's float arithmetic), while the objective improves and
 * stays feasible: the grids hold values near the thresholds, not the inputs (a CPU's idle
 * seconds, a certificate's expiry) that put an expression just either side of one.
 */
export function polish(params: Param[], objective: Objective): Param[] {
  let current = { params, j: safe(objective, params) };
  if (!current.j.feasible) return params;
  for (let round = 0; round < POLISH_ROUNDS; round++) {
    let improved = false;
    for (let i = 0; i < current.params.length; i++) {
      const p = current.params[i];
      for (const step of POLISH_STEPS) {
        for (const value of scaled(p, step)) {
          const next = [...current.params];
          next[i] = value;
          const candidate = { params: next, j: safe(objective, next) };
          if (candidate.j.feasible && candidate.j.score < current.j.score) {
            current = candidate;
            improved = true;
          }
        }
      }
    }
    if (!improved) break;
  }
  return current.params;
}

/**
 * A parameter scaled up and down by a step, to dyadic values: a number, or a distribution's
 * observed value and its tail's share (which move a mean or a quantile; its rate moves neither).
 */
function scaled(p: Param, step: number): Param[] {
  const moves = (x: number) => [dyadic(x * step), dyadic(x / step)].filter((y) => y > 0 && y !== x);
  if (typeof p === "number") return p > 0 ? moves(p) : [];
  if (p === undefined) return [];
  const out: Param[] = moves(p.observe).map((observe) => ({ ...p, observe }));
  if (p.tail) {
    const tail = p.tail;
    out.push(...moves(tail.share).filter((share) => share < 1).map((share) => ({ ...p, tail: { ...tail, share } })));
    out.push(...moves(tail.observe).map((observe) => ({ ...p, tail: { ...tail, observe } })));
  }
  return out;
}
