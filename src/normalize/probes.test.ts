import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import { assertHeader, assertJson, assertResponseTime, assertStatus, assertText, fromHeader, fromJson, fromText, step } from "../api/probes.js";
import type { CheckSpec, JourneySpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";
import { parseJsonPath } from "./probe-requests.js";

const run = (checks: CheckSpec[], journeys: JourneySpec[] = []) => normalizeModel([specWith({ checks, journeys })]);
const diags = (checks: CheckSpec[], journeys: JourneySpec[] = []) => run(checks, journeys).diagnostics.map((d) => [d.code, d.at?.path.join("."), d.message]);
const health: CheckSpec = { name: "health", request: { url: "https://api.example.com/health" } };

describe("checks", () => {
  it("applies defaults: GET, 60s ±10%, 10s timeout, redirects, 10 MiB, status below 400, critical, the service's team", () => {
    const { model, diagnostics } = run([health]);
    expect(diagnostics).toEqual([]);
    const { at: _at, ...check } = model.services[0]!.probes!.checks[0]!;
    expect(check).toEqual({
      name: "health",
      service: "svc",
      team: "team-a",
      severity: "critical",
      intervalSeconds: 60,
      jitter: 0.1,
      request: { method: "GET", url: [{ text: "https://api.example.com/health" }], headers: {}, timeoutMs: 10_000, followRedirects: true, maxBodyBytes: 10 * 1024 * 1024, tls: { insecureSkipVerify: false } },
      assertions: [{ subject: { kind: "status" }, comparator: "lessThan", expected: 400, label: "default: status below 400" }],
      retries: 0,
      backoffMs: 1000,
    });
  });

  it("adds the failing and certificate alerts, the probe signals, and a probe-success SLO", () => {
    const { model } = run([{ ...health, alert: { failingRuns: 3 }, slo: { objective: 99.5 } }]);
    const svc = model.services[0]!;
    const alerts = svc.alerts.map((a) => [a.name, a.severity, a.source.text, a.comparison, a.forMs]);
    expect(alerts).toEqual([
      ["HealthCheckFailing", "critical", 'vigil_probe_consecutive_failures{check="health", service="svc"}', { op: ">=", threshold: 3 }, 0],
      ["HealthCertificateExpiring", "warning", '(min by (check) (probe_ssl_earliest_cert_expiry{check="health", service="svc"}) - time()) / 86400', { op: "<", threshold: 14 }, 600_000],
    ]);
    expect(svc.signals.map((s) => s.name)).toContain("vigil_probe_runs_total");
    expect(svc.slos.map((s) => s.name)).toEqual(["check-health"]);
    // Plain http has no certificate; alert.enabled false has no alerts.
    expect(run([{ ...health, request: { url: "http://api:8000/health" } }]).model.services[0]!.alerts.map((a) => a.name)).toEqual(["HealthCheckFailing"]);
    expect(run([{ ...health, alert: { enabled: false } }]).model.services[0]!.alerts).toEqual([]);
  });

  it("builds requests: header names lower-cased and sorted, env parts, a JSON body with its content type", () => {
    const { model, diagnostics } = run([
      { name: "post", request: { method: "POST", url: ["https://api.example.com/items?key=", { env: "API_KEY" }], headers: { "X-Trace": "1", Accept: "application/json" }, body: { json: { n: 1, s: "x", secret: { env: "PW" }, list: [true, null] } } } },
    ]);
    expect(diagnostics).toEqual([]);
    const first = model.services[0]!.probes!.checks[0]!;
    if (!("request" in first)) throw new Error("an HTTP check");
    const request = first.request;
    expect(request.url).toEqual([{ text: "https://api.example.com/items?key=" }, { env: "API_KEY" }]);
    expect(Object.keys(request.headers)).toEqual(["accept", "content-type", "x-trace"]);
    expect(request.body).toEqual({
      kind: "json",
      value: {
        kind: "object",
        entries: [
          ["list", { kind: "array", items: [{ kind: "boolean", value: true }, { kind: "null" }] }],
          ["n", { kind: "number", value: 1 }],
          ["s", { kind: "string", value: [{ text: "x" }] }],
          ["secret", { kind: "string", value: [{ env: "PW" }] }],
        ],
      },
    });
  });

  it("refuses what cannot run (VIG2032), with the path of the offending value", () => {
    expect(
      diags([
        { name: "a", request: { url: "ftp://x" } },
        { name: "b", request: { url: "https://x y" } },
        { name: "c", request: { url: [{ env: "HOST" }, "/health"] } },
        { name: "d", request: { url: "https://x/", headers: { "bad header": "1", Accept: "a", accept: "b" }, method: "GET", body: { text: "x" } } },
        { name: "e", interval: "5s", request: { url: "https://x/", timeout: "5s" } },
        { name: "f", request: { url: ["https://x/", { env: "not-a-name" }, { ref: { step: "login", name: "token" } }] } },
      ]).map((d) => [d[0], d[1]]),
    ).toEqual([
      ["VIG2032", "checks.0.request.url"],
      ["VIG2032", "checks.1.request.url"],
      ["VIG2032", "checks.2.request.url"],
      ["VIG2032", "checks.3.request.headers.accept"],
      ["VIG2032", "checks.3.request.headers.bad header"],
      ["VIG2032", "checks.3.request.body"],
      ["VIG2032", "checks.4.request.timeout"],
      ["VIG2032", "checks.5.request.url.1.env"],
      ["VIG2032", "checks.5.request.url.2"],
    ]);
  });

  it("refuses a CR, LF or control character in a header value (VIG2032 at the value): it would fail every run", () => {
    expect(
      diags([
        { name: "a", request: { url: "https://x/", headers: { "X-Note": "one\r\nX-Injected: 1" } } },
        { name: "b", request: { url: "https://x/", headers: { Authorization: ["Bearer ", { env: "TOKEN" }, "\n"] } } },
        { name: "c", request: { url: "https://x/", headers: { "X-Tab": "a\tb", "X-Latin": "café" } } },
        { name: "d", request: { url: "https://x/", headers: { "X-Bell": "\u0007", "X-Emoji": "\u{1F600}" } } },
      ]).map((d) => [d[0], d[1], d[2]]),
    ).toEqual([
      ["VIG2032", "checks.0.request.headers.X-Note", 'header "X-Note" holds a carriage return (CR), which no HTTP request can carry'],
      ["VIG2032", "checks.1.request.headers.Authorization.2", 'header "Authorization" holds a line feed (LF), which no HTTP request can carry'],
      ["VIG2032", "checks.3.request.headers.X-Bell", 'header "X-Bell" holds the control character U+0007, which no HTTP request can carry'],
      ["VIG2032", "checks.3.request.headers.X-Emoji", 'header "X-Emoji" holds the character U+1F600 (beyond Latin-1), which no HTTP request can carry'],
    ]);
  });

  it("regexps are RE2, checked by the engine the bundle runs: backreferences and look-arounds are VIG2032, nested repeats run in linear time", () => {
    const matching = (target: string): CheckSpec => ({ name: "m", request: { url: "https://x/" }, assertions: [{ source: "textBody", comparison: "matches", target }] });
    expect(diags([matching("^(a+)+$")])).toEqual([]);
    expect(diags([matching("(?P<word>\\w+)\\s\\d{2,3}")])).toEqual([]);
    expect(diags([matching("(a)\\1"), { ...matching("a(?=b)"), name: "n" }]).map((d) => [d[1], d[2]])).toEqual([
      ["checks.0.assertions.0.target", '"(a)\\1" is not a regular expression (RE2 syntax): invalid escape sequence: `\\1`'],
      ["checks.1.assertions.0.target", '"a(?=b)" is not a regular expression (RE2 syntax): invalid or unsupported Perl syntax: `(?=`'],
    ]);
  });

  it("reads assertions, and refuses comparisons that cannot hold", () => {
    const ok = [assertStatus().equals(200), assertHeader("Content-Type").matches("^application/json"), assertJson("$.items[0]['a b'].id").greaterThan(3), assertText().contains("ok"), assertResponseTime().lessThan(500), assertJson("$.x").exists()];
    const { model, diagnostics } = run([{ ...health, assertions: ok }]);
    expect(diagnostics).toEqual([]);
    expect(model.services[0]!.probes!.checks[0]!.assertions.map((a) => [a.subject, a.comparator, a.expected, a.label])).toEqual([
      [{ kind: "status" }, "equals", 200, "checks[0].assertions[0]"],
      [{ kind: "header", name: "content-type" }, "matches", "^application/json", "checks[0].assertions[1]"],
      [{ kind: "jsonBody", path: ["items", 0, "a b", "id"] }, "greaterThan", 3, "checks[0].assertions[2]"],
      [{ kind: "textBody" }, "contains", "ok", "checks[0].assertions[3]"],
      [{ kind: "responseTimeMs" }, "lessThan", 500, "checks[0].assertions[4]"],
      [{ kind: "jsonBody", path: ["x"] }, "exists", undefined, "checks[0].assertions[5]"],
    ]);
    const bad = diags([
      {
        ...health,
        assertions: [
          { source: "status", comparison: "lessThan", target: "500" },
          { source: "jsonBody", comparison: "equals", target: 1 },
          { source: "jsonBody", property: "items[0]", comparison: "equals", target: 1 },
          { source: "textBody", comparison: "matches", target: "(" },
          { source: "header", property: "x", comparison: "exists", target: "y" },
          { source: "status", comparison: "exists" },
          { source: "textBody", comparison: "equals" },
        ],
      },
    ]);
    expect(bad.map((d) => [d[1], d[2]])).toEqual([
      ["checks.0.assertions.0.target", 'lessThan compares numbers, not "500"'],
      ["checks.0.assertions.0.target", "a status is compared with a number"],
      ["checks.0.assertions.1.source", "a jsonBody assertion needs a property (a JSON path such as $.status)"],
      ["checks.0.assertions.2.property", '"items[0]" is not a JSON path'],
      ["checks.0.assertions.3.target", '"(" is not a regular expression (RE2 syntax): missing closing ): `(`'],
      ["checks.0.assertions.4.target", "exists takes no target"],
      ["checks.0.assertions.5.comparison", "a response always has a status"],
      ["checks.0.assertions.6.comparison", "equals needs a target"],
    ]);
  });
});

describe("journeys", () => {
  const login = step({ name: "login", request: { method: "POST", url: "https://api.example.com/login", body: { json: { password: { env: "PW" } } } }, extract: { token: fromJson("$.token"), session: fromHeader("Set-Cookie"), csrf: fromText("csrf=(\\w+)") } });
  const create = step({ name: "create", request: { method: "POST", url: "https://api.example.com/items", headers: { authorization: ["Bearer ", login.extracted.token] }, body: { json: { csrf: login.extracted.csrf } } }, slowerThan: "2s" });

  it("typed references become refs; extractions are read; a slow step gets its alert", () => {
    expect(Object.keys(login)).not.toContain("extracted");
    const { model, diagnostics } = run([], [{ name: "buy", steps: [login, create] }]);
    expect(diagnostics).toEqual([]);
    const j = model.services[0]!.probes!.journeys[0]!;
    expect(j.intervalSeconds).toBe(300);
    expect(j.steps[0]!.extract).toEqual([
      { name: "csrf", from: "textBody", regex: "csrf=(\\w+)" },
      { name: "session", from: "header", header: "set-cookie" },
      { name: "token", from: "jsonBody", path: ["token"] },
    ]);
    expect(j.steps[1]!.request.headers.authorization).toEqual([{ text: "Bearer " }, { ref: { step: "login", name: "token" } }]);
    expect(j.steps[1]!.request.body).toEqual({ kind: "json", value: { kind: "object", entries: [["csrf", { kind: "ref", ref: { step: "login", name: "csrf" } }]] } });
    expect(model.services[0]!.alerts.map((a) => [a.name, a.severity, a.source.text, a.comparison?.threshold, a.forMs])).toEqual([
      ["BuyJourneyFailing", "critical", 'vigil_probe_consecutive_failures{journey="buy", service="svc"}', 2, 0],
      ["BuyCertificateExpiring", "warning", '(min by (journey) (probe_ssl_earliest_cert_expiry{journey="buy", service="svc"}) - time()) / 86400', 14, 600_000],
      ["BuyCreateSlow", "warning", 'vigil_journey_step_duration_seconds{journey="buy", step="create", service="svc"}', 2, 600_000],
    ]);
  });

  it("a journey's slo becomes a probe-success SLO of its runs, like a check's", () => {
    const { model, diagnostics } = run([], [{ name: "buy", steps: [login, create], slo: { objective: 99, window: "7d" } }]);
    expect(diagnostics).toEqual([]);
    const slo = model.services[0]!.slos.find((s) => s.name === "journey-buy");
    expect(slo?.objective).toBe(99);
    expect(slo?.windowMs).toBe(7 * 86_400_000);
    expect(slo?.sli.errorQuery).toContain('journey="buy"');
    expect(slo?.sli.errorQuery).toContain('result="failure"');
  });

  it("refuses references to later, unknown or unextracted values (VIG2032)", () => {
    const ref = (s: string, name: string) => ({ ref: { step: s, name } });
    const d = diags(
      [],
      [
        {
          name: "buy",
          steps: [
            { name: "a", request: { url: ["https://x/", ref("b", "id")] }, extract: { id: { from: "jsonBody", property: "$.id" } } },
            { name: "b", request: { url: ["https://x/", ref("a", "idd")] }, extract: { id: { from: "jsonBody" }, re: { from: "textBody", regex: "[" } } },
            { name: "c", request: { url: ["https://x/", ref("zz", "id")] } },
            { name: "c", request: { url: "https://x/" } },
          ],
        },
      ],
    );
    expect(d.map((x) => [x[0], x[1], x[2]])).toEqual([
      ["VIG2032", "journeys.0.steps.0.request.url.1", 'reference to b.id: step "b" does not run before this one'],
      ["VIG2032", "journeys.0.steps.1.request.url.1", 'step "a" extracts no value "idd"'],
      ["VIG2032", "journeys.0.steps.1.extract.id.from", "a jsonBody extraction needs a property (a JSON path such as $.token)"],
      ["VIG2032", "journeys.0.steps.1.extract.re.regex", '"[" is not a regular expression (RE2 syntax): missing closing ]: `[`'],
      ["VIG2032", "journeys.0.steps.2.request.url.1", 'reference to zz.id: there is no step "zz"'],
      ["VIG2004", "journeys.0.steps.3.name", 'step "c" is declared twice in journey "buy"'],
    ]);
  });

  it("names, teams and durations are checked like everywhere else", () => {
    const d = diags([{ ...health, name: "Health!", team: "team-b" }, health, { ...health, interval: "1500ms" }]);
    expect(d.map((x) => [x[0], x[1]])).toEqual([
      ["VIG2009", "checks.0.name"],
      ["VIG2008", "checks.0.team"],
      ["VIG2004", "checks.2.name"],
      ["VIG2032", "checks.2.interval"],
      ["VIG2032", "checks.2.request.timeout"],
    ]);
  });
});

describe("JSON paths", () => {
  it.each([
    ["$", []],
    ["$.a.b", ["a", "b"]],
    ["$.items[10].id", ["items", 10, "id"]],
    ['$["a.b"][\'c\']', ["a.b", "c"]],
    ['$["q\\"uote"]', ['q"uote']],
  ])("%s", (path, expected) => expect(parseJsonPath(path)).toEqual(expected));
  it.each(["", "a.b", "$.", "$[x]", "$.a[", "$..a", "$[-1]"])("refuses %j", (path) => expect(parseJsonPath(path)).toBeUndefined());
});
