/**
 * Panel builders over the Grafana Foundation SDK: the few shapes Vigil's dashboards use,
 * with visible legends, a refId per query and thresholds in Vigil's severity colours.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
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

function targets(queries: readonly Query[]): prometheus.DataqueryBuilder[] {
  // refIds A, B, C...: every query has one, as Grafana needs to tell them apart.
  return queries.map((q, i) => new prometheus.DataqueryBuilder().expr(q.expr).legendFormat(q.legend).refId(String.fromCharCode(65 + i)));
}

export function thresholdSteps(steps: readonly { value: number | null; color: string }[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps.map((s) => ({ value: s.value, color: s.color })));
}

export function link(title: string, url: string): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Link).url(url).targetBlank(true);
}

export function timeseriesPanel(
  title: string,
  queries: readonly Query[],
  options: { unit?: string; description?: string; thresholds?: dashboard.ThresholdsConfigBuilder; links?: dashboard.DashboardLinkBuilder[]; width?: number; timeFrom?: string } = {},
): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .unit(options.unit ?? "short")
    .span(options.width ?? 12)
    .height(8)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .targets(targets(queries));
  if (options.description) panel.description(options.description);
  if (options.thresholds) {
    panel.thresholds(options.thresholds).thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  if (options.links?.length) panel.links(options.links);
  if (options.timeFrom) panel.timeFrom(options.timeFrom);
  return panel;
}

export function statPanel(
  title: string,
  query: Query,
  options: { unit?: string; description?: string; thresholds?: dashboard.ThresholdsConfigBuilder; width?: number; decimals?: number } = {},
): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(title)
    .unit(options.unit ?? "short")
    .span(options.width ?? 6)
    .height(4)
    .targets(targets([query]))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]));
  if (options.description) panel.description(options.description);
  if (options.thresholds) panel.thresholds(options.thresholds);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  return panel;
}

export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title);
}
