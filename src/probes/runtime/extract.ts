import type { IncomingHttpHeaders } from "node:http";
import type { JsonPath, ProbeExtraction } from "../config.js";
import { ProbeError } from "./errors.js";
import type { JsonValue } from "./template.js";

/** A response as assertions and extractions see it; the body is decoded and parsed at most once, on demand. */
export class ResponseView {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly durationMs: number;
  private readonly body: Buffer | undefined;
  private text: string | undefined;
  private json: { ok: true; value: JsonValue } | { ok: false } | undefined;

  constructor(status: number, headers: IncomingHttpHeaders, body: Buffer | undefined, durationMs: number) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.durationMs = durationMs;
  }

  /** A header's value, case-insensitive; repeated headers joined with `, `. */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  textBody(): string {
    if (this.text === undefined) this.text = this.body ? this.body.toString("utf8") : "";
    return this.text;
  }

  /** The parsed body, or a ProbeError `invalid_json`. */
  jsonBody(): JsonValue {
    if (this.json === undefined) {
      try {
        this.json = { ok: true, value: JSON.parse(this.textBody()) as JsonValue };
      } catch {
        this.json = { ok: false };
      }
    }
    if (!this.json.ok) throw new ProbeError("invalid_json", "the response body is not valid JSON");
    return this.json.value;
  }
}

/** The value at a split JSON path, or undefined when any segment is missing. */
export function atPath(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let value: JsonValue | undefined = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    if (typeof segment === "number") {
      if (!Array.isArray(value)) return undefined;
      value = value[segment];
    } else {
      if (Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
      value = value[segment];
    }
  }
  return value;
}

export function formatPath(path: JsonPath): string {
  let out = "$";
  for (const s of path) out += typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return out;
}

const regexCache = new Map<string, RegExp>();

/** A compiled regexp, cached by source (the set of sources is fixed by the config). */
export function regexOf(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    re = new RegExp(source);
    regexCache.set(source, re);
  }
  return re;
}

/** One extracted value; a ProbeError `extraction` (or `invalid_json`) when there is none. */
export function extractValue(ex: ProbeExtraction, res: ResponseView): JsonValue {
  switch (ex.from) {
    case "jsonBody": {
      const value = atPath(res.jsonBody(), ex.path);
      if (value === undefined) throw new ProbeError("extraction", `${ex.name}: nothing at ${formatPath(ex.path)}`);
      return value;
    }
    case "header": {
      const value = res.header(ex.header);
      if (value === undefined) throw new ProbeError("extraction", `${ex.name}: no header ${ex.header}`);
      return value;
    }
    case "textBody": {
      const m = regexOf(ex.regex).exec(res.textBody());
      const value = m ? (m.length > 1 ? m[1] : m[0]) : undefined;
      if (value === undefined) throw new ProbeError("extraction", `${ex.name}: /${ex.regex}/ did not match`);
      return value;
    }
  }
}
