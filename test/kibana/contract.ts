/**
 * What Kibana's saved objects import (`POST /api/saved_objects/_import`) and the types it
 * registers require of a file, as Kibana's public source defines it (elastic/kibana, read at
 * the paths below), checked over a whole NDJSON file. Each check names where it comes from.
 *
 * Import format:
 * - packages/core/saved-objects/core-saved-objects-server-internal/src/routes/utils.ts
 *   (createSavedObjectsStreamFromNdJson): lines split on "\n", blank lines skipped, each line one
 *   JSON object; an object with `exportedCount` is the export summary and is dropped.
 * - packages/core/saved-objects/core-saved-objects-import-export-server-internal/src/import/lib/
 *   collect_saved_objects.ts: a type must be importable; the same type:id twice refuses the whole
 *   file (nonUniqueImportObjects); an object without `typeMigrationVersion`/`migrationVersion` gets
 *   `''` and runs every migration of its type.
 * - .../import/lib/validate_references.ts: references to `index-pattern` and `search` must exist
 *   (in the file or in Kibana), else the object fails with missing_references.
 * - src/plugins/dashboard/server/content_management/v3/cm_services.ts (referenceSchema): a
 *   reference is exactly { name, type, id }, strings.
 *
 * Types (each has convertToMultiNamespaceTypeVersion '8.0.0': an object below it is converted on
 * import, in a non-default space with a new id):
 * - index-pattern: src/platform/plugins/shared/data_views/server/saved_objects/data_views.ts,
 *   index_pattern_migrations.ts (last 7.11.0); attributes are DataViewAttributes of
 *   src/platform/plugins/shared/data_views/common/types.ts (fields, fieldAttrs, fieldFormatMap,
 *   runtimeFieldMap, sourceFilters, typeMeta are JSON strings, parsed by savedObjectToSpec in
 *   common/data_views/data_views.ts; with allowNoIndex the saved `fields` are used until field caps
 *   finds more than 5 fields: refreshFieldSpecMap there).
 * - search: src/plugins/saved_search/server/saved_objects/search.ts and schema.ts
 *   (SCHEMA_SEARCH_V8_8_0 and its model versions: config-schema objects, unknown keys refused;
 *   `sort` pairs of 2 strings; kibanaSavedObjectMeta.searchSourceJSON a string), search_migrations.ts
 *   (last 7.9.3; the data view is the reference named by `indexRefName`,
 *   `kibanaSavedObjectMeta.searchSourceJSON.index`).
 * - dashboard: src/platform/plugins/shared/dashboard/server/dashboard_saved_object/
 *   dashboard_saved_object.ts and schema/v1/v1.ts (create schema, unknowns 'forbid'; panelsJSON and
 *   optionsJSON strings), schema/v2/v2.ts (gridData { x, y, w, h: number, i: string }),
 *   src/plugins/dashboard/server/content_management/v3/cm_services.ts (w 1..48 =
 *   DASHBOARD_GRID_COLUMN_COUNT, h >= 1, panelIndex), migrations/dashboard_saved_object_migrations.ts
 *   (last own migration 7.17.3, by-value embeddable migrations merged in),
 *   migrations/migrate_extract_panel_references/dashboard_container_references.ts (createInject: a
 *   panel's `panelRefName` is looked up among the references prefixed `<panelIndex>:`, "Could not
 *   find reference" otherwise, and the reference's type becomes the panel's type).
 * - lens: x-pack/platform/plugins/shared/lens/server/saved_objects.ts (mappings title,
 *   description, visualizationType, state), content_management/v0/schema.ts (attributes),
 *   migrations/saved_object_migrations.ts (7.10.0 extractReferences names a layer's data view
 *   `indexpattern-datasource-layer-<layer>`; 8.1.0 counts `___records___`; 8.6.0 renames the
 *   `indexpattern` datasource to `formBased`; last 8.9.0), x-pack/plugins/lens/public/datasources/
 *   form_based/types.ts (FormBasedPersistedState: layers of columnOrder and columns),
 *   operations/definitions/column_types.ts and terms/types.ts (columns), and the XY, datatable and
 *   metric visualization states (XYDataLayerConfig: layerId, layerType 'data', seriesType,
 *   xAccessor, accessors, splitAccessor).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ImportedObject {
  type: string;
  id: string;
  attributes: JsonObject;
  references: { name: string; type: string; id: string }[];
  coreMigrationVersion?: string;
  typeMigrationVersion?: string;
}

export const IMPORTABLE_TYPES = new Set(["index-pattern", "search", "dashboard", "lens", "visualization", "config", "query", "tag", "map"]);
/** Every type here was converted to a multi-space type at 8.0.0. */
const MULTI_NAMESPACE_VERSION = "8.0.0";
/** The last migration that changes the form written: the object must be at or past it, or Kibana would rewrite it. */
const FORM_VERSION: Record<string, string> = { "index-pattern": "7.11.0", search: "7.9.3", dashboard: "7.17.3", lens: "8.9.0" };
const GRID_COLUMNS = 48;

