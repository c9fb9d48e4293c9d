import type { IncomingHttpHeaders } from "node:http";
import type { JsonPath, ProbeExtraction } from "../config.js";
import { regexpExtract } from "../regexp.js";
import { ProbeError } from "./errors.js";
import type { JsonValue } from "./template.js";

/** A response as assertions and extractions see it; the body is decoded and parsed at most once, on demand. */
export class ResponseView {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly durationMs: number;
  private readonly body: Buffer | undefined;
  private text: string | undefined;
  private json: { ok: true; value: JsonValue } | { ok: false; reason: "invalid_json" | "body_too_large"; message: string } | undefined;

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

  /**
   * The parsed body; a ProbeError `invalid_json`, or `body_too_large` when it nests deeper or
   * holds more objects and arrays than {@link jsonShapeProblem} allows (checked before parsing).
   */
  jsonBody(): JsonValue {
    if (this.json === undefined) {
      const text = this.textBody();
      const problem = jsonShapeProblem(text);
      if (problem !== undefined) this.json = { ok: false, reason: "body_too_large", message: `the JSON body ${problem}: not parsed` };
      else {
        try {
          this.json = { ok: true, value: JSON.parse(text) as JsonValue };
        } catch {
          this.json = { ok: false, reason: "invalid_json", message: "the response body is not valid JSON" };
        }
      }
    }
    if (!this.json.ok) throw new ProbeError(this.json.reason, this.json.message);
    return this.json.value;
  }
}

/** Deeper than this, a JSON body is not parsed (real APIs nest a few dozen levels at most). */
export const MAX_JSON_DEPTH = 256;
/**
 * More objects and arrays than this, and a JSON body is not parsed. Each costs V8 50–100 bytes
 * once parsed, so a 10 MiB body of `[[[[…` or `[{},{},…` took 330–550 MB to parse (600 MB peak
 * RSS for one run); within both bounds a 10 MiB body of any shape parses in ~120 MB or less.
 */
export const MAX_JSON_CONTAINERS = 500_000;

/**
 * Why a JSON text must not be parsed (too deep, too many containers), or undefined. One pass
 * over the characters, strings skipped; it does not validate (JSON.parse does, after).
 */
export function jsonShapeProblem(text: string, maxDepth = MAX_JSON_DEPTH, maxContainers = MAX_JSON_CONTAINERS): string | undefined {
  let depth = 0;
  let containers = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
      if (++containers > maxContainers) return `holds more than ${maxContainers} objects and arrays`;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return undefined;
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
      const value = regexpExtract(ex.regex, res.textBody());
      if (value === undefined) throw new ProbeError("extraction", `${ex.name}: /${ex.regex}/ did not match`);
      return value;
    }
  }
}
