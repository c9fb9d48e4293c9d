/**
 * The TypeScript compiler, loaded on first use: it takes a few hundred milliseconds to load
 * and a compile without type-check or diagnostics never needs it.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";

let cached: typeof TS | undefined;

export function typescript(): typeof TS {
  cached ??= createRequire(import.meta.url)("typescript") as typeof TS;
  return cached;
}

export type { TS };
