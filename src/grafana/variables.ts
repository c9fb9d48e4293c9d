/**
 * Grafana's query variables, replaced by values of the right type so a panel query can go
 * through the PromQL checker and promtool: interval variables by durations, `$__range`-style
 * by a duration, template variables (`$env`, `${env}`, `[[env]]`) by a label-value-shaped word.
 */
const INTERVALS: Record<string, string> = {
  __rate_interval: "5m",
  __interval: "1m",
  __range: "1h",
  __interval_ms: "60000",
  __range_ms: "3600000",
  __range_s: "3600",
};

/** `$name`, `${name}` / `${name:format}`, `[[name]]`. */
const VARIABLE = /\$\{([A-Za-z_]\w*)(?::[a-z]+)?\}|\[\[([A-Za-z_]\w*)\]\]|\$([A-Za-z_]\w*)/g;

export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(VARIABLE, (_, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    return INTERVALS[name] ?? "x";
  });
}

const NUMERIC = new Set(["__interval_ms", "__range_ms", "__range_s"]);

/** A Grafana variable reference in a query: its name and the characters [start, end) it spans. */
export interface GrafanaVariableRef {
  name: string;
  start: number;
  end: number;
}

export function grafanaVariableRefs(expr: string): GrafanaVariableRef[] {
  return [...expr.matchAll(VARIABLE)].map((m) => ({ name: (m[1] ?? m[2] ?? m[3])!, start: m.index, end: m.index + m[0].length }));
}

/**
 * Like `substituteGrafanaVariables`, but every variable is replaced by text of its own length
 * (`$__rate_interval` by `000000000000005m`, `$instance` by `xxxxxxxxx`), so positions in the
 * checked text are positions in the user's text.
 */
export function sameLengthGrafanaVariables(expr: string): string {
  return expr.replace(VARIABLE, (m: string, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    if (NUMERIC.has(name)) return "1".padStart(m.length, "0");
    if (INTERVALS[name] !== undefined) return INTERVALS[name].padStart(m.length, "0");
    return "x".repeat(m.length);
  });
}
