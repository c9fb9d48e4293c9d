/**
 * How `compile`, `check` and `lint` print their diagnostics (`--format`): human (the tsc-style
 * renderer, on stderr) or a machine format on stdout — json, github (workflow annotations) or
 * sarif (SARIF 2.1.0). Machine formats always print one whole document, even when empty.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import { renderDiagnostics, summarize } from "../diagnostics/render.js";
import { toGithub, toJson, toSarif } from "../lint/report/formats.js";
import { OptionError } from "./options.js";

export const FORMATS = ["human", "json", "github", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  color: boolean;
}

/** `--format` → a Format (human when not given); an OptionError (exit 2) otherwise. */
export function parseFormat(text: string | undefined): Format {
  const format = text ?? "human";
  if (!isFormat(format)) throw new OptionError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
  return format;
}

function isFormat(text: string): text is Format {
  return (FORMATS as readonly string[]).includes(text);
}

/** Prints diagnostics in the order given (the compiler's order is already stable). */
export function reportDiagnostics(sorted: readonly Diagnostic[], format: Format, io: ReportIo): void {
  if (format === "json") io.stdout(toJson(sorted, io.cwd));
  else if (format === "github") io.stdout(toGithub(sorted, io.cwd));
  else if (format === "sarif") io.stdout(toSarif(sorted, io.cwd));
  else if (sorted.length) io.stderr(renderDiagnostics(sorted, { cwd: io.cwd, color: io.color }) + "\n\n" + summarize(sorted) + "\n");
}

/** Where a command's one-line summary goes: stdout, unless stdout holds a machine format's document. */
export function summaryWriter(format: Format, io: ReportIo): (text: string) => void {
  return format === "human" ? io.stdout : io.stderr;
}
