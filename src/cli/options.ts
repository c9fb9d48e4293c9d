/** Options shared by the commands that compile specs. */

/** A malformed option value; each command reports it as its usage error (exit 2). */
export class OptionError extends Error {}

/** `--spec-timeout 30s` (or 500ms, 2m, or plain seconds) → milliseconds. */
export function parseSpecTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "m" ? 60_000 : 1000) : NaN;
  if (!(ms >= 1 && ms <= 3_600_000)) throw new OptionError(`--spec-timeout takes a duration between 1ms and 1h, such as 10s or 500ms, got "${text}"`);
  return Math.round(ms);
}
