/**
 * One panel per anomaly alert on the service's overview dashboard: the watched value inside its
 * band — the expected value, the upper and lower band (dashed) and, for a value with no `by`
 * labels, the band filled — so a reader sees what the alert compares and how close it is.
 */
import type { AnomalyModel, ServiceModel } from "../model/types.js";
import { ANOMALY_RULES } from "../model/rule-names.js";
import { formatDuration, formatNumber } from "../promql/format.js";
import { anomalySelector } from "../prometheus/anomaly-rules.js";
import { grafanaUnit, link, timeseriesPanel, type Query } from "./panels.js";

const BAND_COLOR = "#8f8f8f";

export function anomalyPanels(service: ServiceModel) {
  return (service.anomalies ?? []).map(anomalyPanel);
}

function anomalyPanel(a: AnomalyModel) {
  const sel = anomalySelector(a);
  const legend = (text: string) => (a.by.length ? `${text} ${a.by.map((l) => `{{${l}}}`).join(" ")}` : text);
  const queries: Query[] = [
    { expr: `${ANOMALY_RULES.value}${sel}`, legend: legend("value") },
    { expr: `${ANOMALY_RULES.expected}${sel}`, legend: legend("expected") },
    { expr: `${ANOMALY_RULES.upper}${sel}`, legend: legend("upper band") },
    { expr: `${ANOMALY_RULES.lower}${sel}`, legend: legend("lower band") },
  ];
  const runbook = a.annotations.runbook_url;
  const panel = timeseriesPanel(`${a.alertName}: ${a.name} in its band`, queries, {
    unit: a.kind === "rate" ? "ops" : grafanaUnit(a.unit),
    description: description(a),
    ...(runbook ? { links: [link("Runbook", runbook, { icon: "doc", tooltip: `What to check and do when ${a.alertName} fires` })] } : {}),
  });
  const dashed = { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } };
  const grey = { id: "color", value: { mode: "fixed", fixedColor: BAND_COLOR } };
  panel.overrideByQuery("B", [{ id: "custom.lineStyle", value: { fill: "dot", dash: [0, 10] } }, grey]);
  // One series per query: the band between upper and lower is filled.
  panel.overrideByQuery("C", [dashed, grey, ...(a.by.length ? [] : [{ id: "custom.fillBelowTo", value: "lower band" }, { id: "custom.fillOpacity", value: 10 }])]);
  panel.overrideByQuery("D", [dashed, grey]);
  return panel;
}

function description(a: AnomalyModel): string {
  const baseline = formatDuration(a.baselineMs);
  const expected = a.seasonal ? `the value ${baseline} ago (averaged over the hour around it)` : `the mean over the last ${baseline}`;
  const side = a.direction === "both" ? "outside the band" : a.direction === "above" ? "above the band" : "below the band";
  const guard = a.minTraffic !== undefined ? `, while the value or the expected value is at least ${formatNumber(a.minTraffic)}` : "";
  return (
    `Expected: ${expected}; band: ± ${formatNumber(a.sensitivity)} standard deviations of the value over the last ${baseline}. ` +
    `${a.alertName} (${a.severity}) fires when the value stays ${side} for ${formatDuration(a.forMs)}${guard}.`
  );
}
