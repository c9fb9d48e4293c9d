// Generates a Prometheus rule file with N rules of realistic, varied PromQL (deterministic).
// Used by bench/run.mjs to compare `vigil promql check-rules` with `promtool check rules`.
import { writeFileSync } from "node:fs";

const TEMPLATES = [
  (m, i) => `sum by (job, instance) (rate(${m}_requests_total{code=~"5..", env="prod${i % 7}"}[5m]))`,
  (m, i) => `histogram_quantile(0.9${i % 9}, sum by (le, route) (rate(${m}_duration_seconds_bucket[${1 + (i % 10)}m])))`,
  (m) => `sum(rate(${m}_errors_total[5m])) / sum(rate(${m}_requests_total[5m])) > 0.01`,
  (m, i) => `${m}_memory_bytes / on (instance) group_left (node) ${m}_memory_limit_bytes{cluster="c${i % 3}"} * 100 > 90`,
  (m) => `label_replace(avg_over_time(${m}_up[1h]), "service", "$1", "job", "(.*)-svc")`,
  (m, i) => `max_over_time(rate(${m}_cpu_seconds_total{mode!="idle"}[5m])[1h:${1 + (i % 5)}m] offset 1d)`,
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

// `node bench/promql-rules.mjs N FILE` writes the file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, file] = process.argv.slice(2);
  writeFileSync(file, generateRules(Number(n)));
}
