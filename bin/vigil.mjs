#!/usr/bin/env node
// The `vigil` command: a thin entry point over dist/cli/main.js (built by `npm run build`; shipped built in the package).
import { colorFromEnvironment, main } from "../dist/cli/main.js";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: colorFromEnvironment(process.env, Boolean(process.stderr.isTTY)),
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  },
});
process.exitCode = code;
