import { describe, expect, it } from "vitest";
import type { Comparator, ProbeAssertion, ProbeExtraction, ProbeSubject } from "../../src/probes/config.js";
import { compare, evaluate } from "../../src/probes/runtime/assert.js";
import { ProbeError, reasonOf } from "../../src/probes/runtime/errors.js";
import { atPath, extractValue, ResponseView } from "../../src/probes/runtime/extract.js";
import { earliestExpiry } from "../../src/probes/runtime/http.js";
import { redact, refKey, renderJson, renderText, type TemplateContext } from "../../src/probes/runtime/template.js";
import { ConfigError, validateConfig } from "../../src/probes/runtime/validate.js";
import { check, config, journey, request, step } from "./fixtures/probes.js";

const JSON_BODY = JSON.stringify({ data: { items: [{ id: 7, name: "alpha" }, { id: 8, name: "beta" }], tags: ["a", "b"], ok: true, none: null, count: "12" } });

function view(body = JSON_BODY, headers: Record<string, string | string[]> = { "content-type": "application/json", "x-request-id": "abc-123", "set-cookie": ["a=1", "b=2"] }, status = 200, ms = 42): ResponseView {
  return new ResponseView(status, headers, Buffer.from(body), ms);
}

function a(subject: ProbeSubject, comparator: Comparator, expected?: string | number | boolean | null): ProbeAssertion {
  return expected === undefined ? { subject, comparator, label: "checks[0].assertions[0]" } : { subject, comparator, expected, label: "checks[0].assertions[0]" };
}

const status: ProbeSubject = { kind: "status" };
const header = (name: string): ProbeSubject => ({ kind: "header", name });
const json = (...path: (string | number)[]): ProbeSubject => ({ kind: "jsonBody", path });
const textBody: ProbeSubject = { kind: "textBody" };
const time: ProbeSubject = { kind: "responseTimeMs" };

