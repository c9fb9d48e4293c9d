/**
 * SLOs: objective → exact budget, SLI → error/total event queries, burn-rate tiers with the
 * SRE workbook's windows scaled to the SLO window, the no-data alert and annotations.
 */
import type { BurnCondition, BurnTierModel, NoDataModel, SliModel, SloModel } from "../model/types.js";
import { formatDuration, formatNumber, formatWindow } from "../promql/format.js";
import type { BurnTierSpec, SloSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { objectiveRatios } from "./decimal.js";
import { camelCase, didYouMean, METRIC_NAME, SLUG } from "./names.js";
import { normalizeSli } from "./sli.js";
import type { SignalIndex } from "./signals.js";
import { checkRuleLabels } from "./labels.js";
import { checkIntervalRefs } from "./routing.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** SRE workbook multiwindow, multi-burn-rate alerts for a 30-day SLO (chapter 5, table 5-8). */
const WORKBOOK_30D: Record<"page" | "ticket", BurnCondition[]> = {
  page: [
    { longMs: HOUR, shortMs: 5 * MINUTE, factor: 14.4 },
    { longMs: 6 * HOUR, shortMs: 30 * MINUTE, factor: 6 },
  ],
  ticket: [
    { longMs: DAY, shortMs: 2 * HOUR, factor: 3 },
    { longMs: 3 * DAY, shortMs: 6 * HOUR, factor: 1 },
  ],
};

/**
 * No `for` by default: the short window of each condition already demands that the burn is
 * still going on, and a `for` only adds its length to the detection time (Sloth has none).
 */
const DEFAULT_FOR: Record<"page" | "ticket", number> = { page: 0, ticket: 0 };
/**
 * The longest SLO window: a year, the longest compliance period SLOs are reported over. Every
 * evaluation reads the whole period (tiled from recordings) and the scaled burn windows (the
 * ticket tier's long window is a tenth of the SLO window, 36.5d at 365d) from the TSDB, which
 * rarely keeps more than a year (Prometheus' default retention is 15d); a longer window would
 * only ever show the data that happens to be retained.
 */
const MAX_WINDOW_MS = 365 * DAY;
const MAX_WINDOW_HINT = "SLO windows are at most 365d, the longest period a Prometheus TSDB usually retains; use e.g. 30d, 90d or 365d";

/** SLI event rates are recorded over 5m; shorter windows cannot be resolved. */
export const BASE_WINDOW_MS = 5 * MINUTE;

/**
 * Keeps the budget fraction each condition guards constant: windows scale with the SLO
 * window (as Pyrra does), factors stay. Rounded to whole minutes, at least the 5m base (a
 * window that is not a multiple of 5m is read from the raw series, see slo-rules.ts).
 */
export function defaultConditions(tier: "page" | "ticket", windowMs: number): BurnCondition[] {
  const scale = windowMs / (30 * DAY);
  const round = (ms: number) => Math.max(BASE_WINDOW_MS, Math.round((ms * scale) / MINUTE) * MINUTE);
  // Short SLO windows hit the 5m floor on both windows (1d: 1h→2m, 5m→10s); keep the long
  // window at least twice the short one so the pair still means "sustained and still going".
  return WORKBOOK_30D[tier].map((c) => {
    const shortMs = round(c.shortMs);
    return { longMs: Math.max(round(c.longMs), 2 * shortMs), shortMs, factor: c.factor };
  });
}

export interface SloContext {
  service: string;
  team: string;
  serviceLabels: Record<string, string>;
  runbookBaseUrl: string | undefined;
  signals: SignalIndex;
  /** Declared team names, for an SLO's `team` (unchecked when absent). */
  teams?: ReadonlySet<string>;
  /** Declared time interval names, for an SLO's `maintenance` (unchecked when absent). */
  timeIntervals?: ReadonlySet<string>;
}

/** `paths`: where each spec is in the user's file (generated SLOs, e.g. a check's `slo`); default `slos.<i>`. */
export function normalizeSlos(specs: readonly SloSpec[], sc: SloContext, ctx: NormalizeContext, paths?: readonly Path[]): SloModel[] {
  const firstByName = new Map<string, number>();
  const out: SloModel[] = [];
  specs.forEach((spec, i) => {
    const path: Path = paths?.[i] ?? ["slos", i];
    if (!SLUG.test(spec.name)) {
      ctx.report("VIG2009", `invalid SLO name "${spec.name}"`, [...path, "name"], { hint: "use letters, digits, '-', '_' and '.', e.g. api-availability" });
    }
    // Each SLO has rule and test files of its own (<service>.slo-<name>.rules.yml): names
    // differing only in case would share them on a case-insensitive file system.
    const first = firstByName.get(spec.name.toLowerCase());
    if (first !== undefined) {
      const other = specs[first]!.name;
      const what = other === spec.name ? `duplicate SLO name "${spec.name}"` : `SLO name "${spec.name}" differs from "${other}" only in case: their rule files would collide on a case-insensitive file system`;
      ctx.report("VIG2004", what, [...path, "name"], {
        related: [{ message: "first declared here", at: ctx.ref([...(paths?.[first] ?? ["slos", first]), "name"]) }],
      });
      return;
    }
    firstByName.set(spec.name.toLowerCase(), i);
    const slo = normalizeSlo(spec, path, sc, ctx);
    if (slo) out.push(slo);
  });
  return out;
}

function normalizeSlo(spec: SloSpec, path: Path, sc: SloContext, ctx: NormalizeContext): SloModel | undefined {
  if (!(spec.objective > 0 && spec.objective < 100)) {
    ctx.report(
      "VIG2003",
      `SLO objective ${formatNumber(spec.objective)} is out of range: it must be greater than 0 and less than 100`,
      [...path, "objective"],
      { hint: spec.objective >= 100 ? "an objective of 100% leaves no error budget; try 99.9" : "the objective is a percentage, e.g. 99.9" },
    );
    return undefined;
  }
  const { ratio, budget } = objectiveRatios(spec.objective);
  if (!(Number(budget) > 0)) {
    // 99.99999999999 is below 100 but rounds to it at the 12 significant digits rules carry.
    ctx.report("VIG2003", `SLO objective ${spec.objective} leaves no error budget at 12 significant digits`, [...path, "objective"], {
      hint: "use at most 12 significant digits, e.g. 99.9999",
    });
    return undefined;
  }
  if (!(Number(Number(budget).toPrecision(12)) < 1)) {
    // 1e-300 is above 0 but leaves the whole budget at the 12 significant digits rules carry: it promises nothing.
    ctx.report("VIG2003", `SLO objective ${formatNumber(spec.objective)} promises nothing: its error budget is 100% at 12 significant digits`, [...path, "objective"], {
      hint: "the objective is a percentage, e.g. 99.9",
    });
    return undefined;
  }
  const windowMs = ctx.duration(spec.window, 30 * DAY, [...path, "window"]);
  // Shorter windows leave the burn-rate windows below the 5m SLI resolution. Whole days and
  // burn windows that fit are lint rule slo/window, so a team can knowingly turn them off.
  if (windowMs < DAY) {
    ctx.report("VIG2013", `SLO window "${spec.window}" is shorter than one day`, [...path, "window"], { hint: "use e.g. 30d, 28d or 7d" });
  } else if (windowMs > MAX_WINDOW_MS) {
    ctx.report("VIG2013", `SLO window "${spec.window}" is longer than 365d`, [...path, "window"], { hint: MAX_WINDOW_HINT });
    return undefined;
  }
  const sli = normalizeSli(spec.sli, [...path, "sli"], sc.signals, ctx);
  if (!sli) return undefined;

  const alerting = spec.alerting ?? {};
  const alertName = alerting.name ?? `${camelCase(spec.name)}ErrorBudgetBurn`;
  if (!METRIC_NAME.test(alertName)) ctx.report("VIG2009", `invalid alert name "${alertName}"`, [...path, "alerting", "name"]);

  const sloLabels = spec.labels ?? {};
  checkRuleLabels(sloLabels, [...path, "labels"], ctx);
  const ruleLabels = { ...sc.serviceLabels, ...sloLabels, slo: spec.name };
  const budgetNumber = Number(budget);
  const runbookUrl = spec.runbook ?? (sc.runbookBaseUrl ? `${sc.runbookBaseUrl}#${spec.name}` : undefined);

  const tiers: BurnTierModel[] = [];
  for (const tier of ["page", "ticket"] as const) {
    const tierSpec: BurnTierSpec = alerting[tier] ?? {};
    if (tierSpec.enabled === false) continue;
    const tierPath = [...path, "alerting", tier];
    const conditions = tierSpec.windows
      ? tierSpec.windows.map((w, k) => ({
          longMs: ctx.duration(w.long, HOUR, [...tierPath, "windows", k, "long"]),
          shortMs: ctx.duration(w.short, 5 * MINUTE, [...tierPath, "windows", k, "short"]),
          factor: w.factor,
        }))
      : defaultConditions(tier, windowMs);
    conditions.forEach((c, k) => checkCondition(c, k, tierPath, budgetNumber, ctx, tierSpec.windows !== undefined));
    checkRuleLabels(tierSpec.labels ?? {}, [...tierPath, "labels"], ctx);
    const severity = tier === "page" ? "critical" : "warning";
    tiers.push({
      tier,
      severity,
      conditions,
      forMs: ctx.duration(tierSpec.for, DEFAULT_FOR[tier], [...tierPath, "for"]),
      labels: { ...(alerting.labels ?? {}), ...(tierSpec.labels ?? {}) },
      annotations: {
        ...tierAnnotations(tier, spec, sc, sli, windowMs, budget, conditions, runbookUrl),
        ...(alerting.annotations ?? {}),
        ...(tierSpec.annotations ?? {}),
      },
      at: ctx.ref(tierPath),
    });
  }
  checkRuleLabels(alerting.labels ?? {}, [...path, "alerting", "labels"], ctx);

  let noData: NoDataModel | undefined;
  if (alerting.noData?.enabled !== false) {
    noData = {
      alertName: `${camelCase(spec.name)}SLINoData`,
      forMs: ctx.duration(alerting.noData?.for, 10 * MINUTE, [...path, "alerting", "noData", "for"]),
      severity: alerting.noData?.severity ?? "warning",
    };
  }

  if (alerting.minTraffic !== undefined) {
    if (!(alerting.minTraffic > 0)) {
      ctx.report("VIG2014", "minTraffic must be a positive number of events per second", [...path, "alerting", "minTraffic"]);
    } else if (sli.kind === "boolean" || sli.kind === "errorRatio") {
      ctx.report("VIG2006", `minTraffic needs an events-based SLI (ratio or latency), not ${sli.kind === "boolean" ? "a boolean" : "an errorRatio"} one`, [...path, "alerting", "minTraffic"]);
    }
  }

  const model: SloModel = {
    id: `${sc.service}/${spec.name}`,
    name: spec.name,
    objective: spec.objective,
    objectiveRatio: Number(ratio),
    objectiveRatioText: ratio,
    budget: budgetNumber,
    budgetText: budget,
    windowMs,
    sli,
    ruleLabels,
    alertName,
    tiers,
    alertLabels: { ...(alerting.labels ?? {}) },
    alertAnnotations: { ...(alerting.annotations ?? {}) },
    team: spec.team ?? sc.team,
    at: ctx.ref(path),
    lintDisable: { ...(spec.lintDisable ?? {}) },
  };
  if (spec.description !== undefined) model.description = spec.description;
  if (noData) model.noData = noData;
  if (alerting.minTraffic !== undefined && alerting.minTraffic > 0 && sli.kind !== "boolean" && sli.kind !== "errorRatio") model.minTraffic = alerting.minTraffic;
  if (runbookUrl) model.runbookUrl = runbookUrl;
  if (spec.team !== undefined && sc.teams && !sc.teams.has(spec.team)) {
    ctx.report("VIG2008", `unknown team "${spec.team}"`, [...path, "team"], { hint: didYouMean(spec.team, sc.teams) ?? "declare it in teams" });
  }
  if (spec.maintenance?.length) model.maintenance = checkIntervalRefs(spec.maintenance, [...path, "maintenance"], ctx, sc.timeIntervals);
  return model;
}

function checkCondition(
  c: BurnCondition,
  k: number,
  tierPath: Path,
  budget: number,
  ctx: NormalizeContext,
  explicit: boolean,
): void {
  const at = explicit ? [...tierPath, "windows", k] : tierPath;
  if (!(c.factor > 0)) ctx.report("VIG2014", `burn-rate factor ${c.factor} must be positive`, explicit ? [...at, "factor"] : at);
  if (c.shortMs >= c.longMs) {
    ctx.report("VIG2014", `short window ${formatDuration(c.shortMs)} must be shorter than long window ${formatDuration(c.longMs)}`, explicit ? [...at, "short"] : at);
  }
  if (c.shortMs < BASE_WINDOW_MS) {
    ctx.report("VIG2014", `window ${formatDuration(c.shortMs)} is shorter than the 5m resolution of the recorded SLI`, explicit ? [...at, "short"] : at);
  }
  if (c.factor * budget >= 1) {
    ctx.report(
      "VIG2015",
      `this condition can never fire: ${formatNumber(c.factor)} × error budget ${formatNumber(budget)} = ${formatNumber(c.factor * budget)}, and an error ratio cannot exceed 1`,
      explicit ? [...at, "factor"] : at,
      { hint: "lower the factor, or raise the objective" },
    );
  }
}

/** Human duration for descriptions: `2d 2h`, `5d`, `6h`. */
function humanDuration(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.round((ms - days * DAY) / HOUR);
  return [days ? `${days}d` : "", hours ? `${hours}h` : ""].filter(Boolean).join(" ") || formatDuration(ms);
}

function tierAnnotations(
  tier: "page" | "ticket",
  spec: SloSpec,
  sc: SloContext,
  sli: SliModel,
  windowMs: number,
  budget: string,
  conditions: readonly BurnCondition[],
  runbookUrl: string | undefined,
): Record<string, string> {
  const budgetPercent = formatNumber(Number(budget) * 100);
  const minFactor = Math.min(...conditions.map((c) => c.factor));
  const byText = sli.by.length ? ` (${sli.by.map((l) => `${l}={{ $labels.${l} }}`).join(", ")})` : "";
  const out: Record<string, string> = {
    summary: `${sc.service}: SLO ${spec.name}${byText} is burning its error budget ${tier === "page" ? "fast" : "steadily"}`,
    description:
      `Error ratio {{ $value | humanizePercentage }} against an error budget of ${budgetPercent}% ` +
      `(objective ${formatNumber(spec.objective)}% over ${formatWindow(windowMs)}). ` +
      `At this rate the budget is spent in less than ${humanDuration(windowMs / minFactor)}.`,
  };
  if (runbookUrl) out.runbook_url = runbookUrl;
  return out;
}

