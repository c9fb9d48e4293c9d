/**
 * Stage 4: every target's emitter, model in, files out. Emitters are pure; the manifest
 * lists every file with its sha256 so `vigil check` and reviewers can see what changed.
 */
import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics/index.js";
import type { Model } from "../model/types.js";
import { emitAlertmanager } from "../alertmanager/index.js";
import { emitFilebeat } from "../filebeat/index.js";
import { emitGrafana } from "../grafana/index.js";
import { emitKibana } from "../kibana/index.js";
import { emitKubernetes } from "../kubernetes/index.js";
import { emitLogstash } from "../logstash/index.js";
import { emitMtail } from "../mtail/index.js";
import { emitPrometheus } from "../prometheus/index.js";
import { emitRuler } from "../ruler/index.js";
import { probeBundle } from "../probes/bundle.js";
import { emitProbes } from "../probes/emit.js";
import { VIGIL_VERSION } from "../version.js";
import type { OutputFile } from "./types.js";

export const MANIFEST_PATH = "manifest.json";

export function emitAll(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const targets = [emitPrometheus(model), emitAlertmanager(model), emitGrafana(model), emitLogstash(model), emitFilebeat(model), emitMtail(model), emitKibana(model), emitProbes(model, probeBundle), emitKubernetes(model, probeBundle), emitRuler(model)];
  const files = targets.flatMap((t) => t.files).sort((a, b) => (a.path < b.path ? -1 : 1));
  files.push(manifest(files));
  return { files, diagnostics: targets.flatMap((t) => t.diagnostics) };
}

export interface Manifest {
  generator: "vigil";
  version: string;
  files: Record<string, string>;
}

function manifest(files: readonly OutputFile[]): OutputFile {
  const content: Manifest = {
    generator: "vigil",
    version: VIGIL_VERSION,
    files: Object.fromEntries(files.map((f) => [f.path, sha256(f.content)])),
  };
  return { path: MANIFEST_PATH, content: JSON.stringify(content, null, 2) + "\n" };
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}
