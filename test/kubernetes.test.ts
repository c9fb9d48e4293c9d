/**
 * The kubernetes and ruler targets, on two specs compiled together (test/fixtures/kubernetes:
 * orders in namespace shop, billing in finance with one alert routed to team shop, every kind of
 * secret): every resource passes its published model, the PrometheusRules hold exactly the rule
 * files' groups, alerts reach the same receivers through the operator's merge of the
 * AlertmanagerConfigs as through alertmanager.yml (real amtool), no secret is a literal, and the
 * ruler namespaces are what promtool and mimirtool read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { runRoutingCases } from "../src/alertmanager/amtool.js";
import type { RoutingCase } from "../src/alertmanager/cases.js";
import { compile } from "../src/compile.js";
import type { OutputFile } from "../src/emit/types.js";
import { renderYaml } from "../src/util/yaml.js";
import { REPO, runTool } from "./helpers.js";
import { PROBES_JOB } from "../src/probes/emit.js";
import { freePort, HOST, Lab, until } from "./servers.js";
import { operatorAlertmanagerConfig } from "./kubernetes/operator.js";
import { resourceProblems } from "./kubernetes/resources.js";

type Obj = Record<string, unknown>;
interface Group {
  name: string;
  rules: Obj[];
}

const SPECS = ["orders.ts", "billing.ts"].map((f) => join(REPO, "test/fixtures/kubernetes", f));
const NAMESPACE: Record<string, string> = { orders: "shop", billing: "finance" };
const lab = new Lab();
let files: OutputFile[] = [];
let dir = "";
const file = (path: string) => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} not written`);
  return f.content;
};
const resources = () =>
  files
    .filter((f) => f.path.startsWith("kubernetes/") && f.path !== "kubernetes/kustomization.yaml")
    .map((f) => {
      const docs = parseAllDocuments(f.content);
      expect(docs, f.path).toHaveLength(1);
      return { path: f.path, resource: docs[0]!.toJS() as Obj };
    });
const ofKind = (kind: string) => resources().filter((r) => r.resource.kind === kind);

beforeAll(async () => {
  const result = await compile(SPECS);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  files = result.files;
  dir = mkdtempSync(join(tmpdir(), "vigil-k8s-"));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}, 120_000);
afterAll(async () => {
  await lab.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("kubernetes target", () => {
  test("every resource passes its published model (prometheus-operator, kubernetes-models, grafana-operator's CRD)", () => {
    const all = resources();
    expect(new Set(all.map((r) => r.resource.kind))).toEqual(new Set(["PrometheusRule", "AlertmanagerConfig", "ScrapeConfig", "GrafanaDashboard", "ConfigMap", "Deployment", "Service", "ServiceMonitor"]));
    expect(all.flatMap((r) => resourceProblems(r.resource).map((p) => `${r.path}: ${p}`))).toEqual([]);
  });

  test("the checks refuse what the operators would: a bad matcher, a literal secret, a dashboard without a source or with an unknown key", () => {
    const amc = structuredClone(ofKind("AlertmanagerConfig")[0]!.resource) as { spec: { route: { matchers: Obj[] }; receivers: Obj[] } };
    amc.spec.route.matchers[0]!.matchType = "==";
    expect(resourceProblems(amc).join()).toMatch(/matchType must be equal to one of the allowed values/);
    const literal = structuredClone(ofKind("AlertmanagerConfig").find((r) => r.path.endsWith("shop.shop.yaml"))!.resource) as { spec: { receivers: { slackConfigs?: Obj[] }[] } };
    literal.spec.receivers.find((r) => r.slackConfigs)!.slackConfigs![0]!.apiURL = "https://hooks.slack.com/services/T000/B000/XXXX";
    expect(resourceProblems(literal).join()).toMatch(/apiURL must be object/);
    const dashboard = structuredClone(ofKind("GrafanaDashboard")[0]!.resource) as { spec: Obj };
    delete dashboard.spec.json;
    dashboard.spec.folderUID = "x";
    expect(resourceProblems(dashboard).join()).toMatch(/exactly one source.*folder with folderRef or folderUID/);
    const unknown = structuredClone(ofKind("GrafanaDashboard")[0]!.resource) as { spec: Obj };
    unknown.spec.jsonData = "{}";
    expect(resourceProblems(unknown).join()).toMatch(/must NOT have additional properties \(jsonData\)/);
  });

  test("kustomization.yaml lists every resource file once", () => {
    const k = parse(file("kubernetes/kustomization.yaml")) as { resources: string[] };
    expect(k.resources).toEqual(resources().map((r) => r.path.slice("kubernetes/".length)));
  });

  test("a PrometheusRule per service holds its rule files' groups, alerts labelled with its namespace, and promtool accepts them", () => {
    const rules = ofKind("PrometheusRule");
    expect(rules.map((r) => [r.resource.metadata, (r.resource.metadata as Obj).namespace]).map(([m]) => (m as Obj).name).sort()).toEqual(["billing", "orders"]);
    for (const { resource } of rules) {
      const meta = resource.metadata as { name: string; namespace: string };
      expect(meta.namespace).toBe(NAMESPACE[meta.name]);
      const fileGroups = files
        .filter((f) => f.path.startsWith(`prometheus/rules/${meta.name}.`))
        .sort((a, b) => (a.path === `prometheus/rules/${meta.name}.rules.yml` ? -1 : b.path === `prometheus/rules/${meta.name}.rules.yml` ? 1 : a.path < b.path ? -1 : 1))
        .flatMap((f) => (parse(f.content) as { groups: Group[] }).groups);
      const groups = (resource.spec as { groups: Group[] }).groups;
      expect(groups.map((g) => g.name).sort()).toEqual(fileGroups.map((g) => g.name).sort());
      for (const g of groups) {
        const expected = fileGroups.find((x) => x.name === g.name)!;
        expect(g.rules.length).toBe(expected.rules.length);
        g.rules.forEach((r, i) => {
          const want = expected.rules[i]!;
          if ("alert" in want) expect(r).toEqual({ ...want, labels: { ...(want.labels as Obj), namespace: meta.namespace } });
          else expect(r).toEqual(want);
        });
      }
      const path = join(dir, `${meta.name}.prometheusrule-groups.yml`);
      writeFileSync(path, renderYaml({ groups }));
      const check = runTool("promtool", ["check", "rules", path]);
      expect(check.status, check.output).toBe(0);
    }
  });

  test("through the operator's merge of the AlertmanagerConfigs, every alert reaches the receivers alertmanager.yml sends it to (amtool)", async () => {
    const configs = ofKind("AlertmanagerConfig").map((r) => r.resource);
    // A team gets a config in each namespace its alerts come from: shop in finance too.
    expect(configs.map((c) => `${(c.metadata as Obj).namespace}/${(c.metadata as Obj).name}`).sort()).toEqual(["finance/finance", "finance/shop", "shop/shop"]);
    const merged = join(dir, "operator-alertmanager.yml");
    writeFileSync(merged, renderYaml(operatorAlertmanagerConfig(configs)));
    const valid = runTool("amtool", ["check-config", merged]);
    expect(valid.status, valid.output).toBe(0);
    const planned = (parse(file("alertmanager/routing-tests.yml")) as { cases: RoutingCase[] }).cases;
    // Each alerting rule of the PrometheusRules, with the labels it fires with there.
    const cases: RoutingCase[] = ofKind("PrometheusRule").flatMap(({ resource }) =>
      (resource.spec as { groups: Group[] }).groups.flatMap((g) =>
        g.rules.flatMap((r) => {
          if (!("alert" in r)) return [];
          const labels: Record<string, string> = { ...(r.labels as Record<string, string>), alertname: r.alert as string };
          const { namespace, ...plain } = labels;
          const plan = planned.find((c) => JSON.stringify(Object.entries(c.labels).sort()) === JSON.stringify(Object.entries(plain).sort()));
          expect(plan, JSON.stringify(plain)).toBeDefined();
          const receivers = plan!.receivers.map((name) => {
            const [team, receiver] = name === "vigil/discard" ? [labels.team!, "discard"] : name.split("/");
            return `${namespace}/${team}/${receiver}`;
          });
          return [{ alert: r.alert as string, labels, receivers }];
        }),
      ),
    );
    expect(cases.length).toBeGreaterThan(5);
    expect(cases.some((c) => c.labels.namespace === "finance" && c.receivers.every((r) => r.startsWith("finance/shop/")))).toBe(true);
    const results = await runRoutingCases(merged, cases, { concurrency: 2 });
    expect(results.filter((r) => !r.ok).map((r) => `${r.case.alert} ${JSON.stringify(r.case.labels)}: expected ${r.case.receivers.join(",")}, got ${r.actual.join(",")} ${r.error ?? ""}`)).toEqual([]);
    // And an alert of the wrong namespace reaches none of them: the operator's namespace matcher holds.
    const foreign = await runRoutingCases(merged, [{ alert: "x", labels: { ...cases[0]!.labels, namespace: "elsewhere" }, receivers: ["null"] }]);
    expect(foreign[0]!.ok, foreign[0]!.actual.join()).toBe(true);
  });

  test("secrets are Secret key references of the team's Secret, never literals or file paths", () => {
    const shop = ofKind("AlertmanagerConfig").find((r) => r.path.endsWith("shop.shop.yaml"))!.resource as { spec: { receivers: Obj[] } };
    const refs: Obj[] = [];
    const walk = (v: unknown, key = ""): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
      if (["apiURL", "routingKey", "apiKey", "authPassword", "credentials", "urlSecret"].includes(key) && v && typeof v === "object" && !Array.isArray(v)) refs.push(v as Obj);
    };
    walk(shop.spec.receivers);
    expect(refs.sort((a, b) => String(a.key) < String(b.key) ? -1 : 1)).toEqual([
      { name: "vigil-shop-receivers", key: "SHOP_HOOK_TOKEN" },
      { name: "vigil-shop-receivers", key: "SHOP_SLACK_WEBHOOK" },
      { name: "vigil-shop-receivers", key: "SHOP_SLACK_WEBHOOK" },
      { name: "vigil-shop-receivers", key: "shop-pagerduty-key" },
    ].sort((a, b) => (a.key < b.key ? -1 : 1)));
    const text = files.filter((f) => f.path.startsWith("kubernetes/alertmanager-configs/")).map((f) => f.content).join("\n");
    expect(text).not.toMatch(/\/run\/secrets|_file:|File:/);
  });

  test("a ScrapeConfig per scrape job keeps the job label the rules select on", () => {
    const scrape = ofKind("ScrapeConfig").map((r) => r.resource.spec as Obj);
    expect(scrape).toEqual([{ jobName: "orders", metricsPath: "/metrics", scheme: "HTTP", staticConfigs: [{ targets: ["orders:8080"] }] }]);
  });

  test("every dashboard is a GrafanaDashboard and a sidecar ConfigMap with the same JSON as grafana/dashboards/", () => {
    const json = files.filter((f) => f.path.startsWith("grafana/dashboards/"));
    const operator = ofKind("GrafanaDashboard").map((r) => r.resource.spec as { uid: string; json: string });
    const sidecar = ofKind("ConfigMap").filter((r) => (r.resource.metadata as { labels: Obj }).labels.grafana_dashboard === "1");
    expect(operator).toHaveLength(json.length);
    expect(sidecar).toHaveLength(json.length);
    for (const f of json) {
      const uid = f.path.slice("grafana/dashboards/".length, -".json".length);
      expect(operator.find((d) => d.uid === uid)?.json).toBe(f.content);
      expect(sidecar.map((c) => (c.resource.data as Record<string, string>)[`${uid}.json`]).find(Boolean)).toBe(f.content);
    }
  });

  test("the probe runtime's Deployment runs from its ConfigMap (its own command, on 127.0.0.1), and its Service and ServiceMonitor select it", async () => {
    const one = (kind: string) => {
      const found = ofKind(kind).filter((r) => (r.resource.metadata as Obj).name === PROBES_JOB);
      expect(found, kind).toHaveLength(1);
      return found[0]!.resource as { metadata: { labels: Record<string, string> }; spec: Obj; data?: Record<string, string> };
    };
    const [configMap, deployment, service, monitor] = ["ConfigMap", "Deployment", "Service", "ServiceMonitor"].map(one) as [ReturnType<typeof one>, ReturnType<typeof one>, ReturnType<typeof one>, ReturnType<typeof one>];
    const template = deployment.spec.template as { metadata: { labels: Record<string, string> }; spec: { containers: { command: string[]; ports: { name: string; containerPort: number }[]; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string; configMap?: { name: string } }[] } };
    const container = template.spec.containers[0]!;
    // The wiring the operator and the Service follow: pod labels ⊇ Service selector, Service labels ⊇ ServiceMonitor selector, one port name throughout.
    expect(template.metadata.labels).toMatchObject(service.spec.selector as Obj);
    expect(service.metadata.labels).toMatchObject((monitor.spec.selector as { matchLabels: Obj }).matchLabels);
    const port = (service.spec.ports as { name: string; targetPort: string }[])[0]!;
    expect((monitor.spec.endpoints as { port: string }[])[0]!.port).toBe(port.name);
    expect(container.ports.map((p) => p.name)).toContain(port.targetPort);
    const mount = container.volumeMounts.find((m) => template.spec.volumes.find((v) => v.name === m.name)?.configMap?.name === PROBES_JOB)!.mountPath;
    // The ConfigMap holds probes.json as compiled and the runtime this package ships.
    expect(configMap.data!["probes.json"]).toBe(file("probes/probes.json"));
    expect(configMap.data!["vigil-probes.mjs"]).toBe(file("probes/vigil-probes.mjs"));
    // Run the container's command with the ConfigMap's files where the volume would be mounted.
    const mounted = join(dir, "probes-volume");
    mkdirSync(mounted);
    for (const [k, v] of Object.entries(configMap.data!)) writeFileSync(join(mounted, k), v);
    const listen = await freePort();
    const [bin, ...args] = container.command.map((a) => a.split(mount).join(mounted).replace(/^0\.0\.0\.0:\d+$/, `${HOST}:${listen}`));
    expect(bin).toBe("node");
    const probes = lab.start("probe runtime", process.execPath, args);
    const base = `http://${HOST}:${listen}`;
    await until("the probe runtime to serve its check's metrics", [probes], async () => {
      const healthy = (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
      const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
      return healthy && metrics.includes('check="ledger-health"');
    }, undefined, 30_000);
    await lab.cleanup();
  });
});

describe("ruler target", () => {
  test("one namespace a service: its file name, promtool accepts it, groups unique and exactly the rule files'", () => {
    const ruler = files.filter((f) => f.path.startsWith("ruler/"));
    expect(ruler.map((f) => f.path)).toEqual(["ruler/billing.yml", "ruler/orders.yml"]);
    for (const f of ruler) {
      const service = f.path.slice("ruler/".length, -".yml".length);
      const doc = parse(f.content) as { namespace?: string; groups: Group[] };
      // mimirtool takes the namespace from the file name when the file gives none.
      expect(Object.keys(doc)).toEqual(["groups"]);
      const names = doc.groups.map((g) => g.name);
      expect(new Set(names).size).toBe(names.length);
      const fileGroups = files.filter((x) => x.path.startsWith(`prometheus/rules/${service}.`)).flatMap((x) => (parse(x.content) as { groups: Group[] }).groups);
      expect([...doc.groups].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([...fileGroups].sort((a, b) => (a.name < b.name ? -1 : 1)));
    }
    const check = runTool("promtool", ["check", "rules", ...ruler.map((f) => join(dir, f.path))]);
    expect(check.status, check.output).toBe(0);
    const vm = runTool("vmalert", ["-dryRun", "-loggerLevel=WARN", ...ruler.map((f) => `-rule=${join(dir, f.path)}`)]);
    expect(vm.status, vm.output).toBe(0);
  });
});
