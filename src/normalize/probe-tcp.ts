/**
 * A TCP connect check's target, from spec data to the probe bundle's config form: a host the
 * runtime can connect to (a name or an address, never a URL or `host:port`), a port, one
 * deadline and optional TLS. Its assertions can only time the connection: there is no response.
 */
import { isIP } from "node:net";
import type { ProbeAssertion, ProbeTcpTarget } from "../probes/config.js";
import type { AssertionSpec, TcpCheckSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { probeAssertion } from "./probe-requests.js";

const DEFAULT_TIMEOUT_MS = 10_000;
/** DNS names as resolvers take them; `_` too, as Docker and Kubernetes service names use it. */
export const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** `[::1]` → `::1`; undefined (and a VIG2045) when it is no host. */
function host(spec: string, at: Path, ctx: NormalizeContext): string {
  const bare = /^\[(.*)\]$/.exec(spec)?.[1] ?? spec;
  if (isIP(bare) !== 0 || HOST_NAME.test(bare)) return bare;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec);
  const port = /^([^:[\]]+):(\d+)$/.exec(spec);
  const hint = scheme
    ? `a TCP check takes a host, not a URL: host: "${spec.slice(scheme[0].length).replace(/[/:].*$/, "")}"`
    : port
      ? `give the port apart: host: "${port[1]}", port: ${port[2]}`
      : "a host name (e.g. postgres, crm.example.com) or an IP address";
  ctx.report("VIG2045", `"${spec}" is not a host name or address`, at, { hint });
  return spec;
}

export function probeTcpTarget(spec: TcpCheckSpec, at: Path, ctx: NormalizeContext): ProbeTcpTarget {
  const target: ProbeTcpTarget = {
    host: host(spec.host, [...at, "host"], ctx),
    port: spec.port,
    timeoutMs: ctx.interval(spec.timeout, DEFAULT_TIMEOUT_MS, [...at, "timeout"]),
  };
  if (spec.tls) {
    const serverName = spec.tls.serverName ?? target.host;
    if (spec.tls.serverName !== undefined) host(spec.tls.serverName, [...at, "tls", "serverName"], ctx);
    target.tls = { serverName, insecureSkipVerify: spec.tls.insecureSkipVerify ?? false };
    if (spec.tls.minValidityDays !== undefined) target.tls.minValidityDays = spec.tls.minValidityDays;
  }
  return target;
}

/** A TCP check's assertions: on the connect (and handshake) time only; none by default. */
export function tcpAssertions(specs: readonly AssertionSpec[] | undefined, path: Path, ctx: NormalizeContext): ProbeAssertion[] {
  return (specs ?? []).flatMap((a, k) => {
    const at: Path = [...path, "assertions", k];
    if (a.source !== "responseTime") {
      ctx.report("VIG2045", `a TCP check has no ${a.source === "status" ? "status" : a.source === "header" ? "headers" : "body"} to assert on`, [...at, "source"], {
        hint: "a TCP check asserts on responseTime only (connect and handshake, in ms); use request for an HTTP check",
      });
      return [];
    }
    return [probeAssertion(a, at, ctx)];
  });
}
