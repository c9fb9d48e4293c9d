/**
 * `vigil import prometheus`, round trip: each rule file is imported, the monitoring.ts written is
 * compiled with compile() (type check included), and the compiled rule files must hold every rule
 * of the input — the same alert name, the same expression once printed canonically, the same
 * `for`, labels and annotations, the same recording rules — except what the import warned about
 * at that very place (VIG6003/VIG6006 at a label or annotation, VIG6004 at a rule). Vigil adds
 * only its own labels (service, team, severity) and empty summary/description where the input
 * had none. Corpora: the Vigil-written mixin-style files in test/fixtures/import/prometheus, the
 * rule files of the lint fixtures, Sloth's generated rules (test/fixtures/sloth/_gen and
 * /work/shared/corpora/sloth/examples/_gen, slok/sloth v0.16.0).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { compile } from "../src/compile.js";
import type { Diagnostic } from "../src/diagnostics/index.js";
import { importSpec } from "../src/import/index.js";
import { parseDuration } from "../src/promql/duration.js";
import { parsePromQL } from "../src/promql/parse.js";
import { printExpr } from "../src/promql/print.js";
import { REPO, runCli } from "./helpers.js";

const FIXTURES = join(REPO, "test/fixtures/import/prometheus");
const SLOTH_GEN = "/work/shared/corpora/sloth/examples/_gen";
const yamlIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)) : []);
const CORPUS = [
  ...yamlIn(FIXTURES),
  join(FIXTURES, "dir"),
  ...["clean.rules.yml", "warn.rules.yml", "rules/alerts-routing.rules.yml", "rules/alerts-severity.rules.yml", "rules/promql-unknown-metric.rules.yml", "rules/spec-owner.rules.yml"].map((f) => join(REPO, "test/fixtures/lint", f)),
  ...yamlIn(join(REPO, "test/fixtures/sloth/_gen")),
  ...yamlIn(SLOTH_GEN),
];

const work = mkdtempSync(join(tmpdir(), "vigil-import-prom-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** file:line of the rule, its labels and annotations in the input. */
  at?: { rule: string; keys: Record<string, string> };
}

const canonical = (expr: string) => {
  const r = parsePromQL(expr.trim());
  if (!r.ok) throw new Error(`does not parse: ${expr}`);
  return printExpr(r.expr);
};
const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const record = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)]));

/** The rules of a file or directory, read independently of the importer (yaml's own positions). */
function inputRules(path: string): Rule[] {
  const files = path.endsWith("dir") ? ["queue.rules.yml", "nested/workers.yaml"].map((f) => join(path, f)) : [path];
  return files.flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const pos = (offset: number) => {
      const before = text.slice(0, offset).split("\n");
      return `${file}:${before.length}`;
    };
    return parseAllDocuments(text).flatMap((doc) => {
      const js = doc.toJS() as { kind?: string; groups?: unknown[]; spec?: { groups?: unknown[] } } | null;
      if (!js) return [];
      const base = js.kind === "PrometheusRule" ? ["spec", "groups"] : ["groups"];
      const groups = (js.kind === "PrometheusRule" ? js.spec?.groups : js.groups) ?? [];
      return groups.flatMap((g, gi) =>
        ((g as { rules?: Record<string, unknown>[] }).rules ?? []).map((r, ri): Rule => {
          const node = doc.getIn([...base, gi, "rules", ri], true) as { range: [number, number] };
          const keys: Record<string, string> = {};
          for (const part of ["labels", "annotations"] as const) {
            const map = doc.getIn([...base, gi, "rules", ri, part], true) as { items?: { key: { value: string; range: [number, number] } }[] } | undefined;
            for (const item of map?.items ?? []) keys[`${part}.${item.key.value}`] = pos(item.key.range[0]);
          }
          const alertKey = doc.getIn([...base, gi, "rules", ri, "alert"], true) as { range: [number, number] } | undefined;
          const rule: Rule = { expr: String(r.expr), labels: record(r.labels), annotations: record(r.annotations), at: { rule: pos(alertKey?.range[0] ?? node.range[0]), keys } };
          if (r.alert !== undefined) rule.alert = String(r.alert);
          if (r.record !== undefined) rule.record = String(r.record);
          if (r.for !== undefined) rule.for = str(r.for);
          return rule;
        }),
      );
    });
  });
}

