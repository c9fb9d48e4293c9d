/**
 * Event alerts (`events`) and Prometheus storage flags (`prometheus.storage`): what they
 * compile to, their located diagnostics, and — with the real promtool — that the generated
 * tests pass on the generated rules and fail on rules that are off by a little.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { counter, defineMonitoring, gauge, matches, type MonitoringSpec } from "../api/index.js";
import { checkModel } from "../check/index.js";
import { emitAll } from "../emit/index.js";
import { inFireWindow, weeklyWindows } from "./events.js";
import { NormalizeContext } from "./context.js";
import { normalizeModel, normalizeService } from "./index.js";

const buildInfo = gauge("app_build_info", { labels: ["version", "revision"] });
const reloaded = gauge("app_config_last_reload_success_timestamp_seconds", { unit: "seconds" });
const requests = counter("http_requests_total", { labels: ["code"] });

function spec(extra: Partial<MonitoringSpec> = {}): MonitoringSpec {
  return defineMonitoring({
    service: { name: "shop", team: "web", environment: "production", scrape: { targets: ["shop:8080"] } },
    teams: [{ name: "web", receivers: [{ name: "mail", kind: "email", to: ["web@example.com"] }] }],
    signals: [buildInfo, reloaded, requests],
    alertmanager: {
      smtp: { smarthost: "smtp.example.com:587", from: "am@example.com" },
      catchAll: { team: "web", receiver: "mail" },
      timeIntervals: [
        { name: "sunday-deploys", ranges: [{ weekdays: ["sunday"], times: [{ start: "02:00", end: "04:00" }], location: "UTC" }] },
        { name: "weeknights", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "22:00", end: "24:00" }, { start: "00:00", end: "01:00" }] }] },
        { name: "month-end", ranges: [{ daysOfMonth: ["-1"] }] },
        { name: "berlin", ranges: [{ weekdays: ["saturday"], location: "Europe/Berlin" }] },
      ],
    },
    ...extra,
  });
}

/** Diagnostics as `code path: message`. */
function problems(s: MonitoringSpec): string[] {
  return normalizeService(s, 0).diagnostics.map((d) => `${d.code} ${d.at?.path.join(".")}: ${d.message}`);
}

function alerts(s: MonitoringSpec) {
  const { service, diagnostics } = normalizeService(s, 0);
  expect(diagnostics).toEqual([]);
  return service!.alerts.filter((a) => a.event);
}

describe("events: valid", () => {
  it("a deployment from a build-info gauge: the new version's series where an instance ran two", () => {
    const [a] = alerts(spec({ events: [{ kind: "deployment", signal: buildInfo.select(), versionLabel: "version" }] }));
    expect(a).toMatchObject({ name: "NewDeployment", severity: "info", forMs: 0, labels: { event: "deployment", severity: "info", team: "web", service: "shop" } });
    expect(a!.source.text).toBe("app_build_info and on (job, instance) (count by (job, instance) (count_over_time(app_build_info[10m])) > 1)");
    expect(a!.comparison).toBeUndefined();
    expect(a!.annotations.description).toContain("{{ $labels.version }}");
  });

  it("a configuration change from a reload timestamp: changes() over the window, named and worded as given", () => {
    const [a] = alerts(spec({ events: [{ kind: "configChange", name: "ConfigReloaded", signal: reloaded.select({ instance: "shop:8080" }), window: "15m", summary: "reloaded" }] }));
    expect(a!.source.text).toBe('changes(app_config_last_reload_success_timestamp_seconds{instance="shop:8080"}[15m])');
    expect(a!.comparison).toEqual({ op: ">", threshold: 0 });
    expect(a!.labels.event).toBe("config-change");
    expect(a!.annotations.summary).toBe("reloaded");
    expect(a!.event).toMatchObject({ kind: "configChange", windowMs: 900_000, job: "shop", matchers: { instance: "shop:8080" } });
  });

  it("a maintenance window: minute-of-week arithmetic from the notice's start to the window's end", () => {
    const [a] = alerts(spec({ events: [{ kind: "maintenance", interval: "sunday-deploys", notice: "1h", severity: "warning" }] }));
    expect(a!.name).toBe("SundayDeploysMaintenance");
    expect(a!.severity).toBe("warning");
    // Sunday 01:00 is minute 60 of the week; the epoch is minute 5760 (Thursday): 5760 - 60 = 5700.
    expect(a!.source.text).toBe("(floor(vector(time()) / 60) + 5700) % 10080 < 180");
    expect(a!.annotations.description).toBe("Maintenance window sunday-deploys (Sunday 02:00–04:00 UTC) begins within 1h or is under way.");
  });

  it("weekly windows merge where they touch, across midnight and the week's end", () => {
    const ctx = new NormalizeContext(0);
    const at = ctx.ref([]);
    const weeknights = weeklyWindows({ name: "n", ranges: [{ weekdays: ["monday:friday"], times: [{ start: "22:00", end: "24:00" }, { start: "00:00", end: "01:00" }] }], at }, [], ctx);
    // Monday 00:00–01:00, Monday 22:00–Tuesday 01:00, ..., Friday 22:00–24:00.
    expect(weeknights).toEqual([
      { start: 1440, end: 1500 },
      { start: 2760, end: 2940 },
      { start: 4200, end: 4380 },
      { start: 5640, end: 5820 },
      { start: 7080, end: 7260 },
      { start: 8520, end: 8640 },
    ]);
    const weekend = weeklyWindows({ name: "w", ranges: [{ weekdays: ["saturday", "sunday"] }], at }, [], ctx);
    expect(weekend).toEqual([{ start: 8640, end: 11520 }]);
    expect(inFireWindow(weekend!, 0, 100)).toBe(true); // Sunday 01:40
    expect(inFireWindow(weekend!, 0, 1440)).toBe(false); // Monday 00:00
    expect(inFireWindow(weekend!, 60, 8600)).toBe(true); // Friday 23:20, within the hour's notice
    expect(ctx.diagnostics).toEqual([]);
  });
});

