import http from "node:http";
import https from "node:https";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import { urlToHttpOptions } from "node:url";
import { performance } from "node:perf_hooks";
import type { HttpMethod } from "../config.js";
import { ProbeError } from "./errors.js";

/** Seconds per phase, summed over redirects (as blackbox_exporter does). */
export interface HttpPhases {
  resolve: number;
  connect: number;
  tls: number;
  processing: number;
  transfer: number;
}

export const PHASES = ["resolve", "connect", "tls", "processing", "transfer"] as const;

export interface HttpRequestOptions {
  method: HttpMethod;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  followRedirects: boolean;
  maxBodyBytes: number;
  insecureSkipVerify: boolean;
  /** Keep the body bytes (only when an assertion or extraction reads them); else they are counted and dropped. */
  keepBody: boolean;
  /** Aborts the request (shutdown). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  /** The URL of the last request (after redirects). */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** Present when `keepBody`. */
  body: Buffer | undefined;
  bodyBytes: number;
  phases: HttpPhases;
  durationMs: number;
  redirects: number;
}

/** What a request learnt even when it failed: the last hop's URL, status and certificate. */
export interface HttpTrace {
  url: string;
  https: boolean;
  status: number;
  /** Unix seconds of the earliest `valid_to` in the peer chain of the last https hop. */
  certExpiry: number | undefined;
}

export const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ["authorization", "cookie", "proxy-authorization"];
const USER_AGENT = "vigil-probes/1";

/** Earliest `valid_to` (unix seconds) in a peer chain, following issuers until a cycle. */
export function earliestExpiry(cert: DetailedPeerCertificate | undefined): number | undefined {
  let minMs = Infinity;
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = cert;
  while (c && typeof c.valid_to === "string" && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    const t = Date.parse(c.valid_to);
    if (Number.isFinite(t) && t < minMs) minMs = t;
    c = c.issuerCertificate;
  }
  return minMs === Infinity ? undefined : Math.floor(minMs / 1000);
}

