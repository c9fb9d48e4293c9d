/**
 * `vigil diff` through the real CLI: against a real temporary git repository (--base, the default
 * base, a spec importing a module, bad revisions and bad specs), the three output formats, two
 * compiled output directories (--trees), and the example GitHub Actions workflow's diff step.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { cliEnv, REPO, runCliAsync, tempProjects } from "./helpers.js";

const FIXTURE = readFileSync(join(REPO, "test/fixtures/diff/monitoring.ts"), "utf8");
/** The fixture with its page threshold read from a module of its own. */
const SPEC = FIXTURE.replace('import { assertStatus', 'import { CHECKOUT_PAGE } from "./limits.js";\nimport { assertStatus').replace("critical: 0.05", "critical: CHECKOUT_PAGE");
const LIMITS = (page: number) => `export const CHECKOUT_PAGE = ${page};\n`;
const THRESHOLD_LINE = "~ alert shop/CheckoutErrors critical: threshold > 0.05 → > 0.02";
/** The summary sentence of that change, above the change lines. */
const THRESHOLD_SENTENCE = "This change lowers the page threshold of alert shop/CheckoutErrors from 0.05 to 0.02.";
const TEAM_LINE = "~ alert shop/QueueBacklog: team web → payments";

const projects = tempProjects();
afterAll(() => projects.remove());

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=vigil", "-c", "user.email=vigil@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" }).trim();
}

/** A repository on main whose one commit holds the spec and its module. */
function repository(files: Record<string, string> = { "monitoring.ts": SPEC, "limits.ts": LIMITS(0.05) }): string {
  const dir = projects.create(files, "vigil-diff-git-");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  return dir;
}

