// A synthetic platform for the scale benchmark: N services × M SLOs each, K threshold ladders
// (critical/warning/info under one alert name), D dashboards and C HTTP checks per service, one
// `monitoring.ts` per service as a platform team would lay them out (`services/<name>/monitoring.ts`,
// compiled together). Nothing is random: the same sizes always write the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** @typedef {{ services: number, slos: number, ladders: number, dashboards: number, checks: number }} SyntheticSize */

/** The source of service `index` of a platform of `size`. */
export function syntheticServiceSpec(index, size) {
  const name = `svc-${String(index).padStart(4, "0")}`;
  const team = `team-${String(index % 7).padStart(2, "0")}`;
  const slos = [];
  for (let j = 0; j < size.slos; j++) {
    const route = `/api/r${j}`;
    // Objectives vary so that each SLO's thresholds (and its generated tests) differ.
    const objective = [99, 99.5, 99.9, 95][j % 4];
    slos.push(
      j % 2 === 0
        ? `    { name: "route-${j}-errors", objective: ${objective}, sli: { kind: "ratio", bad: requests.select({ route: "${route}", status: matches("5..") }), total: requests.select({ route: "${route}" }) } },`
        : `    { name: "route-${j}-latency", objective: ${objective}, sli: { kind: "latency", histogram: latency.select({ route: "${route}" }), threshold: ${[0.1, 0.25, 0.5, 1][j % 4]} } },`,
    );
  }
  const ladders = [];
  for (let k = 0; k < size.ladders; k++) {
    const q = [0.5, 0.9, 0.95, 0.99][k % 4];
    ladders.push(
      k % 2 === 0
        ? `    { name: "ErrorRatio${k}", expr: \`sum(rate(\${requests.select({ route: "/api/r${k}", status: matches("5..") })}[5m])) / sum(rate(\${requests.select({ route: "/api/r${k}" })}[5m]))\`, thresholds: { critical: ${0.05 + k / 1000}, warning: 0.01, info: 0.005 }, for: { critical: "2m", warning: "10m", info: "30m" }, summary: "Errors on /api/r${k}", description: "{{ $value | humanizePercentage }} of requests fail." },`
        : `    { name: "SlowRoute${k}", expr: \`histogram_quantile(${q}, sum by (le) (rate(\${latency.bucket({ route: "/api/r${k}" })}[5m])))\`, thresholds: { critical: ${2 + k / 100}, warning: 1, info: 0.5 }, for: "5m", summary: "Route /api/r${k} is slow", description: "p${q * 100} is {{ $value | humanizeDuration }}." },`,
    );
  }
  const dashboards = [];
  for (let d = 0; d < size.dashboards; d++) {
    dashboards.push(`    {
      name: "board-${d}",
      title: "${name} / Board ${d}",
      variables: [{ name: "instance", label: "Instance", query: \`label_values(up{job="${name}"}, instance)\`, multi: true, includeAll: true }],
      rows: [
        {
          title: "Traffic",
          panels: [
            { title: "Requests by route", type: "timeseries", queries: [{ expr: \`sum by (route) (rate(\${requests.select({ instance: matches("$instance") })}[$__rate_interval]))\`, legend: "{{route}}" }], unit: "reqps" },
            { title: "5xx ratio", type: "stat", queries: [{ expr: \`sum(rate(\${requests.select({ instance: matches("$instance"), status: matches("5..") })}[$__rate_interval])) / sum(rate(\${requests.select({ instance: matches("$instance") })}[$__rate_interval]))\`, legend: "5xx" }], unit: "percentunit", thresholds: [{ value: 0.01, color: "orange" }, { value: 0.05, color: "red" }] },
            { title: "p95 by route (${d})", type: "timeseries", queries: [{ expr: \`histogram_quantile(0.95, sum by (le, route) (rate(\${latency.bucket({ instance: matches("$instance") })}[$__rate_interval])))\`, legend: "{{route}}" }], unit: "s" },
            { title: "Memory", type: "gauge", queries: [{ expr: \`max(\${memory.select({ instance: matches("$instance") })})\`, legend: "memory" }], unit: "bytes" },
          ],
        },
      ],
    },`);
  }
  const checks = [];
  for (let c = 0; c < size.checks; c++) {
    checks.push(
      `    { name: "probe-${c}", interval: "30s", request: { url: "https://${name}.example/health/${c}", timeout: "5s" }, assertions: [assertStatus().equals(200), assertJson("$.status").equals("ok")]${c === 0 ? ", slo: { objective: 99.9 }" : ""} },`,
    );
  }
  return `// Synthetic service ${index} of ${size.services} (bench/synthetic.mjs).
import { assertJson, assertStatus, counter, defineMonitoring, env, gauge, histogram, matches } from "vigil-monitoring";

const requests = counter("http_requests_total", { help: "Requests, by route and status", labels: ["route", "status"] });
const latency = histogram("http_request_duration_seconds", { help: "Request latency, by route", unit: "seconds", labels: ["route"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5] });
const memory = gauge("process_resident_memory_bytes", { unit: "bytes" });

export default defineMonitoring({
  service: { name: "${name}", team: "${team}", runbookBaseUrl: "https://runbooks.example/${name}", scrape: { targets: ["${name}:8000"] } },
  teams: [{ name: "${team}", receivers: [{ name: "pager", kind: "pagerduty", routingKey: env("PAGERDUTY_${team.replace("-", "_").toUpperCase()}") }, { name: "slack", kind: "slack", channel: "#${team}", webhook: env("SLACK_${team.replace("-", "_").toUpperCase()}") }], escalation: { info: { receivers: ["slack"] } } }],
${index === 0 ? '  alertmanager: { catchAll: { team: "team-00", receiver: "slack" } },\n' : ""}  signals: [requests, latency, memory],
  slos: [
${slos.join("\n")}
  ],
  alerts: [
${ladders.join("\n")}
  ],
  checks: [
${checks.join("\n")}
  ],
  dashboards: [
${dashboards.join("\n")}
  ],
});
`;
}

/** Writes the platform under `dir` and returns its spec paths, in order. */
export function writeSyntheticPlatform(dir, size) {
  const paths = [];
  for (let i = 0; i < size.services; i++) {
    const specDir = join(dir, "services", `svc-${String(i).padStart(4, "0")}`);
    mkdirSync(specDir, { recursive: true });
    const path = join(specDir, "monitoring.ts");
    writeFileSync(path, syntheticServiceSpec(i, size));
    paths.push(path);
  }
  return paths;
}

/**
 * A platform of `totalSlos` SLOs (a multiple of 10): services of 9 SLI SLOs and the SLO of their
 * first check, 4 threshold ladders, 2 dashboards and 2 checks each.
 */
export function platformOf(totalSlos) {
  if (!(totalSlos >= 10 && totalSlos % 10 === 0)) throw new Error(`a synthetic platform has a multiple of 10 SLOs, not ${totalSlos}`);
  return { services: totalSlos / 10, slos: 9, ladders: 4, dashboards: 2, checks: 2 };
}

/** How many SLOs a platform of `size` has (each service's SLI SLOs, and its first check's). */
export function sloCount(size) {
  return size.services * (size.slos + (size.checks > 0 ? 1 : 0));
}
