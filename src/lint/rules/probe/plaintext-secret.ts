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
import type { ProbeRequest } from "../../../probes/config.js";
import { sentTemplates } from "../../../probes/templates.js";
import { probeRequests } from "../../probe-requests.js";
import type { LintRule } from "../../types.js";

/** Where a request carries a secret: `the URL`, `header authorization`, `the body`. */
function secretPlaces(request: ProbeRequest): string[] {
  const places = sentTemplates(request)
    .filter((t) => t.parts.some((p) => !("text" in p)))
    .map((t) => (t.where === "url" ? "the URL" : t.where === "header" ? `header ${t.header}` : "the body"));
  return [...new Set(places)];
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
    if (!service) return;
    for (const r of probeRequests(service)) {
      if (!plainHttp(r.request)) continue;
      const places = secretPlaces(r.request);
      if (!places.length) continue;
      ctx.report({
        message: `${r.what} sends a secret over plain http (in ${places.join(", ")})`,
        hint: "use https:// for the target, or a credential that is worthless outside the probe's network",
        at: { ...r.at, path: [...r.at.path, "url"] },
      });
    }
  },
};
