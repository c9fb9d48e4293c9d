#!/usr/bin/env node
// Regenerates golden/<example>/** from examples/<example>/monitoring.ts, and the generated
// reference files under spec/. Run on purpose (`npm run golden:update`) and review the diff:
// goldens are the contract.
import { readdirSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, renderDiagnostics, writeOutput } from "../dist/index.js";
import { generatedSpecFiles } from "../dist/spec/generated.js";

const root = new URL("..", import.meta.url).pathname;
let failed = false;
for (const name of readdirSync(join(root, "examples")).sort()) {
  const spec = ["monitoring.ts", "monitoring.yaml", "monitoring.json"].map((f) => join(root, "examples", name, f)).find(existsSync);
  if (!spec) continue;
  const result = await compile([spec]);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.diagnostics.length) console.error(renderDiagnostics(result.diagnostics, { cwd: root, color: false }));
  if (errors.length) {
    failed = true;
    continue;
  }
  const problems = writeOutput(join(root, "golden", name), result.files);
  if (problems.length) {
    console.error(renderDiagnostics(problems, { cwd: root, color: false }));
    failed = true;
  } else {
    console.log(`golden/${name}: ${result.files.length} files`);
  }
}
for (const file of generatedSpecFiles()) {
  writeFileSync(join(root, file.path), file.content);
  console.log(file.path);
}
process.exit(failed ? 1 : 0);
