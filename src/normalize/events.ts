/**
 * Event alerts (`events`): info alerts for a new deployment, a configuration change and a
 * scheduled maintenance window. Each becomes an alerting rule of the service (so it is routed,
 * tested for its receivers and shown like any alert) carrying an `event` label, with an
 * expression Vigil writes:
 *
 * - a change without `versionLabel`: `changes(<gauge>[window]) > 0` — the gauge took a new value
 *   (a process start time, a reload timestamp) within the window;
 * - a change with `versionLabel`: the gauge's current series where an instance showed two
 *   versions within the window, `<gauge> and on (job, instance) (count by (job, instance)
 *   (count_over_time(<gauge>[window])) > 1)` — not at Prometheus' start, nor for a new instance;
 * - maintenance: minute-of-week arithmetic on `time()`, one comparison per window of the time
 *   interval: `(floor(vector(time()) / 60) + C) % 10080 < L` holds from `notice` before the
 *   window until its end (`C` shifts Sunday 00:00 UTC, and the notice, to 0).
 */
import type { AlertRuleModel, EventModel, TimeIntervalModel } from "../model/types.js";
import { formatDuration } from "../promql/format.js";
import type { ChangeEventSpec, EventSpec, MaintenanceEventSpec, Severity } from "../spec/types.js";
import type { AlertContext } from "./alerts.js";
import type { NormalizeContext, Path } from "./context.js";
import { checkRuleLabels } from "./labels.js";
import { didYouMean, METRIC_NAME } from "./names.js";
import type { SignalIndex } from "./signals.js";

const MINUTE_MS = 60_000;
const DAY_MIN = 1440;
export const WEEK_MIN = 7 * DAY_MIN;
/** Minutes from Sunday 00:00 to the Unix epoch's Thursday 00:00 UTC. */
export const EPOCH_MINUTE_OF_WEEK = 4 * DAY_MIN;
const DEFAULT_WINDOW_MS = 10 * MINUTE_MS;
const DEFAULT_NOTICE_MS = 30 * MINUTE_MS;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const UTC = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT"]);

export interface EventContext extends AlertContext {
  signals: SignalIndex;
  /** Time intervals of the specs compiled together, by name (maintenance events read their ranges). */
  intervals: ReadonlyMap<string, TimeIntervalModel>;
}

/** Event alerts; `taken` holds the names of the service's other alerts (a clash is VIG2004). */
export function normalizeEvents(specs: readonly EventSpec[], ec: EventContext, taken: ReadonlySet<string>, ctx: NormalizeContext): AlertRuleModel[] {
  const seen = new Map<string, number>();
  const out: AlertRuleModel[] = [];
  specs.forEach((spec, i) => {
    const path: Path = ["events", i];
    const built = spec.kind === "maintenance" ? maintenance(spec, path, ec, ctx) : change(spec, path, ec, ctx);
    if (!built) return;
    const name = spec.name ?? built.defaultName;
    if (!METRIC_NAME.test(name)) {
      ctx.report("VIG2009", `invalid alert name "${name}"`, [...path, "name"], { hint: "alert names match [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. NewDeployment" });
    }
    const namePath = spec.name !== undefined ? [...path, "name"] : path;
    const first = seen.get(name);
    if (first !== undefined || taken.has(name)) {
      ctx.report("VIG2004", `event alert "${name}" is declared twice`, namePath, {
        hint: "give the event a name of its own",
        ...(first !== undefined ? { related: [{ message: "first declared here", at: ctx.ref(["events", first]) }] } : {}),
      });
      return;
    }
    seen.set(name, i);
    const team = spec.team ?? ec.team;
    if (spec.team !== undefined && !ec.teams.has(spec.team)) {
      ctx.report("VIG2008", `unknown team "${spec.team}"`, [...path, "team"], { hint: didYouMean(spec.team, ec.teams) ?? "declare it in teams" });
    }
    checkRuleLabels(spec.labels ?? {}, [...path, "labels"], ctx);
    const severity: Severity = spec.severity ?? "info";
    const annotations: Record<string, string> = { summary: spec.summary ?? built.summary, description: spec.description ?? built.description };
    const runbook = spec.runbook ?? (ec.runbookBaseUrl ? `${ec.runbookBaseUrl}#${name}` : undefined);
    if (runbook) annotations.runbook_url = runbook;
    const rule: AlertRuleModel = {
      id: `${ec.service}/${name}/${severity}`,
      name,
      severity,
      source: { text: built.expr, at: ctx.ref(built.exprAt) },
      forMs: 0,
      team,
      labels: { ...ec.serviceLabels, ...(spec.labels ?? {}), event: EVENT_LABEL[spec.kind], severity, team },
      annotations: { ...annotations, ...(spec.annotations ?? {}) },
      at: ctx.ref(path),
      // The expression is Vigil's: an event fires at once and for a set time.
      lintDisable: { "alerts/for": "an event alert fires at the event, for its window" },
      event: built.event,
    };
    if (built.comparison) rule.comparison = built.comparison;
    out.push(rule);
  });
  return out;
}

