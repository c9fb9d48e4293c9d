/**
 * The seeds' dashboards show what is scraped: every panel (but text panels) of every declared
 * dashboard of the seed examples reads at least one series some scrape job of the golden
 * prometheus.yml collects — a declared signal of the service's own job or of an exporter's job,
 * or a recording of the golden rule file — and no panel of any golden dashboard (the generated
 * overview and SLO dashboards too) reads a series other than those, `up` and `ALERTS`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { selectorMetric, walk } from "../src/promql/ast.js";
import { parsePromQLCached } from "../src/promql/cache.js";
import { substituteGrafanaVariables } from "../src/grafana/variables.js";
import { SignalIndex } from "../src/normalize/signals.js";
import { REPO } from "./helpers.js";

interface Panel {
  title: string;
  type: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

describe.each(["halcytone", "novel-engine"])("golden/%s dashboards", (name) => {
  const golden = join(REPO, "golden", name);
  const jobs = new Set((parse(readFileSync(join(golden, "prometheus/prometheus.yml"), "utf8")) as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name));
  const rulesDir = join(golden, "prometheus/rules");
  const recorded = new Set(
    readdirSync(rulesDir).flatMap((f) => (parse(readFileSync(join(rulesDir, f), "utf8")) as { groups: { rules: { record?: string }[] }[] }).groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])))),
  );
  const dashboards = readdirSync(join(golden, "grafana/dashboards")).map((f) => ({ file: f, json: JSON.parse(readFileSync(join(golden, "grafana/dashboards", f), "utf8")) as { panels: Panel[] } }));

  test("every panel reads a scraped series, and nothing but scraped, recorded or ALERTS series", async () => {
    const result = await compile([join(REPO, "examples", name, "monitoring.ts")], { typecheck: false, lint: false, emit: false });
    const service = result.model!.services[0]!;
    const signals = new SignalIndex(service.signals, (n) => recorded.has(n));
    const declared = new Set(service.dashboards.map((d) => `${d.uid}.json`));
    expect(declared.size).toBeGreaterThanOrEqual(4);
    const problems: string[] = [];
    let panels = 0;
    for (const { file, json } of dashboards) {
      const all = json.panels.flatMap((p) => (p.type === "row" ? (p.panels ?? []) : [p]));
      for (const panel of all.filter((p) => p.type !== "row" && p.type !== "text")) {
        panels++;
        let scraped = 0;
        for (const target of panel.targets ?? []) {
          const parsed = parsePromQLCached(substituteGrafanaVariables(target.expr ?? ""));
          if (!parsed.ok) {
            problems.push(`${file} "${panel.title}": does not parse: ${target.expr}`);
            continue;
          }
          walk(parsed.expr, (node) => {
            if (node.type !== "vector") return;
            const metric = selectorMetric(node);
            if (metric === undefined) return;
            if (metric === "up") {
              scraped++;
              return;
            }
            if (metric === "ALERTS") return;
            if (recorded.has(metric)) {
              scraped++;
              return;
            }
            const series = signals.series(metric);
            const job = series?.signal.job ?? service.name;
            if (!series) problems.push(`${file} "${panel.title}": ${metric} is no declared signal`);
            else if (!jobs.has(job)) problems.push(`${file} "${panel.title}": ${metric} comes from job ${job}, which prometheus.yml does not scrape`);
            else scraped++;
          });
        }
        const alertsTable = (panel.targets ?? []).some((t) => /^sum by \(alertname, severity\) \(ALERTS\{/.test(t.expr ?? ""));
        if (declared.has(file) && scraped === 0 && !alertsTable) problems.push(`${file} "${panel.title}": reads no scraped series`);
      }
    }
    expect(panels).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});