const DATA_VIEW_ATTRIBUTES = ["fields", "title", "type", "typeMeta", "timeFieldName", "sourceFilters", "fieldFormatMap", "fieldAttrs", "runtimeFieldMap", "allowNoIndex", "name", "allowHidden"];
const SEARCH_ATTRIBUTES = [
  "title", "description", "columns", "sort", "grid", "rowHeight", "rowsPerPage", "hideChart", "breakdownField", "kibanaSavedObjectMeta", "isTextBasedQuery",
  "usesAdHocDataView", "timeRestore", "timeRange", "refreshInterval", "viewMode", "hideAggregatedPreview", "hits", "version", "sampleSize", "headerRowHeight", "visContext", "density",
];
const DASHBOARD_ATTRIBUTES = ["title", "description", "kibanaSavedObjectMeta", "timeRestore", "timeFrom", "timeTo", "refreshInterval", "controlGroupInput", "panelsJSON", "optionsJSON", "hits", "version"];
const LENS_ATTRIBUTES = ["title", "description", "visualizationType", "state", "uiStateJSON", "visState", "savedSearchRefName"];
const SERIES_TYPES = new Set(["bar", "bar_stacked", "bar_percentage_stacked", "bar_horizontal", "bar_horizontal_stacked", "bar_horizontal_percentage_stacked", "line", "area", "area_stacked", "area_percentage_stacked"]);
const FIELD_OPERATIONS = new Set(["terms", "date_histogram", "average", "median", "min", "max", "sum", "percentile", "unique_count", "last_value", "standard_deviation", "range"]);

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const semver = (v: string) => v.split(".").map(Number);
export function versionAtLeast(v: string, min: string): boolean {
  const [a, b] = [semver(v), semver(min)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/** The objects of an import file as Kibana's stream reads them, and what is wrong with its lines. */
export function readImportFile(text: string): { objects: ImportedObject[]; summary?: JsonObject; problems: string[] } {
  const problems: string[] = [];
  const objects: ImportedObject[] = [];
  let summary: JsonObject | undefined;
  if (!text.endsWith("\n")) problems.push("the file does not end with a newline");
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.push(`line ${i + 1} is not JSON: ${(e as Error).message}`);
      return;
    }
    if (!isObject(value)) return problems.push(`line ${i + 1} is not an object`) as never;
    if (summary) problems.push(`line ${i + 1} follows the export summary`);
    if (value.exportedCount !== undefined) summary = value;
    else objects.push(value as unknown as ImportedObject);
  });
  if (summary && summary.exportedCount !== objects.length) problems.push(`the summary counts ${String(summary.exportedCount)} objects, the file has ${objects.length}`);
  return summary ? { objects, summary, problems } : { objects, problems };
}

