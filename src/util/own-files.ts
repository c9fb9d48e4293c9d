/**
 * Where Vigil's own files are: the compiler runs from `dist/` when installed and from `src/`
 * under the test runner, and the spec loader needs the authoring API in either form.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `src/` or `dist/` — the folder this module was loaded from. */
export const OWN_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The package root (holds package.json). */
export const PACKAGE_ROOT = dirname(OWN_ROOT);

/** Path of an own module, e.g. `ownModule("api/index")`, as `.ts` source or compiled `.js`. */
export function ownModule(name: string): string {
  for (const ext of [".ts", ".js"]) {
    const candidate = join(OWN_ROOT, name + ext);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`vigil: cannot find its own module ${name} under ${OWN_ROOT}`);
}

/** Type declarations of an own module: `.d.ts` next to compiled code, else the `.ts` source. */
export function ownTypes(name: string): string {
  const dts = join(OWN_ROOT, name + ".d.ts");
  return existsSync(dts) ? dts : ownModule(name);
}
