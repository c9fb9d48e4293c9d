/**
 * `logs.kibana` → the model the Kibana saved objects are emitted from. Categories must be ones
 * the pipeline tags (or `deadletter`), fields ones it stores, of a type the panel can count or
 * compute with (VIG2030, VIG2035); dashboard names are unique (VIG2004) and of the same form as
 * Grafana's (VIG2009). Without `dashboards` the service gets an overview.
 */
import { mappedFields } from "../logstash/indices.js";
import type { KibanaDashboardModel, KibanaModel, KibanaPanelModel, LogsModel } from "../model/types.js";
import type { KibanaCategory, KibanaPanelSpec, KibanaSpec, KibanaStatistic } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { checkRefresh, DASHBOARD_NAME } from "./dashboards.js";
import { didYouMean } from "./names.js";

/** Events matching no category are tagged `application`; lines that did not parse are dead letters. */
export const DEFAULT_CATEGORY = "application";
export const DEADLETTER = "deadletter";
/** Kibana's dashboard grid (DASHBOARD_GRID_COLUMN_COUNT). */
export const GRID_COLUMNS = 48;
/** Kibana date math for a time back from now, one unit. */
const TIME_RANGE = /^[1-9]\d*[smhdwy]$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const SIZES: Record<KibanaPanelSpec["kind"], { width: number; height: number }> = {
  search: { width: GRID_COLUMNS, height: 15 },
  total: { width: 12, height: 8 },
  events: { width: 24, height: 12 },
  trend: { width: 24, height: 12 },
  top: { width: 24, height: 12 },
};

/** Elasticsearch types whose values Kibana can count by (terms) and compute with. */
const COUNTABLE = new Set(["keyword", "double", "boolean"]);