/** Everything the contract finds wrong with an import file (empty: Kibana imports it). */
export function checkSavedObjects(text: string): string[] {
  const { objects, problems } = readImportFile(text);
  const byKey = new Map<string, ImportedObject>();
  for (const o of objects) {
    const key = `${o.type}:${o.id}`;
    const where = `${key}`;
    if (typeof o.type !== "string" || !IMPORTABLE_TYPES.has(o.type)) problems.push(`${where}: type is not importable`);
    if (typeof o.id !== "string" || o.id === "") problems.push(`${where}: id is not a non-empty string`);
    if (byKey.has(key)) problems.push(`${where}: the same type and id twice (nonUniqueImportObjects)`);
    byKey.set(key, o);
    if (!isObject(o.attributes)) problems.push(`${where}: attributes is not an object`);
    if (!Array.isArray(o.references)) problems.push(`${where}: references is not an array`);
    for (const r of Array.isArray(o.references) ? o.references : []) {
      const keys = isObject(r) ? Object.keys(r).sort().join(",") : "";
      if (keys !== "id,name,type" || ![r.id, r.name, r.type].every((x) => typeof x === "string" && x !== "")) problems.push(`${where}: reference ${JSON.stringify(r)} is not { name, type, id }`);
    }
    const names = (o.references ?? []).map((r) => r.name);
    if (new Set(names).size !== names.length) problems.push(`${where}: two references of one name`);
    const v = o.typeMigrationVersion;
    if (typeof v !== "string" || !/^\d+\.\d+\.\d+$/.test(v)) problems.push(`${where}: typeMigrationVersion ${String(v)} is not a version (every migration would run)`);
    else {
      if (!versionAtLeast(v, MULTI_NAMESPACE_VERSION)) problems.push(`${where}: typeMigrationVersion ${v} is before the 8.0.0 multi-space conversion`);
      const form = FORM_VERSION[o.type];
      if (form && !versionAtLeast(v, form)) problems.push(`${where}: typeMigrationVersion ${v} is before ${form}, whose migration would rewrite this form`);
    }
    if (typeof o.coreMigrationVersion !== "string" || !/^\d+\.\d+\.\d+$/.test(o.coreMigrationVersion)) problems.push(`${where}: coreMigrationVersion is not a version`);
  }
  // Every reference resolves to an object of the file, of the type it says.
  for (const o of objects) {
    for (const r of o.references ?? []) {
      if (!byKey.has(`${r.type}:${r.id}`)) problems.push(`${o.type}:${o.id}: reference ${r.name} → ${r.type}:${r.id} is not in the file`);
    }
  }
  const dataViewFields = new Map<string, Map<string, JsonObject>>();
  for (const o of objects.filter((x) => x.type === "index-pattern")) dataViewFields.set(o.id, checkDataView(o, problems));
  for (const o of objects) {
    const at = `${o.type}:${o.id}`;
    if (o.type === "search") checkSearch(o, dataViewFields, problems, at);
    else if (o.type === "dashboard") checkDashboard(o, byKey, problems, at);
    else if (o.type === "lens") checkLens(o, dataViewFields, problems, at);
  }
  return problems;
}

function unknownKeys(value: JsonObject, allowed: readonly string[], at: string, problems: string[]): void {
  for (const k of Object.keys(value)) if (!allowed.includes(k)) problems.push(`${at}: attribute ${k} is not in the type's schema`);
}

function parseString(value: Json | undefined, at: string, what: string, problems: string[]): Json | undefined {
  if (typeof value !== "string") {
    problems.push(`${at}: ${what} is not a JSON string`);
    return undefined;
  }
  try {
    return JSON.parse(value) as Json;
  } catch {
    problems.push(`${at}: ${what} does not parse`);
    return undefined;
  }
}

