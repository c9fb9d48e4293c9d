// Generates a Prometheus rule file with N rules of realistic, varied PromQL (deterministic),
// and checks a rule file's expressions with Vigil's front end. Used by bench/run.mjs.
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const TEMPLATES = [
  (m, i) => `sum by (job, instance) (rate(${m}_requests_total{code=~"5..", env="prod${i % 7}"}[5m]))`,
  (m, i) => `histogram_quantile(0.9${i % 9}, sum by (le, route) (rate(${m}_duration_seconds_bucket[${1 + (i % 10)}m])))`,
  (m) => `sum(rate(${m}_errors_total[5m])) / sum(rate(${m}_requests_total[5m])) > 0.01`,
  (m, i) => `${m}_memory_bytes / on (instance) group_left (node) ${m}_memory_limit_bytes{cluster="c${i % 3}"} * 100 > 90`,
  (m) => `label_replace(avg_over_time(${m}_up[1h]), "service", "$1", "job", "(.*)-svc")`,
  (m, i) => `max_over_time(rate(${m}_cpu_seconds_total{mode!="idle"}[5m])[1h:${1 + (i % 5)}m]) offset 1d`,
  (m) => `absent(${m}_heartbeat{job="batch"}) or vector(0)`,
  (m, i) => `topk(${1 + (i % 10)}, sum without (pod) (increase(${m}_bytes_total[1h]))) and on (job) ${m}_enabled == 1`,
  (m) => `predict_linear(${m}_disk_free_bytes[6h], 4 * 3600) < 0 unless ${m}_disk_readonly == bool 1`,
  (m, i) => `clamp_min(1 - (sum by (job) (rate(${m}_ok_total[30m])) / sum by (job) (rate(${m}_total[30m]))), 0) * ${i % 100}`,
];

export function generateRules(n) {
  let out = "groups:\n";
  const perGroup = 100;
  for (let g = 0; g < Math.ceil(n / perGroup); g++) {
    out += `  - name: bench-${g}\n    rules:\n`;
    for (let k = 0; k < perGroup && g * perGroup + k < n; k++) {
      const i = g * perGroup + k;
      const expr = TEMPLATES[i % TEMPLATES.length](`svc${i % 97}`, i);
      out += `      - record: bench:rule:n${i}\n        expr: ${JSON.stringify(expr)}\n`;
    }
  }
  return out;
}

/** Parses and type-checks every expression of a rule file; returns the number checked. */
export async function checkRuleFile(path, analyze) {
  const doc = parse(readFileSync(path, "utf8"));
  let n = 0;
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      const r = analyze(rule.expr);
      if (!r.ok) throw new Error(`${rule.record ?? rule.alert}: ${r.errors[0].message}`);
      n++;
    }
  }
  return n;
}

// `node bench/promql-rules.mjs generate N FILE` / `node bench/promql-rules.mjs check FILE`
if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, a, b] = process.argv.slice(2);
  if (cmd === "generate") writeFileSync(b, generateRules(Number(a)));
  else if (cmd === "check") {
    const { analyzePromQL } = await import("../dist/promql/frontend.js");
    const n = await checkRuleFile(a, (e) => analyzePromQL(e));
    process.stdout.write(`${n} rules\n`);
  }
}
