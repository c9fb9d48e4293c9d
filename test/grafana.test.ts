/**
 * Structure of every golden dashboard, as Grafana needs it: uids ≤ 40 characters and unique,
 * panel ids unique and non-zero, grid positions inside 24 columns and not overlapping, every
 * query with a refId and the provisioned datasource, legends shown; and every query valid
 * PromQL — for Vigil's checker and for promtool — once Grafana's variables are substituted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { emitGrafana } from "../src/grafana/index.js";
import { substituteGrafanaVariables } from "../src/grafana/variables.js";
import { specWith } from "../src/lint/tester.js";
import { normalizeModel } from "../src/normalize/index.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { analyzePromQL } from "../src/promql/frontend.js";
import { listFiles } from "../src/write/writer.js";
import { REPO, runTool } from "./helpers.js";

const EXAMPLES = ["minimal", "halcytone", "novel-engine"];

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
  options?: { legend?: { showLegend?: boolean } };
}
interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  panels: Panel[];
  links?: { type: string; tags?: string[] }[];
  templating?: { list: { type: string; name: string; query?: string; datasource?: { uid: string } }[] };
}

const work = mkdtempSync(join(tmpdir(), "vigil-grafana-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(EXAMPLES)("example %s: dashboards", (name) => {
  const golden = join(REPO, "golden", name);
  const files = listFiles(golden).filter((f) => f.startsWith("grafana/dashboards/"));
  const dashboards = files.map((f) => ({ file: f, d: JSON.parse(readFileSync(join(golden, f), "utf8")) as Dashboard }));
  const datasources = (parse(readFileSync(join(golden, "grafana/provisioning/datasources/vigil.yml"), "utf8")) as { datasources: { uid: string }[] }).datasources.map((d) => d.uid);

  test("provisions Elasticsearch for the log indices exactly when the spec has logs", () => {
    const hasLogs = listFiles(golden).some((f) => f.startsWith("logstash/"));
    expect(datasources.includes("vigil-elasticsearch")).toBe(hasLogs);
  });

  test("provisions Jaeger when grafana.jaegerUrl is set, and log lines link their trace id to it", () => {
    interface Source {
      uid: string;
      url?: string;
      jsonData?: { dataLinks?: { field: string; url: string; datasourceUid: string }[] };
    }
    const all = (parse(readFileSync(join(golden, "grafana/provisioning/datasources/vigil.yml"), "utf8")) as { datasources: Source[] }).datasources;
    const jaeger = all.find((d) => d.uid === "vigil-jaeger");
    const es = all.find((d) => d.uid === "vigil-elasticsearch");
    if (name === "minimal") return expect(jaeger).toBeUndefined();
    expect(jaeger?.url).toBe("http://jaeger:16686");
    // Grafana expands ${...} in provisioning files from its environment: `$$` keeps the link's own variable.
    expect(es?.jsonData?.dataLinks).toEqual([{ field: "trace.id", url: "$${__value.raw}", datasourceUid: "vigil-jaeger" }]);
  });

  test("an overview per service, and an SLO dashboard when it has SLOs", () => {
    expect(dashboards.some((x) => x.d.title.endsWith("/ Overview"))).toBe(true);
    expect(dashboards.some((x) => x.d.title.endsWith("/ SLOs"))).toBe(true);
  });

  test("uids: at most 40 characters, unique, the file name", () => {
    for (const { file, d } of dashboards) {
      expect(d.uid.length).toBeLessThanOrEqual(40);
      expect(file).toBe(`grafana/dashboards/${d.uid}.json`);
    }
    expect(new Set(dashboards.map((x) => x.d.uid)).size).toBe(dashboards.length);
  });

  test("panels: unique non-zero ids, inside 24 columns, not overlapping", () => {
    for (const { d } of dashboards) {
      const ids = d.panels.map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && id > 0), d.uid).toBe(true);
      expect(new Set(ids).size, d.uid).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        const g = p.gridPos;
        expect(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, `${d.uid} ${p.title}`).toBe(true);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            const cell = `${x},${y}`;
            expect(cells.has(cell), `${d.uid}: "${p.title}" overlaps at ${cell}`).toBe(false);
            cells.add(cell);
          }
        }
      }
    }
  });

  test("every dashboard (declared ones too) carries the service's tag and the link to its other dashboards; variables query the provisioned datasource", () => {
    for (const { d } of dashboards) {
      const service = d.tags.find((t) => t !== "vigil");
      expect(d.tags, d.uid).toContain("vigil");
      expect(d.links?.some((l) => l.type === "dashboards" && l.tags?.includes(service!)), d.uid).toBe(true);
      for (const v of d.templating?.list ?? []) {
        expect(v.type, `${d.uid} $${v.name}`).toBe("query");
        expect(datasources).toContain(v.datasource?.uid);
      }
    }
  });

  test("no empty strings left from the SDK's defaults", () => {
    for (const { d } of dashboards) {
      const empty: string[] = [];
      const walk = (v: unknown, path: string) => {
        if (v === "") empty.push(path);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      };
      walk(d, d.uid);
      expect(empty).toEqual([]);
    }
  });

  test("queries: a refId each, the provisioned datasource, legends shown", () => {
    for (const { d } of dashboards) {
      // Text panels (Markdown) have no queries.
      for (const p of d.panels.filter((x) => x.type !== "row" && x.type !== "text")) {
        expect(p.targets?.length, `${d.uid} ${p.title}`).toBeGreaterThan(0);
        expect(datasources).toContain(p.datasource?.uid);
        const refIds = p.targets!.map((t) => t.refId);
        expect(refIds.every((r) => /^[A-Z]$/.test(r)) && new Set(refIds).size === refIds.length, `${d.uid} ${p.title}`).toBe(true);
        for (const t of p.targets!) expect(datasources).toContain(t.datasource?.uid);
        if (p.type === "timeseries") expect(p.options?.legend?.showLegend, `${d.uid} ${p.title}`).toBe(true);
      }
    }
  });

  test("every query is valid PromQL for Vigil's checker and for promtool, variables substituted", () => {
    const exprs = [...new Set(dashboards.flatMap(({ d }) => d.panels.flatMap((p) => (p.targets ?? []).map((t) => substituteGrafanaVariables(t.expr)))))];
    expect(exprs.length).toBeGreaterThan(0);
    expect(exprs.flatMap((e) => (analyzePromQL(e).ok ? [] : [e]))).toEqual([]);
    const file = join(work, `${name}.rules.yml`);
    const rules = exprs.map((expr, i) => `      - record: vigil:dashboard_query:${i}\n        expr: ${JSON.stringify(expr)}`).join("\n");
    writeFileSync(file, `groups:\n  - name: dashboard-queries\n    rules:\n${rules}\n`);
    const r = runTool("promtool", ["check", "rules", file]);
    expect(r.status, r.output).toBe(0);
  });
});

/**
 * Dashboards that tell the truth about the spec: every SLO on the overview, a line per split
 * label with its own legend, gauges per declared label, windows as the spec writes them, the
 * refresh the spec asks for.
 */
