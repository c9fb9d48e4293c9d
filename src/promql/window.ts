/**
 * The `{{window}}` placeholder of SLI queries (Sloth's `{{.window}}` spelling is accepted too).
 * For checking, a placeholder is replaced by a duration of the same length, so positions in
 * the checked text are positions in the user's text.
 */
export const WINDOW = "{{window}}";
/** Internal placeholder for the window in seconds (boolean SLIs divide sample counts by it). */
export const WINDOW_SECONDS = "{{window_seconds}}";

export const WINDOW_PLACEHOLDER_PATTERN = /\{\{\s*\.?window\s*\}\}/g;

// `test` with a /g regex is stateful; callers get a fresh-state check.
const HAS_PLACEHOLDER = /\{\{\s*\.?window\s*\}\}/;
export function hasWindowPlaceholder(text: string): boolean {
  return HAS_PLACEHOLDER.test(text);
}

/** The text with each placeholder replaced by a same-length `5m` (`0000005m`). */
export function sameLengthWindow(text: string): string {
  return text.replace(WINDOW_PLACEHOLDER_PATTERN, (m) => "5m".padStart(m.length, "0"));
}

/** Fills in a query template for a window. */
export function fillWindow(template: string, windowText: string, windowSeconds: number): string {
  return template.split(WINDOW).join(windowText).split(WINDOW_SECONDS).join(String(windowSeconds));
}
