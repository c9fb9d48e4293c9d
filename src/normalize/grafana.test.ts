import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import { overviewUid, slosUid } from "../model/dashboard-uids.js";
import type { AlertSpec, SloSpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";

const alert: AlertSpec = { name: "A", expr: "up", op: "<", threshold: 1, severity: "critical", summary: "s", description: "d" };
const slo: SloSpec = { name: "availability", objective: 99.9, sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } } };

describe("grafana settings", () => {
  it("defaults: Prometheus at localhost:9090, Elasticsearch at localhost:9200, dashboards mounted under /var/lib/grafana; no links without a URL", () => {
    const { model } = normalizeModel([specWith({ alerts: [alert] })]);
    expect(model.grafana).toEqual({ prometheusUrl: "http://localhost:9090", elasticsearchUrl: "http://localhost:9200", dashboardsPath: "/var/lib/grafana/dashboards/vigil", refresh: "1m" });
    expect(model.services[0]!.alerts[0]!.annotations.dashboard).toBeUndefined();
  });

  it("refresh: grafana.refresh for every dashboard, a dashboard's own refresh for it; Grafana's interval form or VIG2009; set differently by two specs, VIG2022", () => {
    const board = (name: string, refresh?: string) => ({ name, rows: [], ...(refresh ? { refresh } : {}) });
    const { model, diagnostics } = normalizeModel([specWith({ grafana: { refresh: "30s" }, dashboards: [board("live", "5s"), board("plain")] })]);
    expect(diagnostics).toEqual([]);
    expect(model.grafana.refresh).toBe("30s");
    expect(model.services[0]!.dashboards.map((d) => d.refresh)).toEqual(["5s", undefined]);
    const bad = normalizeModel([specWith({ grafana: { refresh: "30 seconds" }, dashboards: [board("x", "1m30s"), board("y", "0s")] })]).diagnostics;
    expect(bad.map((d) => [d.code, d.at?.path])).toEqual([
      ["VIG2009", ["dashboards", 0, "refresh"]],
      ["VIG2009", ["dashboards", 1, "refresh"]],
      ["VIG2009", ["grafana", "refresh"]],
    ]);
    const a = specWith({ grafana: { refresh: "30s" } });
    const b = { ...specWith({ grafana: { refresh: "1m" } }), service: { name: "other", team: "team-a" } };
    expect(normalizeModel([a, b]).diagnostics.map((d) => [d.code, d.at?.path, d.at?.spec])).toEqual([["VIG2022", ["grafana", "refresh"], 1]]);
  });

  it("with grafana.url, threshold alerts link to the overview and SLO alerts to the SLO dashboard", () => {
    const { model, diagnostics } = normalizeModel([specWith({ grafana: { url: "https://grafana.example.com/" }, alerts: [alert], slos: [slo] })]);
    expect(diagnostics).toEqual([]);
    const s = model.services[0]!;
    expect(s.alerts[0]!.annotations.dashboard).toBe(`https://grafana.example.com/d/${overviewUid("svc")}`);
    expect(s.slos[0]!.tiers.map((t) => t.annotations.dashboard)).toEqual([`https://grafana.example.com/d/${slosUid("svc")}`, `https://grafana.example.com/d/${slosUid("svc")}`]);
  });

  it("keeps a dashboard annotation the spec sets", () => {
    const { model } = normalizeModel([specWith({ grafana: { url: "https://g.example" }, alerts: [{ ...alert, annotations: { dashboard: "https://g.example/d/mine" } }] })]);
    expect(model.services[0]!.alerts[0]!.annotations.dashboard).toBe("https://g.example/d/mine");
  });

  it("two specs with different settings: VIG2022; a non-URL: VIG2009", () => {
    const a = specWith({ grafana: { url: "https://a.example" } });
    const b = { ...specWith({ grafana: { url: "https://b.example" } }), service: { name: "other", team: "team-a" } };
    expect(normalizeModel([a, b]).diagnostics.map((d) => [d.code, d.at?.path, d.at?.spec])).toEqual([["VIG2022", ["grafana", "url"], 1]]);
    expect(normalizeModel([specWith({ grafana: { prometheusUrl: "prometheus:9090" } })]).diagnostics.map((d) => d.code)).toEqual(["VIG2009"]);
  });

  it("uids stay within Grafana's 40 characters and stable", () => {
    expect(overviewUid("halcytone-content-generator")).toBe("vigil-halcytone-content-b1bdf2-overview");
    expect(overviewUid("x".repeat(80)).length).toBeLessThanOrEqual(40);
    expect(slosUid("hello")).toBe("vigil-hello-slos");
  });
});
