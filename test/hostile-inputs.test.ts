/**
 * Issue 15, items 2, 5 and 8, through the real CLI: inputs that need more than a fixture
 * (a generated 60k-character name, a file that must be exactly empty, a generated output that
 * must also run) give one-line diagnostics or correct output, never a stack trace.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO, runCli } from "./helpers.js";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vigil-hostile-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STACK = /^\s+at .*:\d+:\d+\)?$/m;

/** A spec of one service (`name`) owned by team payments, with `extra` properties. */
function spec(name: string, extra = "", webhook = "SLACK_WEBHOOK_URL", team = "payments"): string {
  return `import { assertStatus, counter, defineMonitoring, env } from "vigil-monitoring";
const requests = counter("http_requests_total", { labels: ["code"] });
export default defineMonitoring({
  service: { name: ${JSON.stringify(name)}, team: ${JSON.stringify(team)}, runbookBaseUrl: "https://runbooks.example.com/x", scrape: { targets: ["${name}:8000"] } },
  teams: [{ name: "payments", receivers: [{ name: "slack", kind: "slack", channel: "#payments", webhook: env(${JSON.stringify(webhook)}) }] }],
  alertmanager: { catchAll: { team: "payments", receiver: "slack" } },
  signals: [requests],${extra}
});
`;
}

describe("item 2: paths that are not there", () => {
  test("vigil promql check-rules on a missing file: one line, exit 1, no location", () => {
    const r = runCli(["promql", "check-rules", "nope.yml"], work);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error VIG1001: cannot read rule file nope\.yml: no such file$/m);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(/nope\.yml:1:1/);
  });

  test("--out below a file (ENOTDIR): one line VIG5003, exit 1, the file untouched", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "not a directory\n");
    const r = runCli(["compile", join(REPO, "examples/minimal/monitoring.ts"), "--out", join(file, "out"), "--no-typecheck"], work);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error VIG5003: cannot write .*a-file\/out: .*a-file is not a directory; nothing was changed$/m);
    expect(r.stderr).not.toMatch(STACK);
    expect(readFileSync(file, "utf8")).toBe("not a directory\n");
  });
});

describe("item 5: outputs that were wrong with exit 0", () => {
  test("two services with a check of the same name: a probes.json the runtime accepts, with both checks", () => {
    const check = `\n  checks: [{ name: "health", request: { url: "https://example.com/health" }, assertions: [assertStatus().equals(200)] }],`;
    writeFileSync(join(work, "orders.ts"), spec("orders", check));
    writeFileSync(join(work, "billing.ts"), spec("billing", check));
    const out = join(work, "checks-out");
    const r = runCli(["compile", "orders.ts", "billing.ts", "--out", out, "--no-typecheck"], work);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const runtime = runCli(["probes", "run", out, "--check"], work);
    expect(runtime.stderr + runtime.stdout).toMatch(/ok, 2 checks and 0 journeys/);
    expect(runtime.status).toBe(0);
  });

  test("env(\"dir\"): write-secrets.sh writes the variable's value, not a variable of its own", () => {
    const secrets = join(work, "secrets");
    const extra = `\n  alertmanager: { catchAll: { team: "payments", receiver: "slack" }, secretsDir: ${JSON.stringify(secrets)} },`;
    writeFileSync(join(work, "dir-secret.ts"), spec("dir-secret", extra, "dir").replace(`  alertmanager: { catchAll: { team: "payments", receiver: "slack" } },\n`, ""));
    const out = join(work, "dir-out");
    const r = runCli(["compile", "dir-secret.ts", "--out", out, "--no-typecheck"], work);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const sh = spawnSync("sh", [join(out, "alertmanager/write-secrets.sh")], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", dir: "https://hooks.example.com/the-secret" } });
    expect(sh.stderr).toBe("");
    expect(sh.status).toBe(0);
    expect(readFileSync(join(secrets, "dir"), "utf8")).toBe("https://hooks.example.com/the-secret");
  });

  test("an empty .ts file: VIG1004 (no default export), not a schema error", () => {
    writeFileSync(join(work, "empty.ts"), "");
    const r = runCli(["compile", "empty.ts", "--out", join(work, "empty-out")], work);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^empty\.ts:1:1 - error VIG1004: the spec has no default export$/m);
    expect(r.stderr).not.toMatch(/VIG1006/);
  });
});

describe("item 8: did-you-mean on a very long name", () => {
  test("a 60k-character typo of a 60k-character team name is reported without a suggestion, in seconds", () => {
    // Before the cap, Levenshtein over 60k × 60k characters took ~25 s.
    const team = "p".repeat(60_000);
    const text = spec("long-typo", "", "SLACK_WEBHOOK_URL", `${team}q`).replaceAll('"payments"', JSON.stringify(team));
    writeFileSync(join(work, "long-typo.ts"), text);
    const started = Date.now();
    const r = runCli(["compile", "long-typo.ts", "--out", join(work, "long-out"), "--no-typecheck"], work);
    const seconds = (Date.now() - started) / 1000;
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ - error VIG2008: unknown team "p{60000}q"/);
    expect(r.stderr).not.toMatch(/did you mean/);
    expect(seconds).toBeLessThan(8);
  });
});