describe("dashboards show what the spec says", () => {
  interface Target {
    expr: string;
    legendFormat?: string;
  }
  interface Shown {
    title: string;
    type: string;
    targets?: Target[];
  }
  interface Board {
    uid: string;
    title: string;
    refresh: string;
    panels: Shown[];
  }
  const base = specWith({});
  const spec = specWith({
    grafana: { refresh: "30s" },
    signals: [
      ...base.signals!,
      { name: "payments_total", type: "counter", labels: ["provider", "outcome"] },
      { name: "queue_depth", type: "gauge", labels: ["queue"] },
      { name: "pool_connections", type: "gauge", labels: ["pool", "state"] },
    ],
    slos: [
      { name: "availability", objective: 99.9, sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } } },
      { name: "latency", objective: 99, window: "28d", sli: { kind: "latency", histogram: { metric: "http_request_duration_seconds" }, threshold: 0.5 } },
      {
        name: "payments",
        objective: 99.5,
        window: "7d",
        sli: { kind: "ratio", bad: { metric: "payments_total", matchers: { outcome: "failed" } }, total: { metric: "payments_total" }, by: ["provider"] },
      },
    ],
    dashboards: [
      { name: "live", refresh: "10s", rows: [{ title: "Now", panels: [{ title: "Up", type: "stat", queries: [{ expr: "up" }] }] }] },
      { name: "plain", rows: [{ title: "Now", panels: [{ title: "Up", type: "stat", queries: [{ expr: "up" }] }] }] },
    ],
  });

  function boards(s: MonitoringSpec): Map<string, Board> {
    const { model, diagnostics } = normalizeModel([s]);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = emitGrafana(model).files.filter((f) => f.path.startsWith("grafana/dashboards/"));
    return new Map(files.map((f) => [f.path.replace(/^.*\/(vigil-svc-)?|\.json$/g, ""), JSON.parse(f.content) as Board]));
  }
  const all = boards(spec);
  const overview = all.get("overview")!;
  const slos = all.get("slos")!;
  const panel = (b: Board, title: string) => b.panels.find((p) => p.title === title)!;

  test("the overview's error ratio panel draws every SLO, latency SLOs included", () => {
    const targets = panel(overview, "Error ratio (SLIs)").targets!;
    expect(targets.map((t) => /slo="([^"]+)"/.exec(t.expr)?.[1])).toEqual(["availability", "latency", "payments"]);
  });

  test("an SLO split by a label draws one line per value, each with its own legend", () => {
    const ratio = panel(overview, "Error ratio (SLIs)").targets!.find((t) => t.expr.includes('slo="payments"'))!;
    expect(ratio.legendFormat).toBe("payments {{provider}}");
    // Every panel of the split SLO's row: each query's legend names the split label.
    const row = slos.panels.slice(slos.panels.findIndex((p) => p.title.startsWith("SLO payments")) + 1);
    const shown = row.filter((p) => p.targets?.some((t) => t.expr.includes('slo="payments"')));
    expect(shown.length).toBeGreaterThan(3);
    for (const p of shown) {
      for (const t of p.targets!) {
        // The objective is a constant (vector()), the same for every provider.
        if (t.expr.startsWith("vigil:slo_objective") || p.title === "Objective") continue;
        expect(t.legendFormat, `${p.title}: ${t.expr}`).toContain("{{provider}}");
      }
      const legends = p.targets!.map((t) => t.legendFormat);
      expect(new Set(legends).size, p.title).toBe(legends.length);
    }
    // SLOs that are not split keep their plain legends.
    expect(panel(overview, "Error ratio (SLIs)").targets![0]!.legendFormat).toBe("availability");
  });

  test("gauges keep the labels that tell their series apart: max by (queue), legend {{queue}}", () => {
    expect(panel(overview, "queue_depth").targets).toEqual([expect.objectContaining({ expr: "max by (queue) (queue_depth)", legendFormat: "{{queue}}" })]);
    expect(panel(overview, "pool_connections").targets).toEqual([expect.objectContaining({ expr: "max by (pool, state) (pool_connections)", legendFormat: "{{pool}} {{state}}" })]);
    expect(panel(overview, "memory_bytes").targets![0]!.expr).toBe("max by (pod) (memory_bytes)");
    // A gauge without labels has one series to draw.
    expect(panel(overview, "up").targets![0]).toMatchObject({ expr: "max(up)", legendFormat: "up" });
  });

  test("windows as the spec writes them: 28d, never 4w (7d, never 1w)", () => {
    const text = JSON.stringify(slos);
    expect(slos.panels.map((p) => p.title)).toEqual(expect.arrayContaining(["SLO latency: 99% over 28d", "SLI over 28d", "SLO payments: 99.5% over 7d", "SLI over 7d", "SLO availability: 99.9% over 30d"]));
    expect(text).not.toMatch(/\b(4w|1w)\b/);
  });

  test("refresh: grafana.refresh on every dashboard, a dashboard's own refresh on it; 1m without either", () => {
    expect([...all.entries()].map(([k, b]) => [k, b.refresh]).sort()).toEqual([
      ["live", "10s"],
      ["overview", "30s"],
      ["plain", "30s"],
      ["slos", "30s"],
    ]);
    const plain = boards({ ...spec, grafana: {}, dashboards: [] });
    expect([...plain.values()].map((b) => b.refresh)).toEqual(["1m", "1m"]);
  });
});

