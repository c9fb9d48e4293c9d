/**
 * Saved object ids: name-based UUIDs (RFC 4122 version 5, SHA-1) of what the object is for, so
 * a re-import overwrites the objects of the previous one and the output never changes by itself.
 */
import { createHash } from "node:crypto";

/** RFC 4122's namespace for DNS names. */
const DNS_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash("sha1").update(Buffer.from(namespace.replace(/-/g, ""), "hex")).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespace of every id Vigil gives a Kibana saved object. */
export const VIGIL_KIBANA_NAMESPACE = uuidV5("kibana.vigil.dev", DNS_NAMESPACE);

/** The id of a saved object of `type` for service `service`, named by `parts` (a route, a category, a dashboard name). */
export function savedObjectId(type: string, service: string, ...parts: (string | number)[]): string {
  return uuidV5(JSON.stringify([type, service, ...parts]), VIGIL_KIBANA_NAMESPACE);
}
