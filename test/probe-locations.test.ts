/**
 * Multi-location checks in the compiler (`probes.locations`, `locations`, `alert.failingLocations`,
 * `service.probeDefaults`):
 * - VIG2069/VIG2070/VIG2071 at the offending value: bad or clashing locations, unknown location
 *   names, a quorum below 1 or above the probe's locations;
 * - test/fixtures/probe-locations/web.yaml compiles to a scrape target per location, a probes.json
 *   that lists each probe's locations, failing alerts that count failing locations against the
 *   quorum, per-location no-data alerts and a per-location dashboard panel;
 * - the generated promtool tests pass, and fail when the rule's quorum K, its failed-runs
 *   threshold or one location's no-data clause is changed (the tests pin them);
 * - with the kubernetes target, one Deployment per location runs `--location <name>`, its pods
 *   behind the one Service the ServiceMonitor scrapes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { compile } from "../src/compile.js";
import { normalizeModel } from "../src/normalize/index.js";
import type { CheckSpec, MonitoringSpec, ProbeRunnerSettings, ServiceSpec } from "../src/spec/types.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO, runCli, runTool } from "./helpers.js";

const FIXTURE = join(REPO, "test/fixtures/probe-locations/web.yaml");
const LOCATIONS = [
  { name: "eu-west", address: "probes-eu-west:9464" },
  { name: "us-east", address: "probes-us-east:9464" },
  { name: "ap-south", address: "probes-ap-south:9464" },
];

function spec(probes: ProbeRunnerSettings | undefined, checks: CheckSpec[], service: Partial<ServiceSpec> = {}, name = "shop"): MonitoringSpec {
  return {
    ...(probes ? { probes } : {}),
    service: { name, team: "shop", ...service },
    teams: [{ name: "shop", receivers: [{ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/hook" }] }],
    checks,
  };
}
const home = (over: Partial<CheckSpec> = {}): CheckSpec => ({ name: "home", request: { url: "https://shop.example.com/" }, ...over });

describe("diagnostics", () => {
  const codes = (code: string, specs: MonitoringSpec[]) => normalizeModel(specs).diagnostics.filter((d) => d.code === code).map((d) => `${d.at?.spec}:${d.at?.path.join(".")}: ${d.message}`);

  test("VIG2069: a bad or repeated name or address, with shards or address, specs that disagree or leave locations out", () => {
    expect(
      codes("VIG2069", [
        spec({ locations: [{ name: "EU", address: "p:1" }, { name: "us", address: "p" }, { name: "us", address: "p:1" }], shards: ["p:1"], address: "p:1" }, [home()]),
      ]),
    ).toEqual([
      '0:probes.locations.0.name: invalid location name "EU"',
      '0:probes.locations.1.address: location address "p" is not host:port',
      '0:probes.locations.2.name: location "us" is declared twice',
      '0:probes.locations.2.address: location address "p:1" is given twice',
      "0:probes.shards: probes.shards is set with probes.locations",
      "0:probes.address: probes.address is set with probes.locations",
    ]);
    expect(codes("VIG2069", [spec({ locations: LOCATIONS }, [home()]), spec({ locations: LOCATIONS.slice(1) }, [home()], {}, "cart")])).toEqual([
      "1:probes.locations: probes.locations differs from the one another spec sets",
    ]);
    expect(codes("VIG2069", [spec({ locations: LOCATIONS }, [home()]), spec(undefined, [home()], {}, "cart")])).toEqual([
      "1:checks: this spec's checks run in the probe locations of another spec but it does not set probes.locations",
    ]);
    expect(codes("VIG2069", [spec({ locations: LOCATIONS }, [home()])])).toEqual([]);
  });

  test("VIG2070: an unknown or repeated location, an empty list, locations without probes.locations", () => {
    expect(codes("VIG2070", [spec({ locations: LOCATIONS }, [home({ locations: ["eu-west", "us-eats", "eu-west"] }), home({ name: "api", locations: [] })], { probeDefaults: { locations: ["mars"] } })])).toEqual([
      '0:service.probeDefaults.locations.0: unknown location "mars"',
      '0:checks.0.locations.1: unknown location "us-eats"',
      '0:checks.0.locations.2: location "eu-west" is listed twice',
      "0:checks.1.locations: no location listed",
    ]);
    expect(codes("VIG2070", [spec(undefined, [home({ locations: ["eu-west"] })])])).toEqual(["0:checks.0.locations: locations are given but probes.locations declares none"]);
  });

  test("VIG2071: a quorum below 1, above the probe's locations, or without locations", () => {
    expect(
      codes("VIG2071", [
        spec({ locations: LOCATIONS }, [home({ alert: { failingLocations: 0 } }), home({ name: "api", locations: ["eu-west", "us-east"], alert: { failingLocations: 3 } }), home({ name: "cart", locations: ["eu-west"] })], {
          probeDefaults: { failingLocations: 2 },
        }),
      ]),
    ).toEqual([
      "0:checks.0.alert.failingLocations: failingLocations 0 is below 1",
      '0:checks.1.alert.failingLocations: failingLocations 3 is more than the 2 locations check "api" runs in',
      // The service's default of 2 fits its 3 locations, not cart's one.
      '0:checks.2.locations: service.probeDefaults.failingLocations 2 is more than the 1 location check "cart" runs in',
    ]);
    expect(codes("VIG2071", [spec({ locations: LOCATIONS }, [home()], { probeDefaults: { failingLocations: 4 } })])).toEqual([
      "0:service.probeDefaults.failingLocations: failingLocations 4 is more than the 3 locations the service's checks and journeys run in",
    ]);
    expect(codes("VIG2071", [spec(undefined, [home({ alert: { failingLocations: 1 } })])])).toEqual(["0:checks.0.alert.failingLocations: failingLocations is set but probes.locations declares no locations"]);
  });
});

test("service.probeDefaults: a probe without its own locations or quorum takes the service's, one with its own keeps them", () => {
  const { model, diagnostics } = normalizeModel([
    spec({ locations: LOCATIONS }, [home(), home({ name: "api", locations: ["ap-south"], alert: { failingLocations: 1 } })], { probeDefaults: { locations: ["eu-west", "us-east"], failingLocations: 2 } }),
  ]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const service = model.services[0]!;
  expect(service.probes!.checks.map((c) => [c.name, c.locations])).toEqual([
    ["home", ["eu-west", "us-east"]],
    ["api", ["ap-south"]],
  ]);
  const quorum = (name: string) => service.alerts.find((a) => a.name === name)!;
  expect(quorum("HomeCheckFailing").comparison).toEqual({ op: ">=", threshold: 2 });
  expect(quorum("HomeCheckFailing").locations).toMatchObject({ kind: "failing", names: ["eu-west", "us-east"], quorum: 2, runs: 2 });
  expect(quorum("ApiCheckFailing").comparison).toEqual({ op: ">=", threshold: 1 });
  expect(quorum("ApiCheckNoData").source.text).toBe('absent(probe_success{check="api", service="shop", location="ap-south"})');
  // Without probes.locations nothing changes: the plain failing alert, no no-data alert, no location label.
  const plain = normalizeModel([spec(undefined, [home()])]).model.services[0]!;
  expect(plain.alerts.map((a) => `${a.name}: ${a.source.text}`)).toEqual(['HomeCheckFailing: vigil_probe_consecutive_failures{check="home", service="shop"}', 'HomeCertificateExpiring: (min by (check) (probe_ssl_earliest_cert_expiry{check="home", service="shop"}) - time()) / 86400']);
  expect(plain.probes!.checks[0]!.locations).toBeUndefined();
  expect(plain.signals.find((s) => s.name === "probe_success")!.labels).not.toContain("location");
  expect(service.signals.find((s) => s.name === "probe_success")!.labels).toContain("location");
});

describe("test/fixtures/probe-locations/web.yaml", () => {
  let work = "";
  let out = "";
  let files = new Map<string, string>();
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vigil-locations-"));
    out = join(work, "out");
    const result = await compile([FIXTURE], { typecheck: false, lint: false });
    expect(result.diagnostics.filter((d) => d.severity === "error" || d.code === "VIG4001").map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(writeOutput(out, result.files)).toEqual([]);
    files = new Map(result.files.map((f) => [f.path, f.content]));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("a scrape target per location; probes.json lists each probe's locations", () => {
    const yml = files.get("prometheus/prometheus.yml")!;
    const job = yml.slice(yml.indexOf("job_name: vigil-probes"));
    expect(job.match(/- probes-[a-z-]+:9464/g)).toEqual(LOCATIONS.map((l) => `- ${l.address}`));
    const config = JSON.parse(files.get("probes/probes.json")!) as { locations: string[]; checks: { name: string; locations: string[] }[]; journeys: { name: string; locations: string[] }[] };
    expect(config.locations).toEqual(LOCATIONS.map((l) => l.name));
    // home and login take every location (no default list), api its own two.
    expect(Object.fromEntries([...config.checks, ...config.journeys].map((p) => [p.name, p.locations]))).toEqual({ home: ["eu-west", "us-east", "ap-south"], api: ["eu-west", "us-east"], login: ["eu-west", "us-east", "ap-south"] });
  });

  test("failing alerts count failing locations against the quorum; no-data alerts per location; a per-location panel", () => {
    const rules = files.get("prometheus/rules/web.rules.yml")!;
    const expr = (alert: string) => new RegExp(`alert: ${alert}\\n\\s+expr: (.*)`).exec(rules)?.[1];
    // home: the service default quorum 2, failingRuns 2; api: its own quorum 1, failingRuns 3.
    expect(expr("HomeCheckFailing")).toBe('count by (check, service) (vigil_probe_consecutive_failures{check="home", service="web"} >= 2) >= 2');
    expect(expr("ApiCheckFailing")).toBe('count by (check, service) (vigil_probe_consecutive_failures{check="api", service="web"} >= 3) >= 1');
    expect(expr("LoginJourneyFailing")).toBe('count by (journey, service) (vigil_probe_consecutive_failures{journey="login", service="web"} >= 2) >= 2');
    expect(expr("ApiCheckNoData")).toBe('absent(probe_success{check="api", service="web", location="eu-west"}) or absent(probe_success{check="api", service="web", location="us-east"})');
    const dashboard = [...files.entries()].find(([p, c]) => p.startsWith("grafana/dashboards/") && c.includes('"Success by location"'))?.[1];
    expect(dashboard).toBeDefined();
    expect(dashboard).toContain('min by (check, journey, location) (probe_success{service=\\"web\\"})');
  });

  test("vigil probes run passes --location to the runtime: each location's share, an unknown one refused", () => {
    const apSouth = runCli(["probes", "run", out, "--location", "ap-south", "--check"], work);
    expect(apSouth.status, apSouth.stderr).toBe(0);
    // api runs in eu-west and us-east only.
    expect(apSouth.stderr).toContain("ok, 1 checks and 1 journeys in location ap-south");
    const usEast = runCli(["probes", "run", out, "--location=us-east", "--check"], work);
    expect(usEast.stderr).toContain("ok, 2 checks and 1 journeys in location us-east");
    const mars = runCli(["probes", "run", out, "--location", "mars", "--check"], work);
    expect(mars.status).toBe(2);
    expect(mars.stderr).toContain("--location mars: not one of the locations of this probes.json (eu-west, us-east, ap-south)");
  });

  test("the generated promtool tests pass, and fail when K, the failed runs or a location's no-data clause change in the rule", () => {
    const testFile = join(out, "prometheus/tests/web.test.yml");
    const tests = readFileSync(testFile, "utf8");
    expect(tests).toContain("HomeCheckFailing: failing 2 runs in a row in 1 of 3 locations (eu-west), the others 1: silent");
    expect(tests).toContain("HomeCheckFailing: failing 2 runs in a row in 2 of 3 locations (eu-west, us-east), the others 1: fires");
    const ok = runTool("promtool", ["test", "rules", testFile], REPO, 120_000);
    expect(ok.status, ok.output).toBe(0);

    const rulesPath = "prometheus/rules/web.rules.yml";
    const original = files.get(rulesPath)!;
    const mutations: [string, string, string][] = [
      ["HomeCheckFailing K 2 -> 1", 'check="home", service="web"} >= 2) >= 2', 'check="home", service="web"} >= 2) >= 1'],
      ["HomeCheckFailing K 2 -> 3", 'check="home", service="web"} >= 2) >= 2', 'check="home", service="web"} >= 2) >= 3'],
      ["HomeCheckFailing runs 2 -> 1", 'check="home", service="web"} >= 2) >= 2', 'check="home", service="web"} >= 1) >= 2'],
      ["HomeCheckFailing runs 2 -> 3", 'check="home", service="web"} >= 2) >= 2', 'check="home", service="web"} >= 3) >= 2'],
      ["ApiCheckFailing K 1 -> 2", 'check="api", service="web"} >= 3) >= 1', 'check="api", service="web"} >= 3) >= 2'],
      ["HomeCheckNoData without ap-south", ' or absent(probe_success{check="home", service="web", location="ap-south"})', ""],
    ];
    const failed: string[] = [];
    for (const [i, [what, from, to]] of mutations.entries()) {
      expect(original.split(from).length, what).toBe(2);
      const dir = join(work, `mutant-${i}`);
      cpSync(out, dir, { recursive: true });
      writeFileSync(join(dir, rulesPath), original.replace(from, to));
      const r = runTool("promtool", ["test", "rules", join(dir, "prometheus/tests/web.test.yml")], REPO, 120_000);
      const alert = what.split(" ")[0]!;
      if (r.status !== 0 && r.output.includes(alert)) failed.push(what);
    }
    expect(failed).toEqual(mutations.map((m) => m[0]));
  }, 240_000);
});

test("kubernetes: a Deployment per location, each running --location, every pod behind the one scraped Service", async () => {
  const located: MonitoringSpec = { ...spec({ locations: LOCATIONS }, [home()]), targets: ["files", "kubernetes"] };
  const dir = mkdtempSync(join(tmpdir(), "vigil-locations-k8s-"));
  writeFileSync(join(dir, "shop.json"), JSON.stringify(located));
  const result = await compile([join(dir, "shop.json")], { typecheck: false, lint: false });
  rmSync(dir, { recursive: true, force: true });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
  const docs = result.files.filter((f) => f.path.startsWith("kubernetes/probes/")).map((f) => parse(f.content) as Doc);
  const deployments = docs.filter((d) => d.kind === "Deployment");
  expect(deployments.map((d) => d.metadata.name).sort()).toEqual(LOCATIONS.map((l) => `vigil-probes-${l.name}`).sort());
  const service = docs.find((d) => d.kind === "Service")!;
  const selector = service.spec.selector as Record<string, string>;
  for (const d of deployments) {
    const template = (d.spec.template as { metadata: { labels: Record<string, string> }; spec: { containers: { command: string[] }[] } });
    const command = template.spec.containers[0]!.command;
    const location = command[command.indexOf("--location") + 1];
    expect(`vigil-probes-${location}`).toBe(d.metadata.name);
    expect(template.metadata.labels).toMatchObject({ ...selector, "vigil.dev/location": location });
    expect((d.spec.selector as { matchLabels: Record<string, string> }).matchLabels).toEqual(template.metadata.labels);
  }
});