describe("events: invalid, located", () => {
  const cases: [string, MonitoringSpec["events"], string][] = [
    ["an unknown signal", [{ kind: "deployment", signal: { metric: "app_buildinfo" } }], 'VIG2001 events.0.signal.metric: unknown signal "app_buildinfo"'],
    ["a counter", [{ kind: "deployment", signal: requests.select() }], 'VIG2037 events.0.signal.metric: an event reads a gauge; "http_requests_total" is a counter'],
    ["a regexp matcher", [{ kind: "deployment", signal: buildInfo.select({ revision: matches("a.*") }) }], "VIG2037 events.0.signal.matchers.revision: an event's selector takes equality matchers only, not =~"],
    ["an undeclared matcher label", [{ kind: "configChange", signal: { metric: "app_build_info", matchers: { branch: "main" } } }], 'VIG2002 events.0.signal.matchers.branch: signal "app_build_info" has no label "branch"'],
    ["an undeclared version label", [{ kind: "deployment", signal: buildInfo.select(), versionLabel: "release" }], 'VIG2002 events.0.versionLabel: signal "app_build_info" has no label "release"'],
    ["a fixed version", [{ kind: "deployment", signal: buildInfo.select({ version: "1.0" }), versionLabel: "version" }], 'VIG2037 events.0.signal.matchers.version: the selector fixes the version label "version", so it never changes'],
    ["an unknown interval", [{ kind: "maintenance", interval: "sunday-deploy" }], 'VIG2025 events.0.interval: unknown time interval "sunday-deploy"'],
    ["a monthly interval", [{ kind: "maintenance", interval: "month-end" }], 'VIG2037 events.0.interval: time interval "month-end" has daysOfMonth (range 1): a maintenance event needs a weekly interval'],
    ["an interval in a time zone", [{ kind: "maintenance", interval: "berlin" }], 'VIG2037 events.0.interval: time interval "berlin" is in Europe/Berlin: a maintenance event needs UTC'],
    ["a notice that covers the week", [{ kind: "maintenance", interval: "sunday-deploys", notice: "1w" }], 'VIG2037 events.0.notice: with a notice of 1w, the maintenance alert for "sunday-deploys" would fire all week'],
    ["a notice in seconds", [{ kind: "maintenance", interval: "sunday-deploys", notice: "90s" }], 'VIG2037 events.0.notice: notice "90s" is not a whole number of minutes'],
    ["a zero window", [{ kind: "configChange", signal: reloaded.select(), window: "0s" }], 'VIG2005 events.0.window: duration "0s" must be longer than 0s'],
    ["an unknown team", [{ kind: "configChange", signal: reloaded.select(), team: "webb" }], 'VIG2008 events.0.team: unknown team "webb"'],
  ];
  it.each(cases)("%s", (_what, events, expected) => {
    expect(problems(spec({ events }))).toEqual([expected]);
  });

  it("an event named like an alert of the service", () => {
    const s = spec({
      alerts: [{ name: "NewDeployment", expr: "up", op: "==", threshold: 0, severity: "info", summary: "s", description: "d" }],
      events: [{ kind: "deployment", signal: buildInfo.select(), versionLabel: "version" }],
    });
    expect(problems(s)).toEqual(['VIG2004 events.0: event alert "NewDeployment" is declared twice']);
  });

  it("two events of one name point at the first", () => {
    const d = normalizeService(spec({ events: [{ kind: "configChange", signal: reloaded.select() }, { kind: "configChange", signal: reloaded.select(), window: "5m" }] }), 0).diagnostics;
    expect(d.map((x) => `${x.code} ${x.at?.path.join(".")}`)).toEqual(["VIG2004 events.1"]);
    expect(d[0]!.related?.[0]?.at?.path).toEqual(["events", 0]);
  });

  it("the JSON Schema rejects an event without its signal or of an unknown kind", async () => {
    const { validateSpec } = await import("../spec/validate.js");
    const bad = (events: unknown) => validateSpec(JSON.parse(JSON.stringify({ ...spec(), events })), 0).map((d) => d.code);
    expect(bad([{ kind: "deployment" }])).not.toEqual([]);
    expect(bad([{ kind: "restart", signal: { metric: "x" } }])).not.toEqual([]);
    expect(bad([{ kind: "maintenance", interval: "sunday-deploys", notice: "1h" }])).toEqual([]);
  });
});

