/**
 * Lens visualizations of the dashboard panels, in the saved form Lens has had since 8.6
 * (`formBased` layers of columns, a visualization state per chart type): one layer, its data
 * view referenced as `indexpattern-datasource-layer-<layer>`, its categories as the query.
 */
import type { KibanaPanelModel } from "../model/types.js";
import type { KibanaStatistic } from "../spec/types.js";
import type { MappedField } from "../logstash/indices.js";
import { categoryQuery, savedObject, type DataView, type SavedObject } from "./objects.js";

export type VisualizationPanel = Exclude<KibanaPanelModel, { kind: "search" }>;

const LAYER = "layer";
/** Column ids: the time buckets, the value per bucket, the values a field is split or counted by. */
const TIME = "time";
const VALUE = "value";
const GROUP = "group";

type Column = Record<string, unknown>;

const DATA_TYPES: Record<string, string> = { keyword: "string", text: "string", double: "number", boolean: "boolean", date: "date" };

function timeColumn(): Column {
  return { dataType: "date", isBucketed: true, label: "@timestamp", operationType: "date_histogram", params: { dropPartials: false, includeEmptyRows: true, interval: "auto" }, scale: "interval", sourceField: "@timestamp" };
}

const STATISTICS: Record<KibanaStatistic, { operationType: string; label: string; params?: Record<string, unknown> }> = {
  unique: { operationType: "unique_count", label: "Unique count of" },
  average: { operationType: "average", label: "Average of" },
  median: { operationType: "median", label: "Median of" },
  min: { operationType: "min", label: "Minimum of" },
  max: { operationType: "max", label: "Maximum of" },
  sum: { operationType: "sum", label: "Sum of" },
  p95: { operationType: "percentile", label: "95th percentile of", params: { percentile: 95 } },
  p99: { operationType: "percentile", label: "99th percentile of", params: { percentile: 99 } },
};

function valueColumn(statistic: "count" | KibanaStatistic, field: string | undefined): Column {
  if (statistic === "count" || field === undefined) {
    return { dataType: "number", isBucketed: false, label: "Count of records", operationType: "count", params: { emptyAsNull: true }, scale: "ratio", sourceField: "___records___" };
  }
  const s = STATISTICS[statistic];
  return { dataType: "number", isBucketed: false, label: `${s.label} ${field}`, operationType: s.operationType, params: { emptyAsNull: true, ...s.params }, scale: "ratio", sourceField: field };
}

function termsColumn(field: string, type: string, size: number): Column {
  return {
    dataType: DATA_TYPES[type] ?? "string",
    isBucketed: true,
    label: `Top ${size} values of ${field}`,
    operationType: "terms",
    params: {
      exclude: [],
      excludeIsRegex: false,
      include: [],
      includeIsRegex: false,
      missingBucket: false,
      orderBy: { columnId: VALUE, type: "column" },
      orderDirection: "desc",
      otherBucket: true,
      parentFormat: { id: "terms" },
      size,
    },
    scale: "ordinal",
    sourceField: field,
  };
}

function xy(seriesType: "bar_stacked" | "line", split: boolean): Record<string, unknown> {
  const layer: Record<string, unknown> = { accessors: [VALUE], layerId: LAYER, layerType: "data", seriesType, xAccessor: TIME };
  if (split) layer.splitAccessor = GROUP;
  return { layers: [layer], legend: { isVisible: true, position: "right" }, preferredSeriesType: seriesType, valueLabels: "hide" };
}

/** The Lens saved object of a visualization panel, reading `view` (the panel's categories' data view). */
export function lensObject(id: string, panel: VisualizationPanel, view: DataView, fields: ReadonlyMap<string, MappedField>): SavedObject {
  const columns: Record<string, Column> = {};
  let visualizationType: string;
  let visualization: Record<string, unknown>;
  const type = (name: string) => fields.get(name)?.type ?? "keyword";
  switch (panel.kind) {
    case "events":
      if (panel.breakdown !== undefined) columns[GROUP] = termsColumn(panel.breakdown, type(panel.breakdown), 5);
      columns[TIME] = timeColumn();
      columns[VALUE] = valueColumn("count", undefined);
      visualizationType = "lnsXY";
      visualization = xy("bar_stacked", panel.breakdown !== undefined);
      break;
    case "trend":
      columns[TIME] = timeColumn();
      columns[VALUE] = valueColumn(panel.statistic, panel.field);
      visualizationType = "lnsXY";
      visualization = xy("line", false);
      break;
    case "top":
      columns[GROUP] = termsColumn(panel.field, type(panel.field), panel.size);
      columns[VALUE] = valueColumn("count", undefined);
      visualizationType = "lnsDatatable";
      visualization = { columns: [{ columnId: GROUP }, { columnId: VALUE }], layerId: LAYER, layerType: "data", sorting: { columnId: VALUE, direction: "desc" } };
      break;
    case "total":
      columns[VALUE] = valueColumn(panel.statistic, panel.field);
      visualizationType = "lnsMetric";
      visualization = { layerId: LAYER, layerType: "data", metricAccessor: VALUE };
      break;
  }
  const state = {
    adHocDataViews: {},
    // Buckets before metrics, as Lens orders them.
    datasourceStates: { formBased: { layers: { [LAYER]: { columnOrder: [GROUP, TIME, VALUE].filter((c) => c in columns), columns, incompleteColumns: {} } } } },
    filters: [],
    internalReferences: [],
    query: { language: "kuery", query: categoryQuery(panel.categories) },
    visualization,
  };
  return savedObject("lens", id, { description: "", state, title: panel.title, visualizationType }, [{ id: view.id, name: `indexpattern-datasource-layer-${LAYER}`, type: "index-pattern" }]);
}
