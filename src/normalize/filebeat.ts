/**
 * `logs.source.filebeat` → what the Filebeat target writes: the beats input it ships to and the
 * inputs it reads. Checked here, located (VIG2046), so the emitter only renders.
 */
import { isIP } from "node:net";
import type { FilebeatModel, LogsModel } from "../model/types.js";
import type { LogsSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { HOST_NAME } from "./probe-tcp.js";

/** Docker's container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`. */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;
export const DOCKER_CONTAINER_LOGS = "/var/lib/docker/containers/*/*.log";

export function normalizeFilebeat(spec: LogsSpec, source: LogsModel["source"], ctx: NormalizeContext): FilebeatModel | undefined {
  const fb = spec.source?.filebeat;
  if (!fb) return undefined;
  const at: Path = ["logs", "source", "filebeat"];
  if (source.kind !== "beats") {
    ctx.report("VIG2046", `a ${source.kind} source is not fed by Filebeat`, at, { key: true, hint: 'Filebeat ships to a beats input: source: { kind: "beats", port: 5044, filebeat: { ... } }' });
    return undefined;
  }
  const host = /^\[(.*)\]$/.exec(fb.logstashHost)?.[1] ?? fb.logstashHost;
  if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    ctx.report("VIG2046", `"${fb.logstashHost}" is not a host name or address`, [...at, "logstashHost"], { hint: `the port is the beats input's (${source.port}): e.g. logstashHost: "logstash"` });
  }
  const absolute = (paths: readonly string[], where: Path): string[] =>
    paths.map((p, k) => {
      // Filebeat resolves a relative glob against its own working directory: not where the service writes.
      if (!p.startsWith("/")) ctx.report("VIG2046", `log path "${p}" is not absolute`, [...where, k], { hint: "give the path as Filebeat's host (or container) sees it, e.g. /app/logs/*.log" });
      if (/[\u0000-\u001f]/.test(p)) ctx.report("VIG2046", `log path "${p}" holds a control character`, [...where, k]);
      return p;
    });
  const model: FilebeatModel = { logstash: `${isIP(host) === 6 ? `[${host}]` : host}:${source.port}`, files: absolute(fb.files ?? [], [...at, "files"]) };
  if (fb.containers) {
    const c = fb.containers;
    model.containers = { paths: c.paths ? absolute(c.paths, [...at, "containers", "paths"]) : [DOCKER_CONTAINER_LOGS], stream: c.stream ?? "all" };
    if (c.name !== undefined) {
      if (!CONTAINER_NAME.test(c.name)) ctx.report("VIG2046", `"${c.name}" is not a container name`, [...at, "containers", "name"], { hint: "Docker names are letters, digits, _, . and -" });
      model.containers.name = c.name;
    }
  }
  if (!model.containers && !model.files.length) ctx.report("VIG2046", "Filebeat has nothing to read", at, { key: true, hint: 'give containers: {} (Docker\'s logs) or files: ["/app/logs/*.log"]' });
  return model;
}
