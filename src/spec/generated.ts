/**
 * Reference files under `spec/` that are generated from code, so they cannot drift:
 * the JSON Schema (from `schema.ts`) and the diagnostic code table (from `codes.ts`).
 * `npm run golden:update` writes them; a test fails when they are stale.
 */
import { CODES } from "../diagnostics/codes.js";
import type { OutputFile } from "../emit/types.js";
import { publishedSchema } from "./schema.js";

export function generatedSpecFiles(): OutputFile[] {
  return [
    { path: "spec/monitoring.schema.json", content: JSON.stringify(publishedSchema(), null, 2) + "\n" },
    { path: "spec/diagnostics.md", content: diagnosticsDoc() },
  ];
}

function diagnosticsDoc(): string {
  const rows = Object.entries(CODES).map(([code, info]) => `| ${code} | ${info.severity} | ${info.title} | ${info.doc} |`);
  return [
    "# Diagnostic codes",
    "",
    "Generated from `src/diagnostics/codes.ts` by `npm run golden:update`; do not edit.",
    "Codes are stable: a code keeps its meaning once released.",
    "",
    "| code | severity | title | meaning |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
