/**
 * An SLO's Prometheus rules.
 *
 * The SLI is recorded once from the raw series, as error and total events per second over 5m.
 * Every longer window W — the burn-rate windows and the SLO period — is then tiled exactly by
 * shorter recorded windows laid end to end back from now with `offset`:
 *   rate_1h(t) = (rate_30m(t) + rate_30m(t - 30m)) / 2,  rate_2h = two 1h tiles, …
 * and its error ratio is errors over events of that window, `rate_W(errors) / rate_W(total)`.
 * That is `increase(errors[W]) / increase(total[W])` at every instant, steps of traffic and
 * series that appear mid-window included (a tile with no data counts no events), and costs a
 * few point look-ups per window instead of reading W of raw (Sloth, Pyrra) or recorded
 * (`sum_over_time`) samples. The old `sum_over_time(rate5m[W])` weighed the newest 5 minutes of
 * each window less, so at a traffic step it read e.g. 0.33 where the ratio was 0.5 and a new
 * outage reached the 1h window minutes late.
 *
 * The tiling rules sit in the SLI group, after the rules they read, so each `offset` lands on
 * an earlier evaluation of the same rule. A window that is not a multiple of 5m (or would need
 * more than MAX_TILES tiles) is read from the raw series instead.
 */
import type { BurnCondition, BurnTierModel, SloModel } from "../model/types.js";
import { SLO_RULES } from "../model/rule-names.js";
import { formatDuration, formatMatchers, formatNumber, formatWindow } from "../promql/format.js";
import { fillWindow } from "../promql/window.js";
import { sortedRecord } from "../util/yaml.js";
import type { AlertingRule, RecordingRule, RuleGroup } from "./rule-types.js";

const BASE_WINDOW_MS = 5 * 60_000;
const MAX_TILES = 24;
/** Label that tells the tiles of one window apart inside the sum (never in an output series). */
const TILE_LABEL = "vigil_tile";

/** Windows whose error ratio is recorded: the base, every burn-rate window, the period. */
export function sloWindows(slo: SloModel): number[] {
  const set = new Set<number>([BASE_WINDOW_MS, slo.windowMs]);
  for (const tier of slo.tiers) for (const c of tier.conditions) set.add(c.longMs).add(c.shortMs);
  return [...set].sort((a, b) => a - b);
}

/** `{service="x", slo="y"}`: selects one SLO's recorded series. */
export function sloSelector(slo: SloModel): string {
  return formatMatchers({ service: slo.ruleLabels.service!, slo: slo.name });
}

/** One tile of a window: the recorded window `windowMs`, read `offsetMs` back. */
export interface Tile {
  windowMs: number;
  offsetMs: number;
}

/**
 * How a window is tiled by the windows recorded before it: greedily from now backwards, the
 * longest recorded window that still fits. Undefined when the window is read from raw series.
 */
export function tilesOf(windowMs: number, recorded: readonly number[]): Tile[] | undefined {
  if (windowMs <= BASE_WINDOW_MS || windowMs % BASE_WINDOW_MS !== 0) return undefined;
  const usable = recorded.filter((w) => w < windowMs && w % BASE_WINDOW_MS === 0).sort((a, b) => b - a);
  const tiles: Tile[] = [];
  let offsetMs = 0;
  while (offsetMs < windowMs) {
    const w = usable.find((u) => u <= windowMs - offsetMs) ?? BASE_WINDOW_MS;
    tiles.push({ windowMs: w, offsetMs });
    offsetMs += w;
  }
  return tiles.length <= MAX_TILES ? tiles : undefined;
}

