/** Declared dashboards: normalization diagnostics (with their places) and the check stage's PromQL positions. */
import { describe, expect, it } from "vitest";
import { checkModel } from "../check/index.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { specWith } from "../lint/tester.js";
import { dashboardUid } from "../model/dashboard-uids.js";
import type { DashboardSpec, PanelSpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";

const ts = (expr: string, extra: Partial<PanelSpec> = {}): PanelSpec => ({ title: "P", type: "timeseries", queries: [{ expr }], ...extra });
const board = (panels: PanelSpec[], extra: Partial<DashboardSpec> = {}): DashboardSpec => ({ name: "board", rows: [{ title: "Row", panels }], ...extra });
const P = (...rest: (string | number)[]) => ["dashboards", 0, "rows", 0, "panels", ...rest];
const brief = (ds: readonly Diagnostic[]) => ds.map((d) => [d.code, d.at?.path, d.at?.offset, d.at?.length]);

function normalize(dashboards: DashboardSpec[]) {
  return normalizeModel([specWith({ dashboards })]);
}

describe("declared dashboards: normalization", () => {
  it("a valid dashboard: uid from the service and name, defaults per panel type, thresholds sorted, queries with their places", () => {
    const { model, diagnostics } = normalize([
      board(
        [
          ts('sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval]))', { thresholds: [{ value: 2, color: "red" }, { value: 1, color: "orange" }] }),
          { title: "S", type: "stat", queries: [{ expr: "up" }] },
          { title: "T", type: "text", text: "# Notes" },
        ],
        { variables: [{ name: "instance", query: 'label_values(up{job="svc"}, instance)', multi: true }] },
      ),
    ]);
    expect(diagnostics).toEqual([]);
    const d = model.services[0]!.dashboards[0]!;
    expect(d.uid).toBe(dashboardUid("svc", "board"));
    expect(d.title).toBe("svc / board");
    const [t, s, x] = d.rows[0]!.panels;
    expect([t!.width, t!.height, s!.width, s!.height, x!.width]).toEqual([12, 8, 6, 4, 12]);
    expect(t!.legend).toBe("list");
    expect(t!.thresholds.map((th) => th.value)).toEqual([1, 2]);
    expect(t!.queries[0]!.source.at.path).toEqual(P(0, "queries", 0, "expr"));
    expect(d.variables[0]).toMatchObject({ name: "instance", multi: true, includeAll: false });
    // The selector inside label_values(...), blanked around to keep its columns.
    expect(d.variables[0]!.source!.text).toBe('             up{job="svc"}          ');
  });

  it("duplicate names (and the generated dashboards' names): VIG2004 at the name", () => {
    const { diagnostics } = normalize([board([ts("up")]), board([ts("up")]), { ...board([ts("up")]), name: "overview" }]);
    expect(brief(diagnostics)).toEqual([
      ["VIG2004", ["dashboards", 1, "name"], undefined, undefined],
      ["VIG2004", ["dashboards", 2, "name"], undefined, undefined],
    ]);
    expect(diagnostics[0]!.related?.[0]?.at?.path).toEqual(["dashboards", 0, "name"]);
  });

  it("invalid names: VIG2009", () => {
    const { diagnostics } = normalize([{ ...board([ts("up")], { variables: [{ name: "__x", query: "label_values(job)" }] }), name: "My Board" }]);
    expect(brief(diagnostics)).toEqual([
      ["VIG2009", ["dashboards", 0, "name"], undefined, undefined],
      ["VIG2009", ["dashboards", 0, "variables", 0, "name"], undefined, undefined],
    ]);
  });

  it("a text panel needs text, the others queries; widths stay within 1-24: VIG2028", () => {
    const { diagnostics } = normalize([
      board([
        { title: "T", type: "text" },
        { title: "G", type: "gauge" },
        ts("up", { width: 25 }),
        ts("up", { width: 0 }),
        { title: "T2", type: "text", text: "x", queries: [{ expr: "up" }] },
      ]),
    ]);
    expect(brief(diagnostics)).toEqual([
      ["VIG2028", P(0, "type"), undefined, undefined],
      ["VIG2028", P(1, "type"), undefined, undefined],
      ["VIG2028", P(2, "width"), undefined, undefined],
      ["VIG2028", P(3, "width"), undefined, undefined],
      ["VIG2028", P(4, "queries"), undefined, undefined],
    ]);
  });

  it("an undeclared template variable: VIG2028 at its characters; Grafana's own variables are fine", () => {
    const expr = 'sum(rate(http_requests_total{instance=~"$instanc"}[$__rate_interval]))';
    const { diagnostics } = normalize([board([ts(expr)], { variables: [{ name: "instance", query: "label_values(instance)" }] })]);
    expect(brief(diagnostics)).toEqual([["VIG2028", P(0, "queries", 0, "expr"), expr.indexOf("$instanc"), "$instanc".length]]);
    expect(diagnostics[0]!.hint).toBe('did you mean "instance"?');
  });

  it("an unsupported variable query: VIG2028", () => {
    const { diagnostics } = normalize([board([ts("up")], { variables: [{ name: "v", query: "up" }] })]);
    expect(brief(diagnostics)).toEqual([["VIG2028", ["dashboards", 0, "variables", 0, "query"], undefined, undefined]]);
  });
});

describe("declared dashboards: check stage", () => {
  const check = (dashboards: DashboardSpec[]) => {
    const { model, diagnostics } = normalize(dashboards);
    expect(diagnostics).toEqual([]);
    return checkModel(model);
  };

  it("a syntax error after $__rate_interval is reported at its own column", () => {
    const expr = "sum(rate(http_requests_total[$__rate_interval])) +* 2";
    const found = check([board([ts(expr)])]);
    expect(found.map((d) => d.code)).toEqual(["VIG3001"]);
    expect(found[0]!.at).toMatchObject({ path: P(0, "queries", 0, "expr"), offset: expr.indexOf("*") });
  });

  it("a type error after template variables is reported at its own column", () => {
    const expr = 'sum(http_requests_total{instance=~"$instance"}[$__interval]) ';
    const found = check([board([ts(expr)], { variables: [{ name: "instance", query: "label_values(instance)" }] })]);
    expect(found.map((d) => d.code)).toEqual(["VIG3002"]);
    expect(found[0]!.at!.offset).toBe(expr.indexOf("http_requests_total"));
  });

  it("a variable query's PromQL is checked at its columns", () => {
    const query = 'label_values(up{job=="svc"}, instance)';
    const found = check([board([ts("up")], { variables: [{ name: "instance", query }] })]);
    expect(found.map((d) => d.code)).toEqual(["VIG3001"]);
    expect(found[0]!.at).toMatchObject({ path: ["dashboards", 0, "variables", 0, "query"] });
    expect(query.slice(found[0]!.at!.offset!)).toMatch(/^=?="svc"/);
  });

  it("valid queries with variables pass; unknown metrics are left to the lint rule", () => {
    expect(check([board([ts("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))"), ts("rate(nope_total[$__range]) * $__range_s")])])).toEqual([]);
  });
});