function checkDataView(o: ImportedObject, problems: string[]): Map<string, JsonObject> {
  const at = `index-pattern:${o.id}`;
  const a = o.attributes;
  unknownKeys(a, DATA_VIEW_ATTRIBUTES, at, problems);
  const fields = new Map<string, JsonObject>();
  if (typeof a.title !== "string" || a.title === "") problems.push(`${at}: title (the index pattern) is not a non-empty string`);
  else {
    // Elasticsearch's multi-target syntax: comma-separated, an exclusion applies to the patterns before it.
    const parts = a.title.split(",");
    parts.forEach((p, i) => {
      if (p === "" || p === "-" || /\s/.test(p)) problems.push(`${at}: index pattern part "${p}" is empty or holds a space`);
      if (p.startsWith("-") && i === 0) problems.push(`${at}: the index pattern starts with an exclusion`);
      if (p.replace(/^-/, "") !== p.replace(/^-/, "").toLowerCase()) problems.push(`${at}: index pattern part "${p}" is not lower case`);
    });
  }
  const list = parseString(a.fields, at, "fields", problems);
  if (!Array.isArray(list)) problems.push(`${at}: fields is not a list`);
  else {
    for (const f of list) {
      if (!isObject(f) || typeof f.name !== "string" || typeof f.type !== "string" || typeof f.searchable !== "boolean" || typeof f.aggregatable !== "boolean") {
        problems.push(`${at}: field ${JSON.stringify(f)} is not a FieldSpec (name, type, searchable, aggregatable)`);
        continue;
      }
      if (fields.has(f.name)) problems.push(`${at}: field ${f.name} twice`);
      fields.set(f.name, f);
    }
  }
  for (const k of ["fieldAttrs", "fieldFormatMap", "runtimeFieldMap", "typeMeta"]) if (a[k] !== undefined && !isObject(parseString(a[k], at, k, problems) ?? null)) problems.push(`${at}: ${k} is not an object`);
  if (a.sourceFilters !== undefined && !Array.isArray(parseString(a.sourceFilters, at, "sourceFilters", problems))) problems.push(`${at}: sourceFilters is not a list`);
  if (a.allowNoIndex !== undefined && typeof a.allowNoIndex !== "boolean") problems.push(`${at}: allowNoIndex is not a boolean`);
  if (a.timeFieldName !== undefined && fields.get(String(a.timeFieldName))?.type !== "date") problems.push(`${at}: time field ${String(a.timeFieldName)} is no date field of the data view`);
  return fields;
}

/** The data view a search source names by `indexRefName`, and its query. */
function searchSource(o: ImportedObject, meta: Json | undefined, at: string, problems: string[]): { view?: string; query?: JsonObject } {
  if (!isObject(meta)) {
    problems.push(`${at}: kibanaSavedObjectMeta is not an object`);
    return {};
  }
  const source = parseString(meta.searchSourceJSON, at, "kibanaSavedObjectMeta.searchSourceJSON", problems);
  if (!isObject(source)) return {};
  if (source.filter !== undefined && !Array.isArray(source.filter)) problems.push(`${at}: searchSourceJSON.filter is not a list`);
  const query = source.query;
  if (query !== undefined && !(isObject(query) && typeof query.query === "string" && (query.language === "kuery" || query.language === "lucene"))) problems.push(`${at}: searchSourceJSON.query is not { query, language: kuery | lucene }`);
  if (source.index !== undefined) problems.push(`${at}: searchSourceJSON holds a data view id instead of a reference`);
  if (source.indexRefName === undefined) return isObject(query) ? { query } : {};
  const ref = o.references.find((r) => r.name === source.indexRefName);
  if (!ref || ref.type !== "index-pattern") problems.push(`${at}: indexRefName ${String(source.indexRefName)} names no index-pattern reference`);
  return { ...(ref ? { view: ref.id } : {}), ...(isObject(query) ? { query } : {}) };
}

