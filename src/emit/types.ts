/** What emitters produce: files in memory, keyed by their path under the output directory. */
export interface OutputFile {
  /** POSIX path relative to the output directory, e.g. `prometheus/rules/api.rules.yml`. */
  path: string;
  content: string;
}
