/**
 * Tests of event alerts (`events`), built from the event rather than searched for: Vigil wrote
 * the expression, so it knows the input that makes it fire.
 *
 * - A change: the gauge holds one value (or version), then another from minute `c`; the alert
 *   is silent just before, fires at `c` and halfway through its window, and is silent once the
 *   window has passed. The old version's series ends with a staleness marker, as Prometheus
 *   writes one when a scraped series disappears.
 * - Maintenance: no input at all, only time: the first occurrence of each window after the Unix
 *   epoch (Thursday 00:00 UTC, promtool's time 0), evaluated just before and at its notice's
 *   start and just before and at its end. Expected states come from the window model
 *   (`inFireWindow`), so overlapping windows are judged as the expression judges them. These
 *   tests reach days into the week: their file has its own, coarser evaluation interval (the
 *   greatest common divisor of the checked times).
 */
import type { AlertRuleModel, EventModel } from "../../model/types.js";
import { EPOCH_MINUTE_OF_WEEK, inFireWindow, mod, WEEK_MIN } from "../../normalize/events.js";
import { formatDuration, quoteString } from "../../promql/format.js";
import { sortedRecord } from "../../util/yaml.js";
import { alertOfSample } from "./expect.js";
import type { RuleSet } from "./rule-set.js";

const MINUTE_MS = 60_000;

export interface EventTests {
  /** Test groups for the main test file (input every minute, rules every minute). */
  main: Record<string, unknown>[];
  /** Maintenance tests, and the evaluation interval their file needs. */
  maintenance?: { intervalMs: number; groups: Record<string, unknown>[] };
}

export function eventTests(alerts: readonly AlertRuleModel[], rules: RuleSet, defaults: { instance: string }): EventTests {
  const main: Record<string, unknown>[] = [];
  const maintenance: { alert: AlertRuleModel; event: Extract<EventModel, { kind: "maintenance" }> }[] = [];
  for (const alert of alerts) {
    const event = alert.event;
    if (!event) continue;
    if (event.kind === "maintenance") maintenance.push({ alert, event });
    else main.push(changeTest(alert, event, rules, defaults));
  }
  const out: EventTests = { main };
  if (maintenance.length) out.maintenance = maintenanceTests(maintenance, rules);
  return out;
}

function changeTest(alert: AlertRuleModel, event: Extract<EventModel, { kind: "deployment" | "configChange" }>, rules: RuleSet, defaults: { instance: string }): Record<string, unknown> {
  const windowMin = Math.max(1, Math.ceil(event.windowMs / MINUTE_MS));
  const c = windowMin + 5;
  const tail = windowMin + 10;
  const base: Record<string, string> = { job: event.job, instance: defaults.instance, ...event.matchers };
  const series: { series: string; values: string }[] = [];
  let fired: Record<string, string>;
  if (event.versionLabel !== undefined) {
    const old = { ...base, [event.versionLabel]: "1.0.0" };
    fired = { ...base, [event.versionLabel]: "1.1.0" };
    series.push({ series: seriesName(event.metric, old), values: `1+0x${c - 1} stale` });
    series.push({ series: seriesName(event.metric, fired), values: `_x${c} 1+0x${tail}` });
  } else {
    fired = base;
    series.push({ series: seriesName(event.metric, base), values: `100+0x${c - 1} 200+0x${tail}` });
  }
  const rule = rules.alerts.get(alert.name)![0]!;
  const expected = alertOfSample(rule, { labels: fired, value: 1 }, true);
  const check = (minute: number, firing: boolean) => ({
    eval_time: formatDuration(minute * MINUTE_MS),
    alertname: alert.name,
    exp_alerts: firing ? [{ exp_labels: sortedRecord(expected.labels), exp_annotations: sortedRecord(expected.annotations) }] : [],
  });
  const checks = [check(c - 1, false), check(c, true)];
  if (windowMin >= 2) checks.push(check(c + Math.floor(windowMin / 2), true));
  checks.push(check(c + windowMin + 1, false));
  return {
    name: `${alert.name}: ${event.kind === "deployment" ? "a deployment" : "a configuration change"} at ${c}m fires for ${formatDuration(event.windowMs)}`,
    interval: "1m",
    input_series: series.sort((a, b) => (a.series < b.series ? -1 : 1)),
    alert_rule_test: checks,
  };
}

function maintenanceTests(events: readonly { alert: AlertRuleModel; event: Extract<EventModel, { kind: "maintenance" }> }[], rules: RuleSet): { intervalMs: number; groups: Record<string, unknown>[] } {
  const planned = events.map(({ alert, event }) => {
    const notice = event.noticeMs / MINUTE_MS;
    const firing = (t: number) => inFireWindow(event.windows, notice, mod(t + EPOCH_MINUTE_OF_WEEK, WEEK_MIN));
    const times = new Set<number>();
    for (const w of event.windows) {
      let from = mod(w.start - notice - EPOCH_MINUTE_OF_WEEK, WEEK_MIN);
      if (from < 60) from += WEEK_MIN;
      const to = from + (w.end - w.start) + notice;
      for (const t of [from, to]) times.add(t);
    }
    // A time where it is silent, should every checked edge lie in another window.
    if (![...times].some((t) => !firing(t))) {
      for (let t = 1; t <= 2 * WEEK_MIN; t++) {
        if (!firing(t)) {
          times.add(t);
          break;
        }
      }
    }
    return { alert, event, firing, times: [...times] };
  });
  const step = planned.flatMap((p) => p.times).reduce(gcd);
  const groups = planned.map(({ alert, event, firing, times }) => {
    const rule = rules.alerts.get(alert.name)![0]!;
    const notice = event.noticeMs / MINUTE_MS;
    const checked = [...new Set(times.flatMap((t) => [t - step, t]))].filter((t) => t > 0).sort((a, b) => a - b);
    return {
      name: `${alert.name}: windows of ${event.interval} from ${formatDuration(event.noticeMs)} before their start to their end`,
      interval: formatDuration(step * MINUTE_MS),
      alert_rule_test: checked.map((t) => {
        const m = mod(t + EPOCH_MINUTE_OF_WEEK, WEEK_MIN);
        // `or` keeps the first window's comparison that holds: its value, minutes since its notice began.
        const w = event.windows.find((x) => mod(m - (x.start - notice), WEEK_MIN) < x.end - x.start + notice);
        const expected = firing(t) && w ? alertOfSample(rule, { labels: {}, value: mod(m - (w.start - notice), WEEK_MIN) }, true) : undefined;
        return {
          eval_time: formatDuration(t * MINUTE_MS),
          alertname: alert.name,
          exp_alerts: expected ? [{ exp_labels: sortedRecord(expected.labels), exp_annotations: sortedRecord(expected.annotations) }] : [],
        };
      }),
    };
  });
  return { intervalMs: step * MINUTE_MS, groups };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `metric{a="x", b="y"}` with labels sorted. */
export function seriesName(metric: string, labels: Record<string, string>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quoteString(labels[k]!)}`)
    .join(", ");
  return `${metric}{${body}}`;
}