describe("assertions: every comparator on every subject kind", () => {
  const cases: [string, ProbeAssertion, boolean][] = [
    // status (number)
    ["status equals", a(status, "equals", 200), true],
    ["status equals numeric string", a(status, "equals", "200"), true],
    ["status equals wrong", a(status, "equals", 201), false],
    ["status notEquals", a(status, "notEquals", 500), true],
    ["status lessThan", a(status, "lessThan", 300), true],
    ["status lessThanOrEqual", a(status, "lessThanOrEqual", 200), true],
    ["status greaterThan", a(status, "greaterThan", 200), false],
    ["status greaterThanOrEqual", a(status, "greaterThanOrEqual", 200), true],
    ["status contains (type mismatch)", a(status, "contains", "20"), false],
    ["status notContains (type mismatch)", a(status, "notContains", "20"), false],
    ["status matches on string form", a(status, "matches", "^2\\d\\d$"), true],
    ["status exists", a(status, "exists"), true],
    ["status notExists", a(status, "notExists"), false],
    // header (string)
    ["header equals", a(header("x-request-id"), "equals", "abc-123"), true],
    ["header case-insensitive name", a(header("X-Request-ID"), "equals", "abc-123"), true],
    ["header notEquals", a(header("x-request-id"), "notEquals", "zzz"), true],
    ["header contains", a(header("content-type"), "contains", "json"), true],
    ["header notContains", a(header("content-type"), "notContains", "xml"), true],
    ["header matches", a(header("x-request-id"), "matches", "^[a-z]+-\\d+$"), true],
    ["header lessThan on non-number", a(header("x-request-id"), "lessThan", 5), false],
    ["repeated header joined", a(header("set-cookie"), "equals", "a=1, b=2"), true],
    ["header exists", a(header("x-request-id"), "exists"), true],
    ["missing header exists", a(header("x-missing"), "exists"), false],
    ["missing header notExists", a(header("x-missing"), "notExists"), true],
    ["missing header equals", a(header("x-missing"), "equals", "x"), false],
    ["missing header notEquals fails", a(header("x-missing"), "notEquals", "x"), false],
    // jsonBody
    ["json number equals", a(json("data", "items", 0, "id"), "equals", 7), true],
    ["json number vs string expected", a(json("data", "items", 0, "id"), "equals", "7"), true],
    ["json numeric string greaterThan", a(json("data", "count"), "greaterThan", 9), true],
    ["json string equals", a(json("data", "items", 1, "name"), "equals", "beta"), true],
    ["json string vs number (type mismatch)", a(json("data", "items", 1, "name"), "equals", 1), false],
    ["json boolean equals", a(json("data", "ok"), "equals", true), true],
    ["json boolean vs string", a(json("data", "ok"), "equals", "true"), false],
    ["json null equals null", a(json("data", "none"), "equals", null), true],
    ["json null exists", a(json("data", "none"), "exists"), true],
    ["json missing notExists", a(json("data", "nope"), "notExists"), true],
    ["json index out of range", a(json("data", "items", 5, "id"), "exists"), false],
    ["json index on object", a(json("data", 0), "exists"), false],
    ["json array contains", a(json("data", "tags"), "contains", "b"), true],
    ["json array notContains", a(json("data", "tags"), "notContains", "c"), true],
    ["json array contains number", a(json("data", "items", 0, "id"), "contains", 7), false],
    ["json string contains", a(json("data", "items", 0, "name"), "contains", "lph"), true],
    ["json object lessThan (type mismatch)", a(json("data"), "lessThan", 3), false],
    ["json lessThan", a(json("data", "items", 0, "id"), "lessThan", 8), true],
    ["json lessThanOrEqual", a(json("data", "items", 0, "id"), "lessThanOrEqual", 7), true],
    ["json greaterThanOrEqual", a(json("data", "items", 0, "id"), "greaterThanOrEqual", 8), false],
    ["json object matches its JSON form", a(json("data", "items", 0), "matches", '"name":"alpha"'), true],
    ["json notEquals", a(json("data", "items", 0, "id"), "notEquals", 8), true],
    // textBody
    ["text contains", a(textBody, "contains", "alpha"), true],
    ["text notContains", a(textBody, "notContains", "gamma"), true],
    ["text matches", a(textBody, "matches", '"id":\\s*8'), true],
    ["text equals", a(textBody, "equals", JSON_BODY), true],
    ["text notEquals", a(textBody, "notEquals", "x"), true],
    ["text greaterThan (type mismatch)", a(textBody, "greaterThan", 1), false],
    ["text exists", a(textBody, "exists"), true],
    // responseTimeMs
    ["time lessThan", a(time, "lessThan", 1000), true],
    ["time lessThanOrEqual", a(time, "lessThanOrEqual", 42), true],
    ["time greaterThan", a(time, "greaterThan", 100), false],
    ["time greaterThanOrEqual", a(time, "greaterThanOrEqual", 42), true],
    ["time equals", a(time, "equals", 42), true],
    ["time notEquals", a(time, "notEquals", 42), false],
    ["time vs non-numeric string", a(time, "lessThan", "soon"), false],
    ["time contains (type mismatch)", a(time, "contains", "4"), false],
    ["time matches", a(time, "matches", "^42$"), true],
  ];
  it.each(cases)("%s", (_name, assertion, ok) => {
    const outcome = evaluate(assertion, view());
    expect(outcome.ok).toBe(ok);
    if (!outcome.ok) {
      expect(outcome.reason).toBe("assertion");
      expect(outcome.message.startsWith("checks[0].assertions[0]: expected ")).toBe(true);
      expect(outcome.message.length).toBeLessThanOrEqual(200);
    }
  });

  it("says expected vs actual, and the type on a mismatch", () => {
    const outcome = evaluate(a(status, "equals", 200), view(JSON_BODY, {}, 503));
    expect(outcome).toEqual({ ok: false, reason: "assertion", message: "checks[0].assertions[0]: expected status equals 200, got 503" });
    const mismatch = evaluate(a(json("data"), "lessThan", 3), view());
    expect(mismatch.ok || mismatch.message).toMatch(/\(object\)$/);
  });

  it("truncates long messages to 200 characters", () => {
    const long = "x".repeat(5000);
    const outcome = evaluate(a(textBody, "equals", "y"), view(long));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message.length).toBeLessThanOrEqual(200);
  });

  it("a JSON subject on a non-JSON body fails with invalid_json", () => {
    const outcome = evaluate(a(json("data"), "exists"), view("<html>oops</html>"));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toBe("invalid_json");
    // the text subject of the same body is fine
    expect(evaluate(a(textBody, "contains", "oops"), view("<html>oops</html>")).ok).toBe(true);
  });

  it("compare() reports type mismatches", () => {
    expect(compare("lessThan", "abc", 3)).toBe("type");
    expect(compare("contains", 5, 5)).toBe("type");
    expect(compare("matches", "abc", 5)).toBe("type");
    expect(compare("equals", undefined, 1)).toBe(false);
  });
});

