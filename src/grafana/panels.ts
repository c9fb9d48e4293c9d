/**
 * Panel builders over the Grafana Foundation SDK: the few shapes Vigil's dashboards use,
 * with visible legends, a refId per query and thresholds in Vigil's severity colours.
 */
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as text from "@grafana/grafana-foundation-sdk/text";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

export interface Query {
  expr: string;
  legend: string;
}

export const SEVERITY_COLOR = { critical: "red", warning: "orange", info: "blue" } as const;

/** Grafana's unit id for a signal's declared unit. */
export function grafanaUnit(unit: string | undefined): string {
  switch (unit) {
    case "seconds":
      return "s";
    case "bytes":
      return "bytes";
    case "ratio":
      return "percentunit";
    case "percent":
      return "percent";
    default:
      return "short";
  }
}

function targets(queries: readonly Query[], format?: prometheus.PromQueryFormat): prometheus.DataqueryBuilder[] {
  // refIds A, B, C...: every query has one, as Grafana needs to tell them apart.
  return queries.map((q, i) => {
    const t = new prometheus.DataqueryBuilder().expr(q.expr).legendFormat(q.legend).refId(String.fromCharCode(65 + i));
    if (format === prometheus.PromQueryFormat.Table) t.format(format).instant();
    else if (format) t.format(format);
    return t;
  });
}

export type LegendMode = "list" | "table" | "hidden";

/** Options every panel type takes. */
export interface PanelOptions {
  unit?: string;
  description?: string;
  thresholds?: dashboard.ThresholdsConfigBuilder;
  links?: dashboard.DashboardLinkBuilder[];
  width?: number;
  height?: number;
  min?: number;
  max?: number;
  decimals?: number;
  legend?: LegendMode;
}

interface CommonBuilder {
  unit(unit: string): this;
  description(description: string): this;
  thresholds(thresholds: dashboard.ThresholdsConfigBuilder): this;
  links(links: dashboard.DashboardLinkBuilder[]): this;
  min(min: number): this;
  max(max: number): this;
  decimals(decimals: number): this;
}

function applyOptions<T extends CommonBuilder>(panel: T, options: PanelOptions): T {
  if (options.unit !== undefined) panel.unit(options.unit);
  if (options.description) panel.description(options.description);
  if (options.thresholds) panel.thresholds(options.thresholds);
  if (options.links?.length) panel.links(options.links);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  return panel;
}

/** A legend at the bottom, shown unless "hidden" is asked for explicitly. */
function legendOptions(mode: LegendMode = "list"): common.VizLegendOptionsBuilder {
  const display = mode === "table" ? common.LegendDisplayMode.Table : mode === "hidden" ? common.LegendDisplayMode.Hidden : common.LegendDisplayMode.List;
  return new common.VizLegendOptionsBuilder().showLegend(mode !== "hidden").displayMode(display).placement(common.LegendPlacement.Bottom);
}

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]);

export function gaugePanel(title: string, queries: readonly Query[], options: PanelOptions = {}): gauge.PanelBuilder {
  const panel = new gauge.PanelBuilder()
    .title(title)
    .span(options.width ?? 6)
    .height(options.height ?? 8)
    .targets(targets(queries))
    .showThresholdMarkers(true)
    .reduceOptions(lastValue());
  return applyOptions(panel, { unit: "short", ...options });
}

export function barGaugePanel(title: string, queries: readonly Query[], options: PanelOptions = {}): bargauge.PanelBuilder {
  const panel = new bargauge.PanelBuilder()
    .title(title)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .targets(targets(queries))
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .legend(legendOptions(options.legend))
    .reduceOptions(lastValue());
  return applyOptions(panel, { unit: "short", ...options });
}

/** A table of the queries' current values (instant queries in table format). */
export function tablePanel(title: string, queries: readonly Query[], options: PanelOptions = {}): table.PanelBuilder {
  const panel = new table.PanelBuilder()
    .title(title)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .targets(targets(queries, prometheus.PromQueryFormat.Table))
    .showHeader(true);
  return applyOptions(panel, { unit: "short", ...options });
}

/** A heatmap of histogram buckets (queries in heatmap format, buckets as Prometheus computed them). */
export function heatmapPanel(title: string, queries: readonly Query[], options: PanelOptions = {}): heatmap.PanelBuilder {
  const panel = new heatmap.PanelBuilder()
    .title(title)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .targets(targets(queries, prometheus.PromQueryFormat.Heatmap))
    .calculate(false);
  if (options.legend !== "hidden") panel.showLegend();
  else panel.hideLegend();
  return applyOptions(panel, options);
}

/** A Markdown panel: no queries. */
export function textPanel(title: string, markdown: string, options: Pick<PanelOptions, "width" | "height" | "description" | "links"> = {}): text.PanelBuilder {
  const panel = new text.PanelBuilder().title(title).span(options.width ?? 12).height(options.height ?? 8).mode(text.TextMode.Markdown).content(markdown);
  if (options.description) panel.description(options.description);
  if (options.links?.length) panel.links(options.links);
  return panel;
}

export function thresholdSteps(steps: readonly { value: number | null; color: string }[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps.map((s) => ({ value: s.value, color: s.color })));
}

/**
 * Grafana's link icons (`DashboardLink.icon`, required by its schema, as is `tooltip`): the
 * names its link editor offers.
 */
export type LinkIcon = "external link" | "dashboard" | "question" | "info" | "bolt" | "doc" | "cloud";

/** A panel link opening `url` in a new tab; the tooltip says where it goes unless one is given. */
export function link(title: string, url: string, options: { icon?: LinkIcon; tooltip?: string } = {}): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(url)
    .targetBlank(true)
    .icon(options.icon ?? "external link")
    .tooltip(options.tooltip ?? `Opens ${url} in a new tab`);
}

export function timeseriesPanel(
  title: string,
  queries: readonly Query[],
  options: PanelOptions & { timeFrom?: string } = {},
): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .legend(legendOptions(options.legend))
    .targets(targets(queries));
  applyOptions(panel, { unit: "short", ...options });
  if (options.thresholds) panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  if (options.timeFrom) panel.timeFrom(options.timeFrom);
  return panel;
}

export function statPanel(title: string, query: Query | readonly Query[], options: PanelOptions = {}): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(title)
    .span(options.width ?? 6)
    .height(options.height ?? 4)
    .targets(targets(Array.isArray(query) ? query : [query as Query]))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(lastValue());
  return applyOptions(panel, { unit: "short", ...options });
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}
