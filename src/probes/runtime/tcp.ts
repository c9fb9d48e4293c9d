import net from "node:net";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import type { ProbeTcpTarget } from "../config.js";
import { ProbeError } from "./errors.js";
import { earliestExpiry } from "./http.js";

/** Seconds per phase of a TCP check (the HTTP phases without processing and transfer). */
export interface TcpPhases {
  resolve: number;
  connect: number;
  tls: number;
}

export interface TcpResult {
  phases: TcpPhases;
  /** Connect (and handshake) time. */
  durationMs: number;
}

/** What a connection learnt even when it failed: whether TLS was tried and the certificate. */
export interface TcpTrace {
  tls: boolean;
  /** Unix seconds of the earliest `valid_to` in the peer chain. */
  certExpiry: number | undefined;
}

/**
 * Opens a TCP connection to the target and, with `tls`, completes a TLS handshake on it; then
 * closes it at once (nothing is sent). One deadline covers resolve, connect and handshake.
 * Rejects with a {@link ProbeError} (timeout, shutdown) or a Node error (refused, reset, DNS,
 * certificate), which `reasonOf` maps to the failure reason.
 */
export function tcpConnect(target: ProbeTcpTarget, trace: TcpTrace, signal?: AbortSignal): Promise<TcpResult> {
  return new Promise<TcpResult>((resolve, reject) => {
    const t0 = performance.now();
    const phases: TcpPhases = { resolve: 0, connect: 0, tls: 0 };
    trace.tls = target.tls !== undefined;
    trace.certExpiry = undefined;
    let tLookup = t0;
    let done = false;
    let raw: Socket | undefined;
    let secure: tls.TLSSocket | undefined;

    const finish = (err: Error | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      secure?.destroy();
      raw?.destroy();
      if (err) reject(err);
      else resolve({ phases, durationMs: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish(new ProbeError("timeout", `timed out after ${target.timeoutMs} ms`)), target.timeoutMs);
    const onAbort = (): void => finish(new ProbeError("http_error", "aborted (shutting down)"));
    if (signal) {
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
    }

    const handshake = (sock: Socket, settings: NonNullable<ProbeTcpTarget["tls"]>, connectedAt: number): void => {
      const options: tls.ConnectionOptions = { socket: sock, rejectUnauthorized: !settings.insecureSkipVerify };
      // SNI takes host names only; an address is checked against the certificate's IP entries.
      if (net.isIP(settings.serverName) === 0) options.servername = settings.serverName;
      else options.host = settings.serverName;
      options.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(settings.serverName, cert);
      try {
        secure = tls.connect(options);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      secure.on("error", (err) => finish(err));
      secure.once("secureConnect", () => {
        phases.tls = (performance.now() - connectedAt) / 1000;
        try {
          trace.certExpiry = earliestExpiry(secure!.getPeerCertificate(true));
        } catch {
          trace.certExpiry = undefined;
        }
        finish(undefined);
      });
    };

    try {
      raw = net.connect({ host: target.host, port: target.port });
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    raw.once("lookup", () => {
      tLookup = performance.now();
      phases.resolve = (tLookup - t0) / 1000;
    });
    raw.on("error", (err) => finish(err));
    raw.once("connect", () => {
      const now = performance.now();
      phases.connect = (now - tLookup) / 1000;
      if (target.tls) handshake(raw!, target.tls, now);
      else finish(undefined);
    });
  });
}
