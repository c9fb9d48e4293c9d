/** Declared dashboards as emitted: one file per dashboard, panels per type with their options. */
import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import { dashboardUid } from "../model/dashboard-uids.js";
import { normalizeModel } from "../normalize/index.js";
import { emitGrafana } from "./index.js";

type Json = Record<string, any>;

const spec = specWith({
  dashboards: [
    {
      name: "board",
      title: "Board",
      variables: [{ name: "pod", label: "Pod", query: "label_values(memory_bytes, pod)", multi: true, includeAll: true }],
      rows: [
        {
          title: "Row",
          panels: [
            { title: "TS", type: "timeseries", queries: [{ expr: "sum(rate(http_requests_total[$__rate_interval]))", legend: "rps" }], unit: "reqps", thresholds: [{ value: 5, color: "red" }, { value: 1, color: "orange" }], links: [{ title: "Runbook", url: "https://r.example/x" }] },
            { title: "Hidden", type: "timeseries", queries: [{ expr: "up" }], legend: "hidden" },
            { title: "St", type: "stat", queries: [{ expr: "up" }], decimals: 1 },
            { title: "G", type: "gauge", queries: [{ expr: 'memory_bytes{pod=~"$pod"}' }], min: 0, max: 100 },
            { title: "BG", type: "bargauge", queries: [{ expr: "up" }] },
            { title: "Tab", type: "table", queries: [{ expr: "up" }] },
            { title: "HM", type: "heatmap", queries: [{ expr: "sum by (le) (increase(http_request_duration_seconds_bucket[$__rate_interval]))" }] },
            { title: "Txt", type: "text", text: "# Hello", width: 24 },
          ],
        },
      ],
    },
  ],
});

function emitted(): Json {
  const { model, diagnostics } = normalizeModel([spec]);
  expect(diagnostics).toEqual([]);
  const file = emitGrafana(model).files.find((f) => f.path === `grafana/dashboards/${dashboardUid("svc", "board")}.json`);
  expect(file).toBeDefined();
  return JSON.parse(file!.content) as Json;
}

describe("declared dashboards: emitted JSON", () => {
  const d = emitted();
  const panels = (d.panels as Json[]).filter((p) => p.type !== "row");
  const byTitle = (t: string) => panels.find((p) => p.title === t)!;

  it("title, the service's tag and dashboards link, the variable on the provisioned datasource", () => {
    expect(d.title).toBe("Board");
    expect(d.tags).toEqual(["vigil", "svc"]);
    expect(d.links[0]).toMatchObject({ type: "dashboards", tags: ["svc"], asDropdown: true });
    expect(d.templating.list[0]).toMatchObject({ type: "query", name: "pod", label: "Pod", query: "label_values(memory_bytes, pod)", multi: true, includeAll: true, allValue: ".*", datasource: { uid: "vigil-prometheus" } });
  });

  it("one panel per declared panel, of its type, in order, laid out on the grid", () => {
    expect(panels.map((p) => p.type)).toEqual(["timeseries", "timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text"]);
    expect(panels.map((p) => p.gridPos.w)).toEqual([12, 12, 6, 6, 12, 12, 12, 24]);
  });

  it("thresholds sorted above a green base, units, links, legends shown unless hidden", () => {
    const ts = byTitle("TS");
    expect(ts.fieldConfig.defaults.thresholds.steps).toEqual([{ value: null, color: "green" }, { value: 1, color: "orange" }, { value: 5, color: "red" }]);
    expect(ts.fieldConfig.defaults.unit).toBe("reqps");
    expect(ts.links).toEqual([expect.objectContaining({ title: "Runbook", url: "https://r.example/x", targetBlank: true })]);
    expect(ts.options.legend).toMatchObject({ showLegend: true, displayMode: "list" });
    expect(ts.targets[0]).toMatchObject({ expr: "sum(rate(http_requests_total[$__rate_interval]))", legendFormat: "rps", refId: "A", datasource: { uid: "vigil-prometheus" } });
    expect(byTitle("Hidden").options.legend).toMatchObject({ showLegend: false, displayMode: "hidden" });
    expect(byTitle("St").fieldConfig.defaults.decimals).toBe(1);
    expect(byTitle("G").fieldConfig.defaults).toMatchObject({ min: 0, max: 100 });
  });

  it("tables query instantly in table format, heatmaps in heatmap format; text panels hold Markdown and no queries", () => {
    expect(byTitle("Tab").targets[0]).toMatchObject({ format: "table", instant: true });
    expect(byTitle("HM").targets[0]).toMatchObject({ format: "heatmap" });
    expect(byTitle("HM").options.calculate).toBe(false);
    const txt = byTitle("Txt");
    expect(txt.options).toMatchObject({ mode: "markdown", content: "# Hello" });
    expect(txt.targets ?? []).toEqual([]);
  });
});
