/**
 * Dashboards: panels laid out left to right in Kibana's 48-column grid, a new row when the next
 * does not fit; each panel by reference to its saved search or Lens visualization, named in the
 * `references` as Kibana's dashboard extracts them (`<panelIndex>:panel_<panelIndex>`).
 */
import type { KibanaDashboardModel, ServiceModel } from "../model/types.js";
import { GRID_COLUMNS } from "../normalize/kibana.js";
import { stableJson } from "../util/json.js";
import { savedObjectId, uuidV5 } from "./ids.js";
import { savedObject, TYPE_MIGRATION_VERSIONS, type SavedObject, type SavedObjectReference } from "./objects.js";

export interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Shelf layout: panels in order, each row as tall as its tallest panel. */
export function layout(sizes: readonly { width: number; height: number }[]): Placed[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return sizes.map(({ width, height }) => {
    if (x + width > GRID_COLUMNS) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { x, y, w: width, h: height };
    x += width;
    rowHeight = Math.max(rowHeight, height);
    return placed;
  });
}

/** Options of a new dashboard in Kibana 8 (DEFAULT_DASHBOARD_OPTIONS). */
const OPTIONS = { hidePanelTitles: false, syncColors: false, syncCursor: true, syncTooltips: false, useMargins: true };

export const dashboardId = (service: ServiceModel, dashboard: KibanaDashboardModel) => savedObjectId("dashboard", service.name, dashboard.name);

/** The dashboard of `panels`: each the saved object it shows (a search or a Lens visualization). */
export function dashboardObject(service: ServiceModel, dashboard: KibanaDashboardModel, panels: readonly { type: "search" | "lens"; id: string }[]): SavedObject {
  const id = dashboardId(service, dashboard);
  const places = layout(dashboard.panels);
  const references: SavedObjectReference[] = [];
  const saved = panels.map((p, k) => {
    const panelIndex = uuidV5(String(k), id);
    references.push({ id: p.id, name: `${panelIndex}:panel_${panelIndex}`, type: p.type });
    // `version` is the Kibana version whose panel format this is (kept by Kibana until 8.11 moved it into the embeddable's input).
    return { embeddableConfig: { enhancements: {} }, gridData: { ...places[k]!, i: panelIndex }, panelIndex, panelRefName: `panel_${panelIndex}`, type: p.type, version: TYPE_MIGRATION_VERSIONS.dashboard };
  });
  const attributes: Record<string, unknown> = {
    description: dashboard.description ?? "",
    kibanaSavedObjectMeta: { searchSourceJSON: stableJson({ filter: [], query: { language: "kuery", query: "" } }) },
    optionsJSON: stableJson(OPTIONS),
    panelsJSON: stableJson(saved),
    timeFrom: `now-${dashboard.timeRange}`,
    timeRestore: true,
    timeTo: "now",
    title: dashboard.title,
    version: 1,
  };
  if (dashboard.refreshMs !== undefined) attributes.refreshInterval = { pause: false, value: dashboard.refreshMs };
  return savedObject("dashboard", id, attributes, references);
}