function checkSearch(o: ImportedObject, views: ReadonlyMap<string, Map<string, JsonObject>>, problems: string[], at: string): void {
  const a = o.attributes;
  unknownKeys(a, SEARCH_ATTRIBUTES, at, problems);
  if (typeof a.title !== "string") problems.push(`${at}: title is not a string`);
  if (a.description !== undefined && typeof a.description !== "string") problems.push(`${at}: description is not a string`);
  if (!Array.isArray(a.columns) || !a.columns.every((c) => typeof c === "string")) problems.push(`${at}: columns is not a list of strings`);
  if (!Array.isArray(a.sort) || !a.sort.every((s) => Array.isArray(s) && s.length === 2 && s.every((x) => typeof x === "string"))) problems.push(`${at}: sort is not a list of [field, direction]`);
  for (const k of ["hideChart", "isTextBasedQuery", "timeRestore"]) if (a[k] !== undefined && typeof a[k] !== "boolean") problems.push(`${at}: ${k} is not a boolean`);
  if (a.grid !== undefined && !isObject(a.grid)) problems.push(`${at}: grid is not an object`);
  if (isObject(a.kibanaSavedObjectMeta) && Object.keys(a.kibanaSavedObjectMeta).join() !== "searchSourceJSON") problems.push(`${at}: kibanaSavedObjectMeta holds more than searchSourceJSON`);
  const { view } = searchSource(o, a.kibanaSavedObjectMeta, at, problems);
  if (!view) problems.push(`${at}: the search has no data view`);
  const fields = view ? views.get(view) : undefined;
  if (fields && Array.isArray(a.columns)) for (const c of a.columns) if (typeof c === "string" && !fields.has(c)) problems.push(`${at}: column ${c} is no field of its data view`);
}

interface Panel {
  type: string;
  panelIndex: string;
  gridData: { x: number; y: number; w: number; h: number; i: string };
  panelRefName?: string;
}

function checkDashboard(o: ImportedObject, byKey: ReadonlyMap<string, ImportedObject>, problems: string[], at: string): void {
  const a = o.attributes;
  unknownKeys(a, DASHBOARD_ATTRIBUTES, at, problems);
  if (typeof a.title !== "string") problems.push(`${at}: title is not a string`);
  if (isObject(a.kibanaSavedObjectMeta)) {
    unknownKeys(a.kibanaSavedObjectMeta, ["searchSourceJSON"], `${at} kibanaSavedObjectMeta`, problems);
    searchSource(o, a.kibanaSavedObjectMeta, at, problems);
  } else problems.push(`${at}: kibanaSavedObjectMeta is not an object`);
  if (!isObject(parseString(a.optionsJSON, at, "optionsJSON", problems) ?? null)) problems.push(`${at}: optionsJSON is not an object`);
  if (a.timeRestore !== undefined && typeof a.timeRestore !== "boolean") problems.push(`${at}: timeRestore is not a boolean`);
  if (a.timeRestore === true && (typeof a.timeFrom !== "string" || typeof a.timeTo !== "string")) problems.push(`${at}: a dashboard that restores its time needs timeFrom and timeTo`);
  if (a.refreshInterval !== undefined && !(isObject(a.refreshInterval) && typeof a.refreshInterval.pause === "boolean" && typeof a.refreshInterval.value === "number")) problems.push(`${at}: refreshInterval is not { pause, value }`);
  const panels = parseString(a.panelsJSON, at, "panelsJSON", problems);
  if (!Array.isArray(panels)) return void problems.push(`${at}: panelsJSON is not a list`);
  const seen = new Set<string>();
  const placed: Panel[] = [];
  for (const raw of panels) {
    const p = raw as unknown as Panel;
    const g = p?.gridData;
    const where = `${at} panel ${String(p?.panelIndex)}`;
    if (typeof p?.type !== "string") problems.push(`${where}: no type`);
    if (typeof p?.panelIndex !== "string") problems.push(`${where}: panelIndex is not a string`);
    if (seen.has(p?.panelIndex)) problems.push(`${where}: panelIndex twice`);
    seen.add(p?.panelIndex);
    if (!isObject((raw as JsonObject).embeddableConfig)) problems.push(`${where}: embeddableConfig is not an object`);
    if (!g || ![g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n)) || typeof g.i !== "string") {
      problems.push(`${where}: gridData is not { x, y, w, h, i }`);
      continue;
    }
    if (g.i !== p.panelIndex) problems.push(`${where}: gridData.i is not the panelIndex`);
    if (g.w < 1 || g.w > GRID_COLUMNS) problems.push(`${where}: width ${g.w} outside 1..${GRID_COLUMNS}`);
    if (g.h < 1) problems.push(`${where}: height ${g.h} below 1`);
    if (g.x < 0 || g.y < 0 || g.x + g.w > GRID_COLUMNS) problems.push(`${where}: outside the grid`);
    for (const q of placed) {
      const h = q.gridData;
      if (g.x < h.x + h.w && h.x < g.x + g.w && g.y < h.y + h.h && h.y < g.y + g.h) problems.push(`${where}: overlaps panel ${q.panelIndex}`);
    }
    placed.push(p);
    if (p.panelRefName !== undefined) {
      const prefixed = o.references.filter((r) => r.name.startsWith(`${p.panelIndex}:`)).map((r) => ({ ...r, name: r.name.slice(p.panelIndex.length + 1) }));
      const ref = (prefixed.length ? prefixed : o.references).find((r) => r.name === p.panelRefName);
      if (!ref) problems.push(`${where}: Could not find reference "${p.panelRefName}"`);
      else {
        if (ref.type !== p.type) problems.push(`${where}: panel type ${p.type} but its reference is a ${ref.type}`);
        if (!byKey.has(`${ref.type}:${ref.id}`)) problems.push(`${where}: shows ${ref.type}:${ref.id}, which is not in the file`);
      }
    } else problems.push(`${where}: a panel by value (no panelRefName), which this file does not write`);
  }
}

