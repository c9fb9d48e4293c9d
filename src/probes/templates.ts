/**
 * What a probe request sends, as templates: its URL, each header, and its body's texts (a JSON
 * body's strings and whole extracted values, each with the key it sits under). One walk for
 * everything that asks "where do secrets go": the lint rules and the bundle's `--check`.
 */
import type { JsonTemplate, ProbeRequest, ProbesConfig, TextTemplate } from "./config.js";

export interface SentTemplate {
  where: "url" | "header" | "body";
  /** `header`: its (lower-case) name. */
  header?: string;
  /** A JSON body's value: the object key it sits under ("" at the top). */
  key?: string;
  parts: TextTemplate;
}

export function sentTemplates(request: ProbeRequest): SentTemplate[] {
  const out: SentTemplate[] = [{ where: "url", parts: request.url }];
  for (const [header, parts] of Object.entries(request.headers)) out.push({ where: "header", header, parts });
  const body = request.body;
  if (body?.kind === "text") out.push({ where: "body", parts: body.value });
  if (body?.kind === "json") {
    const walk = (v: JsonTemplate, key: string): void => {
      if (v.kind === "string") out.push({ where: "body", key, parts: v.value });
      else if (v.kind === "ref") out.push({ where: "body", key, parts: [{ ref: v.ref }] });
      else if (v.kind === "array") v.items.forEach((x) => walk(x, key));
      else if (v.kind === "object") v.entries.forEach(([k, x]) => walk(x, k));
    };
    walk(body.value, "");
  }
  return out;
}

/** The environment variables a config's requests read, sorted. */
export function envNames(config: ProbesConfig): string[] {
  const requests = [...config.checks.flatMap((c) => ("request" in c ? [c.request] : [])), ...config.journeys.flatMap((j) => j.steps.map((s) => s.request))];
  const names = requests.flatMap((r) => sentTemplates(r).flatMap((t) => t.parts.flatMap((p) => ("env" in p ? [p.env] : []))));
  return [...new Set(names)].sort();
}
