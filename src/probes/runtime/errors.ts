import type { FailureReason } from "../config.js";

/** A failure with its `reason` label already decided. */
export class ProbeError extends Error {
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string) {
    super(message);
    this.name = "ProbeError";
    this.reason = reason;
  }
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "HOSTNAME_MISMATCH",
  "EPROTO",
]);

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** The failure reason of an error thrown while making a request. */
export function reasonOf(err: unknown): FailureReason {
  if (err instanceof ProbeError) return err.reason;
  const code = errorCode(err);
  if (code !== undefined) {
    switch (code) {
      case "ETIMEDOUT":
      case "ESOCKETTIMEDOUT":
        return "timeout";
      case "ECONNREFUSED":
        return "connection_refused";
      case "ECONNRESET":
      case "EPIPE":
      case "ECONNABORTED":
        return "connection_reset";
      case "ENOTFOUND":
      case "EAI_AGAIN":
      case "EAI_FAIL":
      case "EAI_NONAME":
      case "EAI_NODATA":
        return "dns";
    }
    if (TLS_CODES.has(code) || code.startsWith("CERT_") || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) {
      return "tls";
    }
  }
  if (err instanceof Error) {
    if (/socket hang up/i.test(err.message)) return "connection_reset";
    if ("library" in err && typeof (err as { library: unknown }).library === "string") return "tls";
  }
  return "http_error";
}

/** A one-line description of an error (its code and message), for logs. */
export function describeError(err: unknown): string {
  if (err instanceof ProbeError) return err.message;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined && !message.includes(code)) return `${code}: ${message}`;
  return message;
}