function checkLens(o: ImportedObject, views: ReadonlyMap<string, Map<string, JsonObject>>, problems: string[], at: string): void {
  const a = o.attributes;
  unknownKeys(a, LENS_ATTRIBUTES, at, problems);
  if (typeof a.title !== "string") problems.push(`${at}: title is not a string`);
  const state = a.state;
  if (!isObject(state)) return void problems.push(`${at}: state is not an object`);
  if (!isObject(state.query) || typeof state.query.query !== "string" || state.query.language !== "kuery") problems.push(`${at}: state.query is not a KQL query`);
  if (!Array.isArray(state.filters)) problems.push(`${at}: state.filters is not a list`);
  const ds = isObject(state.datasourceStates) ? state.datasourceStates : {};
  if (ds.indexpattern !== undefined) problems.push(`${at}: the pre-8.6 indexpattern datasource`);
  const layers = isObject(ds.formBased) && isObject(ds.formBased.layers) ? ds.formBased.layers : undefined;
  if (!layers || Object.keys(layers).length === 0) return void problems.push(`${at}: no formBased layers`);
  const columnsOf = new Map<string, JsonObject>();
  for (const [layerId, layer] of Object.entries(layers)) {
    const ref = o.references.find((r) => r.name === `indexpattern-datasource-layer-${layerId}`);
    if (!ref || ref.type !== "index-pattern") problems.push(`${at}: layer ${layerId} has no data view reference`);
    const fields = ref ? views.get(ref.id) : undefined;
    if (!isObject(layer) || !isObject(layer.columns) || !Array.isArray(layer.columnOrder)) {
      problems.push(`${at}: layer ${layerId} is not { columnOrder, columns }`);
      continue;
    }
    const ids = Object.keys(layer.columns);
    if ([...layer.columnOrder].map(String).sort().join() !== [...ids].sort().join()) problems.push(`${at}: layer ${layerId} columnOrder is not its columns`);
    for (const [id, c] of Object.entries(layer.columns)) {
      const where = `${at} column ${id}`;
      if (!isObject(c) || typeof c.label !== "string" || typeof c.dataType !== "string" || typeof c.operationType !== "string" || typeof c.isBucketed !== "boolean") {
        problems.push(`${where}: not { label, dataType, operationType, isBucketed }`);
        continue;
      }
      columnsOf.set(id, c);
      if (c.operationType === "count" && c.sourceField !== "___records___") problems.push(`${where}: count of ${String(c.sourceField)}, not ___records___`);
      if (FIELD_OPERATIONS.has(c.operationType)) {
        if (typeof c.sourceField !== "string") problems.push(`${where}: ${c.operationType} without sourceField`);
        else if (fields && !fields.has(c.sourceField)) problems.push(`${where}: field ${c.sourceField} is not in the data view`);
        else if (fields && c.operationType === "terms" && fields.get(c.sourceField)?.aggregatable !== true) problems.push(`${where}: terms of ${c.sourceField}, which is not aggregatable`);
        else if (fields && c.operationType !== "terms" && c.operationType !== "unique_count" && c.operationType !== "date_histogram" && fields.get(c.sourceField)?.type !== "number") problems.push(`${where}: ${c.operationType} of ${c.sourceField}, which is no number`);
        else if (fields && c.operationType === "date_histogram" && fields.get(c.sourceField)?.type !== "date") problems.push(`${where}: date histogram of ${c.sourceField}, which is no date`);
      }
      if (c.operationType === "terms") {
        const p = isObject(c.params) ? c.params : {};
        const order = isObject(p.orderBy) ? p.orderBy : {};
        if (typeof p.size !== "number" || (order.type === "column" && !ids.includes(String(order.columnId)))) problems.push(`${where}: terms params (size, orderBy column) are invalid`);
      }
      if (c.operationType === "percentile" && !(isObject(c.params) && typeof c.params.percentile === "number")) problems.push(`${where}: percentile without params.percentile`);
    }
  }
  const has = (id: Json | undefined) => typeof id === "string" && columnsOf.has(id);
  const vis = isObject(state.visualization) ? state.visualization : {};
  switch (a.visualizationType) {
    case "lnsXY":
      for (const l of Array.isArray(vis.layers) ? vis.layers : []) {
        if (!isObject(l) || typeof l.layerId !== "string" || !(l.layerId in layers) || l.layerType !== "data" || !SERIES_TYPES.has(String(l.seriesType))) problems.push(`${at}: XY layer ${JSON.stringify(l)} is not a data layer of the datasource`);
        else if (!has(l.xAccessor) || !Array.isArray(l.accessors) || !l.accessors.every(has) || (l.splitAccessor !== undefined && !has(l.splitAccessor))) problems.push(`${at}: XY layer ${l.layerId} names columns the layer does not have`);
      }
      if (!Array.isArray(vis.layers) || vis.layers.length === 0) problems.push(`${at}: XY without layers`);
      if (!SERIES_TYPES.has(String(vis.preferredSeriesType)) || !isObject(vis.legend)) problems.push(`${at}: XY without preferredSeriesType or legend`);
      break;
    case "lnsDatatable":
      if (typeof vis.layerId !== "string" || !(vis.layerId in layers) || !Array.isArray(vis.columns) || !vis.columns.every((c) => isObject(c) && has(c.columnId))) problems.push(`${at}: datatable columns are not the layer's`);
      break;
    case "lnsMetric":
      if (typeof vis.layerId !== "string" || !(vis.layerId in layers) || !has(vis.metricAccessor)) problems.push(`${at}: metric accessor is not a column of the layer`);
      break;
    default:
      problems.push(`${at}: visualizationType ${String(a.visualizationType)} is not checked here`);
  }
}
