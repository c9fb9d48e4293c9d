/**
 * Declared dashboards → the model: names unique per service (their uids derive from them),
 * panels well-formed (a text panel has text, the others queries; widths within the 24-column
 * grid), variable queries of a form Grafana's Prometheus datasource knows, and every template
 * variable a query uses declared. The PromQL itself is checked by the check stage.
 */
import { makeDiagnostic } from "../diagnostics/index.js";
import { grafanaVariableRefs } from "../grafana/variables.js";
import { dashboardUid, overviewUid, slosUid } from "../model/dashboard-uids.js";
import type { DashboardModel, DashboardVariableModel, PanelModel } from "../model/types.js";
import type { DashboardSpec, DashboardVariableSpec, PanelSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { didYouMean } from "./names.js";

export const DASHBOARD_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** What Grafana's refresh picker takes: a whole number of seconds, minutes, hours or days. */
export const GRAFANA_REFRESH = /^[1-9]\d*[smhd]$/;
export const REFRESH_HINT = "a number and s, m, h or d, e.g. 30s or 1m";

/** Reports a refresh interval Grafana would not take; true when it is usable. */
export function checkRefresh(value: string, path: Path, ctx: NormalizeContext): boolean {
  if (GRAFANA_REFRESH.test(value)) return true;
  ctx.report("VIG2009", `invalid dashboard refresh "${value}"`, path, { hint: REFRESH_HINT });
  return false;
}
const VARIABLE_NAME = /^[A-Za-z_]\w*$/;

export function normalizeDashboards(specs: readonly DashboardSpec[], service: string, ctx: NormalizeContext): DashboardModel[] {
  const seen = new Map<string, number>();
  const reserved = new Set([overviewUid(service), slosUid(service)]);
  return specs.flatMap((d, i) => {
    const path = ["dashboards", i];
    if (!DASHBOARD_NAME.test(d.name)) {
      ctx.report("VIG2009", `invalid dashboard name "${d.name}"`, [...path, "name"], { hint: "use lower-case letters, digits and '-', e.g. performance" });
    }
    const uid = dashboardUid(service, d.name);
    const first = seen.get(uid);
    if (first !== undefined) {
      ctx.report("VIG2004", `dashboard "${d.name}" is declared twice`, [...path, "name"], { related: [{ message: "first declared here", at: ctx.ref(["dashboards", first, "name"]) }] });
      return [];
    }
    if (reserved.has(uid)) {
      ctx.report("VIG2004", `dashboard name "${d.name}" is taken by a generated dashboard`, [...path, "name"], { hint: "the overview and SLO dashboards are generated; choose another name" });
      return [];
    }
    seen.set(uid, i);
    const variables = normalizeVariables(d.variables ?? [], [...path, "variables"], ctx);
    const declared = new Set(variables.map((v) => v.name));
    const rows = d.rows.map((r, ri) => ({ title: r.title, panels: r.panels.map((p, pi) => normalizePanel(p, [...path, "rows", ri, "panels", pi], declared, ctx)) }));
    const model: DashboardModel = { id: `${service}/${d.name}`, name: d.name, uid, title: d.title ?? `${service} / ${d.name}`, variables, rows, at: ctx.ref(path) };
    if (d.description !== undefined) model.description = d.description;
    if (d.refresh !== undefined && checkRefresh(d.refresh, [...path, "refresh"], ctx)) model.refresh = d.refresh;
    return [model];
  });
}

/** `label_values(<selector>, <label>)`, `label_values(<label>)`, `query_result(<expr>)`, `label_names()`, `metrics(<regex>)`. */
const WITH_SELECTOR = /^(\s*label_values\s*\()(.*),(\s*[A-Za-z_]\w*\s*\)\s*)$/s;
const WITH_EXPR = /^(\s*query_result\s*\()(.*)(\)\s*)$/s;
const WITHOUT_PROMQL = /^\s*(label_values\s*\(\s*[A-Za-z_]\w*\s*\)|label_names\s*\(\s*\)|metrics\s*\(.*\))\s*$/s;

function normalizeVariables(specs: readonly DashboardVariableSpec[], path: Path, ctx: NormalizeContext): DashboardVariableModel[] {
  const seen = new Set<string>();
  return specs.flatMap((v, i) => {
    const at = [...path, i];
    if (!VARIABLE_NAME.test(v.name) || v.name.startsWith("__")) {
      ctx.report("VIG2009", `invalid dashboard variable name "${v.name}"`, [...at, "name"], { hint: "letters, digits and '_', not starting with '__' (Grafana's own variables)" });
    }
    if (seen.has(v.name)) {
      ctx.report("VIG2004", `dashboard variable "${v.name}" is declared twice`, [...at, "name"]);
      return [];
    }
    seen.add(v.name);
    const model: DashboardVariableModel = { name: v.name, query: v.query, multi: v.multi ?? false, includeAll: v.includeAll ?? false, at: ctx.ref(at) };
    if (v.label !== undefined) model.label = v.label;
    const m = WITH_SELECTOR.exec(v.query) ?? WITH_EXPR.exec(v.query);
    if (m) {
      // Blank out the function around the PromQL: same length, so positions stay the user's.
      model.source = { text: `${" ".repeat(m[1]!.length)}${m[2]!}${" ".repeat(m[3]!.length)}`, at: ctx.ref([...at, "query"]) };
    } else if (!WITHOUT_PROMQL.test(v.query)) {
      ctx.report("VIG2028", `unsupported variable query "${v.query}"`, [...at, "query"], {
        hint: 'use label_values(<selector>, <label>), e.g. label_values(up{job="api"}, instance), or query_result(<expr>)',
      });
    }
    return [model];
  });
}

function normalizePanel(p: PanelSpec, path: Path, variables: ReadonlySet<string>, ctx: NormalizeContext): PanelModel {
  const queries = (p.queries ?? []).map((q, qi) => {
    const qpath = [...path, "queries", qi, "expr"];
    for (const ref of grafanaVariableRefs(q.expr)) {
      if (ref.name.startsWith("__") || variables.has(ref.name)) continue;
      ctx.diagnostics.push(
        makeDiagnostic("VIG2028", `unknown dashboard variable "$${ref.name}"`, ctx.ref(qpath, { offset: ref.start, length: ref.end - ref.start }), {
          hint: didYouMean(ref.name, variables) ?? "declare it in the dashboard's variables",
        }),
      );
    }
    return { source: { text: q.expr, at: ctx.ref(qpath) }, ...(q.legend !== undefined ? { legend: q.legend } : {}) };
  });
  if (p.type === "text") {
    if (!p.text) ctx.report("VIG2028", `text panel "${p.title}" has no text`, [...path, "type"], { hint: "set text (Markdown)" });
    if (queries.length) ctx.report("VIG2028", `text panel "${p.title}" has queries`, [...path, "queries"], { hint: "a text panel shows its text only; use another panel type" });
  } else {
    if (!queries.length) ctx.report("VIG2028", `panel "${p.title}" has no queries`, [...path, "type"], { hint: "add queries: [{ expr: ... }]" });
    if (p.text !== undefined) ctx.report("VIG2028", `${p.type} panel "${p.title}" has text`, [...path, "text"], { hint: 'text is for type: "text" panels' });
  }
  const small = p.type === "stat" || p.type === "gauge";
  const width = p.width ?? (small ? 6 : 12);
  if (!Number.isInteger(width) || width < 1 || width > 24) {
    ctx.report("VIG2028", `panel width ${width} is outside the grid`, [...path, "width"], { hint: "Grafana's grid has 24 columns: use 1 to 24" });
  }
  const height = p.height ?? (p.type === "stat" ? 4 : 8);
  if (!Number.isInteger(height) || height < 1) ctx.report("VIG2028", `panel height ${height} is not a positive integer`, [...path, "height"]);
  const model: PanelModel = {
    title: p.title,
    type: p.type,
    queries,
    thresholds: [...(p.thresholds ?? [])].sort((a, b) => a.value - b.value),
    legend: p.legend ?? "list",
    width: Math.min(24, Math.max(1, Math.round(width))),
    height: Math.max(1, Math.round(height)),
    links: (p.links ?? []).map((l) => ({ ...l })),
    at: ctx.ref(path),
  };
  for (const k of ["text", "unit", "min", "max", "decimals", "description"] as const) {
    if (p[k] !== undefined) (model as unknown as Record<string, unknown>)[k] = p[k];
  }
  return model;
}
