/**
 * HA settings (`prometheus.replicas`, `alertmanager.peers`) through normalize and emit: what the
 * generated files hold, that promtool and amtool accept them, that `vigil test` checks every
 * replica's config, that a spec without them compiles to what it did (no replica files, no peer
 * files, one prometheus.yml sending to `alertmanager.address`), and each VIG2065–VIG2067 case
 * with its path; probe shards (every shard scraped, a no-data alert per check, VIG2068). The running
 * behaviour is test/e2e-ha.test.ts and test/e2e-probe-shards.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { checksFor } from "../src/cli/test-checks.js";
import { emitAll } from "../src/emit/index.js";
import { normalizeModel } from "../src/normalize/index.js";
import type { MonitoringSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { runTool } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const peers = [
  { address: "am-1:9093", cluster: "am-1:9094" },
  { address: "am-2:9093", cluster: "am-2:9094" },
  { address: "am-3:9093", cluster: "am-3:9094" },
];

function spec(extra: Partial<MonitoringSpec> = {}, name = "shop"): MonitoringSpec {
  return {
    service: { name, team: "shop", scrape: { targets: [`${name}:8080`] } },
    teams: [{ name: "shop", receivers: [{ name: "hook", kind: "webhook", url: "http://hooks:8080/shop" }] }],
    signals: [{ name: "shop_errors_total", type: "counter", labels: ["component"] }],
    alerts: [{ name: "ShopErrors", expr: "sum by (component) (rate(shop_errors_total[5m]))", threshold: 1, severity: "warning", summary: "s", description: "d" }],
    ...extra,
  };
}

function files(specs: MonitoringSpec[]): Map<string, string> {
  const { model, diagnostics } = normalizeModel(specs);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map(emitAll(model).files.map((f) => [f.path, f.content]));
}

function problems(specs: MonitoringSpec[]): string[] {
  return normalizeModel(specs)
    .diagnostics.filter((d) => /^VIG206[5-7]$/.test(d.code))
    .map((d) => `${d.code} ${d.at?.spec}:${d.at?.path.join(".")}: ${d.message}`);
}

interface PromConfig {
  global: Record<string, unknown>;
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[]; alert_relabel_configs?: unknown[] };
  scrape_configs: unknown[];
  rule_files: string[];
}

describe("with two replicas and three peers", () => {
  const out = files([spec({ prometheus: { replicas: 2 }, alertmanager: { peers } })]);

  test("each replica has its own config, alike but for its external label, which its alerts lose", () => {
    expect([...out.keys()].filter((p) => p.startsWith("prometheus/prometheus"))).toEqual(["prometheus/prometheus-1.yml", "prometheus/prometheus-2.yml"]);
    const [one, two] = [1, 2].map((k) => parse(out.get(`prometheus/prometheus-${k}.yml`)!) as PromConfig);
    expect(one!.global.external_labels).toEqual({ replica: "1" });
    expect(two!.global.external_labels).toEqual({ replica: "2" });
    expect(one!.alerting.alert_relabel_configs).toEqual([{ action: "labeldrop", regex: "replica" }]);
    // Every replica sends to every peer.
    expect(one!.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: peers.map((p) => p.address) }] }]);
    const { global: g1, ...rest1 } = one!;
    const { global: g2, ...rest2 } = two!;
    expect(rest1).toEqual(rest2);
    expect({ ...g1, external_labels: undefined }).toEqual({ ...g2, external_labels: undefined });
  });

  test("each peer listens on its own addresses and joins the two others", () => {
    expect(out.get("alertmanager/peer-1.args")).toBe("--web.listen-address=am-1:9093\n--cluster.listen-address=am-1:9094\n--cluster.peer=am-2:9094\n--cluster.peer=am-3:9094\n");
    expect(out.get("alertmanager/peer-3.args")).toBe("--web.listen-address=am-3:9093\n--cluster.listen-address=am-3:9094\n--cluster.peer=am-1:9094\n--cluster.peer=am-2:9094\n");
    expect(out.has("alertmanager/peer-4.args")).toBe(false);
  });

  test("promtool accepts both replicas' configs, amtool the Alertmanager config, and `vigil test` checks both replicas", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-ha-config-"));
    dirs.push(dir);
    expect(writeOutput(dir, [...out].map(([path, content]) => ({ path, content })))).toEqual([]);
    for (const k of [1, 2]) {
      const r = runTool("promtool", ["check", "config", `prometheus/prometheus-${k}.yml`], dir);
      expect(r.output, r.output).toContain("SUCCESS");
      expect(r.status).toBe(0);
    }
    expect(runTool("amtool", ["check-config", "alertmanager/alertmanager.yml"], dir).status).toBe(0);
    expect(checksFor(dir).map((c) => c.name).filter((n) => n.includes("check config"))).toEqual([
      "promtool check config prometheus/prometheus-1.yml",
      "promtool check config prometheus/prometheus-2.yml",
    ]);
  });

  test("the generated output is the same bytes on every compile", () => {
    expect(files([spec({ prometheus: { replicas: 2 }, alertmanager: { peers } })])).toEqual(out);
  });
});

describe("defaults", () => {
  test("without replicas or peers: one prometheus.yml to alertmanager.address, no external labels, no peer files", () => {
    const out = files([spec({ alertmanager: { address: "am:9093" } })]);
    const config = parse(out.get("prometheus/prometheus.yml")!) as PromConfig;
    expect(config.global.external_labels).toBeUndefined();
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ["am:9093"] }] }] });
    expect([...out.keys()].filter((p) => /prometheus-\d|peer-\d/.test(p))).toEqual([]);
    // replicas: 1 is the default spelled out.
    expect(files([spec({ prometheus: { replicas: 1 }, alertmanager: { address: "am:9093" } })])).toEqual(out);
  });

  test("peers without replicas: one prometheus.yml sending to every peer; a replica label of one's own", () => {
    const out = files([spec({ alertmanager: { peers, address: "am-2:9093" } })]);
    expect((parse(out.get("prometheus/prometheus.yml")!) as PromConfig).alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(peers.map((p) => p.address));
    const custom = files([spec({ prometheus: { replicas: 3, replicaLabel: "prometheus_replica" } })]);
    const third = parse(custom.get("prometheus/prometheus-3.yml")!) as PromConfig;
    expect(third.global.external_labels).toEqual({ prometheus_replica: "3" });
    expect(third.alerting.alert_relabel_configs).toEqual([{ action: "labeldrop", regex: "prometheus_replica" }]);
  });
});

describe("diagnostics", () => {
  test("VIG2065: a replica label that is no label name; specs compiled together that disagree", () => {
    expect(problems([spec({ prometheus: { replicas: 2, replicaLabel: "__replica" } })])).toEqual(['VIG2065 0:prometheus.replicaLabel: prometheus.replicaLabel "__replica" is not a label name']);
    expect(problems([spec({ prometheus: { replicas: 2 } }), spec({ prometheus: { replicas: 3 } }, "cart")])).toEqual(["VIG2065 1:prometheus.replicas: prometheus.replicas differs from the one of spec 1 (2)"]);
    expect(problems([spec({ prometheus: { replicas: 2 } }), spec({ prometheus: { replicaLabel: "r" } }, "cart")])).toEqual([
      "VIG2065 1:prometheus: prometheus.replicas differs from the one of spec 1 (2)",
      "VIG2065 1:prometheus.replicaLabel: prometheus.replicaLabel differs from the one of spec 1 (replica)",
    ]);
  });

  test("VIG2066: every place the replica label would be needed after it is dropped", () => {
    const s = spec({
      prometheus: { replicas: 2 },
      signals: [{ name: "shop_errors_total", type: "counter", labels: ["component", "replica"] }],
      alerts: [{ name: "ShopErrors", expr: "sum by (component) (rate(shop_errors_total[5m]))", threshold: 1, severity: "warning", summary: "s", description: "d", labels: { replica: "x" } }],
      inhibitions: [{ source: "ShopErrors", targets: ["ShopErrors"], equal: ["component", "replica"] }],
    });
    s.service.labels = { replica: "a" };
    s.teams![0]!.escalation = { warning: { receivers: ["hook"], groupBy: ["alertname", "replica"] } };
    expect(problems([s]).map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
      "VIG2066 0:service.labels.replica",
      "VIG2066 0:alerts.0.labels.replica",
      "VIG2066 0:signals.0.labels.1",
      "VIG2066 0:inhibitions.0.equal.1",
      "VIG2066 0:teams.0.escalation.warning.groupBy.1",
    ]);
    // Without replicas the label is a label like any other.
    expect(problems([{ ...s, prometheus: {} }])).toEqual([]);
  });

  test("VIG2067: peers that are not host:port, share an address, or leave out alertmanager.address", () => {
    expect(problems([spec({ alertmanager: { peers: [{ address: "http://am-1:9093", cluster: "am-1:9094" }] } })])).toEqual(['VIG2067 0:alertmanager.peers.0.address: peer address "http://am-1:9093" is not host:port']);
    expect(problems([spec({ alertmanager: { peers: [peers[0]!, { address: "am-2:9093", cluster: "am-1:9094" }] } })])).toEqual(['VIG2067 0:alertmanager.peers.1.cluster: peer cluster "am-1:9094" is also peers.0.cluster']);
    expect(problems([spec({ alertmanager: { peers, address: "am:9093" } })])).toEqual(['VIG2067 0:alertmanager.address: alertmanager.address "am:9093" is none of alertmanager.peers\' addresses']);
  });
});

describe("probe shards", () => {
  const withCheck = (probes: MonitoringSpec["probes"], name = "shop") =>
    spec({ ...(probes ? { probes } : {}), checks: [{ name: "home", request: { url: "http://shop:8080/" }, interval: "30s" }] }, name);
  const probeJob = (out: Map<string, string>) => (parse(out.get("prometheus/prometheus.yml")!) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }).scrape_configs.find((j) => j.job_name === "vigil-probes")!;
  const noData = (out: Map<string, string>) => [...out.values()].join("\n").match(/alert: HomeCheckNoData\n\s+expr: .*/g) ?? [];

  test("Prometheus scrapes every shard; each check gets a no-data alert; without shards neither changes", () => {
    const sharded = files([withCheck({ shards: ["probes-1:9464", "probes-2:9464"] })]);
    expect(probeJob(sharded).static_configs).toEqual([{ targets: ["probes-1:9464", "probes-2:9464"] }]);
    expect(noData(sharded)).toEqual(['alert: HomeCheckNoData\n        expr: absent(probe_success{check="home", service="shop"})']);
    const plain = files([withCheck(undefined)]);
    expect(probeJob(plain).static_configs).toEqual([{ targets: ["localhost:9464"] }]);
    expect(noData(plain)).toEqual([]);
  });

  test("VIG2068: a shard that is not host:port or listed twice, an address none of them, specs that disagree or leave shards out", () => {
    const codes = (specs: MonitoringSpec[]) => normalizeModel(specs).diagnostics.filter((d) => d.code === "VIG2068").map((d) => `${d.at?.spec}:${d.at?.path.join(".")}: ${d.message}`);
    expect(codes([withCheck({ shards: ["probes-1", "p:1", "p:1"], address: "p:2" })])).toEqual([
      '0:probes.shards.0: probe shard "probes-1" is not host:port',
      '0:probes.shards.2: probe shard "p:1" is listed twice',
      '0:probes.address: probes.address "p:2" is none of probes.shards',
    ]);
    expect(codes([withCheck({ shards: ["p:1", "p:2"] }), withCheck({ shards: ["p:1"] }, "cart")])).toEqual(["1:probes.shards: probes.shards differs from the one another spec sets"]);
    expect(codes([withCheck({ shards: ["p:1"] }), withCheck(undefined, "cart")])).toEqual([
      "1:checks: this spec's checks run on sharded probe runtimes (probes.shards of another spec) but it does not set probes.shards",
    ]);
  });
});