describe("prometheus.storage", () => {
  const storage = (s: NonNullable<NonNullable<MonitoringSpec["prometheus"]>["storage"]>) => spec({ prometheus: { storage: s } });

  it("becomes prometheus/prometheus.args, one flag a line, the names of `prometheus --help`", () => {
    const { model } = normalizeModel([storage({ retention: "30d", retentionSize: "10GB" })]);
    const args = emitAll(model).files.find((f) => f.path === "prometheus/prometheus.args");
    expect(args?.content).toBe("--storage.tsdb.retention.time=30d\n--storage.tsdb.retention.size=10GB\n");
    const help = execFileSync("prometheus", ["--help"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    for (const line of args!.content.trim().split("\n")) expect(help).toContain(`${line.split("=")[0]}=`);
  });

  it("the external URL is the flag --web.external-url, after the storage flags", () => {
    const { model, diagnostics } = normalizeModel([spec({ prometheus: { storage: { retention: "7d" }, externalUrl: "http://localhost:9091" } })]);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(emitAll(model).files.find((f) => f.path === "prometheus/prometheus.args")?.content).toBe("--storage.tsdb.retention.time=7d\n--web.external-url=http://localhost:9091\n");
    expect(problems(spec({ prometheus: { externalUrl: "localhost:9091" } }))).toEqual(['VIG2036 prometheus.externalUrl: prometheus.externalUrl "localhost:9091" is not an http(s) URL']);
    const other = spec({ prometheus: { externalUrl: "http://prom-b:9090" } });
    const { diagnostics: clash } = normalizeModel([spec({ prometheus: { externalUrl: "http://prom-a:9090" } }), { ...other, service: { ...other.service, name: "cart" } }]);
    expect(clash.map((d) => `${d.code} ${d.at?.spec} ${d.at?.path.join(".")}: ${d.message}`)).toEqual(['VIG2036 1 prometheus.externalUrl: prometheus.externalUrl differs from the one of service "shop"']);
  });

  it("no settings, no args file", () => {
    const { model } = normalizeModel([spec()]);
    expect(emitAll(model).files.map((f) => f.path)).not.toContain("prometheus/prometheus.args");
  });

  it.each([
    ["10 GB", "VIG2036 prometheus.storage.retentionSize: invalid retention size \"10 GB\""],
    ["10G", "VIG2036 prometheus.storage.retentionSize: invalid retention size \"10G\""],
    ["0GB", "VIG2036 prometheus.storage.retentionSize: invalid retention size \"0GB\""],
    ["1.5GB", "VIG2036 prometheus.storage.retentionSize: invalid retention size \"1.5GB\""],
  ])("retention size %s", (size, expected) => {
    expect(problems(storage({ retentionSize: size }))).toEqual([expected]);
  });

  it("a retention that is no duration, or 0s", () => {
    expect(problems(storage({ retention: "30 days" }))).toEqual(['VIG2005 prometheus.storage.retention: invalid duration "30 days"']);
    expect(problems(storage({ retention: "0s" }))).toEqual(['VIG2005 prometheus.storage.retention: duration "0s" must be longer than 0s']);
  });

  it("specs compiled together (one Prometheus) must agree where they set it", () => {
    const other = (s: MonitoringSpec, name: string) => ({ ...s, service: { ...s.service, name } });
    const { diagnostics } = normalizeModel([storage({ retention: "30d" }), other(storage({ retention: "15d" }), "cart"), other(spec(), "search")]);
    expect(diagnostics.map((d) => `${d.code} ${d.at?.spec} ${d.at?.path.join(".")}: ${d.message}`)).toEqual(['VIG2036 1 prometheus.storage: prometheus.storage differs from the one of service "shop"']);
  });
});

describe("generated event tests under the real promtool", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const events: MonitoringSpec["events"] = [
    { kind: "deployment", signal: buildInfo.select(), versionLabel: "version" },
    { kind: "configChange", signal: reloaded.select(), window: "5m" },
    { kind: "deployment", name: "Restarted", signal: { metric: "process_start_time_seconds" }, window: "3m", description: "{{ $value }} start(s)" },
    { kind: "maintenance", interval: "sunday-deploys", notice: "30m" },
    { kind: "maintenance", interval: "weeknights", notice: "2h", description: "{{ $value }} minutes into the notice" },
  ];
  const withProcess = (s: MonitoringSpec) => ({ ...s, signals: [...(s.signals ?? []), gauge("process_start_time_seconds", { unit: "seconds" })] });

  function write(files: { path: string; content: string }[]): string {
    const dir = mkdtempSync(join(tmpdir(), "vigil-events-"));
    dirs.push(dir);
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    return dir;
  }
  const promtool = (dir: string, file: string) => {
    try {
      return { ok: true, out: execFileSync("promtool", ["test", "rules", file], { cwd: join(dir, "prometheus/tests"), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return { ok: false, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
    }
  };

  const { model, diagnostics } = normalizeModel([withProcess(spec({ events }))]);
  const emitted = emitAll(model);

  it("compiles without a diagnostic, and every event alert has tests (no VIG4001)", () => {
    expect([...diagnostics, ...checkModel(model), ...emitted.diagnostics].map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    const paths = emitted.files.map((f) => f.path);
    expect(paths).toContain("prometheus/tests/shop.test.yml");
    expect(paths).toContain("prometheus/tests/shop.maintenance.test.yml");
  });

  it("promtool passes them", { timeout: 120_000 }, () => {
    const dir = write(emitted.files);
    for (const file of ["shop.test.yml", "shop.maintenance.test.yml"]) {
      const r = promtool(dir, file);
      expect(r.ok, r.out).toBe(true);
    }
  });

  // A rule that is off by a little must fail its tests: they pin the window and the notice.
  it.each([
    ["the deployment window", "count_over_time(app_build_info[10m])", "count_over_time(app_build_info[12m])", "shop.test.yml"],
    ["the config-change window", "changes(app_config_last_reload_success_timestamp_seconds[5m])", "changes(app_config_last_reload_success_timestamp_seconds[7m])", "shop.test.yml"],
    ["a new version without a previous one", "count_over_time(app_build_info[10m])) > 1", "count_over_time(app_build_info[10m])) > 0", "shop.test.yml"],
    ["the maintenance notice", "+ 5670) % 10080 < 150", "+ 5640) % 10080 < 180", "shop.maintenance.test.yml"],
    ["the maintenance end", "+ 5670) % 10080 < 150", "+ 5670) % 10080 < 120", "shop.maintenance.test.yml"],
  ])("promtool fails them when the rules get %s wrong", { timeout: 120_000 }, (_what, from, to, file) => {
    const dir = write(emitted.files);
    const rules = join(dir, "prometheus/rules/shop.rules.yml");
    const text = readFileSync(rules, "utf8");
    expect(text).toContain(from);
    writeFileSync(rules, text.replace(from, to));
    const r = promtool(dir, file);
    expect(r.ok, r.out).toBe(false);
  });
});
