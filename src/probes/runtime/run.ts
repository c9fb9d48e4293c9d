import { performance } from "node:perf_hooks";
import type { FailureReason, ProbeAssertion, ProbeCheck, ProbeExtraction, ProbeJourney, ProbeRequest, ProbeTcpTarget } from "../config.js";
import { evaluate, truncate } from "./assert.js";
import { describeError, ProbeError, reasonOf } from "./errors.js";
import { extractValue, ResponseView } from "./extract.js";
import { httpRequest, type HttpPhases, type HttpTrace } from "./http.js";
import { tcpConnect, type TcpTrace } from "./tcp.js";
import { redact, refKey, renderJson, renderText, type TemplateContext } from "./template.js";
import { LOCATION_HEADER } from "./location.js";

export interface StepOutcome {
  name: string;
  success: boolean;
  durationMs: number;
}

/** The outcome of one run of a check (all its attempts) or a journey (its steps up to the first failure). */
export interface RunResult {
  kind: "check" | "journey";
  name: string;
  /** The service it belongs to (names are unique per service only). */
  service?: string;
  success: boolean;
  /** Wall time of the whole run, retries and backoff included. */
  durationMs: number;
  /** Status of the last response; 0 when no response arrived. */
  status: number;
  reason?: FailureReason;
  /** Journeys: the step that failed. */
  step?: string;
  /** Why it failed: assertion label, expected vs actual, or the error; secrets redacted; ≤ 200 chars. */
  message?: string;
  /** Checks: phase timings of the last attempt (absent when no request was sent). */
  phases?: HttpPhases;
  /** Whether the last request sent was https (or the TCP check's handshake TLS); undefined when none was sent. */
  https?: boolean;
  /** Unix seconds: the earliest expiry in the last https request's peer chain. */
  certExpiry?: number;
  /** Journeys: the steps that ran, in order. */
  steps?: StepOutcome[];
  /** Checks: attempts made (1 + retries used). */
  attempts: number;
}

export interface RunOptions {
  /** Where `{env}` template parts are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborts in-flight requests and backoff waits (shutdown). */
  signal?: AbortSignal;
  /** `--location`: sent as `x-vigil-location` unless the request sets that header. */
  location?: string;
}

interface Attempt {
  ok: boolean;
  reason?: FailureReason;
  message?: string;
  status: number;
  https?: boolean;
  certExpiry?: number;
  phases?: HttpPhases;
}

function needsBody(assertions: ProbeAssertion[], extract: ProbeExtraction[]): boolean {
  for (const a of assertions) if (a.subject.kind === "jsonBody" || a.subject.kind === "textBody") return true;
  for (const e of extract) if (e.from !== "header") return true;
  return false;
}

function fail(reason: FailureReason, message: string, ctx: TemplateContext, partial: Omit<Attempt, "ok" | "reason" | "message">): Attempt {
  return { ok: false, reason, message: truncate(redact(message, ctx.secrets)), ...partial };
}

/** One request with its assertions and extractions (extracted values go into `ctx.refs` under `step`). */
export async function executeRequest(
  request: ProbeRequest,
  assertions: ProbeAssertion[],
  extract: ProbeExtraction[],
  ctx: TemplateContext,
  step: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  let url: string;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  try {
    url = renderText(request.url, ctx);
    for (const name of Object.keys(request.headers)) {
      const tpl = request.headers[name];
      if (tpl) headers[name.toLowerCase()] = renderText(tpl, ctx);
    }
    if (ctx.location !== undefined) headers[LOCATION_HEADER] ??= ctx.location;
    if (request.body?.kind === "json") {
      body = JSON.stringify(renderJson(request.body.value, ctx));
      if (headers["content-type"] === undefined) headers["content-type"] = "application/json";
    } else if (request.body?.kind === "text") {
      body = renderText(request.body.value, ctx);
      if (headers["content-type"] === undefined) headers["content-type"] = "text/plain; charset=utf-8";
    }
  } catch (err) {
    return fail(reasonOf(err), describeError(err), ctx, { status: 0 });
  }

  const trace: HttpTrace = { url, https: url.startsWith("https:"), status: 0, certExpiry: undefined };
  const opts = {
    method: request.method,
    url,
    headers,
    timeoutMs: request.timeoutMs,
    followRedirects: request.followRedirects,
    maxBodyBytes: request.maxBodyBytes,
    insecureSkipVerify: request.tls.insecureSkipVerify,
    keepBody: needsBody(assertions, extract),
    ...(body !== undefined ? { body } : {}),
    ...(signal ? { signal } : {}),
  };
  let res;
  try {
    res = await httpRequest(opts, trace);
  } catch (err) {
    return fail(reasonOf(err), describeError(err), ctx, {
      status: trace.status,
      https: trace.https,
      ...(trace.certExpiry !== undefined ? { certExpiry: trace.certExpiry } : {}),
    });
  }
  const partial: Omit<Attempt, "ok"> = {
    status: res.status,
    https: trace.https,
    phases: res.phases,
    ...(trace.certExpiry !== undefined ? { certExpiry: trace.certExpiry } : {}),
  };

  const minDays = request.tls.minValidityDays;
  if (trace.https && minDays !== undefined && trace.certExpiry !== undefined) {
    const daysLeft = (trace.certExpiry - Date.now() / 1000) / 86400;
    if (daysLeft < minDays) {
      return fail("cert_expiring", `certificate expires in ${daysLeft.toFixed(1)} days (minimum ${minDays})`, ctx, partial);
    }
  }

  const view = new ResponseView(res.status, res.headers, res.body, res.durationMs);
  for (const assertion of assertions) {
    const outcome = evaluate(assertion, view);
    if (!outcome.ok) return fail(outcome.reason, outcome.message, ctx, partial);
  }
  for (const ex of extract) {
    try {
      const value = extractValue(ex, view);
      ctx.refs.set(refKey(step ?? "", ex.name), value);
    } catch (err) {
      return fail(reasonOf(err), describeError(err), ctx, partial);
    }
  }
  return { ok: true, ...partial };
}