function newPhases(): HttpPhases {
  return { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
}

interface Hop {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/**
 * One HTTP(S) request with a fresh connection (no keep-alive), phase timings from socket events,
 * redirects (when asked), a body limit and one deadline for the whole exchange. Rejects with a
 * {@link ProbeError} or a Node error; `trace` is filled in as the request progresses.
 */
export function httpRequest(opts: HttpRequestOptions, trace: HttpTrace): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const start = performance.now();
    const phases = newPhases();
    let redirects = 0;
    let current: http.ClientRequest | undefined;
    let done = false;

    const finish = (err: Error | undefined, res?: HttpResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (current && !current.destroyed) current.destroy();
      current = undefined;
      if (err) reject(err);
      else if (res) resolve(res);
    };
    const timer = setTimeout(() => finish(new ProbeError("timeout", `timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = (): void => finish(new ProbeError("http_error", "aborted (shutting down)"));
    if (opts.signal) {
      if (opts.signal.aborted) {
        onAbort();
        return;
      }
      opts.signal.addEventListener("abort", onAbort, { once: true });
    }

    let first: URL;
    try {
      first = new URL(opts.url);
    } catch {
      finish(new ProbeError("http_error", "invalid URL"));
      return;
    }

    const send = (hop: Hop): void => {
      const isHttps = hop.url.protocol === "https:";
      if (!isHttps && hop.url.protocol !== "http:") {
        finish(new ProbeError("http_error", `unsupported URL scheme ${hop.url.protocol}`));
        return;
      }
      trace.url = hop.url.href;
      trace.https = isHttps;
      trace.status = 0;
      trace.certExpiry = undefined;

      const t0 = performance.now();
      let tLookup = t0;
      let tConnected = t0;
      let tSent = t0;
      let req: http.ClientRequest;
      try {
        const base = urlToHttpOptions(hop.url);
        const options: https.RequestOptions = {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: base.path,
          method: hop.method,
          headers: hop.headers,
          agent: false,
        };
        if (base.auth) options.auth = base.auth;
        if (isHttps) options.rejectUnauthorized = !opts.insecureSkipVerify;
        req = (isHttps ? https : http).request(options);
      } catch (err) {
        finish(new ProbeError("http_error", `invalid request: ${err instanceof Error ? err.message : String(err)}`));
        return;
      }
      current = req;

      req.once("socket", (sock: Socket) => {
        sock.once("lookup", () => {
          tLookup = performance.now();
          phases.resolve += (tLookup - t0) / 1000;
        });
        sock.once("connect", () => {
          tConnected = performance.now();
          phases.connect += (tConnected - tLookup) / 1000;
        });
        if (isHttps) {
          sock.once("secureConnect", () => {
            const now = performance.now();
            phases.tls += (now - tConnected) / 1000;
            tConnected = now;
            try {
              trace.certExpiry = earliestExpiry((sock as TLSSocket).getPeerCertificate(true));
            } catch {
              trace.certExpiry = undefined;
            }
          });
        }
      });
      req.once("finish", () => {
        tSent = performance.now();
      });
      // `on`, not `once`: a torn-down request may report a second error, which must not go unheard.
      req.on("error", (err) => {
        if (current === req) finish(err);
      });
      req.once("response", (res: IncomingMessage) => onResponse(hop, req, res, Math.max(tSent, tConnected)));
      req.end(hop.body);
    };

    const onResponse = (hop: Hop, req: http.ClientRequest, res: IncomingMessage, sentAt: number): void => {
      if (done || current !== req) {
        res.destroy();
        return;
      }
      const tFirst = performance.now();
      phases.processing += Math.max(0, tFirst - sentAt) / 1000;
      const status = res.statusCode ?? 0;
      trace.status = status;

      const location = res.headers.location;
      if (opts.followRedirects && REDIRECT_STATUSES.has(status) && typeof location === "string") {
        res.destroy();
        req.destroy();
        if (redirects >= MAX_REDIRECTS) {
          finish(new ProbeError("too_many_redirects", `more than ${MAX_REDIRECTS} redirects`));
          return;
        }
        let next: URL;
        try {
          next = new URL(location, hop.url);
        } catch {
          finish(new ProbeError("http_error", "invalid redirect location"));
          return;
        }
        redirects++;
        const headers = { ...hop.headers };
        let method = hop.method;
        let body = hop.body;
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
          if (method !== "HEAD") method = "GET";
          body = undefined;
          delete headers["content-type"];
          delete headers["content-length"];
        }
        if (next.origin !== hop.url.origin) for (const h of CROSS_ORIGIN_DROPPED) delete headers[h];
        delete headers.host;
        send({ url: next, method, headers, body });
        return;
      }

      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > opts.maxBodyBytes) {
        finish(new ProbeError("body_too_large", `body of ${declared} bytes exceeds the limit of ${opts.maxBodyBytes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      let ended = false;
      res.on("data", (chunk: Buffer) => {
        if (done) return;
        bytes += chunk.length;
        if (bytes > opts.maxBodyBytes) {
          finish(new ProbeError("body_too_large", `body exceeds the limit of ${opts.maxBodyBytes} bytes`));
          return;
        }
        if (opts.keepBody) chunks.push(chunk);
      });
      res.once("end", () => {
        ended = true;
        const tEnd = performance.now();
        phases.transfer += (tEnd - tFirst) / 1000;
        finish(undefined, {
          url: hop.url.href,
          status,
          headers: res.headers,
          body: opts.keepBody ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes)) : undefined,
          bodyBytes: bytes,
          phases,
          durationMs: tEnd - start,
          redirects,
        });
      });
      res.on("error", (err) => finish(err));
      res.once("close", () => {
        if (!ended) finish(new ProbeError("connection_reset", "connection closed before the end of the response body"));
      });
    };

    const headers: Record<string, string> = { ...opts.headers };
    if (headers["user-agent"] === undefined) headers["user-agent"] = USER_AGENT;
    if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
    send({ url: first, method: opts.method, headers, body: opts.body });
  });
}
