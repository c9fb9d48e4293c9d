import { describe, expect, it } from "vitest";
import { specWith } from "../lint/tester.js";
import { assertResponseTime, assertStatus } from "../api/probes.js";
import type { CheckSpec } from "../spec/types.js";
import { normalizeModel } from "./index.js";

const run = (checks: CheckSpec[]) => normalizeModel([specWith({ checks })]);
const diags = (checks: CheckSpec[]) => run(checks).diagnostics.map((d) => [d.code, d.at?.path.join("."), d.message]);

describe("TCP checks", () => {
  it("applies defaults: 10s timeout, no TLS, no assertions (connecting is the check), 60s, critical", () => {
    const { model, diagnostics } = run([{ name: "db", tcp: { host: "postgres", port: 5432 } }]);
    expect(diagnostics).toEqual([]);
    const { at: _at, ...check } = model.services[0]!.probes!.checks[0]!;
    expect(check).toEqual({ name: "db", service: "svc", team: "team-a", severity: "critical", intervalSeconds: 60, jitter: 0.1, tcp: { host: "postgres", port: 5432, timeoutMs: 10_000 }, assertions: [], retries: 0, backoffMs: 1000 });
  });

  it("TLS: the server name defaults to the host, and the certificate alert comes with it", () => {
    const { model, diagnostics } = run([
      { name: "crm", tcp: { host: "crm.example.com", port: 443, timeout: "3s", tls: { minValidityDays: 7 } }, assertions: [assertResponseTime().lessThan(1000)] },
      { name: "cache", tcp: { host: "[::1]", port: 6379 } },
    ]);
    expect(diagnostics).toEqual([]);
    const [crm, cache] = model.services[0]!.probes!.checks;
    expect(crm).toMatchObject({ tcp: { host: "crm.example.com", port: 443, timeoutMs: 3000, tls: { serverName: "crm.example.com", insecureSkipVerify: false, minValidityDays: 7 } } });
    expect(crm!.assertions).toEqual([{ subject: { kind: "responseTimeMs" }, comparator: "lessThan", expected: 1000, label: "checks[0].assertions[0]" }]);
    expect(cache).toMatchObject({ tcp: { host: "::1" } });
    expect(model.services[0]!.alerts.map((a) => a.name)).toEqual(["CrmCheckFailing", "CrmCertificateExpiring", "CacheCheckFailing"]);
  });

  it("VIG2045: neither request nor tcp, or both, at the check", () => {
    expect(diags([{ name: "x" }])).toEqual([["VIG2045", "checks.0.name", 'check "x" needs a request (HTTP) or a tcp target']]);
    expect(diags([{ name: "x", request: { url: "https://x/" }, tcp: { host: "x", port: 1 } }])).toEqual([["VIG2045", "checks.0.tcp", 'check "x" needs either request or tcp, not both']]);
  });

  it("VIG2045: a URL or host:port as host, with the fix in the hint", () => {
    const r = run([
      { name: "a", tcp: { host: "https://crm.example.com/api", port: 443 } },
      { name: "b", tcp: { host: "postgres:5432", port: 5432 } },
      { name: "c", tcp: { host: "db", port: 5432, tls: { serverName: "bad name" } } },
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.at?.path.join("."), d.message, d.hint])).toEqual([
      ["VIG2045", "checks.0.tcp.host", '"https://crm.example.com/api" is not a host name or address', 'a TCP check takes a host, not a URL: host: "crm.example.com"'],
      ["VIG2045", "checks.1.tcp.host", '"postgres:5432" is not a host name or address', 'give the port apart: host: "postgres", port: 5432'],
      ["VIG2045", "checks.2.tcp.tls.serverName", '"bad name" is not a host name or address', "a host name (e.g. postgres, crm.example.com) or an IP address"],
    ]);
  });

  it("VIG2045: a TCP check has no status, header or body to assert on; VIG2032: a timeout not shorter than the interval", () => {
    expect(diags([{ name: "db", interval: "5s", tcp: { host: "db", port: 5432, timeout: "5s" }, assertions: [assertStatus().equals(200)] }])).toEqual([
      ["VIG2045", "checks.0.assertions.0.source", "a TCP check has no status to assert on"],
      ["VIG2032", "checks.0.tcp.timeout", "timeout 5s is not shorter than the interval 5s"],
    ]);
  });
});