function compiledRules(files: readonly { path: string; content: string }[]): Rule[] {
  return files
    .filter((f) => f.path.startsWith("prometheus/rules/"))
    .flatMap((f) => parseAllDocuments(f.content).flatMap((d) => ((d.toJS() as { groups?: { rules?: Rule[] }[] }).groups ?? []).flatMap((g) => g.rules ?? [])));
}

/** file:line of a diagnostic: a warning at a label's or annotation's line is about it. */
const locationOf = (d: Diagnostic) => (d.location ? `${d.location.file}:${d.location.line}` : "");

async function importAndCompile(input: string): Promise<{ text: string; diagnostics: Diagnostic[]; rules: Rule[]; errors: string[] }> {
  const imported = await importSpec("prometheus", [input], { cwd: REPO });
  expect(imported.text, imported.diagnostics.map((d) => `${locationOf(d)} ${d.code} ${d.message}`).join("\n")).toBeDefined();
  const dir = mkdtempSync(join(work, "spec-"));
  const spec = join(dir, "monitoring.ts");
  writeFileSync(spec, imported.text!);
  const result = await compile([spec]);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.location?.line}:${d.location?.column} ${d.code} ${d.message}`);
  return { text: imported.text!, diagnostics: imported.diagnostics, rules: compiledRules(result.files), errors };
}

describe("vigil import prometheus: round trip through compile()", () => {
  test.for(CORPUS.map((p) => [relative(REPO, p) || p, p]))("%s", { timeout: 120_000 }, async ([, input]) => {
    const { diagnostics, rules, errors } = await importAndCompile(input!);
    expect(errors).toEqual([]);
    const warnedAt = new Set(diagnostics.map(locationOf));
    const source = inputRules(input!);
    expect(source.length).toBeGreaterThan(0);
    let matched = 0;
    for (const rule of source) {
      const name = rule.alert ?? rule.record!;
      const skipped = diagnostics.some((d) => d.code === "VIG6004" && locationOf(d) === rule.at!.rule);
      const candidates = rules.filter((r) => (rule.alert ? r.alert === rule.alert : r.record === rule.record) && canonical(r.expr) === canonical(rule.expr));
      if (skipped) {
        // Not imported, and said so at the rule: no compiled rule carries all of its labels.
        continue;
      }
      expect(candidates.length, `${name} at ${rule.at!.rule}: no compiled rule with the same expression`).toBeGreaterThan(0);
      const kept = (part: "labels" | "annotations", rec: Record<string, string>) => Object.fromEntries(Object.entries(rec).filter(([k]) => !warnedAt.has(rule.at!.keys[`${part}.${k}`]!)));
      const labels = kept("labels", rule.labels ?? {});
      const annotations = kept("annotations", rule.annotations ?? {});
      const same = candidates.find((c) => {
        const cl = c.labels ?? {};
        const ca = c.annotations ?? {};
        if (!Object.entries(labels).every(([k, v]) => cl[k] === v || (k === "severity" && warnedAt.has(rule.at!.keys["labels.severity"]!)))) return false;
        if (!Object.entries(annotations).every(([k, v]) => ca[k] === v)) return false;
        // Vigil's own labels only; summary and description empty where the input had none.
        const extraLabels = Object.keys(cl).filter((k) => !(k in labels));
        if (!extraLabels.every((k) => ["service", "team", "severity"].includes(k))) return false;
        const extraAnnotations = Object.keys(ca).filter((k) => !(k in annotations));
        if (!extraAnnotations.every((k) => (k === "summary" || k === "description") && ca[k] === "")) return false;
        if (rule.alert !== undefined && (parseDuration(c.for ?? "0s") ?? -1) !== (parseDuration(rule.for ?? "0s") ?? -2)) return false;
        return true;
      });
      expect(same, `${name} at ${rule.at!.rule}: labels, annotations or for differ; compiled: ${JSON.stringify(candidates)}`).toBeDefined();
      matched++;
    }
    expect(matched).toBeGreaterThan(0);
  });
});

describe("vigil import prometheus: what cannot map is said where it is", () => {
  test("changes.rules.yml: every change a warning at its place, the duplicate named and not imported", { timeout: 60_000 }, async () => {
    const file = join(FIXTURES, "changes.rules.yml");
    const { diagnostics, text } = await importAndCompile(file);
    const shown = diagnostics.map((d) => `${d.location!.line}:${d.location!.column} ${d.code} ${d.message}`);
    expect(shown).toEqual([
      `4:5 VIG6003 group "odd" sets interval: 30s; the imported rules are evaluated in Vigil's groups at prometheus.evaluationInterval, without it`,
      `9:21 VIG6003 alert "PaymentsFailing": severity "page" is not critical, warning or info; imported as critical`,
      `10:11 VIG6003 alert "PaymentsFailing": label tier="1" is one Vigil sets itself; it is left out`,
      `13:16 VIG6004 alert "PaymentsFailing" is not imported: an alert of that name with severity critical comes first (line 6); a spec has one rule per alert and severity`,
      `16:21 VIG6003 alert "PaymentsFailing": severity "page" is not critical, warning or info; imported as critical`,
      `19:16 VIG6003 alert "PaymentsSlow": no severity label; imported as warning`,
      `21:9 VIG6003 alert "PaymentsSlow": keep_firing_for is not part of a spec; it is left out`,
      `27:11 VIG6003 recording rule "job:payments:rate5m": label service="payments" is one Vigil sets itself; it is left out`,
    ]);
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
    // The histogram is declared as one, and selected through its typed bucket selector.
    expect(text).toContain('const paymentDurationSeconds = histogram("payment_duration_seconds")');
    expect(text).toContain("${paymentDurationSeconds.bucket()}");
  });

  test("a label that looks like a credential is left out, with VIG6006, and never written", { timeout: 60_000 }, async () => {
    const file = join(REPO, "test/fixtures/sloth/_gen/getting-started.yml");
    const { diagnostics, text } = await importAndCompile(file);
    const secrets = diagnostics.filter((d) => d.code === "VIG6006");
    expect(secrets.map((d) => `${d.location!.line}:${d.location!.column}`)).toEqual(["221:7"]);
    expect(readFileSync(file, "utf8").split("\n")[220]).toContain("routing_key: myteam");
    expect(text).not.toContain("routing_key");
  });

  test("the same input gives the same bytes; signals carry the labels the rules use", { timeout: 60_000 }, async () => {
    const file = join(FIXTURES, "node-style.rules.yml");
    const a = await importSpec("prometheus", [file], { cwd: REPO });
    const b = await importSpec("prometheus", [file], { cwd: REPO });
    expect(a.text).toBe(b.text);
    // `without (cpu)` and `mode` matchers: both are labels of the counter; the device label the
    // annotations read is declared on the filesystem gauges.
    expect(a.text).toContain('counter("node_cpu_seconds_total", { labels: ["cpu", "mode"] })');
    expect(a.text).toMatch(/gauge\("node_filesystem_avail_bytes", \{ labels: \["device", "fstype", "mountpoint"\] \}\)/);
    // The comment above the rule is carried over.
    expect(a.text).toContain("// Disk space runs out within a day at the current rate.");
  });
});