export function normalizeKibana(spec: KibanaSpec | undefined, logs: Omit<LogsModel, "kibana">, service: string, ctx: NormalizeContext): KibanaModel {
  const path: Path = ["logs", "kibana"];
  const stored = new Map(mappedFields(logs).map((f) => [f.name, f.type]));
  const declared = new Map(logs.fields.map((f) => [f.path.join("."), f]));
  const renamed = logs.correlation ? { from: logs.correlation.from.join("."), to: logs.correlation.to.join(".") } : undefined;

  /** The stored name of a field the spec names, or undefined (reported) when it is not stored. */
  const field = (name: string, at: Path): { name: string; type: string } | undefined => {
    if (renamed && name === renamed.from) return { name: renamed.to, type: "keyword" };
    const d = declared.get(name);
    if (d?.pii === "remove") {
      ctx.report("VIG2035", `log field "${name}" is removed by the pipeline (pii: "remove"), so Kibana has no values of it`, at);
      return undefined;
    }
    const type = stored.get(name);
    if (type === undefined) {
      ctx.report("VIG2030", `unknown log field "${name}"`, at, { hint: didYouMean(name, [...declared.keys(), ...stored.keys()]) ?? "declare it in logs.fields" });
      return undefined;
    }
    return { name, type };
  };
  const countable = (name: string, at: Path, use: string): string | undefined => {
    const f = field(name, at);
    if (f && !COUNTABLE.has(f.type)) {
      ctx.report("VIG2035", `log field "${name}" is ${f.type === "text" ? "full text (type string)" : `a ${f.type}`}, which Kibana cannot ${use}`, at, {
        hint: f.type === "text" ? 'declare it type "keyword" to count its values' : "use a keyword, number or boolean field",
      });
      return undefined;
    }
    return f?.name;
  };
  const numeric = (name: string, statistic: KibanaStatistic, at: Path): string | undefined => {
    if (statistic === "unique") return countable(name, at, "count distinct values of");
    const f = field(name, at);
    if (f && f.type !== "double") {
      ctx.report("VIG2035", `the ${statistic} of log field "${name}" needs a number field, not ${f.type === "text" ? "full text" : `a ${f.type}`}`, at, { hint: 'declare it type "number", or use statistic "unique"' });
      return undefined;
    }
    return f?.name;
  };

  const categoryNames = [...logs.categories.map((c) => c.name), DEFAULT_CATEGORY, DEADLETTER];
  const category = (name: string, at: Path): string => {
    if (!categoryNames.includes(name)) {
      ctx.report("VIG2035", `unknown log category "${name}"`, at, { hint: didYouMean(name, categoryNames) ?? `categories: ${categoryNames.join(", ")}` });
    }
    return name;
  };
  const categories = (names: readonly KibanaCategory[] | undefined, at: Path): string[] => {
    const out = [...new Set((names ?? []).map((c, i) => category(c, [...at, i])))];
    if (out.includes(DEADLETTER) && out.length > 1) {
      ctx.report("VIG2035", "deadletter cannot be combined with other categories", [...at, (names ?? []).indexOf(DEADLETTER)], { hint: "dead letters did not parse: they have none of the fields other categories have; give them a panel of their own" });
    }
    return out;
  };

  const panel = (p: KibanaPanelSpec, at: Path): KibanaPanelModel => {
    const size = { width: p.width ?? SIZES[p.kind].width, height: p.height ?? SIZES[p.kind].height };
    if (size.width < 1 || size.width > GRID_COLUMNS) ctx.report("VIG2035", `panel width ${size.width} is outside Kibana's grid of ${GRID_COLUMNS} columns`, [...at, "width"], { hint: "1 to 48" });
    if (size.height < 1) ctx.report("VIG2035", `panel height ${size.height} is below 1`, [...at, "height"]);
    const cats = (): string[] => categories("categories" in p ? p.categories : undefined, [...at, "categories"]);
    switch (p.kind) {
      case "search":
        return { kind: "search", category: category(p.category, [...at, "category"]), ...size };
      case "events": {
        const model: KibanaPanelModel = { kind: "events", title: p.title, categories: cats(), ...size };
        if (p.breakdown !== undefined) {
          const b = countable(p.breakdown, [...at, "breakdown"], "split bars by");
          if (b !== undefined) model.breakdown = b;
        }
        return model;
      }
      case "trend":
        return { kind: "trend", title: p.title, categories: cats(), field: numeric(p.field, p.statistic, [...at, "field"]) ?? p.field, statistic: p.statistic, ...size };
      case "top":
        return { kind: "top", title: p.title, categories: cats(), field: countable(p.field, [...at, "field"], "count values of") ?? p.field, size: p.size ?? 10, ...size };
      case "total": {
        if ((p.field === undefined) !== (p.statistic === undefined)) {
          ctx.report("VIG2035", p.field === undefined ? `statistic "${p.statistic}" needs a field` : `field "${p.field}" needs a statistic`, [...at, p.field === undefined ? "statistic" : "field"], {
            hint: "without both, a total counts the events",
          });
        }
        const model: KibanaPanelModel = { kind: "total", title: p.title, categories: cats(), statistic: p.statistic ?? "count", ...size };
        if (p.field !== undefined && p.statistic !== undefined) model.field = numeric(p.field, p.statistic, [...at, "field"]) ?? p.field;
        return model;
      }
    }
  };

  const seen = new Map<string, number>();
  const dashboards = (spec?.dashboards ?? []).flatMap((d, i): KibanaDashboardModel[] => {
    const at: Path = [...path, "dashboards", i];
    if (!DASHBOARD_NAME.test(d.name)) ctx.report("VIG2009", `invalid Kibana dashboard name "${d.name}"`, [...at, "name"], { hint: "use lower-case letters, digits and '-', e.g. error-analysis" });
    const first = seen.get(d.name);
    if (first !== undefined) {
      ctx.report("VIG2004", `Kibana dashboard "${d.name}" is declared twice`, [...at, "name"], { related: [{ message: "first declared here", at: ctx.ref([...path, "dashboards", first, "name"]) }] });
      return [];
    }
    seen.set(d.name, i);
    const timeRange = d.timeRange ?? "24h";
    if (!TIME_RANGE.test(timeRange)) ctx.report("VIG2035", `invalid dashboard time range "${timeRange}"`, [...at, "timeRange"], { hint: "a number and s, m, h, d, w or y, e.g. 24h or 7d" });
    const model: KibanaDashboardModel = { name: d.name, title: d.title ?? `${service} / ${d.name}`, timeRange, panels: d.panels.map((p, k) => panel(p, [...at, "panels", k])), at: ctx.ref(at) };
    if (d.description !== undefined) model.description = d.description;
    if (d.refresh !== undefined && checkRefresh(d.refresh, [...at, "refresh"], ctx)) model.refreshMs = Number(d.refresh.slice(0, -1)) * UNIT_MS[d.refresh.slice(-1)]!;
    return [model];
  });

  const timestamps = new Set(logs.fields.filter((f) => f.type === "timestamp").map((f) => f.path.join(".")));
  const columns = spec?.columns
    ? spec.columns.flatMap((c, i) => field(c, [...path, "columns", i])?.name ?? [])
    : logs.fields.flatMap((f) => {
        const name = f.path.join(".");
        if (f.pii === "remove" || timestamps.has(name)) return [];
        return [renamed && name === renamed.from ? renamed.to : name];
      });
  // `dashboards: []` asks for none.
  return { columns, dashboards: spec?.dashboards ? dashboards : [overview(logs, service, stored, ctx.ref(path))] };
}

/** The dashboard of a service that declares none: how many events of which categories, and what did not parse. */
function overview(logs: Omit<LogsModel, "kibana">, service: string, stored: ReadonlyMap<string, string>, at: KibanaDashboardModel["at"]): KibanaDashboardModel {
  const panels: KibanaPanelModel[] = [
    { kind: "total", title: "Events", categories: [], statistic: "count", width: 16, height: 8 },
    { kind: "total", title: "Lines that did not parse", categories: [DEADLETTER], statistic: "count", width: 16, height: 8 },
    { kind: "top", title: "Categories", categories: [], field: "event.category", size: logs.categories.length + 1, width: 16, height: 8 },
    { kind: "events", title: "Events by category", categories: [], breakdown: "event.category", width: GRID_COLUMNS, height: 12 },
  ];
  // The fields most logs have, when they are declared as keywords.
  if (stored.get("level") === "keyword") panels.push({ kind: "events", title: "Events by level", categories: [], breakdown: "level", width: 24, height: 12 });
  if (stored.get("logger") === "keyword") panels.push({ kind: "top", title: "Loggers", categories: [], field: "logger", size: 10, width: 24, height: 12 });
  panels.push({ kind: "search", category: DEADLETTER, width: GRID_COLUMNS, height: 15 });
  return { name: "overview", title: `${service} / Logs overview`, description: "Generated by vigil: events per category and level, and the lines that did not parse.", timeRange: "24h", panels, at };
}
