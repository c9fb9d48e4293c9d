/**
 * The probe runtime bundle, built by `npm run build` (scripts/build-probes.mjs) into
 * dist/probes/vigil-probes.mjs and shipped in the package: `vigil probes run` runs it, and a spec
 * with `probes: { bundle: true }` gets a copy in its output. Read once, only then.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The bundle file of this installation (from src/probes/ under the tests, dist/probes/ installed). */
export const PROBE_BUNDLE_FILE = fileURLToPath(new URL("../../dist/probes/vigil-probes.mjs", import.meta.url));
let cached: string | undefined;

export function probeBundle(): string {
  if (cached === undefined) {
    try {
      cached = readFileSync(PROBE_BUNDLE_FILE, "utf8");
    } catch {
      throw new Error(`vigil: the probe bundle ${PROBE_BUNDLE_FILE} is missing; run \`npm run build\``);
    }
  }
  return cached;
}
