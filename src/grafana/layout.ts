/**
 * Fixes for the SDK's output that Grafana would otherwise reject or mangle, in one pass over a
 * built dashboard: the SDK leaves panel ids unset (and rows at id 0), leaves targets without a
 * datasource, and stacks panels without wrapping at 24 columns. Here every panel gets a
 * unique non-zero id, every target our Prometheus datasource, and panels are laid out in
 * rows of 24 columns under their row headers.
 */
import { PROMETHEUS_DATASOURCE } from "./ids.js";

type Json = Record<string, unknown>;

/** Drops the empty strings the SDK fills in (`icon: ""`, `tooltip: ""`, an empty description). */
function dropEmptyStrings(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropEmptyStrings);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Json)) {
      if (v === "" && (k === "icon" || k === "tooltip" || k === "description")) delete (value as Json)[k];
      else dropEmptyStrings(v);
    }
  }
}

export function finishDashboard(dashboard: Json): Json {
  dropEmptyStrings(dashboard);
  const panels = (dashboard.panels as Json[] | undefined) ?? [];
  let id = 1;
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const panel of panels) {
    panel.id = id++;
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