/** One TCP connect (and TLS handshake): its only assertions are on the time it took. */
export async function executeTcp(target: ProbeTcpTarget, assertions: ProbeAssertion[], signal: AbortSignal | undefined): Promise<Attempt> {
  const ctx: TemplateContext = { env: {}, refs: new Map(), secrets: new Set() };
  const trace: TcpTrace = { tls: target.tls !== undefined, certExpiry: undefined };
  const seen = (): Omit<Attempt, "ok"> => ({ status: 0, https: trace.tls, ...(trace.certExpiry !== undefined ? { certExpiry: trace.certExpiry } : {}) });
  let res;
  try {
    res = await tcpConnect(target, trace, signal);
  } catch (err) {
    return fail(reasonOf(err), describeError(err), ctx, seen());
  }
  const minDays = target.tls?.minValidityDays;
  if (minDays !== undefined && trace.certExpiry !== undefined) {
    const daysLeft = (trace.certExpiry - Date.now() / 1000) / 86400;
    if (daysLeft < minDays) return fail("cert_expiring", `certificate expires in ${daysLeft.toFixed(1)} days (minimum ${minDays})`, ctx, seen());
  }
  const view = new ResponseView(0, {}, undefined, res.durationMs);
  for (const assertion of assertions) {
    const outcome = evaluate(assertion, view);
    if (!outcome.ok) return fail(outcome.reason, outcome.message, ctx, seen());
  }
  return { ok: true, ...seen() };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function newContext(opts: RunOptions): TemplateContext {
  return { env: opts.env ?? process.env, refs: new Map(), secrets: new Set(), ...(opts.location !== undefined ? { location: opts.location } : {}) };
}

function toResult(kind: "check" | "journey", probe: ProbeCheck | ProbeJourney, start: number, a: Attempt): RunResult {
  const r: RunResult = { kind, name: probe.name, service: probe.service, success: a.ok, durationMs: performance.now() - start, status: a.status, attempts: 1 };
  if (a.reason !== undefined) r.reason = a.reason;
  if (a.message !== undefined) r.message = a.message;
  if (a.https !== undefined) r.https = a.https;
  if (a.certExpiry !== undefined) r.certExpiry = a.certExpiry;
  return r;
}

/** Deterministic failures that a retry cannot fix. */
const NOT_RETRIED = new Set<FailureReason>(["missing_env"]);

/** One run of a check: the first attempt and up to `retries` more, waiting `backoffMs`, doubled each time. */
export async function runCheck(check: ProbeCheck, opts: RunOptions = {}): Promise<RunResult> {
  const start = performance.now();
  let attempts = 0;
  let a: Attempt;
  for (;;) {
    attempts++;
    a = "tcp" in check ? await executeTcp(check.tcp, check.assertions, opts.signal) : await executeRequest(check.request, check.assertions, [], newContext(opts), undefined, opts.signal);
    if (a.ok || attempts > check.retries || opts.signal?.aborted || (a.reason && NOT_RETRIED.has(a.reason))) break;
    await sleep(check.backoffMs * 2 ** (attempts - 1), opts.signal);
    if (opts.signal?.aborted) break;
  }
  const result = toResult("check", check, start, a);
  result.attempts = attempts;
  if (a.phases) result.phases = a.phases;
  return result;
}

/** One run of a journey: its steps in order, values flowing forward; the first failing step ends it. */
export async function runJourney(journey: ProbeJourney, opts: RunOptions = {}): Promise<RunResult> {
  const start = performance.now();
  const ctx = newContext(opts);
  const steps: StepOutcome[] = [];
  let last: Attempt = { ok: true, status: 0 };
  let failedStep: string | undefined;
  for (const step of journey.steps) {
    const t = performance.now();
    last = await executeRequest(step.request, step.assertions, step.extract, ctx, step.name, opts.signal);
    steps.push({ name: step.name, success: last.ok, durationMs: performance.now() - t });
    if (!last.ok) {
      failedStep = step.name;
      break;
    }
  }
  const result = toResult("journey", journey, start, last);
  result.steps = steps;
  if (failedStep !== undefined) result.step = failedStep;
  return result;
}

export function isJourney(probe: ProbeCheck | ProbeJourney): probe is ProbeJourney {
  return "steps" in probe;
}

/** Runs a check or a journey once. */
export function runProbeOnce(probe: ProbeCheck | ProbeJourney, opts: RunOptions = {}): Promise<RunResult> {
  return isJourney(probe) ? runJourney(probe, opts) : runCheck(probe, opts);
}
