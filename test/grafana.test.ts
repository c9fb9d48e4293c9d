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
import { substituteGrafanaVariables } from "../src/grafana/variables.js";
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
