/** Usage errors of `vigil promql`, in their own module so the CLI can catch them without loading the front end. */
export class PromqlUsageError extends Error {}
