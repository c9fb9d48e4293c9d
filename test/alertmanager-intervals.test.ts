/**
 * Over every compiled config (the examples, the fixtures that compile, and a spec with every
 * kind of window): each route that delivers to a receiver carries exactly the mute and active
 * time intervals that apply to the alerts it delivers, computed from the model alone — the
 * severity's `muteDuring`/`activeDuring`, the team's, the service's, the alert's and the SLO's
 * maintenance. Alertmanager does not pass a parent route's intervals down to its children
 * (dispatch/route.go sets them from the route's own config), so a window on a parent mutes nothing.
 *
 * Two walks: every routing case (every alert the rules can fire) through the tree as
 * Alertmanager matches it, and every delivering route with the labels its matchers fix.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Model } from "../src/model/types.js";
import { allTeams } from "../src/normalize/merge.js";
import { isSeverity } from "../src/model/severity.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { REPO } from "./helpers.js";

interface Route {
  matchers?: string[];
  receiver?: string;
  continue?: boolean;
  routes?: Route[];
  mute_time_intervals?: string[];
  active_time_intervals?: string[];
}
interface RoutingCase {
  alert: string;
  labels: Record<string, string>;
}

const work = mkdtempSync(join(tmpdir(), "vigil-intervals-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A spec with a window at every level, and a two-receiver critical with activeDuring. */
function everyWindow(): string {
  const spec: MonitoringSpec = {
    service: { name: "windows", team: "payments", maintenance: ["deploys"] },
    teams: [
      {
        name: "payments",
        maintenance: ["freeze"],
        receivers: [
          { name: "pager", kind: "pagerduty", routingKey: { env: "PD_KEY" } },
          { name: "chat", kind: "slack", channel: "#payments", webhook: { env: "SLACK_URL" } },
        ],
        escalation: { critical: { receivers: ["pager", "chat"], activeDuring: ["office"], muteDuring: ["nights"] }, warning: { receivers: ["chat"], muteDuring: ["nights"] } },
      },
      { name: "sre", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/sre" }] },
    ],
    alertmanager: {
      timeIntervals: ["deploys", "freeze", "nights", "office", "audit"].map((name) => ({ name, ranges: [{ weekdays: ["sunday"] }] })),
      catchAll: { team: "sre", receiver: "hook" },
    },
    signals: [{ name: "http_requests_total", type: "counter", labels: ["code", "route"] }],
    slos: [
      { name: "availability", objective: 99.9, maintenance: ["audit"], sli: { kind: "ratio", bad: 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))', total: "sum(rate(http_requests_total[{{window}}]))" } },
      { name: "routes", objective: 99, team: "sre", sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" }, by: ["route"] } },
    ],
    alerts: [
      { name: "Errors", expr: "sum by (route) (rate(http_requests_total[5m]))", thresholds: { critical: 10, warning: 1 }, maintenance: ["audit"], summary: "s", description: "d" },
      { name: "SreErrors", expr: "sum(rate(http_requests_total[5m]))", threshold: 1, severity: "critical", team: "sre", maintenance: ["office"], summary: "s", description: "d" },
      { name: "Quiet", expr: "sum(rate(http_requests_total[5m]))", threshold: 100, severity: "warning", summary: "s", description: "d" },
    ],
  };
  const path = join(work, "every-window.json");
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

function specSets(): { name: string; paths: string[] }[] {
  const examples = readdirSync(join(REPO, "examples"))
    .sort()
    .flatMap((name) => {
      const p = join(REPO, "examples", name, "monitoring.ts");
      return existsSync(p) ? [{ name: `examples/${name}`, paths: [p] }] : [];
    });
  const fixtures = (dir: string, names: string[]) => names.map((n) => join(REPO, "test/fixtures", dir, n));
  return [
    ...examples,
    { name: "fixtures/merge/shared", paths: fixtures("merge", ["shared-a.ts", "shared-b.ts"]) },
    { name: "fixtures/formats/monitoring.json", paths: fixtures("formats", ["monitoring.json"]) },
    { name: "fixtures/formats/monitoring.yaml", paths: fixtures("formats", ["monitoring.yaml"]) },
    { name: "every window", paths: [everyWindow()] },
  ];
}

/** Alertmanager's label matchers as Vigil writes them: `name<op>"json string"`. */
function matches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)(".*")$/.exec(matcher);
  if (!m) throw new Error(`unexpected matcher ${matcher}`);
  const value = labels[m[1]!] ?? "";
  const want = JSON.parse(m[3]!) as string;
  switch (m[2]) {
    case "=":
      return value === want;
    case "!=":
      return value !== want;
    case "=~":
      return new RegExp(`^(?:${want})$`).test(value);
    default:
      return !new RegExp(`^(?:${want})$`).test(value);
  }
}

/** The routes that deliver an alert, as Alertmanager's dispatcher finds them (first match, `continue`, else the parent). */
function deliveringRoutes(route: Route, labels: Readonly<Record<string, string>>): Route[] {
  const out: Route[] = [];
  for (const child of route.routes ?? []) {
    if (!(child.matchers ?? []).every((m) => matches(m, labels))) continue;
    out.push(...deliveringRoutes(child, labels));
    if (!child.continue) break;
  }
  return out.length ? out : [route];
}

/** Every delivering route (a leaf, or a route whose children can all miss) with the matchers on its path. */
function leaves(route: Route, path: string[] = []): { route: Route; path: string[] }[] {
  const here = [...path, ...(route.matchers ?? [])];
  if (!route.routes?.length) return [{ route, path: here }];
  return route.routes.flatMap((r) => leaves(r, here));
}

/** What the model says applies to an alert with these labels: mute and active intervals, sorted. */
function applies(model: Model, labels: Readonly<Record<string, string>>): { mute: string[]; active: string[] } {
  const team = allTeams(model.services).find((t) => t.name === labels.team && t.receivers.length > 0);
  const severity = labels.severity ?? "";
  if (!team || !isSeverity(severity)) return { mute: [], active: [] };
  const route = team.escalation[severity];
  const mute = new Set([...route.muteDuring, ...(team.maintenance ?? [])]);
  const service = model.services.find((s) => s.name === labels.service);
  if (service) {
    service.maintenance.forEach((m) => mute.add(m));
    for (const a of service.alerts) if (a.name === labels.alertname && a.team === team.name) (a.maintenance ?? []).forEach((m) => mute.add(m));
    for (const s of service.slos) if (s.name === labels.slo && s.team === team.name) (s.maintenance ?? []).forEach((m) => mute.add(m));
  }
  return { mute: [...mute].sort(), active: [...new Set(route.activeDuring)].sort() };
}

const intervals = (r: Route) => ({ mute: [...(r.mute_time_intervals ?? [])].sort(), active: [...(r.active_time_intervals ?? [])].sort() });

describe("every delivering route carries the intervals that apply to it", async () => {
  for (const set of specSets()) {
    test(set.name, { timeout: 120_000 }, async () => {
      const result = await compile(set.paths, { typecheck: false, lint: false });
      expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
      const model = result.model!;
      const file = (p: string) => result.files.find((f) => f.path === p)!.content;
      const config = loadYaml(file("alertmanager/alertmanager.yml")) as { route: Route };
      const cases = (loadYaml(file("alertmanager/routing-tests.yml")) as { cases: RoutingCase[] | null }).cases ?? [];

      // 1. Every alert the rules can fire, routed as Alertmanager routes it.
      let checked = 0;
      for (const c of cases) {
        const want = applies(model, c.labels);
        for (const r of deliveringRoutes(config.route, c.labels)) {
          if (r === config.route) continue; // the catch-all: no team's windows apply
          expect(intervals(r), `${c.alert} ${JSON.stringify(c.labels)} → ${r.receiver}`).toEqual(want);
          checked++;
        }
      }
      // 2. Every delivering route under a team, with the labels its path fixes.
      for (const team of config.route.routes ?? []) {
        for (const leaf of leaves(team)) {
          const labels: Record<string, string> = {};
          for (const m of leaf.path) {
            const eq = /^([a-zA-Z_][a-zA-Z0-9_]*)=(".*")$/.exec(m);
            if (eq) labels[eq[1]!] = JSON.parse(eq[2]!) as string;
          }
          expect(leaf.route.receiver, leaf.path.join(",")).toBeDefined();
          expect(intervals(leaf.route), `${leaf.path.join(",")} → ${leaf.route.receiver}`).toEqual(applies(model, labels));
          // A route that does not deliver carries no intervals: they would do nothing there.
          checked++;
        }
        const parents = (r: Route): Route[] => (r.routes?.length ? [r, ...r.routes.flatMap(parents)] : []);
        for (const p of parents(team)) expect(p.mute_time_intervals ?? p.active_time_intervals, (p.matchers ?? []).join(",")).toBeUndefined();
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
