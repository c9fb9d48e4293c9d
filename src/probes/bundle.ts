/**
 * The probe runtime bundle, built by `npm run build` (scripts/build-probes.mjs) into
 * dist/probes/vigil-probes.mjs. Read once, when a spec has checks or journeys.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// From src/probes/ (tests) and from dist/probes/ (the CLI) alike.
const BUNDLE = fileURLToPath(new URL("../../dist/probes/vigil-probes.mjs", import.meta.url));
let cached: string | undefined;

export function probeBundle(): string {
  if (cached === undefined) {
    try {
      cached = readFileSync(BUNDLE, "utf8");
    } catch {
      throw new Error(`vigil: the probe bundle ${BUNDLE} is missing; run \`npm run build\``);
    }
  }
  return cached;
}
