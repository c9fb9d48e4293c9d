/** File-name stems of a service's Prometheus rule and test files (src/prometheus/rule-files.ts). */

export function sloRulesStem(service: string, slo: string): string {
  return `${service}.slo-${slo}`;
}

/**
 * The file stems a service may write besides its own name's: another service named like one
 * of them would overwrite its files (normalize reports it, case-insensitively).
 */
export function derivedStems(service: { name: string; slos: readonly { name: string }[] }): string[] {
  return [...service.slos.map((s) => sloRulesStem(service.name, s.name)), `${service.name}.history`, `${service.name}.anomalies`, `${service.name}.maintenance`];
}

