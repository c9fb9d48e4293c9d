/** `vigil COMMAND --help` for every command and subcommand, through the real CLI. */
import { describe, expect, test } from "vitest";
import { runCliAsync } from "./helpers.js";

/** Each command line, and options its help must name. */
const COMMANDS: [string, string[]][] = [
  ["compile", ["--out", "--format", "--quiet", "--no-typecheck", "--spec-timeout", "--color"]],
  ["check", ["--out", "--format", "--quiet", "--color"]],
  ["lint", ["--format", "--max-warnings", "--color"]],
  ["diff", ["--base", "--trees", "--format", "--exit-code", "origin/main"]],
  ["deploy", ["--apply", "--prometheus-dir", "--alertmanager-url", "--web.enable-lifecycle", "VIG5010"]],
  ["routes test", ["DIR"]],
  ["probes run", ["--listen", "--once", "--check"]],
  ["promql check", ["--target"]],
  ["promql fmt", ["--target"]],
  ["promql check-rules", ["--target"]],
  ["test", ["promtool test rules", "amtool check-config", "probes --check"]],
];

describe.concurrent("per-command help", () => {
  test.for(COMMANDS)("vigil %s --help prints its usage, options and exit codes, exit 0", async ([line, options], { expect }) => {
    const r = await runCliAsync([...line.split(" "), "--help"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: vigil ${line}( |\\n)`));
    expect(r.stdout).toMatch(/^Exit codes: 0 /m);
    for (const option of options) expect(r.stdout, option).toContain(option);
  });

  test.for(COMMANDS)("vigil %s: -h and the help command print what --help prints", async ([line], { expect }) => {
    const command = line.split(" ");
    const [long, short, word] = await Promise.all([runCliAsync([...command, "--help"]), runCliAsync([...command, "-h"]), runCliAsync(["help", ...command])]);
    expect(short.status).toBe(0);
    expect(word.status).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(word.stdout).toBe(long.stdout);
  });

  test("--help after other arguments still prints the command's help, and runs nothing", async ({ expect }) => {
    const r = await runCliAsync(["lint", "does-not-exist.ts", "--format", "json", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vigil lint /);
  });

  test("vigil promql --help lists its three subcommands", async ({ expect }) => {
    const r = await runCliAsync(["promql", "--help"]);
    expect(r.status).toBe(0);
    for (const sub of ["check", "fmt", "check-rules"]) expect(r.stdout).toContain(`vigil promql ${sub} `);
  });

  test("the general usage names vigil test and per-command help", async ({ expect }) => {
    const r = await runCliAsync(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}vigil test \[DIR\]/m);
    expect(r.stdout).toContain("vigil COMMAND --help");
  });
});
