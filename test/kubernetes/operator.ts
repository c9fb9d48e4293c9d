/**
 * What the Prometheus Operator does with namespaced AlertmanagerConfigs when it builds the
 * Alertmanager's configuration (prometheus-operator pkg/alertmanager/amcfg.go, matcher strategy
 * `OnNamespace`, the default): each config's route becomes a child of the root route with
 * `namespace="<its namespace>"` added to its matchers and `continue: true`; receiver and time
 * interval names become `<namespace>/<config>/<name>`; inhibit rules get the namespace matcher on
 * both sides. The root is the operator's own (`receiver: "null"` without a global config).
 * Receivers are kept by name only: the tests route with it, they deliver nothing.
 */
type Obj = Record<string, unknown>;

interface Matcher {
  name: string;
  value: string;
  matchType?: string;
}

const ROUTE_KEYS: Record<string, string> = {
  groupBy: "group_by",
  groupWait: "group_wait",
  groupInterval: "group_interval",
  repeatInterval: "repeat_interval",
  continue: "continue",
};

const matcherString = (m: Matcher) => `${m.name}${m.matchType ?? "="}${JSON.stringify(m.value)}`;

export function operatorAlertmanagerConfig(configs: readonly Obj[]): Obj {
  const routes: Obj[] = [];
  const receivers: Obj[] = [{ name: "null" }];
  const timeIntervals: Obj[] = [];
  const inhibitRules: Obj[] = [];
  for (const c of configs) {
    const meta = c.metadata as { name: string; namespace: string };
    const spec = c.spec as { route: Obj; receivers?: Obj[]; muteTimeIntervals?: Obj[]; inhibitRules?: Obj[] };
    const prefix = (n: string) => `${meta.namespace}/${meta.name}/${n}`;
    const nsMatcher = matcherString({ name: "namespace", value: meta.namespace });
    const route = (r: Obj, top: boolean): Obj => {
      const out: Obj = {};
      const matchers = ((r.matchers as Matcher[] | undefined) ?? []).map(matcherString);
      if (top) matchers.unshift(nsMatcher);
      if (matchers.length) out.matchers = matchers;
      if (r.receiver !== undefined) out.receiver = prefix(r.receiver as string);
      for (const [k, v] of Object.entries(r)) if (ROUTE_KEYS[k]) out[ROUTE_KEYS[k]] = v;
      if (top) out.continue = true;
      if (r.muteTimeIntervals) out.mute_time_intervals = (r.muteTimeIntervals as string[]).map(prefix);
      if (r.activeTimeIntervals) out.active_time_intervals = (r.activeTimeIntervals as string[]).map(prefix);
      if (r.routes) out.routes = (r.routes as Obj[]).map((x) => route(x, false));
      return out;
    };
    routes.push(route(spec.route, true));
    for (const r of spec.receivers ?? []) receivers.push({ name: prefix(r.name as string) });
    for (const t of spec.muteTimeIntervals ?? []) {
      timeIntervals.push({
        name: prefix(t.name as string),
        time_intervals: ((t.timeIntervals as Obj[] | undefined) ?? []).map((ti) => {
          const o: Obj = {};
          if (ti.times) o.times = (ti.times as { startTime: string; endTime: string }[]).map((x) => ({ start_time: x.startTime, end_time: x.endTime }));
          if (ti.weekdays) o.weekdays = ti.weekdays;
          if (ti.daysOfMonth) o.days_of_month = (ti.daysOfMonth as { start: number; end: number }[]).map((d) => (d.start === d.end ? `${d.start}` : `${d.start}:${d.end}`));
          if (ti.months) o.months = ti.months;
          if (ti.years) o.years = ti.years;
          return o;
        }),
      });
    }
    for (const i of spec.inhibitRules ?? []) {
      inhibitRules.push({
        source_matchers: [nsMatcher, ...(i.sourceMatch as Matcher[]).map(matcherString)],
        target_matchers: [nsMatcher, ...(i.targetMatch as Matcher[]).map(matcherString)],
        ...(i.equal ? { equal: i.equal } : {}),
      });
    }
  }
  const config: Obj = { route: { receiver: "null", group_by: ["namespace"], routes }, receivers, inhibit_rules: inhibitRules };
  if (timeIntervals.length) config.time_intervals = timeIntervals;
  return config;
}