describe("extraction", () => {
  it("JSON path with array index, keeping the JSON type", () => {
    expect(extractValue({ name: "id", from: "jsonBody", path: ["data", "items", 1, "id"] }, view())).toBe(8);
    expect(extractValue({ name: "item", from: "jsonBody", path: ["data", "items", 0] }, view())).toEqual({ id: 7, name: "alpha" });
    expect(atPath({ a: [1, [2, 3]] }, ["a", 1, 0])).toBe(2);
    expect(atPath({ a: 1 }, ["constructor"])).toBeUndefined();
  });

  it("header, case-insensitively", () => {
    expect(extractValue({ name: "rid", from: "header", header: "X-Request-Id" }, view())).toBe("abc-123");
  });

  it("regex: first group, or the whole match without groups", () => {
    expect(extractValue({ name: "n", from: "textBody", regex: '"name":"(\\w+)"' }, view())).toBe("alpha");
    expect(extractValue({ name: "n", from: "textBody", regex: "be.a" }, view())).toBe("beta");
  });

  it.each<[string, ProbeExtraction]>([
    ["json path", { name: "x", from: "jsonBody", path: ["data", "missing"] }],
    ["array index", { name: "x", from: "jsonBody", path: ["data", "items", 9] }],
    ["header", { name: "x", from: "header", header: "x-nope" }],
    ["regex", { name: "x", from: "textBody", regex: "gamma(\\d+)" }],
    ["optional group that did not participate", { name: "x", from: "textBody", regex: "alpha(zzz)?" }],
  ])("missing %s → extraction", (_n, ex) => {
    let err: unknown;
    try {
      extractValue(ex, view());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as ProbeError).reason).toBe("extraction");
  });

  it("JSON extraction from a non-JSON body → invalid_json", () => {
    expect(() => extractValue({ name: "x", from: "jsonBody", path: ["a"] }, view("not json"))).toThrow(ProbeError);
    try {
      extractValue({ name: "x", from: "jsonBody", path: ["a"] }, view("not json"));
    } catch (e) {
      expect((e as ProbeError).reason).toBe("invalid_json");
    }
  });
});

describe("templates", () => {
  const ctx = (env: Record<string, string | undefined> = {}): TemplateContext => ({ env, refs: new Map(), secrets: new Set() });

  it("text, env and refs", () => {
    const c = ctx({ API_TOKEN: "s3cret-token" });
    c.refs.set(refKey("login", "token"), "tok-1");
    c.refs.set(refKey("create", "id"), 42);
    expect(renderText([{ text: "Bearer " }, { ref: { step: "login", name: "token" } }], c)).toBe("Bearer tok-1");
    expect(renderText([{ text: "/items/" }, { ref: { step: "create", name: "id" } }], c)).toBe("/items/42");
    expect(renderText([{ text: "k=" }, { env: "API_TOKEN" }], c)).toBe("k=s3cret-token");
    expect(c.secrets.has("s3cret-token")).toBe(true);
  });

  it("a missing env var → missing_env", () => {
    try {
      renderText([{ env: "NOPE_NOT_SET" }], ctx());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProbeError);
      expect((e as ProbeError).reason).toBe("missing_env");
      expect((e as ProbeError).message).toContain("NOPE_NOT_SET");
    }
  });

  it("an empty env var is present", () => {
    expect(renderText([{ text: "[" }, { env: "EMPTY" }, { text: "]" }], ctx({ EMPTY: "" }))).toBe("[]");
  });

  it("JsonTemplate keeps number types and builds nested values", () => {
    const c = ctx({ USER: "bob" });
    c.refs.set(refKey("create", "id"), 42);
    c.refs.set(refKey("create", "obj"), { a: [1] });
    const value = renderJson(
      {
        kind: "object",
        entries: [
          ["id", { kind: "ref", ref: { step: "create", name: "id" } }],
          ["obj", { kind: "ref", ref: { step: "create", name: "obj" } }],
          ["user", { kind: "string", value: [{ text: "u:" }, { env: "USER" }] }],
          ["n", { kind: "number", value: 1.5 }],
          ["flags", { kind: "array", items: [{ kind: "boolean", value: false }, { kind: "null" }] }],
          ["__proto__", { kind: "string", value: [{ text: "safe" }] }],
        ],
      },
      c,
    );
    expect(JSON.stringify(value)).toBe('{"id":42,"obj":{"a":[1]},"user":"u:bob","n":1.5,"flags":[false,null],"__proto__":"safe"}');
  });

  it("a ref to a value never extracted → extraction", () => {
    try {
      renderJson({ kind: "ref", ref: { step: "a", name: "b" } }, ctx());
      expect.unreachable();
    } catch (e) {
      expect((e as ProbeError).reason).toBe("extraction");
    }
  });

  it("redacts secrets from messages", () => {
    expect(redact("connect to https://user:hunter22@host failed", new Set(["hunter22", "ab"]))).toBe("connect to https://user:***@host failed");
  });
});

