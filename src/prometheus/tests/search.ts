/**
 * Finds parameters for a scenario: explore coarse combinations, then refine the best ones
 * one parameter at a time over a fine grid. Objectives return a score (lower is better)
 * and whether the scenario's goal is met. Deterministic: no randomness, fixed order.
 */
import type { Param } from "./variants.js";

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
