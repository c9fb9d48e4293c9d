/**
 * probe/plaintext-secret: a check or journey sends a secret over plain http. A password,
 * token or API key taken from the environment (`env("X")`), or a token a journey extracted,
 * travels in the clear to every network hop between the probe and the target, and is repeated
 * on every run, every minute, forever. The probe's own traffic is the most predictable secret
 * leak there is.
 *
 * Reports each request whose URL starts with `http://` and that puts an environment value or
 * an extracted value into its URL, a header or its body. Internal plaintext endpoints without
 * credentials (`http://api:8000/health`) are fine, and so is loopback (`localhost`,
 * `127.x.x.x`, `[::1]`): nothing leaves the host.
 */
import type { ProbeRequest, TextTemplate, JsonTemplate } from "../../../probes/config.js";
import type { SpecRef } from "../../../diagnostics/index.js";
import type { LintRule } from "../../types.js";

/** Where a request carries a secret: `header authorization`, `the body`, `the URL`. */
function secretPlaces(request: ProbeRequest): string[] {
  const secret = (t: TextTemplate) => t.some((p) => !("text" in p));
  const inJson = (v: JsonTemplate): boolean =>
    v.kind === "ref" || (v.kind === "string" && secret(v.value)) || (v.kind === "array" && v.items.some(inJson)) || (v.kind === "object" && v.entries.some(([, x]) => inJson(x)));
  const places: string[] = [];
  if (secret(request.url)) places.push("the URL");
  for (const [name, value] of Object.entries(request.headers)) if (secret(value)) places.push(`header ${name}`);
  const body = request.body;
  if (body && (body.kind === "text" ? secret(body.value) : inJson(body.value))) places.push("the body");
  return places;
}

/** Plain http to another host: loopback traffic (a sidecar, a test target) passes no network hop. */
function plainHttp(request: ProbeRequest): boolean {
  const first = request.url[0];
  if (first === undefined || !("text" in first)) return false;
  const m = /^http:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(first.text);
  return m !== null && !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(m[1]!);
}

export const rule: LintRule = {
  meta: { id: "probe/plaintext-secret", severity: "error", description: "a check or journey sends a secret or a token over plain http" },
  check(ctx) {
    const service = ctx.service;
    if (!service?.probes) return;
    const requests: { what: string; at: SpecRef; request: ProbeRequest }[] = [
      ...service.probes.checks.map((c) => ({ what: `check "${c.name}"`, at: { ...c.at, path: [...c.at.path, "request", "url"] }, request: c.request })),
      ...service.probes.journeys.flatMap((j) =>
        j.steps.map((s, k) => ({ what: `step "${s.name}" of journey "${j.name}"`, at: { ...j.at, path: [...j.at.path, "steps", k, "request", "url"] }, request: s.request })),
      ),
    ];
    for (const r of requests) {
      if (!plainHttp(r.request)) continue;
      const places = secretPlaces(r.request);
      if (!places.length) continue;
      ctx.report({
        message: `${r.what} sends a secret over plain http (in ${places.join(", ")})`,
        hint: "use https:// for the target, or a credential that is worthless outside the probe's network",
        at: r.at,
      });
    }
  },
};
