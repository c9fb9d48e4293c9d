/**
 * Teams' receivers and escalation, and the Alertmanager settings: spec → model. The routing
 * tree itself is built from this by `alertmanager/`; here names are resolved, defaults
 * applied (the seeds' ladder) and every reference checked, with its place in the spec.
 */
import type { ReceiverModel, SeverityRouteModel, TeamModel, TimeIntervalModel } from "../model/types.js";
import type { ReceiverSpec, SecretRef, Severity, SeverityRouteSpec, TeamSpec, TimeIntervalSpec, TimeRangeSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { SEVERITIES } from "../model/severity.js";
import { didYouMean, ENV_NAME, SLUG } from "./names.js";
import { SHELL_SET_VARIABLES } from "../alertmanager/secrets.js";


/** Timing per severity: pages go out fast and repeat often; info waits and batches. */
const TIMING: Record<Severity, { groupWaitMs: number; groupIntervalMs: number; repeatIntervalMs: number }> = {
  critical: { groupWaitMs: 10_000, groupIntervalMs: 60_000, repeatIntervalMs: 3_600_000 },
  warning: { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3_600_000 },
  info: { groupWaitMs: 60_000, groupIntervalMs: 600_000, repeatIntervalMs: 24 * 3_600_000 },
};
export const DEFAULT_GROUP_BY = ["alertname", "service", "slo"];

/** Receiver kinds each severity goes to by default, in order of preference (the first non-empty set wins). */
const DEFAULT_LADDER: Record<Severity, ReceiverSpec["kind"][][]> = {
  critical: [["pagerduty", "opsgenie", "slack", "webhook"], ["email"]],
  warning: [["slack", "webhook"], ["email"]],
  info: [["email"]],
};


export function normalizeTeam(spec: TeamSpec, path: Path, ctx: NormalizeContext, timeIntervals: ReadonlySet<string> | undefined): TeamModel {
  if (!SLUG.test(spec.name)) ctx.report("VIG2009", `invalid team name "${spec.name}"`, [...path, "name"], { hint: "use letters, digits, '-', '_' and '.'" });
  const receivers: ReceiverModel[] = [];
  const names = new Map<string, number>();
  (spec.receivers ?? []).forEach((r, i) => {
    const rPath = [...path, "receivers", i];
    if (!SLUG.test(r.name)) ctx.report("VIG2009", `invalid receiver name "${r.name}"`, [...rPath, "name"], { hint: "use letters, digits, '-', '_' and '.'" });
    const first = names.get(r.name);
    if (first !== undefined) {
      ctx.report("VIG2004", `receiver "${r.name}" is declared twice in team "${spec.name}"`, [...rPath, "name"], {
        related: [{ message: "first declared here", at: ctx.ref([...path, "receivers", first, "name"]) }],
      });
      return;
    }
    names.set(r.name, i);
    const model = normalizeReceiver(r, rPath, ctx);
    if (model) receivers.push(model);
  });

  const escalation = {} as Record<Severity, SeverityRouteModel>;
  for (const severity of SEVERITIES) {
    const route = spec.escalation?.[severity];
    const sPath = [...path, "escalation", severity];
    escalation[severity] = route ? normalizeSeverityRoute(route, severity, sPath, names, spec.name, ctx, timeIntervals) : defaultRoute(severity, receivers);
  }
  const team: TeamModel = { name: spec.name, receivers, escalation, at: ctx.ref(path) };
  if (spec.description !== undefined) team.description = spec.description;
  if (spec.maintenance?.length) team.maintenance = checkIntervalRefs(spec.maintenance, [...path, "maintenance"], ctx, timeIntervals);
  return team;
}

function defaultRoute(severity: Severity, receivers: readonly ReceiverModel[]): SeverityRouteModel {
  let chosen: string[] = [];
  for (const kinds of DEFAULT_LADDER[severity]) {
    chosen = receivers.filter((r) => kinds.includes(r.kind)).map((r) => r.name);
    if (chosen.length > 0) break;
  }
  return { receivers: chosen, explicit: false, groupBy: [...DEFAULT_GROUP_BY], ...TIMING[severity], muteDuring: [], activeDuring: [] };
}

function normalizeSeverityRoute(
  spec: SeverityRouteSpec,
  severity: Severity,
  path: Path,
  receivers: ReadonlyMap<string, number>,
  team: string,
  ctx: NormalizeContext,
  timeIntervals: ReadonlySet<string> | undefined,
): SeverityRouteModel {
  const seen = new Set<string>();
  spec.receivers.forEach((name, i) => {
    if (!receivers.has(name)) {
      ctx.report("VIG2024", `team "${team}" has no receiver "${name}"`, [...path, "receivers", i], {
        hint: didYouMean(name, receivers.keys()) ?? (receivers.size ? `declare it in the team's receivers, or use one of ${[...receivers.keys()].map((n) => `"${n}"`).join(", ")}` : "declare it in the team's receivers"),
      });
    } else if (seen.has(name)) {
      ctx.report("VIG2004", `receiver "${name}" is listed twice for ${severity}`, [...path, "receivers", i]);
    }
    seen.add(name);
  });
  const timing = TIMING[severity];
  const refs = (list: string[] | undefined, key: string) => checkIntervalRefs(list ?? [], [...path, key], ctx, timeIntervals);
  return {
    receivers: [...seen].filter((n) => receivers.has(n)),
    explicit: true,
    groupBy: spec.groupBy ?? [...DEFAULT_GROUP_BY],
    groupWaitMs: ctx.duration(spec.groupWait, timing.groupWaitMs, [...path, "groupWait"]),
    groupIntervalMs: ctx.interval(spec.groupInterval, timing.groupIntervalMs, [...path, "groupInterval"]),
    repeatIntervalMs: ctx.interval(spec.repeatInterval, timing.repeatIntervalMs, [...path, "repeatInterval"]),
    muteDuring: refs(spec.muteDuring, "muteDuring"),
    activeDuring: refs(spec.activeDuring, "activeDuring"),
  };
}

/** Checks time interval names against the declared ones (skipped when those are not known yet). */
export function checkIntervalRefs(names: readonly string[], path: Path, ctx: NormalizeContext, declared: ReadonlySet<string> | undefined): string[] {
  if (declared) {
    names.forEach((n, i) => {
      if (!declared.has(n)) {
        ctx.report("VIG2025", `unknown time interval "${n}"`, [...path, i], { hint: didYouMean(n, declared) ?? "declare it in alertmanager.timeIntervals" });
      }
    });
  }
  return [...names];
}

function normalizeReceiver(r: ReceiverSpec, path: Path, ctx: NormalizeContext): ReceiverModel | undefined {
  const at = ctx.ref(path);
  const ok = (secret: SecretRef, key: string) => checkSecret(secret, [...path, key], ctx);
  switch (r.kind) {
    case "slack":
      if (!r.channel.trim()) ctx.report("VIG2023", `slack receiver "${r.name}" has an empty channel`, [...path, "channel"]);
      return ok(r.webhook, "webhook") ? { name: r.name, kind: "slack", channel: r.channel, webhook: r.webhook, at } : undefined;
    case "email": {
      if (r.to.length === 0) ctx.report("VIG2023", `email receiver "${r.name}" has no addresses`, [...path, "to"], { hint: 'add at least one address, e.g. to: ["oncall@example.com"]' });
      r.to.forEach((a, i) => {
        if (!/^[^\s@]+@[^\s@]+$/.test(a)) ctx.report("VIG2023", `"${a}" is not an e-mail address`, [...path, "to", i]);
      });
      return { name: r.name, kind: "email", to: [...r.to], at };
    }
    case "pagerduty": {
      if (r.url !== undefined) checkUrl(r.url, [...path, "url"], ctx);
      if (!ok(r.routingKey, "routingKey")) return undefined;
      const m: ReceiverModel = { name: r.name, kind: "pagerduty", routingKey: r.routingKey, at };
      if (r.url !== undefined) m.url = r.url;
      return m;
    }
    case "opsgenie": {
      if (r.apiUrl !== undefined) checkUrl(r.apiUrl, [...path, "apiUrl"], ctx);
      if (!ok(r.apiKey, "apiKey")) return undefined;
      const m: ReceiverModel = { name: r.name, kind: "opsgenie", apiKey: r.apiKey, at };
      if (r.responderTeam !== undefined) m.responderTeam = r.responderTeam;
      if (r.apiUrl !== undefined) m.apiUrl = r.apiUrl;
      return m;
    }
    case "webhook": {
      checkUrl(r.url, [...path, "url"], ctx);
      if (r.bearerToken && !ok(r.bearerToken, "bearerToken")) return undefined;
      const m: ReceiverModel = { name: r.name, kind: "webhook", url: r.url, at };
      if (r.bearerToken) m.bearerToken = r.bearerToken;
      return m;
    }
  }
}

function checkSecret(secret: SecretRef, path: Path, ctx: NormalizeContext): boolean {
  if ("env" in secret && !ENV_NAME.test(secret.env)) {
    ctx.report("VIG2023", "{ env: … } is not an environment variable name (its value is not shown: it may be the secret itself)", [...path, "env"], {
      hint: "give the name of the variable that holds the secret, e.g. { env: \"SLACK_WEBHOOK_URL\" }, never the secret itself",
    });
    return false;
  }
  if ("env" in secret && SHELL_SET_VARIABLES.has(secret.env)) {
    ctx.report("VIG2023", `{ env: "${secret.env}" } names a variable the shell sets itself, so write-secrets.sh would not write its value from the environment`, [...path, "env"], {
      hint: "keep the secret in a variable of its own name, e.g. { env: \"SLACK_WEBHOOK_URL\" }",
    });
    return false;
  }
  if ("file" in secret && (/[\n\r]/.test(secret.file) || /^[a-z][a-z0-9+.-]*:\/\//i.test(secret.file))) {
    // A URL here is almost surely the secret itself (a webhook URL carries its token): never echo it.
    ctx.report("VIG2023", "{ file: … } is not a file path (its value is not shown: it may be the secret itself)", [...path, "file"], {
      hint: 'give the path of a file that holds the secret, e.g. { file: "/run/secrets/slack-webhook" }',
    });
    return false;
  }
  return true;
}

function checkUrl(url: string, path: Path, ctx: NormalizeContext): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    ctx.report("VIG2023", `"${url}" is not an http(s) URL`, path);
  } else if (parsed.password) {
    ctx.report("VIG2023", "the URL carries a password", path, { hint: "use bearerToken with an environment variable or file instead" });
  }
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

export function normalizeTimeInterval(spec: TimeIntervalSpec, path: Path, ctx: NormalizeContext): TimeIntervalModel {
  if (!SLUG.test(spec.name)) ctx.report("VIG2009", `invalid time interval name "${spec.name}"`, [...path, "name"]);
  if (spec.ranges.length === 0) ctx.report("VIG2026", `time interval "${spec.name}" has no ranges (it would always hold)`, [...path, "ranges"]);
  spec.ranges.forEach((r, i) => checkRange(r, [...path, "ranges", i], ctx));
  return { name: spec.name, ranges: spec.ranges.map((r) => ({ ...r })), at: ctx.ref(path) };
}

/** A range across the end of a cycle (saturday:monday), written as Alertmanager takes it: two ranges. */
function wrapped(a: string, b: string, last: string, first: string): string {
  return JSON.stringify([a === last ? a : `${a}:${last}`, b === first ? b : `${first}:${b}`]);
}

function monthNumber(m: string): number {
  return MONTHS.includes(m) ? MONTHS.indexOf(m) + 1 : +m;
}

function checkRange(r: TimeRangeSpec, path: Path, ctx: NormalizeContext): void {
  (r.times ?? []).forEach((t, i) => {
    for (const key of ["start", "end"] as const) {
      if (!TIME.test(t[key])) ctx.report("VIG2026", `"${t[key]}" is not a time of day (HH:MM, 00:00 to 24:00)`, [...path, "times", i, key]);
    }
    if (TIME.test(t.start) && TIME.test(t.end) && t.start >= t.end) {
      ctx.report("VIG2026", `time range ${t.start}–${t.end} is empty: the start must come before the end`, [...path, "times", i], { hint: "split a range across midnight in two: 22:00–24:00 and 00:00–06:00" });
    }
  });
  const names = (list: string[] | undefined, key: string, valid: (x: string) => boolean, what: string) =>
    (list ?? []).forEach((v, i) => {
      const parts = v.toLowerCase().split(":");
      if (parts.length > 2 || !parts.every(valid)) ctx.report("VIG2026", `"${v}" is not a ${what} or a range of them`, [...path, key, i]);
    });
  const validWeekday = (x: string) => WEEKDAYS.includes(x);
  const validMonth = (x: string) => MONTHS.includes(x) || (/^\d{1,2}$/.test(x) && +x >= 1 && +x <= 12);
  const validDay = (x: string) => /^-?\d{1,2}$/.test(x) && Math.abs(+x) >= 1 && Math.abs(+x) <= 31;
  const validYear = (x: string) => /^\d{4}$/.test(x);
  names(r.weekdays, "weekdays", validWeekday, "weekday");
  names(r.months, "months", validMonth, "month");
  names(r.daysOfMonth, "daysOfMonth", validDay, "day of the month");
  names(r.years, "years", validYear, "year");
  // Well-formed ranges Alertmanager's parser (timeinterval.go) still refuses: it reads none of them as wrapping.
  const ranges = (list: string[] | undefined, key: string, what: string, valid: (x: string) => boolean, refusal: (a: string, b: string) => { why: string; hint: string } | undefined) =>
    (list ?? []).forEach((v, i) => {
      const parts = v.toLowerCase().split(":");
      if (parts.length !== 2 || !parts.every(valid)) return;
      const refused = refusal(parts[0]!, parts[1]!);
      if (refused) ctx.report("VIG2047", `${what} range "${v}" ${refused.why}: Alertmanager refuses it`, [...path, key, i], { hint: refused.hint });
    });
  ranges(r.weekdays, "weekdays", "weekday", validWeekday, (a, b) => {
    const [x, y] = [WEEKDAYS.indexOf(a), WEEKDAYS.indexOf(b)];
    if (x <= y) return undefined;
    return {
      why: "starts after it ends in Alertmanager's week, which runs from sunday to saturday",
      hint: `write ${wrapped(a, b, "saturday", "sunday")}`,
    };
  });
  ranges(r.months, "months", "month", validMonth, (a, b) => {
    const [x, y] = [monthNumber(a), monthNumber(b)];
    if (x <= y) return undefined;
    return { why: "starts after it ends (a range of months cannot pass the end of the year)", hint: `write ${wrapped(a, b, "december", "january")}` };
  });
  ranges(r.years, "years", "year", validYear, (a, b) => (+a <= +b ? undefined : { why: "starts after it ends", hint: `write "${b}:${a}"` }));
  ranges(r.daysOfMonth, "daysOfMonth", "day-of-month", validDay, (a, b) => {
    const [x, y] = [+a, +b];
    if (x < 0 && y > 0) {
      return { why: "starts at a day counted from the month's end and ends at one counted from its start", hint: `write ${JSON.stringify([`${x}:-1`, `1:${y}`])}` };
    }
    // Alertmanager checks the order taking a negative day d for day 28 + d (so 28:-1 is refused, 27:-1 is not).
    const [cx, cy] = [x < 0 ? 28 + x : x, y < 0 ? 28 + y : y];
    if (cx <= cy) return undefined;
    if (x > 0 && y > 0) return { why: "starts after it ends (a range of days cannot pass the end of the month)", hint: `write ${JSON.stringify([`${x}:31`, `1:${y}`])}` };
    if (x > 0 && x > 32 + y) return { why: `holds on no day of any month (day ${y} is before day ${x} even in a 31-day month)`, hint: `remove it, or end it later, e.g. "${x}:31" for the days from the ${x}th to the month's end (a day past the end stands for the last day)` };
    if (x > 0) return { why: `ends before it starts by Alertmanager's order check, which takes day ${y} for day ${cy}`, hint: `count both days from the month's start, e.g. "${x}:${32 + y}" (the same in a 31-day month; a day past the month's end stands for its last day)` };
    return { why: "starts after it ends", hint: `write "${b}:${a}"` };
  });
  if (r.location !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: r.location });
    } catch {
      ctx.report("VIG2026", `"${r.location}" is not an IANA time zone`, [...path, "location"], { hint: "e.g. Europe/Berlin, America/New_York, UTC" });
    }
  }
}
