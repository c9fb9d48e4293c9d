/** The mtail target: per service with `logs.metrics`, the program that counts them (`mtail/<service>.mtail`). */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";
import { mtailProgramPath, renderMtailProgram } from "./program.js";

export { mtailProgramPath } from "./program.js";

export function emitMtail(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files = model.services.flatMap((s) => (s.logMetrics?.length ? [{ path: mtailProgramPath(s), content: renderMtailProgram(s, s.logMetrics) }] : []));
  return { files, diagnostics: [] };
}
