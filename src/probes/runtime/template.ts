import type { JsonTemplate, TextTemplate } from "../config.js";
import { ProbeError } from "./errors.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Values extracted by earlier steps of a journey, keyed by {@link refKey}. */
export type RefValues = Map<string, JsonValue>;

export interface TemplateContext {
  env: Readonly<Record<string, string | undefined>>;
  refs: RefValues;
  /** Collects every environment and extracted value used, so messages can redact them. */
  secrets: Set<string>;
  /** The runtime's `--location`, sent as a request header. */
  location?: string;
}

export function refKey(step: string, name: string): string {
  return `${step}\u0000${name}`;
}

/** The string form of a JSON value: strings as they are, other values as JSON. */
export function textOf(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function lookupRef(ctx: TemplateContext, step: string, name: string): JsonValue {
  const value = ctx.refs.get(refKey(step, name));
  if (value === undefined) throw new ProbeError("extraction", `no value ${name} was extracted by step ${step}`);
  ctx.secrets.add(textOf(value));
  return value;
}

export function renderText(template: TextTemplate, ctx: TemplateContext): string {
  let out = "";
  for (const part of template) {
    if ("text" in part) out += part.text;
    else if ("env" in part) {
      const value = ctx.env[part.env];
      if (value === undefined) throw new ProbeError("missing_env", `environment variable ${part.env} is not set`);
      ctx.secrets.add(value);
      out += value;
    } else out += textOf(lookupRef(ctx, part.ref.step, part.ref.name));
  }
  return out;
}

export function renderJson(template: JsonTemplate, ctx: TemplateContext): JsonValue {
  switch (template.kind) {
    case "null":
      return null;
    case "boolean":
    case "number":
      return template.value;
    case "string":
      return renderText(template.value, ctx);
    case "ref":
      return lookupRef(ctx, template.ref.step, template.ref.name);
    case "array":
      return template.items.map((item) => renderJson(item, ctx));
    case "object": {
      const obj = Object.create(null) as { [key: string]: JsonValue };
      for (const [key, value] of template.entries) obj[key] = renderJson(value, ctx);
      return obj;
    }
  }
}

/** Replaces every secret (environment or extracted value of 4+ characters) in a message by `***`. */
export function redact(message: string, secrets: ReadonlySet<string>): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("***");
  return out;
}
