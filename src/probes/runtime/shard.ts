/**
 * `--shard k/n`: this replica of the runtime runs its share of the checks and journeys. Each probe
 * goes to the shard that scores highest for it (rendezvous hashing: the score is a hash of the
 * shard number and the probe's service and name), so every replica computes the same split from
 * the same probes.json alone, the shares are disjoint and together all, and going from n to n+1
 * shards moves probes only to the new shard.
 */
import { createHash } from "node:crypto";
import type { ProbesConfig } from "../config.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `k/n` with 1 ≤ k ≤ n ≤ 1000. */
export function parseShard(value: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count || count > 1000) throw new Error(`--shard: expected k/n with 1 <= k <= n <= 1000, got ${JSON.stringify(value)}`);
  return { index, count };
}

/** The shard (1..count) that runs the probe `name` of `service`. */
export function shardOf(service: string, name: string, count: number): number {
  let best = 1;
  let bestScore = -1n;
  for (let k = 1; k <= count; k++) {
    const score = createHash("sha256").update(`${k}\0${service}\0${name}`).digest().readBigUInt64BE(0);
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

/** The config with only this shard's checks and journeys. */
export function shardConfig(config: ProbesConfig, shard: Shard): ProbesConfig {
  const mine = (p: { service: string; name: string }) => shardOf(p.service, p.name, shard.count) === shard.index;
  return { ...config, checks: config.checks.filter(mine), journeys: config.journeys.filter(mine) };
}
