/**
 * Every dashboard Vigil writes — the goldens of every example, and dashboards compiled from
 * specs that exercise every panel type — type-checks against Grafana's own schema
 * (`@grafana/schema`, see grafana-schema.ts): strict, with excess-property checks, so a
 * property Grafana's model lacks or a required one left out fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { emitGrafana } from "../src/grafana/index.js";
import { specWith } from "../src/lint/tester.js";
import { normalizeModel } from "../src/normalize/index.js";
import { listFiles } from "../src/write/writer.js";
import { checkDashboardSchemas, type SchemaInput } from "./grafana-schema.js";
import { REPO } from "./helpers.js";

const EXAMPLES = readdirSync(join(REPO, "golden")).sort();

function goldenDashboards(): SchemaInput[] {
  return EXAMPLES.flatMap((name) =>
    listFiles(join(REPO, "golden", name))
      .filter((f) => f.startsWith("grafana/dashboards/") && f.endsWith(".json"))
      .map((f) => ({ name: `${name}/${f}`, dashboard: JSON.parse(readFileSync(join(REPO, "golden", name, f), "utf8")) as Record<string, unknown> })),
  );
}

/** A declared dashboard with every panel type and option the spec has, and a variable. */
const everyPanel = specWith({
  grafana: { refresh: "30s" },
  slos: [
    {
      name: "availability",
      objective: 99.9,
      sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
    },
  ],
  dashboards: [
    {
      name: "board",
      refresh: "10s",
      variables: [{ name: "pod", label: "Pod", query: "label_values(up, pod)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Row",
          panels: [
            { title: "TS", type: "timeseries", queries: [{ expr: "sum(rate(http_requests_total[$__rate_interval]))", legend: "rps" }], unit: "reqps", thresholds: [{ value: 5, color: "red" }], links: [{ title: "Runbook", url: "https://r.example/x" }], description: "d" },
            { title: "Hidden", type: "timeseries", queries: [{ expr: "up" }], legend: "hidden" },
            { title: "Tabled", type: "timeseries", queries: [{ expr: "up" }], legend: "table" },
            { title: "St", type: "stat", queries: [{ expr: 'up{pod=~"$pod"}' }], decimals: 1 },
            { title: "G", type: "gauge", queries: [{ expr: "up" }], min: 0, max: 100 },
            { title: "BG", type: "bargauge", queries: [{ expr: "up" }] },
            { title: "Tab", type: "table", queries: [{ expr: "up" }] },
            { title: "HM", type: "heatmap", queries: [{ expr: "sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval]))" }] },
            { title: "Txt", type: "text", text: "# Hello", width: 24, links: [{ title: "Docs", url: "https://docs.example" }] },
          ],
        },
      ],
    },
  ],
});

function compiledDashboards(): SchemaInput[] {
  const { model, diagnostics } = normalizeModel([everyPanel]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return emitGrafana(model)
    .files.filter((f) => f.path.startsWith("grafana/dashboards/"))
    .map((f) => ({ name: `every-panel/${f.path}`, dashboard: JSON.parse(f.content) as Record<string, unknown> }));
}

describe("dashboards against Grafana's schema (@grafana/schema)", () => {
  test("every golden dashboard, and every panel type compiled from a spec, type-checks with no error", () => {
    const inputs = [...goldenDashboards(), ...compiledDashboards()];
    const result = checkDashboardSchemas(inputs);
    expect(result.errors).toEqual([]);
    // The counts the resolution quotes.
    console.log(`Grafana schema: ${result.dashboards} dashboards, ${result.panels} panels (${JSON.stringify(result.byType)})`);
    expect(result.dashboards).toBe(inputs.length);
    expect(Object.keys(result.byType).sort()).toEqual(["bargauge", "gauge", "heatmap", "row", "stat", "table", "text", "timeseries"]);
  }, 120_000);

  test("the check catches what Grafana's model lacks or requires: a link without icon or tooltip, a variable's auto, a table's footer, an unknown panel option", () => {
    const [first] = compiledDashboards().filter((d) => d.name.endsWith("board.json"));
    interface Link {
      icon?: string;
      tooltip?: string;
    }
    interface Panel {
      type: string;
      title: string;
      links?: Link[];
      options: { legend?: Record<string, unknown> } & Record<string, unknown>;
    }
    interface Editable {
      links: Link[];
      templating: { list: Record<string, unknown>[] };
      panels: Panel[];
    }
    const dashboard = structuredClone(first!.dashboard);
    const d = dashboard as unknown as Editable;
    delete d.links[0]!.icon;
    delete d.links[0]!.tooltip;
    d.templating.list[0]!.auto = false;
    const tab = d.panels.find((p) => p.type === "table")!;
    tab.options.footer = { show: false, reducer: [], countRows: false };
    const ts = d.panels.find((p) => p.title === "TS")!;
    delete ts.links![0]!.icon;
    ts.options.legend!.colour = "red";
    const { errors } = checkDashboardSchemas([{ name: "broken", dashboard }]);
    const has = (where: string, what: string) => errors.some((e) => e.startsWith(`broken: ${where}`) && new RegExp(`\\b${what}\\b`).test(e.slice(e.indexOf("`: ") + 3)));
    const all = errors.join("\n");
    expect(has("dashboard:", "icon"), all).toBe(true);
    expect(has("dashboard:", "tooltip"), all).toBe(true);
    expect(has("dashboard:", "auto"), all).toBe(true);
    expect(has('panel 7 (table "Tab")', "footer"), all).toBe(true);
    expect(has('panel 1 (timeseries "TS")', "icon"), all).toBe(true);
    expect(has('panel 1 (timeseries "TS")', "colour"), all).toBe(true);
    expect(errors).toHaveLength(5);
  }, 120_000);
});