const EVENT_LABEL = { deployment: "deployment", configChange: "config-change", maintenance: "maintenance" } as const;

interface Built {
  defaultName: string;
  expr: string;
  exprAt: Path;
  comparison?: { op: ">"; threshold: number };
  summary: string;
  description: string;
  event: EventModel;
}

function change(spec: ChangeEventSpec, path: Path, ec: EventContext, ctx: NormalizeContext): Built | undefined {
  const sel = spec.signal;
  const signalPath = [...path, "signal"];
  const windowMs = ctx.interval(spec.window, DEFAULT_WINDOW_MS, [...path, "window"]);
  const series = ec.signals.series(sel.metric);
  if (!series) {
    ctx.report("VIG2001", `unknown signal "${sel.metric}"`, [...signalPath, "metric"], { hint: didYouMean(sel.metric, ec.signals.names()) ?? "declare it in signals" });
    return undefined;
  }
  if (series.signal.type !== "gauge") {
    ctx.report("VIG2037", `an event reads a gauge; "${sel.metric}" is a ${series.signal.type}`, [...signalPath, "metric"], {
      hint: "a build-info gauge with a version label, a start time or a reload timestamp",
    });
    return undefined;
  }
  const labels = new Set(["job", "instance", ...series.signal.labels]);
  const matchers: Record<string, string> = {};
  let ok = true;
  for (const [label, m] of Object.entries(sel.matchers ?? {})) {
    if (!labels.has(label)) {
      ctx.report("VIG2002", `signal "${sel.metric}" has no label "${label}"`, [...signalPath, "matchers", label], { key: true, hint: didYouMean(label, labels) ?? `declared labels: ${[...labels].join(", ")}` });
      ok = false;
    } else if (typeof m !== "string" && m.op !== "=") {
      ctx.report("VIG2037", `an event's selector takes equality matchers only, not ${m.op}`, [...signalPath, "matchers", label], { hint: "select the series with label: \"value\"" });
      ok = false;
    } else {
      matchers[label] = typeof m === "string" ? m : m.value;
    }
  }
  if (spec.versionLabel !== undefined && !series.signal.labels.includes(spec.versionLabel)) {
    ctx.report("VIG2002", `signal "${sel.metric}" has no label "${spec.versionLabel}"`, [...path, "versionLabel"], {
      hint: didYouMean(spec.versionLabel, series.signal.labels) ?? `declared labels: ${series.signal.labels.join(", ") || "none"}`,
    });
    ok = false;
  }
  if (spec.versionLabel !== undefined && spec.versionLabel in matchers) {
    ctx.report("VIG2037", `the selector fixes the version label "${spec.versionLabel}", so it never changes`, [...signalPath, "matchers", spec.versionLabel], { key: true });
    ok = false;
  }
  if (!ok) return undefined;
  const job = matchers.job ?? series.signal.job ?? ec.service;
  const text = selectorText(sel.metric, matchers);
  const window = formatDuration(windowMs);
  const deployment = spec.kind === "deployment";
  const event: EventModel = { kind: spec.kind, metric: sel.metric, matchers, job, windowMs };
  const what = deployment ? `New deployment of ${ec.service} on {{ $labels.instance }}` : `Configuration of ${ec.service} changed on {{ $labels.instance }}`;
  if (spec.versionLabel !== undefined) {
    event.versionLabel = spec.versionLabel;
    return {
      defaultName: deployment ? "NewDeployment" : "ConfigurationChanged",
      expr: `${text} and on (job, instance) (count by (job, instance) (count_over_time(${text}[${window}])) > 1)`,
      exprAt: signalPath,
      summary: what,
      description: `{{ $labels.instance }} now runs ${spec.versionLabel} {{ $labels.${spec.versionLabel} }}: it ran another within the last ${window}.`,
      event,
    };
  }
  return {
    defaultName: deployment ? "NewDeployment" : "ConfigurationChanged",
    expr: `changes(${text}[${window}])`,
    exprAt: signalPath,
    comparison: { op: ">", threshold: 0 },
    summary: what,
    description: deployment
      ? `${sel.metric} of {{ $labels.instance }} changed within the last ${window}: a new deployment (or a restart).`
      : `${sel.metric} of {{ $labels.instance }} changed within the last ${window}: the configuration was reloaded.`,
    event,
  };
}