describe("vigil import (CLI)", () => {
  test("writes --out whole, refuses to overwrite it, reads a directory; exit codes 0, 1, 2", { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(work, "cli-"));
    const out = join(dir, "monitoring.ts");
    const ok = runCli(["import", "prometheus", join(FIXTURES, "dir"), "--out", out]);
    expect(ok.status, ok.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain('name: "QueueBacklogGrowing"');
    expect(text).toContain('name: "WorkersAllDown"');
    // Both alerts carry team payments: it is the service's team.
    expect(text).toContain('team: "payments"');
    const again = runCli(["import", "prometheus", join(FIXTURES, "dir"), "--out", out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("VIG6005");
    expect(readFileSync(out, "utf8")).toBe(text);

    const missing = runCli(["import", "prometheus", join(dir, "nope.yml")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yml:1:1 - error VIG6001/);
    expect(missing.stdout).toBe("");

    const bad = join(dir, "bad.yml");
    writeFileSync(bad, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x)) > 1\n");
    const invalid = runCli(["import", "prometheus", bad, "--out", join(dir, "never.ts")]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/bad\.yml:5:24 - error VIG3002/);
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "never.ts"))).toBe(false);

    const notRules = join(dir, "spec.yaml");
    writeFileSync(notRules, "service:\n  name: x\n");
    const wrong = runCli(["import", "prometheus", notRules]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/spec\.yaml:1:1 - error VIG6002/);

    expect(runCli(["import"]).status).toBe(2);
    expect(runCli(["import", "nagios", bad]).status).toBe(2);
    expect(runCli(["import", "prometheus"]).status).toBe(2);
    expect(runCli(["import", "--help"]).stdout).toContain("Usage: vigil import KIND FILES...");
  });
});
