/**
 * `vigil diff`: spec edits → the diff lines a reviewer reads (src/diff/). The table compiles
 * each edited spec in memory and compares its model with the unedited one's; a reformatted or
 * refactored spec has no semantic change.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { compareFacts } from "../src/diff/compare.js";
import type { FactSet } from "../src/diff/facts.js";
import { modelFacts } from "../src/diff/model-facts.js";
import { jsonDiff, MARKDOWN_LIMIT, markdownDiff, textDiff } from "../src/diff/render.js";
import { summarize } from "../src/diff/summary.js";
import { REPO } from "./helpers.js";

const MINIMAL = readFileSync(join(REPO, "examples/minimal/monitoring.ts"), "utf8");
const FIXTURE = readFileSync(join(REPO, "test/fixtures/diff/monitoring.ts"), "utf8");

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function factsOf(source: string): Promise<FactSet> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-diff-table-"));
  dirs.push(dir);
  writeFileSync(join(dir, "monitoring.ts"), source);
  const result = await compile([join(dir, "monitoring.ts")], { typecheck: false, lint: false, emit: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return modelFacts(result.model);
}

/** Every file `vigil compile` would write for the spec (the spec compiled in the same temporary place, so paths match). */
async function emitted(source: string): Promise<{ path: string; content: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-diff-emit-"));
  dirs.push(dir);
  writeFileSync(join(dir, "monitoring.ts"), source);
  const result = await compile([join(dir, "monitoring.ts")], { typecheck: false, lint: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.files.map((f) => ({ path: f.path, content: f.content }));
}

/** Replaces each `from` (which must occur exactly once, so an edit cannot silently do nothing). */
function edit(source: string, ...pairs: [string, string][]): string {
  let out = source;
  for (const [from, to] of pairs) {
    expect(out.split(from).length - 1, `"${from}" occurs once`).toBe(1);
    out = out.replace(from, to);
  }
  return out;
}

/** The change lines of the text form (`+`, `-`, `~`), without the detail lines under them. */
function changeLines(before: FactSet, after: FactSet): string[] {
  return textDiff({ before: "a", after: "b", changes: compareFacts(before, after) })
    .split("\n")
    .filter((l) => /^[+~-] /.test(l));
}

/** The summary sentences (text form): one per changed alert, SLO and route. */
function sentences(before: FactSet, after: FactSet): string[] {
  const changes = compareFacts(before, after);
  return textDiff({ before: "a", after: "b", changes, summary: summarize(changes, before, after) })
    .split("\n")
    .filter((l) => l.startsWith("This change "));
}

type Edit = [name: string, spec: "minimal" | "fixture", edit: (source: string) => string, lines: string[], summary?: string[]];

const QUEUE_TEAM = 'team: "web",\n      summary: "checkout queue backlog"';

const EDITS: Edit[] = [
  ["SLO objective", "minimal", (s) => edit(s, ["objective: 99.9", "objective: 99.5"]), ["~ SLO hello/availability: objective 99.9% → 99.5%"], ["This change lowers the objective of SLO hello/availability from 99.9% to 99.5%."]],
  [
    "SLO window (the burn windows scale with it)",
    "minimal",
    (s) => edit(s, ["objective: 99.9,", 'objective: 99.9,\n      window: "7d",']),
    [
      "~ SLO hello/availability: window 30d → 7d",
      "~ burn-rate tier hello/availability page: windows 14.4x over 1h and 5m; 6x over 6h and 30m → 14.4x over 14m and 5m; 6x over 1h24m and 7m",
      "~ burn-rate tier hello/availability ticket: windows 3x over 1d and 2h; 1x over 3d and 6h → 3x over 5h36m and 28m; 1x over 16h48m and 1h24m",
    ],
    ["This change shortens the window of SLO hello/availability from 30d to 7d (the burn-rate windows scale with it)."],
  ],
  ["SLO minimum traffic", "minimal", (s) => edit(s, ["objective: 99.9,", "objective: 99.9,\n      alerting: { minTraffic: 0.5 },"]), ["~ SLO hello/availability: minTraffic (unset) → 0.5"], ["This change sets a minimum traffic of 0.5 events/s on SLO hello/availability."]],
  [
    "a receiver's channel",
    "minimal",
    (s) => edit(s, ['channel: "#platform-alerts"', 'channel: "#platform-oncall"']),
    ["~ receiver platform/slack: channel #platform-alerts → #platform-oncall"],
    [],
  ],
  [
    "an alert added",
    "minimal",
    (s) =>
      edit(s, [
        "  slos: [",
        '  alerts: [{ name: "TrafficStopped", expr: "sum(rate(http_requests_total[5m]))", op: "<", threshold: 0.1, severity: "warning", for: "10m", summary: "no traffic", description: "none" }],\n  slos: [',
      ]),
    ["+ alert hello/TrafficStopped", "+ routing hello/TrafficStopped"],
    ["This change adds alert hello/TrafficStopped."],
  ],
  ["a threshold (a ladder's page step)", "fixture", (s) => edit(s, ["critical: 0.05", "critical: 0.02"]), ["~ alert shop/CheckoutErrors critical: threshold > 0.05 → > 0.02"], ["This change lowers the page threshold of alert shop/CheckoutErrors from 0.05 to 0.02."]],
  ["a for of a ladder", "fixture", (s) => edit(s, ['for: "5m"', 'for: "2m"']), ["~ alert shop/CheckoutErrors critical: for 5m → 2m", "~ alert shop/CheckoutErrors warning: for 5m → 2m"], ["This change makes the page and ticket rules of alert shop/CheckoutErrors wait 2m instead of 5m before firing."]],
  ["a for of one severity", "fixture", (s) => edit(s, ['for: "5m"', 'for: { critical: "1m", warning: "5m" }']), ["~ alert shop/CheckoutErrors critical: for 5m → 1m"], ["This change makes the page rule of alert shop/CheckoutErrors wait 1m instead of 5m before firing."]],
  [
    "an expression",
    "fixture",
    (s) => edit(s, ["checkout_queue_depth\",", "max(checkout_queue_depth)\","]),
    ["~ alert shop/QueueBacklog: expr checkout_queue_depth → max(checkout_queue_depth)", "~ alert shop/QueueBacklog: split by instance, job → (none)"],
    ["This change rewrites the expression of alert shop/QueueBacklog."],
  ],
  ["an alert removed", "fixture", (s) => s.slice(0, s.indexOf("    {\n      name: \"QueueBacklog\"")) + s.slice(s.indexOf("  ],\n  dashboards")), ["- alert shop/QueueBacklog", "- routing shop/QueueBacklog"], ["This change removes alert shop/QueueBacklog."]],
  [
    "an alert moved to another team",
    "fixture",
    (s) => edit(s, [QUEUE_TEAM, 'team: "payments",\n      summary: "checkout queue backlog"']),
    ["~ alert shop/QueueBacklog: team web → payments", "~ routing shop/QueueBacklog: receivers web/slack → payments/slack", "~ routing shop/QueueBacklog: team web → payments"],
    ["This change routes alert shop/QueueBacklog to team payments instead of web."],
  ],
  [
    "a ladder moved to another team",
    "fixture",
    (s) => edit(s, ['for: "5m",', 'for: "5m",\n      team: "web",']),
    [
      "~ alert shop/CheckoutErrors critical: team payments → web",
      "~ alert shop/CheckoutErrors warning: team payments → web",
      "~ routing shop/CheckoutErrors critical: receivers payments/pagerduty, payments/slack → web/slack",
      "~ routing shop/CheckoutErrors critical: team payments → web",
      "~ routing shop/CheckoutErrors warning: receivers payments/slack → web/slack",
      "~ routing shop/CheckoutErrors warning: team payments → web",
    ],
    ["This change routes alert shop/CheckoutErrors to team web instead of payments."],
  ],
  [
    "the issue's example: a page threshold lowered and the ladder routed to a new team",
    "fixture",
    (s) =>
      edit(
        s,
        ["critical: 0.05", "critical: 0.02"],
        ['for: "5m",', 'for: "5m",\n      team: "ops",'],
        ['    team({ name: "web"', '    team({ name: "ops", receivers: [{ name: "pager", kind: "pagerduty", routingKey: env("OPS_PD_KEY") }, { name: "chat", kind: "slack", channel: "#ops", webhook: env("OPS_SLACK") }] }),\n    team({ name: "web"'],
      ),
    [
      "~ alert shop/CheckoutErrors critical: team payments → ops",
      "~ alert shop/CheckoutErrors critical: threshold > 0.05 → > 0.02",
      "~ alert shop/CheckoutErrors warning: team payments → ops",
      "~ routing shop/CheckoutErrors critical: receivers payments/pagerduty, payments/slack → ops/pager, ops/chat",
      "~ routing shop/CheckoutErrors critical: team payments → ops",
      "~ routing shop/CheckoutErrors warning: receivers payments/slack → ops/chat",
      "~ routing shop/CheckoutErrors warning: team payments → ops",
      "+ team ops",
      "+ receiver ops/chat",
      "+ receiver ops/pager",
    ],
    ["This change lowers the page threshold of alert shop/CheckoutErrors from 0.05 to 0.02 and routes it to the new team ops."],
  ],
  [
    "a severity raised",
    "fixture",
    (s) => edit(s, ['severity: "warning",\n      for: "10m"', 'severity: "critical",\n      for: "10m"']),
    ["~ alert shop/QueueBacklog: severity warning → critical", "~ routing shop/QueueBacklog: severity warning → critical"],
    ["This change raises alert shop/QueueBacklog from warning to critical."],
  ],
  [
    "a maintenance window on an alert",
    "fixture",
    (s) => edit(s, [QUEUE_TEAM, `${QUEUE_TEAM},\n      maintenance: ["sunday-deploys"]`]),
    ["~ alert shop/QueueBacklog: maintenance (unset) → sunday-deploys"],
    ["This change mutes alert shop/QueueBacklog during sunday-deploys."],
  ],
  ["a maintenance window on the service", "fixture", (s) => edit(s, ['team: "payments", runbookBaseUrl', 'team: "payments", maintenance: ["sunday-deploys"], runbookBaseUrl']), ["~ service shop: maintenance (none) → sunday-deploys"]],
  [
    "a time interval added",
    "fixture",
    (s) => edit(s, ['location: "UTC" }] }]', 'location: "UTC" }] }, { name: "nights", ranges: [{ times: [{ start: "00:00", end: "06:00" }] }] }]']),
    ["+ time interval nights"],
  ],
  [
    "a time interval's hours",
    "fixture",
    (s) => edit(s, ['end: "04:00"', 'end: "05:00"']),
    ["~ time interval sunday-deploys: range.1 weekdays sunday; times 02:00-04:00; in UTC → weekdays sunday; times 02:00-05:00; in UTC"],
  ],
  [
    "an inhibition added",
    "fixture",
    (s) => edit(s, ["  logs: {", '  inhibitions: [{ source: "CheckoutErrors", targets: ["QueueBacklog"] }],\n  logs: {']),
    ['+ inhibition shop: {alertname="CheckoutErrors", service="shop"} silences {alertname="QueueBacklog", service="shop"}'],
  ],
  [
    "a team's escalation",
    "fixture",
    (s) => edit(s, ['team({ name: "web", receivers', 'team({ name: "web", escalation: { warning: { receivers: [] } }, receivers']),
    ["~ routing shop/QueueBacklog: receivers web/slack → vigil/discard", "~ team web: escalation.warning.receivers slack → (none)"],
    ["This change stops notifying anyone of the ticket alerts of alert shop/QueueBacklog."],
  ],
  [
    "a receiver's secret reference",
    "fixture",
    (s) => edit(s, ['env("PAGERDUTY_KEY")', 'env("PD_ROUTING_KEY")']),
    ["~ receiver payments/pagerduty: routingKey.env PAGERDUTY_KEY → PD_ROUTING_KEY"],
  ],
  [
    "burn-rate tier windows",
    "fixture",
    (s) => edit(s, ["objective: 99.9,", 'objective: 99.9,\n      alerting: { page: { windows: [{ long: "1h", short: "5m", factor: 10 }], for: "2m" } },']),
    ["~ burn-rate tier shop/availability page: for 0s → 2m", "~ burn-rate tier shop/availability page: windows 14.4x over 1h and 5m; 6x over 6h and 30m → 10x over 1h and 5m"],
    ["This change makes the page tier of SLO shop/availability wait 2m instead of 0s before firing and makes its page tier fire at a burn rate of 10x over 1h and 5m instead of 14.4x over 1h and 5m; 6x over 6h and 30m."],
  ],
  ["SLO objective on the fixture", "fixture", (s) => edit(s, ["objective: 99.9", "objective: 99.95"]), ["~ SLO shop/availability: objective 99.9% → 99.95%"], ["This change raises the objective of SLO shop/availability from 99.9% to 99.95%."]],
  [
    "a panel added",
    "fixture",
    (s) => edit(s, ['[5m]))" }] }]', '[5m]))" }] }, { title: "Queue", type: "stat", queries: [{ expr: "checkout_queue_depth" }] }]']),
    ["+ panel shop/checkout / Traffic / Queue"],
  ],
  [
    "a panel's query and unit",
    "fixture",
    (s) => edit(s, ['unit: "reqps", queries: [{ expr: "sum(rate(http_requests_total[5m]))"', 'unit: "ops", queries: [{ expr: "sum by (code) (rate(http_requests_total[5m]))"']),
    ["~ panel shop/checkout / Traffic / Requests: query.1 sum(rate(http_requests_total[5m])) → sum by (code) (rate(http_requests_total[5m]))", "~ panel shop/checkout / Traffic / Requests: unit reqps → ops"],
  ],
  ["a dashboard removed", "fixture", (s) => edit(s, [s.slice(s.indexOf("  dashboards: ["), s.indexOf("  checks:")), ""]), ["- dashboard shop/checkout", "- panel shop/checkout / Traffic / Requests"]],
  ["log retention", "fixture", (s) => edit(s, ["retentionDays: 30", "retentionDays: 14"]), ["~ logs shop: retentionDays 30 → 14"], []],
  ["a category's retention", "fixture", (s) => edit(s, ["retentionDays: 365", "retentionDays: 730"]), ["~ log category shop/audit: retentionDays 365 → 730"]],
  [
    "a log category added",
    "fixture",
    (s) => edit(s, ["retentionDays: 365 }]", 'retentionDays: 365 }, { name: "error", when: { level: ["ERROR"] } }]']),
    // The default Kibana dashboard's top categories panel shows one more.
    ["~ logs shop: kibana.dashboards.overview.panels.3.size 2 → 3", "+ log category shop/error"],
  ],
  ["a check's interval", "fixture", (s) => edit(s, ['interval: "60s" }]', 'interval: "30s" }]']), ["~ check shop/health: intervalSeconds 60 → 30"]],
  [
    "a check added (with its alerts and their routes)",
    "fixture",
    (s) => edit(s, ['checks: [{ name: "health"', 'checks: [{ name: "catalog", request: { url: "https://shop.example.com/catalog" } }, { name: "health"']),
    ["+ alert shop/CatalogCertificateExpiring", "+ alert shop/CatalogCheckFailing", "+ routing shop/CatalogCertificateExpiring", "+ routing shop/CatalogCheckFailing", "+ check shop/catalog"],
    ["This change adds alert shop/CatalogCertificateExpiring.", "This change adds alert shop/CatalogCheckFailing."],
  ],
  [
    "a journey step's URL",
    "fixture",
    (s) => edit(s, ["https://shop.example.com/login", "https://shop.example.com/signin"]),
    ["~ journey shop/sign-in: steps.login.request.url https://shop.example.com/login → https://shop.example.com/signin"],
  ],
];

/** The same meaning, written differently: comments, whitespace, order of keys and list items, PromQL spacing. */
const REFORMATS: [name: string, spec: "minimal" | "fixture", edit: (source: string) => string][] = [
  [
    "minimal: comments, whitespace, key order",
    "minimal",
    (s) =>
      edit(
        s,
        ['  signals: [httpRequests],', "  // what the service exposes\n  signals: [  httpRequests  ],\n"],
        ['      name: "availability",\n      objective: 99.9,', '      objective: 99.9, /* percent */\n      name: "availability",'],
      ).replace(/\n/g, "\n\n"),
  ],
  [
    "fixture: alerts, teams and fields reordered, PromQL respaced",
    "fixture",
    (s) => {
      const alerts = s.slice(s.indexOf("  alerts: [\n") + "  alerts: [\n".length, s.indexOf("  ],\n  dashboards"));
      const [checkout, queue] = [alerts.slice(0, alerts.indexOf("    {\n      name: \"QueueBacklog\"")), alerts.slice(alerts.indexOf("    {\n      name: \"QueueBacklog\""))];
      return edit(
        s.replace(alerts, queue + checkout),
        ['sum by (provider) (rate(http_requests_total{code=~"5.."}[5m]))', `sum  by(provider)(rate( http_requests_total{ code =~ "5.." }[5m] ))`],
        // (not the log fields: their order is the order of Kibana's Discover columns)
        ['      { name: "level", type: "keyword" },', '      { type: "keyword", name: "level" }, // keys reordered'],
        [
          '    team({ name: "web", receivers: [{ name: "slack", kind: "slack", channel: "#web", webhook: env("SLACK_WEBHOOK_URL") }] }),\n',
          "",
        ],
        ["  teams: [\n", '  teams: [\n    team({ receivers: [{ webhook: env("SLACK_WEBHOOK_URL"), name: "slack", kind: "slack", channel: "#web" }], name: "web" }),\n'],
      );
    },
  ],
];

/** Refactors that compile to the same output: constants, selectors instead of strings, a ladder of one written as a threshold. */
const REFACTORS: [name: string, spec: "minimal" | "fixture", edit: (source: string) => string][] = [
  [
    "minimal: the team and the SLI selectors as constants",
    "minimal",
    (s) =>
      edit(
        s,
        ["export default defineMonitoring({", 'const platform = { name: "platform", receivers: [{ name: "slack", kind: "slack" as const, channel: "#platform-alerts", webhook: env("SLACK_WEBHOOK_URL") }] };\nconst bad = httpRequests.select({ code: matches("5..") });\n\nexport default defineMonitoring({'],
        ['teams: [{ name: "platform", receivers: [{ name: "slack", kind: "slack", channel: "#platform-alerts", webhook: env("SLACK_WEBHOOK_URL") }] }],', "teams: [platform],"],
        ['bad: httpRequests.select({ code: matches("5..") }),', "bad,"],
      ),
  ],
  [
    "fixture: a selector interpolated, a one-step threshold as a ladder, defaults spelt out",
    "fixture",
    (s) =>
      edit(
        s,
        ["expr: \"checkout_queue_depth\",\n      threshold: 100,\n      severity: \"warning\",", "expr: `${queue.select()}`,\n      thresholds: { warning: 100 },\n      op: \">\","],
        ['interval: "60s" }]', 'interval: "1m", retries: 0 }]'],
      ),
  ],
];

const sources = { minimal: MINIMAL, fixture: FIXTURE };
let base: Record<"minimal" | "fixture", FactSet>;

beforeAll(async () => {
  base = { minimal: await factsOf(MINIMAL), fixture: await factsOf(FIXTURE) };
}, 60_000);

describe("spec edits → diff lines", () => {
  test("the table has at least 20 edits over both specs", () => {
    expect(EDITS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(EDITS.map((e) => e[1]))).toEqual(new Set(["minimal", "fixture"]));
  });

  test.for(EDITS)("%s (%s)", async ([, spec, change, lines, summary]) => {
    const after = await factsOf(change(sources[spec]));
    expect(changeLines(base[spec], after)).toEqual(lines);
    if (summary) expect(sentences(base[spec], after)).toEqual(summary);
    // The other way round, each change is undone: added ↔ removed, before ↔ after.
    const back = changeLines(after, base[spec]);
    expect(back).toHaveLength(lines.length);
  });

  test.for([...REFORMATS, ...REFACTORS])("no semantic change: %s", async ([, spec, change]) => {
    const source = change(sources[spec]);
    expect(source).not.toBe(sources[spec]);
    expect(changeLines(base[spec], await factsOf(source))).toEqual([]);
  });

  // The refactors' claim checked where it matters: they compile to the same bytes.
  test.for(REFACTORS)("%s: the same output files", { timeout: 120_000 }, async ([, spec, change]) => {
    const [before, after] = [await emitted(sources[spec]), await emitted(change(sources[spec]))];
    expect(after.length).toBeGreaterThan(5);
    expect(after).toEqual(before);
  });
});

describe("a Markdown comment stays under GitHub's size limit", () => {
  test("the properties go first, then changes are cut with a count of the rest", () => {
    // Everything of the fixture added, everything of minimal removed.
    const report = { before: "a", after: "b", changes: compareFacts(base.minimal, base.fixture) };
    const full = markdownDiff(report);
    expect(full.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(full).toContain("<details>");
    const bullets = (md: string) => md.split("\n").filter((l) => l.startsWith("- ")).length;
    expect(bullets(full)).toBe(report.changes.length);

    const compact = markdownDiff(report, full.length - 1);
    expect(compact).not.toContain("<details>");
    expect(bullets(compact)).toBe(report.changes.length);

    const cut = markdownDiff(report, 2_000);
    expect(cut.length).toBeLessThan(2_000);
    const rest = Number(/_… and (\d+) more changes: run `vigil diff` for all of them\._\n$/.exec(cut)?.[1]);
    expect(rest).toBeGreaterThan(0);
    expect(bullets(cut) + rest).toBe(report.changes.length);
  });
});