describe("the examples' dashboards", () => {
  const read = (example: string, uid: string) => JSON.parse(readFileSync(join(REPO, "golden", example, "grafana/dashboards", `${uid}.json`), "utf8")) as { refresh: string; panels: { title: string; targets?: { expr: string }[] }[] };

  test("halcytone refreshes every 30 seconds, as its seed asks (live updates every 30 seconds); the others every minute", () => {
    for (const f of listFiles(join(REPO, "golden/halcytone/grafana/dashboards"))) expect(read("halcytone", f.replace(/\.json$/, "")).refresh, f).toBe("30s");
    for (const f of listFiles(join(REPO, "golden/novel-engine/grafana/dashboards"))) expect(read("novel-engine", f.replace(/\.json$/, "")).refresh, f).toBe("1m");
  });

  test("halcytone's 28-day SLO is titled over 28d; its overview's error ratio panel includes the latency SLO", () => {
    const slos = read("halcytone", "vigil-halcytone-content-generator-slos");
    expect(slos.panels.map((p) => p.title)).toContain("SLO content-generation: 99% over 28d");
    expect(JSON.stringify(slos)).not.toMatch(/\b4w\b/);
    const overview = read("halcytone", "vigil-halcytone-content-b1bdf2-overview");
    const sli = overview.panels.find((p) => p.title === "Error ratio (SLIs)")!;
    expect(sli.targets!.some((t) => t.expr.includes('slo="api-latency"'))).toBe(true);
  });
});