describe("error → reason", () => {
  const withCode = (code: string, message = "x"): Error => Object.assign(new Error(message), { code });
  it.each([
    ["ETIMEDOUT", "timeout"],
    ["ECONNREFUSED", "connection_refused"],
    ["ECONNRESET", "connection_reset"],
    ["EPIPE", "connection_reset"],
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["CERT_HAS_EXPIRED", "tls"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
    ["SELF_SIGNED_CERT_IN_CHAIN", "tls"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "tls"],
    ["HPE_INVALID_CONSTANT", "http_error"],
    ["EWHATEVER", "http_error"],
  ])("%s → %s", (code, reason) => {
    expect(reasonOf(withCode(code))).toBe(reason);
  });
  it("socket hang up, own errors, non-errors", () => {
    expect(reasonOf(new Error("socket hang up"))).toBe("connection_reset");
    expect(reasonOf(new ProbeError("timeout", "t"))).toBe("timeout");
    expect(reasonOf("weird")).toBe("http_error");
  });
  it("earliest expiry walks the chain and stops at a self-signed root", () => {
    const root = { valid_to: "Jan  1 00:00:00 2040 GMT", fingerprint256: "root" } as Record<string, unknown>;
    root.issuerCertificate = root;
    const inter = { valid_to: "Jun  1 00:00:00 2030 GMT", fingerprint256: "inter", issuerCertificate: root };
    const leaf = { valid_to: "Jan  1 00:00:00 2035 GMT", fingerprint256: "leaf", issuerCertificate: inter };
    expect(earliestExpiry(leaf as never)).toBe(Date.UTC(2030, 5, 1) / 1000);
  });
});

describe("config validation", () => {
  const good = config([check("c1", request("http://127.0.0.1:1/"))], [
    journey("j1", [
      step("login", request("http://127.0.0.1:1/login"), { extract: [{ name: "token", from: "jsonBody", path: ["token"] }] }),
      step("use", request("http://127.0.0.1:1/use", { headers: { authorization: [{ text: "Bearer " }, { ref: { step: "login", name: "token" } }] } })),
    ]),
  ]);

  it("accepts a good config", () => {
    expect(validateConfig(JSON.parse(JSON.stringify(good)))).toBeTruthy();
  });

  const mutate = (f: (c: Record<string, any>) => void): unknown => {
    const c = JSON.parse(JSON.stringify(good)) as Record<string, any>;
    f(c);
    return c;
  };
  it.each([
    ["version", (c: Record<string, any>) => (c.version = 2), /^version: expected 1, got 2$/],
    ["maxConcurrency", (c: Record<string, any>) => (c.maxConcurrency = 0), /^maxConcurrency: /],
    ["checks not array", (c: Record<string, any>) => (c.checks = {}), /^checks: expected an array/],
    ["timeout", (c: Record<string, any>) => (c.checks[0].request.timeoutMs = "5s"), /^checks\[0\]\.request\.timeoutMs: /],
    ["method", (c: Record<string, any>) => (c.checks[0].request.method = "FETCH"), /^checks\[0\]\.request\.method: /],
    ["url part", (c: Record<string, any>) => (c.checks[0].request.url = [{ nope: 1 }]), /^checks\[0\]\.request\.url\[0\]: /],
    ["comparator", (c: Record<string, any>) => (c.checks[0].assertions[0].comparator = "like"), /^checks\[0\]\.assertions\[0\]\.comparator: /],
    ["bad regex", (c: Record<string, any>) => (c.checks[0].assertions[0] = { subject: { kind: "textBody" }, comparator: "matches", expected: "(", label: "l" }), /^checks\[0\]\.assertions\[0\]\.expected: invalid regular expression/],
    ["duplicate check", (c: Record<string, any>) => c.checks.push(c.checks[0]), /^checks\[1\]\.name: duplicate name "[^"]+" in service/],
    ["CRLF in a header value", (c: Record<string, any>) => (c.checks[0].request.headers = { "x-a": [{ text: "v\r\nx-injected: 1" }] }), /^checks\[0\]\.request\.headers\.x-a: expected a header value of one line/],
    ["NUL in a header value", (c: Record<string, any>) => (c.checks[0].request.headers = { "x-a": [{ text: "v\u0000" }] }), /^checks\[0\]\.request\.headers\.x-a: /],
    ["jitter", (c: Record<string, any>) => (c.checks[0].jitter = 0.9), /^checks\[0\]\.jitter: /],
    ["ref to later step", (c: Record<string, any>) => (c.journeys[0].steps[0].request.url = [{ ref: { step: "use", name: "x" } }]), /^journeys\[0\]\.steps\[0\]\.request\.url\[0\]\.ref: no earlier step/],
    ["ref in a check", (c: Record<string, any>) => (c.checks[0].request.url = [{ ref: { step: "a", name: "b" } }]), /only allowed in journeys/],
    ["extract kind", (c: Record<string, any>) => (c.journeys[0].steps[0].extract[0].from = "cookie"), /^journeys\[0\]\.steps\[0\]\.extract\[0\]\.from: /],
  ])("rejects a bad %s, naming the path", (_n, f, message) => {
    let err: unknown;
    try {
      validateConfig(mutate(f));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });
});
