/**
 * Fixes for the SDK's output that Grafana would otherwise reject or mangle, in one pass over a
 * built dashboard: the SDK leaves panel ids unset (and rows at id 0), leaves targets without a
 * datasource, and stacks panels without wrapping at 24 columns. Here every panel gets a
 * unique non-zero id, every target our Prometheus datasource, and panels are laid out in
 * rows of 24 columns under their row headers.
 */
import { PROMETHEUS_DATASOURCE } from "./ids.js";

type Json = Record<string, unknown>;

/**
 * Drops the empty strings the SDK fills in (an empty description). Links get a real `icon` and
 * `tooltip` where they are built: Grafana's schema requires both.
 */
function dropEmptyStrings(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropEmptyStrings);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Json)) {
      if (v === "" && (k === "icon" || k === "tooltip" || k === "description")) delete (value as Json)[k];
      else dropEmptyStrings(v);
    }
  }
}

/**
 * What the SDK (built for Grafana 11.6) writes that current Grafana's model no longer has: the
 * interval variables' `auto`, `auto_count`, `auto_min` on query variables, and the table
 * footer (Grafana 12 moved footers into field config).
 */
function dropRemovedProperties(dashboard: Json): void {
  const variables = ((dashboard.templating as Json | undefined)?.list as Json[] | undefined) ?? [];
  for (const v of variables) {
    if (v.type !== "query") continue;
    delete v.auto;
    delete v.auto_count;
    delete v.auto_min;
  }
  for (const panel of (dashboard.panels as Json[] | undefined) ?? []) {
    if (panel.type === "table" && panel.options) delete (panel.options as Json).footer;
  }
}

/**
 * Options current Grafana's gauge requires that the SDK does not know, at Grafana's own
 * defaults (its `defaultOptions`), so the gauge is drawn as Grafana draws a new one; older
 * Grafana ignores them.
 */
const GAUGE_DEFAULTS: Json = { barShape: "flat", barWidthFactor: 0.5, effects: {}, segmentCount: 1, segmentSpacing: 0.3, shape: "gauge" };

function completeOptions(panel: Json): void {
  if (panel.type === "gauge") panel.options = { ...GAUGE_DEFAULTS, ...((panel.options as Json | undefined) ?? {}) };
}

export function finishDashboard(dashboard: Json): Json {
  dropEmptyStrings(dashboard);
  dropRemovedProperties(dashboard);
  const panels = (dashboard.panels as Json[] | undefined) ?? [];
  let id = 1;
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const panel of panels) {
    panel.id = id++;
    completeOptions(panel);
    const grid = (panel.gridPos as Json | undefined) ?? {};
    if (panel.type === "row") {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
      panel.gridPos = { h: 1, w: 24, x: 0, y };
      y += 1;
      continue;
    }
    const w = Math.min(24, (grid.w as number | undefined) ?? 12);
    const h = (grid.h as number | undefined) ?? 8;
    if (x + w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    panel.gridPos = { h, w, x, y };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    if (Array.isArray(panel.targets)) {
      panel.datasource = { ...PROMETHEUS_DATASOURCE };
      for (const t of panel.targets as Json[]) t.datasource = { ...PROMETHEUS_DATASOURCE };
    }
  }
  return dashboard;
}
