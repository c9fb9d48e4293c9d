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

export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{([A-Za-z_]\w*)(?::[a-z]+)?\}|\[\[([A-Za-z_]\w*)\]\]|\$([A-Za-z_]\w*)/g, (_, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    return INTERVALS[name] ?? "x";
  });
}