function selectorText(metric: string, matchers: Record<string, string>): string {
  const keys = Object.keys(matchers).sort();
  if (keys.length === 0) return metric;
  return `${metric}{${keys.map((k) => `${k}=${JSON.stringify(matchers[k])}`).join(", ")}}`;
}

function maintenance(spec: MaintenanceEventSpec, path: Path, ec: EventContext, ctx: NormalizeContext): Built | undefined {
  const interval = ec.intervals.get(spec.interval);
  if (!interval) {
    ctx.report("VIG2025", `unknown time interval "${spec.interval}"`, [...path, "interval"], { hint: didYouMean(spec.interval, ec.intervals.keys()) ?? "declare it in alertmanager.timeIntervals" });
    return undefined;
  }
  const noticeMs = ctx.duration(spec.notice, DEFAULT_NOTICE_MS, [...path, "notice"]);
  if (noticeMs % MINUTE_MS !== 0) {
    ctx.report("VIG2037", `notice "${spec.notice}" is not a whole number of minutes`, [...path, "notice"], { hint: "time intervals are in minutes, e.g. 30m or 2d" });
    return undefined;
  }
  const windows = weeklyWindows(interval, [...path, "interval"], ctx);
  if (!windows) return undefined;
  const notice = noticeMs / MINUTE_MS;
  const fire = windows.map((w) => ({ start: w.start - notice, end: w.end }));
  if (coveredMinutes(fire) >= WEEK_MIN) {
    ctx.report("VIG2037", `with a notice of ${formatDuration(noticeMs)}, the maintenance alert for "${spec.interval}" would fire all week`, spec.notice !== undefined ? [...path, "notice"] : [...path, "interval"], {
      hint: "a shorter notice",
    });
    return undefined;
  }
  const minutes = "floor(vector(time()) / 60)";
  const expr = fire
    .map((w) => {
      const shift = mod(EPOCH_MINUTE_OF_WEEK - w.start, WEEK_MIN);
      return `(${minutes}${shift ? ` + ${shift}` : ""}) % ${WEEK_MIN} < ${w.end - w.start}`;
    })
    .join(" or ");
  const when = windows.map(describeWindow).join(", ");
  return {
    defaultName: `${camel(spec.interval)}Maintenance`,
    expr,
    exprAt: [...path, "interval"],
    summary: `Scheduled maintenance of ${ec.service}: ${spec.interval}`,
    description: `Maintenance window ${spec.interval} (${when} UTC) begins within ${formatDuration(noticeMs)} or is under way.`,
    event: { kind: "maintenance", interval: spec.interval, noticeMs, windows },
  };
}

/**
 * The interval's windows in minutes from Sunday 00:00 UTC, merged where they touch (across the
 * week's end too: such a window ends after 10080). Undefined, reported, when it is not weekly.
 */