/** Events per second over `windowMs`: the mean of its tiles' rates, weighted by their length. */
function tiledRate(name: (w: number) => string, sel: string, windowMs: number, tiles: readonly Tile[]): string {
  const unit = tiles.reduce((g, t) => gcd(g, t.windowMs), 0);
  const same = tiles.every((t) => t.windowMs === tiles[0]!.windowMs);
  const terms = tiles.map((t, i) => {
    const weight = same ? "" : `${formatNumber(t.windowMs / unit)} * `;
    const offset = t.offsetMs ? ` offset ${formatDuration(t.offsetMs)}` : "";
    return `  label_replace(${weight}${name(t.windowMs)}${sel}${offset}, "${TILE_LABEL}", "${i}", "", "")`;
  });
  return `sum without (${TILE_LABEL}) (\n${terms.join("\n  or\n")}\n)\n/ ${formatNumber(windowMs / unit)}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function errorRatioExpr(slo: SloModel, windowMs: number): string {
  const sel = sloSelector(slo);
  return `${SLO_RULES.errorEventsOver(windowMs)}${sel}\n/\n${SLO_RULES.totalEventsOver(windowMs)}${sel}`;
}

/** The event-rate rules of every window, in evaluation order (each reads only earlier ones). */
function eventRules(slo: SloModel, labels: Record<string, string>): RecordingRule[] {
  const sel = sloSelector(slo);
  const out: RecordingRule[] = [
    { record: SLO_RULES.errorEvents, expr: fillWindow(slo.sli.errorQuery, "5m", 300), labels },
    { record: SLO_RULES.totalEvents, expr: fillWindow(slo.sli.totalQuery, "5m", 300), labels },
  ];
  const recorded: number[] = [BASE_WINDOW_MS];
  for (const w of sloWindows(slo).filter((x) => x !== BASE_WINDOW_MS)) {
    // An errorRatio SLI's query is the ratio over its window: tiles would average 5m ratios,
    // each 5m alike, where the query weighs its own samples (as Sloth reads a raw SLI).
    const tiles = slo.sli.kind === "errorRatio" ? undefined : tilesOf(w, recorded);
    const text = formatDuration(w);
    for (const [record, name, query] of [
      [SLO_RULES.errorEventsOver(w), SLO_RULES.errorEventsOver, slo.sli.errorQuery],
      [SLO_RULES.totalEventsOver(w), SLO_RULES.totalEventsOver, slo.sli.totalQuery],
    ] as const) {
      out.push({ record, expr: tiles ? tiledRate(name, sel, w, tiles) : fillWindow(query, text, w / 1000), labels });
    }
    recorded.push(w);
  }
  return out;
}

export function sloRuleGroups(slo: SloModel, service: string): RuleGroup[] {
  const labels = sortedRecord(slo.ruleLabels);
  const base = `vigil:${service}:slo:${slo.name}`;
  const sel = sloSelector(slo);

  const sli: RecordingRule[] = [
    ...eventRules(slo, labels),
    ...sloWindows(slo)
      .filter((w) => w !== slo.windowMs)
      .map((w) => ({ record: SLO_RULES.errorRatio(w), expr: errorRatioExpr(slo, w), labels })),
  ];

  const period = SLO_RULES.errorRatio(slo.windowMs);
  const meta: RecordingRule[] = [
    { record: period, expr: errorRatioExpr(slo, slo.windowMs), labels },
    { record: SLO_RULES.objective, expr: `vector(${slo.objectiveRatioText})`, labels },
    { record: SLO_RULES.errorBudget, expr: `vector(${slo.budgetText})`, labels },
    { record: SLO_RULES.periodDays, expr: `vector(${formatNumber(slo.windowMs / 86_400_000)})`, labels },
    { record: SLO_RULES.currentBurnRate, expr: `${SLO_RULES.errorRatio(BASE_WINDOW_MS)}${sel} / ${slo.budgetText}`, labels },
    { record: SLO_RULES.periodBurnRate, expr: `${period}${sel} / ${slo.budgetText}`, labels },
    { record: SLO_RULES.budgetRemaining, expr: `1 - ${SLO_RULES.periodBurnRate}${sel}`, labels },
    {
      record: SLO_RULES.info,
      expr: "vector(1)",
      labels: sortedRecord({
        ...labels,
        objective: formatNumber(slo.objective),
        sli_kind: slo.sli.kind,
        team: slo.team,
        window: formatWindow(slo.windowMs),
      }),
    },
  ];

  const alerts: AlertingRule[] = slo.tiers.map((tier) => burnAlert(slo, tier));
  if (slo.noData) {
    alerts.push({
      alert: slo.noData.alertName,
      expr: `absent(${SLO_RULES.totalEvents}${sel})`,
      for: formatDuration(slo.noData.forMs),
      labels: sortedRecord({ ...labels, ...slo.alertLabels, severity: slo.noData.severity, team: slo.team }),
      annotations: sortedRecord(noDataAnnotations(slo, service)),
    });
  }

  const groups: RuleGroup[] = [
    { name: `${base}:sli`, rules: sli },
    { name: `${base}:meta`, rules: meta },
  ];
  if (alerts.length) groups.push({ name: `${base}:alerts`, rules: alerts });
  return groups;
}

function burnAlert(slo: SloModel, tier: BurnTierModel): AlertingRule {
  const expr = tier.conditions.map((c) => `(\n${indent(burnCondition(slo, c, tier))}\n)`).join("\nor\n");
  const rule: AlertingRule = { alert: slo.alertName, expr };
  if (tier.forMs > 0) rule.for = formatDuration(tier.forMs);
  rule.labels = sortedRecord({
    ...tier.labels,
    service: slo.ruleLabels.service!,
    slo: slo.name,
    severity: tier.severity,
    team: slo.team,
    tier: tier.tier,
  });
  rule.annotations = sortedRecord(tier.annotations);
  return rule;
}

/** Both windows over the threshold, plus the traffic guard on the page tier. */
export function burnCondition(slo: SloModel, c: BurnCondition, tier: BurnTierModel): string {
  const sel = sloSelector(slo);
  const threshold = `(${formatNumber(c.factor)} * ${slo.budgetText})`;
  const lines = [
    `${SLO_RULES.errorRatio(c.longMs)}${sel} > ${threshold}`,
    "and",
    `${SLO_RULES.errorRatio(c.shortMs)}${sel} > ${threshold}`,
  ];
  if (slo.minTraffic !== undefined && tier.tier === "page") {
    lines.push("and", `avg_over_time(${SLO_RULES.totalEvents}${sel}[${formatDuration(c.longMs)}]) >= ${formatNumber(slo.minTraffic)}`);
  }
  return lines.join("\n");
}

function noDataAnnotations(slo: SloModel, service: string): Record<string, string> {
  const out: Record<string, string> = {
    summary: `${service}: no data for the SLI of SLO ${slo.name}`,
    description:
      `The total events of SLO ${slo.name} have been absent for ${formatDuration(slo.noData!.forMs)}: ` +
      "the SLO and its burn-rate alerts cannot be evaluated. Check that the target is scraped and exposes the metric.",
  };
  if (slo.runbookUrl) out.runbook_url = slo.runbookUrl;
  return { ...out, ...slo.alertAnnotations };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