describe("vigil diff --base (a real git repository)", () => {
  test("an edit in a module the spec imports: compared with HEAD, exit 0; --exit-code exits 1", async () => {
    const dir = repository();
    writeFileSync(join(dir, "limits.ts"), LIMITS(0.02));
    const [r, strict] = await Promise.all([runCliAsync(["diff", "--base", "HEAD"], { cwd: dir }), runCliAsync(["diff", "--base", "HEAD", "--exit-code"], { cwd: dir })]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const head = git(dir, "rev-parse", "HEAD").slice(0, 12);
    expect(r.stdout).toBe(`vigil diff HEAD (${head}) → working tree: 1 change\n${THRESHOLD_SENTENCE}\n\n${THRESHOLD_LINE}\n`);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe(r.stdout);
  });

  test("the default base is the merge base with origin/main, else HEAD", async () => {
    const dir = repository();
    const base = git(dir, "rev-parse", "HEAD");
    git(dir, "update-ref", "refs/remotes/origin/main", base);
    // A committed change on the branch, and an uncommitted one.
    writeFileSync(join(dir, "monitoring.ts"), SPEC.replace('team: "web",\n      summary', 'team: "payments",\n      summary'));
    git(dir, "commit", "-q", "-am", "queue to payments");
    writeFileSync(join(dir, "limits.ts"), LIMITS(0.02));
    const both = await runCliAsync(["diff", "monitoring.ts"], { cwd: dir });
    expect(both.status).toBe(0);
    expect(both.stdout.split("\n")[0]).toBe(`vigil diff merge-base(HEAD, origin/main) (${base.slice(0, 12)}) → working tree: 4 changes`);
    expect(both.stdout).toContain(`${THRESHOLD_LINE}\n`);
    expect(both.stdout).toContain(`${TEAM_LINE}\n`);

    git(dir, "update-ref", "-d", "refs/remotes/origin/main");
    const uncommitted = await runCliAsync(["diff"], { cwd: dir });
    expect(uncommitted.stdout).toBe(`vigil diff HEAD (${git(dir, "rev-parse", "HEAD").slice(0, 12)}) → working tree: 1 change\n${THRESHOLD_SENTENCE}\n\n${THRESHOLD_LINE}\n`);
  });

  test("no change: no semantic changes, exit 0 even with --exit-code", async () => {
    const dir = repository();
    writeFileSync(join(dir, "monitoring.ts"), `// reviewed\n${SPEC.replace(/\n/g, "\n\n")}`);
    const r = await runCliAsync(["diff", "--exit-code"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/→ working tree: no semantic changes\n$/);
  });

  test("a spec that is new since the base: everything in it is added", async () => {
    const dir = repository({ "README.md": "service\n" });
    writeFileSync(join(dir, "monitoring.ts"), FIXTURE);
    const r = await runCliAsync(["diff", "--format", "json"], { cwd: dir });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { changes: { change: string; area: string; subject: string }[] };
    expect(new Set(doc.changes.map((c) => c.change))).toEqual(new Set(["added"]));
    expect(doc.changes.map((c) => `${c.area} ${c.subject}`)).toEqual(expect.arrayContaining(["alert shop/CheckoutErrors critical", "slo shop/availability", "check shop/health", "journey shop/sign-in", "log-category shop/audit"]));
  });

  test("a spec removed below a directory given as input: everything in it is removed", async () => {
    const billing = [
      'import { defineMonitoring, gauge } from "vigil-monitoring";',
      'const pending = gauge("billing_pending_invoices");',
      "export default defineMonitoring({",
      '  service: { name: "billing", team: "payments" },',
      '  teams: [{ name: "payments" }],',
      "  signals: [pending],",
      '  alerts: [{ name: "InvoicesPiling", expr: "billing_pending_invoices", threshold: 1000, severity: "warning", summary: "invoices pile up", description: "{{ $value }} pending" }],',
      "});",
      "",
    ].join("\n");
    const dir = repository({ "services/shop/monitoring.ts": SPEC, "services/shop/limits.ts": LIMITS(0.05), "services/billing/monitoring.ts": billing });
    rmSync(join(dir, "services/billing"), { recursive: true });
    const r = await runCliAsync(["diff", "services"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => /^[+~-] /.test(l));
    // The team stays: the shop spec declares it with its receivers.
    expect(lines).toEqual(["- service billing", "- alert billing/InvoicesPiling", "- routing billing/InvoicesPiling", "- signal billing/billing_pending_invoices", "- prometheus billing"]);
  });

  test("an unknown revision, and a directory outside git: VIG6020, exit 1", async () => {
    const dir = repository();
    const plain = projects.create({ "monitoring.ts": FIXTURE }, "vigil-diff-nogit-");
    const [r, outside] = await Promise.all([runCliAsync(["diff", "--base", "no-such-branch"], { cwd: dir }), runCliAsync(["diff"], { cwd: plain })]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error VIG6020: git cannot resolve the revision "no-such-branch"');
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain("error VIG6020:");
    expect(outside.stderr).not.toMatch(/\n\s+at /);
  });

  test("a base that does not compile: VIG6021 and its diagnostic at REV:file:line:col", async () => {
    const dir = repository({ "monitoring.ts": SPEC.replace("objective: 99.9", "objective: 100"), "limits.ts": LIMITS(0.05) });
    writeFileSync(join(dir, "monitoring.ts"), SPEC);
    const r = await runCliAsync(["diff", "--base", "HEAD"], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error VIG6021:");
    const line = SPEC.split("\n").findIndex((l) => l.includes("objective: 99.9")) + 1;
    expect(r.stderr).toMatch(new RegExp(`HEAD:monitoring\\.ts:${line}:\\d+ - error VIG2003`));
  });

  test("a working-tree spec error: its diagnostic at file:line:col, exit 1, nothing on stdout", async () => {
    const dir = repository();
    const broken = SPEC.replace("objective: 99.9", "objective: 0");
    writeFileSync(join(dir, "monitoring.ts"), broken);
    const r = await runCliAsync(["diff"], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const line = broken.split("\n").findIndex((l) => l.includes("objective: 0")) + 1;
    expect(r.stderr).toMatch(new RegExp(`^monitoring\\.ts:${line}:\\d+ - error VIG2003`, "m"));
  });

  test("the three formats say the same: text lines, JSON changes, Markdown bullets", async () => {
    const dir = repository();
    writeFileSync(join(dir, "limits.ts"), LIMITS(0.02));
    writeFileSync(join(dir, "monitoring.ts"), SPEC.replace('team: "web",\n      summary', 'team: "payments",\n      summary'));
    const format = (f: string) => runCliAsync(["diff", "--format", f], { cwd: dir });
    const [text, json, markdown] = await Promise.all([format("text"), format("json"), format("markdown")]);
    for (const r of [text, json, markdown]) expect(r.status).toBe(0);
    const doc = JSON.parse(json.stdout) as { schema: string; before: string; after: string; changed: boolean; changes: { change: string; area: string; subject: string; field?: string; before?: string; after?: string }[] };
    expect(doc.schema).toBe("vigil-diff/1");
    expect(doc.changed).toBe(true);
    expect(doc.after).toBe("working tree");
    expect(doc.changes).toContainEqual({ change: "changed", area: "alert", subject: "shop/CheckoutErrors critical", field: "threshold", before: "> 0.05", after: "> 0.02" });
    expect(doc.changes).toContainEqual({ change: "changed", area: "routing", subject: "shop/QueueBacklog", field: "receivers", before: "web/slack", after: "payments/slack" });
    const lines = text.stdout.split("\n").filter((l) => l.startsWith("~ "));
    expect(lines).toHaveLength(doc.changes.length);
    expect(lines).toEqual(expect.arrayContaining([THRESHOLD_LINE, TEAM_LINE, "~ routing shop/QueueBacklog: receivers web/slack → payments/slack"]));
    const md = markdown.stdout.split("\n");
    expect(md[0]).toBe("<!-- vigil-diff -->");
    expect(md).toContain("#### Alert");
    expect(md).toContain("#### Routing");
    expect(md).toContain("- ~ `shop/CheckoutErrors critical`: threshold `> 0.05` → `> 0.02`");
    expect(md).toContain("- ~ `shop/QueueBacklog`: receivers `web/slack` → `payments/slack`");
    expect(md.filter((l) => l.startsWith("- ~ "))).toHaveLength(doc.changes.length);
    // One sentence per changed alert, the same in each form: text lines, Markdown paragraphs, JSON `summary`.
    const sentences = [THRESHOLD_SENTENCE, "This change routes alert shop/QueueBacklog to team payments instead of web."];
    expect(text.stdout.split("\n").filter((l) => l.startsWith("This change "))).toEqual(sentences);
    expect(md.filter((l) => l.startsWith("This change "))).toEqual(sentences.map((x) => x.replace(/(shop\/\w+)/, "`$1`")));
    expect((JSON.parse(json.stdout) as { summary: { area: string; subject: string; text: string }[] }).summary).toEqual([
      { area: "alert", subject: "shop/CheckoutErrors", text: sentences[0] },
      { area: "alert", subject: "shop/QueueBacklog", text: sentences[1] },
    ]);
    // Same input, same bytes.
    expect((await runCliAsync(["diff", "--format", "json"], { cwd: dir })).stdout).toBe(json.stdout);
  });

  test("usage errors exit 2", async () => {
    const dir = repository();
    const cases = [["diff", "--format", "yaml"], ["diff", "--trees", "a"], ["diff", "--trees", "a", "b", "--base", "HEAD"]];
    const runs = await Promise.all(cases.map((args) => runCliAsync(args, { cwd: dir })));
    runs.forEach((r, i) => {
      expect(r.status, cases[i]!.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^vigil: /);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(2); // the error and the pointer to --help
    });
  });
});

describe("vigil diff --trees (two compiled output directories)", () => {
  test("reads the changes out of the generated files", async () => {
    const dir = projects.create(
      {
        "old/monitoring.ts": FIXTURE,
        "new/monitoring.ts": FIXTURE.replace("critical: 0.05", "critical: 0.02")
          .replace('team: "web",\n      summary', 'team: "payments",\n      summary')
          .replace('team: "payments", runbookBaseUrl', 'team: "payments", maintenance: ["sunday-deploys"], runbookBaseUrl')
          .replace("  logs: {", '  inhibitions: [{ source: "CheckoutErrors", targets: ["QueueBacklog"] }],\n  logs: {')
          .replace('[5m]))" }] }]', '[5m]))" }] }, { title: "Queue", type: "stat", queries: [{ expr: "checkout_queue_depth" }] }]')
          .replace('interval: "60s" }]', 'interval: "30s" }]')
          .replace("retentionDays: 365", "retentionDays: 730"),
      },
      "vigil-diff-trees-",
    );
    const compiled = await Promise.all(["old", "new"].map((side) => runCliAsync(["compile", `${side}/monitoring.ts`, "--out", `${side}/out`, "--no-typecheck", "--quiet"], { cwd: dir })));
    for (const c of compiled) expect(c.stderr).toBe("");
    const r = await runCliAsync(["diff", "--trees", "old/out", "new/out"], { cwd: dir });
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^vigil diff old\/out → new\/out: \d+ changes$/);
    const expected = [
      /^~ alert shop\/CheckoutErrors critical: expr .* > 0\.05 → .* > 0\.02$/,
      /^~ alert shop\/QueueBacklog: team web → payments$/,
      /^~ routing shop\/QueueBacklog: receivers web\/slack → payments\/slack$/,
      // The service's own routes under its team, muted in maintenance (one child per critical receiver).
      /^\+ route \{team="payments"\} > \{service="shop", severity="warning"\}$/,
      /^\+ route \{team="payments"\} > \{service="shop", severity="critical"\} > receiver payments\/pagerduty$/,
      /^ {4}mute_time_intervals: sunday-deploys$/,
      /^\+ inhibition \{alertname="CheckoutErrors", service="shop"\} silences \{alertname="QueueBacklog", service="shop"\}$/,
      /^\+ panel vigil-shop-checkout \/ Traffic \/ Queue$/,
      /^~ check health: intervalSeconds 60 → 30$/,
      /^~ retention policy logs-shop-audit: policy\.phases\.delete\.min_age 365d → 730d$/,
    ];
    for (const re of expected) expect(lines.some((l) => re.test(l)), `${re}\n${r.stdout.slice(0, 4000)}`).toBe(true);
    const trees = (...args: string[]) => runCliAsync(["diff", "--trees", ...args], { cwd: dir });
    const [jsonRun, markdown, same, strict, missing] = await Promise.all([
      trees("old/out", "new/out", "--format", "json"),
      trees("old/out", "new/out", "--format", "markdown"),
      trees("old/out", "old/out", "--exit-code"),
      trees("old/out", "new/out", "--exit-code"),
      trees("old", "new/out"),
    ]);
    // Markdown and JSON of the same comparison.
    const json = JSON.parse(jsonRun.stdout) as { changes: unknown[] };
    expect(json.changes.length).toBe(lines.filter((l) => /^[+~-] /.test(l)).length);
    expect(markdown.stdout).toContain("#### Inhibition");
    expect(same.stdout).toBe("vigil diff old/out → old/out: no semantic changes\n");
    expect(same.status).toBe(0);
    expect(strict.status).toBe(1);
    // Not an output directory; a file that does not parse.
    expect(missing.status).toBe(1);
    // A credential written into a tree by hand: the change is seen, the value never printed.
    const config = join(dir, "new/out/alertmanager/alertmanager.yml");
    writeFileSync(config, readFileSync(config, "utf8").replace(/api_url_file: .*SLACK_WEBHOOK_URL\n/, "api_url: https://hooks.slack.com/services/T0/B0/s3cr3tT0k3n\n"));
    const [inlineText, inlineJson] = await Promise.all([trees("old/out", "new/out"), trees("old/out", "new/out", "--format", "json")]);
    expect(inlineText.stdout).toMatch(/^~ receiver vigil\/catch-all: slack_configs\.1\.api_url \(unset\) → \(inline secret\)$/m);
    for (const out of [inlineText.stdout, inlineJson.stdout]) expect(out).not.toContain("s3cr3tT0k3n");
    expect(missing.stderr).toContain("error VIG6022: ");
    writeFileSync(join(dir, "new/out/alertmanager/alertmanager.yml"), "route:\n  receiver: [unclosed\n");
    const broken = await runCliAsync(["diff", "--trees", "old/out", "new/out"], { cwd: dir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/alertmanager\.yml:\d+:\d+ - error VIG6023: /);
  }, 120_000);
});

describe("the example GitHub Actions workflow (docs/workflows/monitoring-diff.yml)", () => {
  const workflow = parseYaml(readFileSync(join(REPO, "docs/workflows/monitoring-diff.yml"), "utf8")) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; run?: string; env?: Record<string, string> }[] }>;
  };
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const diffStep = steps.find((s) => s.run?.includes("vigil diff"));

  test("runs on pull requests, may comment, and fetches the base branch's history", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions["pull-requests"]).toBe("write");
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).toBe(0);
    expect(diffStep?.run).toMatch(/^npx vigil diff --base "origin\/\$BASE_REF" --format markdown > vigil-diff\.md$/);
    expect(diffStep?.env?.BASE_REF).toBe("${{ github.base_ref }}");
    const comment = steps.find((s) => s.run?.includes("gh pr comment"));
    expect(comment?.run).toContain("--body-file vigil-diff.md");
    expect(comment?.env?.GH_TOKEN).toBe("${{ github.token }}");
  });

  test("README.md shows it as it is (without its header comment)", () => {
    const text = readFileSync(join(REPO, "docs/workflows/monitoring-diff.yml"), "utf8");
    const body = text.split("\n").filter((l) => !l.startsWith("#")).join("\n");
    expect(readFileSync(join(REPO, "README.md"), "utf8")).toContain("```yaml\n" + body + "```\n");
  });

  test("its diff step, run as written in a pull request's checkout, writes the Markdown comment", () => {
    const dir = repository();
    // What actions/checkout leaves for a pull request against main: origin/main, and the change checked out.
    git(dir, "update-ref", "refs/remotes/origin/main", git(dir, "rev-parse", "HEAD"));
    git(dir, "checkout", "-q", "-b", "feature");
    writeFileSync(join(dir, "limits.ts"), LIMITS(0.02));
    git(dir, "commit", "-q", "-am", "lower the page threshold");
    // `npx vigil` is this checkout's CLI.
    const bin = join(dir, ".bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = vigil ] || exit 97\nshift\nexec "${process.execPath}" "${join(REPO, "bin/vigil.mjs")}" "$@"\n`);
    chmodSync(join(bin, "npx"), 0o755);
    const r = spawnSync("bash", ["-e", "-c", diffStep!.run!], { cwd: dir, encoding: "utf8", timeout: 60_000, env: cliEnv({ NO_COLOR: "1", BASE_REF: "main", PATH: `${bin}:${process.env.PATH}` }) });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const md = readFileSync(join(dir, "vigil-diff.md"), "utf8");
    expect(md.split("\n")[0]).toBe("<!-- vigil-diff -->");
    expect(md).toContain("`origin/main (");
    expect(md).toContain("- ~ `shop/CheckoutErrors critical`: threshold `> 0.05` → `> 0.02`");
  });
});