export function weeklyWindows(interval: TimeIntervalModel, path: Path, ctx: NormalizeContext): { start: number; end: number }[] | undefined {
  const raw: { start: number; end: number }[] = [];
  for (const [i, r] of interval.ranges.entries()) {
    const field = (["daysOfMonth", "months", "years"] as const).find((k) => r[k]?.length);
    if (field !== undefined) {
      ctx.report("VIG2037", `time interval "${interval.name}" has ${field} (range ${i + 1}): a maintenance event needs a weekly interval`, path, {
        hint: "PromQL can tell weekdays and times of day only; declare a weekly interval for the event",
        related: [{ message: "the interval", at: interval.at }],
      });
      return undefined;
    }
    if (r.location !== undefined && !UTC.has(r.location)) {
      ctx.report("VIG2037", `time interval "${interval.name}" is in ${r.location}: a maintenance event needs UTC`, path, {
        hint: "PromQL has no time zones; give the interval's times in UTC",
        related: [{ message: "the interval", at: interval.at }],
      });
      return undefined;
    }
    const days = r.weekdays?.length ? r.weekdays.flatMap(dayRange) : [0, 1, 2, 3, 4, 5, 6];
    const times = r.times?.length ? r.times.map((t) => ({ start: clock(t.start), end: clock(t.end) })) : [{ start: 0, end: DAY_MIN }];
    for (const d of new Set(days)) for (const t of times) if (t.end > t.start) raw.push({ start: d * DAY_MIN + t.start, end: d * DAY_MIN + t.end });
  }
  raw.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (const w of raw) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  if (merged.length > 1 && merged[0]!.start === 0 && merged[merged.length - 1]!.end === WEEK_MIN) {
    const head = merged.shift()!;
    merged[merged.length - 1]!.end = WEEK_MIN + head.end;
  }
  if (merged.length === 0 || (merged.length === 1 && merged[0]!.end - merged[0]!.start >= WEEK_MIN)) {
    ctx.report("VIG2037", `time interval "${interval.name}" ${merged.length ? "holds all week" : "never holds"}: no maintenance window to announce`, path, { related: [{ message: "the interval", at: interval.at }] });
    return undefined;
  }
  return merged;
}

/** Minutes of the week inside any of the windows (they may overlap and pass the week's end). */
export function coveredMinutes(windows: readonly { start: number; end: number }[]): number {
  const marks = new Uint8Array(WEEK_MIN);
  for (const w of windows) for (let m = w.start; m < w.end && m < w.start + WEEK_MIN; m++) marks[mod(m, WEEK_MIN)] = 1;
  return marks.reduce((n, x) => n + x, 0);
}

/** Whether minute-of-week `m` (from Sunday 00:00) lies in a window that starts `notice` minutes early. */
export function inFireWindow(windows: readonly { start: number; end: number }[], noticeMinutes: number, m: number): boolean {
  return windows.some((w) => mod(m - (w.start - noticeMinutes), WEEK_MIN) < w.end - w.start + noticeMinutes);
}

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** The days of `monday:friday` or `sunday`, as Alertmanager reads them: a range never wraps (normalize refuses `saturday:sunday`, VIG2047). */
function dayRange(spec: string): number[] {
  const [a, b = a] = spec.toLowerCase().split(":").map((x) => WEEKDAYS.indexOf(x));
  const out: number[] = [];
  for (let d = a!; d <= b!; d++) out.push(d);
  return out;
}

function clock(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function describeWindow(w: { start: number; end: number }): string {
  const day = (m: number) => {
    const d = WEEKDAYS[Math.floor(mod(m, WEEK_MIN) / DAY_MIN)]!;
    return d[0]!.toUpperCase() + d.slice(1);
  };
  const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, "0")}:${String(x % 60).padStart(2, "0")}`;
  const dayStart = Math.floor(w.start / DAY_MIN) * DAY_MIN;
  const end = w.end - dayStart <= DAY_MIN ? hhmm(w.end - dayStart) : `${day(w.end)} ${hhmm(mod(w.end, DAY_MIN))}`;
  return `${day(w.start)} ${hhmm(w.start - dayStart)}–${end}`;
}

function camel(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}
