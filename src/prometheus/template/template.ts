/**
 * Renders Prometheus alert annotation/label templates exactly as
 * Prometheus 2.42 does when an alert fires (rules/alerting.go
 * AlertingRule.Eval → template.NewTemplateExpander(...).Expand()), so that
 * generated `promtool test rules` files can state `exp_annotations`.
 *
 * Prometheus prepends
 *   {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
 *   {{$externalURL := .ExternalURL}}{{$value := .Value}}
 * to the text, parses it with its function map and `missingkey=zero`, and
 * executes it against
 *   struct { Labels, ExternalLabels map[string]string; ExternalURL string; Value float64 }.
 * On a parse or execution error the annotation becomes
 * "<error expanding template: ...>"; we return ok:false instead of guessing
 * that text.
 */

import { ExecError, Executor, ExecUnsupported } from "./exec.js";
import { isDefinedFunction } from "./funcs.js";
import { goFloat, goString, goStringMap, type GoValue } from "./govalue.js";
import { type ParseOptions, parseGoTemplate, type ParseResult } from "./parse.js";

export type {
  ArgNode,
  ParseResult,
  TemplateNode,
  TemplateParseError,
} from "./parse.js";
export { formatFloat, sprint, sprintf, sprintln } from "./gofmt.js";

/** Variables Prometheus declares before the user's text. */
export const ALERT_TEMPLATE_VARIABLES: readonly string[] = ["$labels", "$externalLabels", "$externalURL", "$value"];

const ALERT_DATA_TYPE =
  "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }";

export interface AlertTemplateData {
  /**
   * The labels of the alert expression's result sample (`$labels`), i.e.
   * without the rule's own `labels:` and without `alertname`.
   */
  readonly labels: Readonly<Record<string, string>>;
  /** `$externalLabels`; promtool: the test group's `external_labels`. */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** `$externalURL` / `.ExternalURL`; promtool: the test group's `external_url`. */
  readonly externalURL?: string;
  /** `$value`: the sample value (a float64). */
  readonly value: number;
}

export interface RenderOptions {
  /**
   * The URL that the `externalURL` and `pathPrefix` *functions* return:
   * Prometheus' --web.external-url. Leave undefined for promtool, which
   * evaluates rules with a nil URL, so calling those functions fails there.
   */
  readonly serverExternalURL?: string;
}

export type RenderResult = { ok: true; text: string } | { ok: false; reason: string; offset?: number };

/**
 * Parses template text in the context of a Prometheus alert template:
 * `$labels`, `$externalLabels`, `$externalURL` and `$value` are declared and
 * only Prometheus' and Go's functions are defined. Never throws.
 */
export function parseTemplate(text: string, options: ParseOptions = {}): ParseResult {
  return parseGoTemplate(text, {
    predeclared: options.predeclared ?? ALERT_TEMPLATE_VARIABLES,
    isFunction: options.isFunction ?? isDefinedFunction,
  });
}

function alertData(data: AlertTemplateData): GoValue {
  const labels = goStringMap(data.labels);
  const externalLabels = goStringMap(data.externalLabels ?? {});
  const externalURL = goString(data.externalURL ?? "");
  const value = goFloat(data.value);
  return {
    goType: "struct",
    typeName: ALERT_DATA_TYPE,
    fields: [
      { name: "Labels", value: labels },
      { name: "ExternalLabels", value: externalLabels },
      { name: "ExternalURL", value: externalURL },
      { name: "Value", value },
    ],
  };
}

/** Parsed alert templates by text: test synthesis renders the same annotations for sample after sample. */
const MAX_PARSED = 2000;
const parsedTemplates = new Map<string, ParseResult>();

function parseAlertTemplateCached(text: string): ParseResult {
  let parsed = parsedTemplates.get(text);
  if (!parsed) {
    parsed = parseTemplate(text);
    if (parsedTemplates.size >= MAX_PARSED) parsedTemplates.delete(parsedTemplates.keys().next().value!);
    parsedTemplates.set(text, parsed);
  }
  return parsed;
}

/** Renders one annotation (or label) template as a firing alert would. Never throws. */
export function renderAlertTemplate(text: string, data: AlertTemplateData, options: RenderOptions = {}): RenderResult {
  // The execution only reads the parse tree, so one tree serves every rendering of a text.
  const parsed = parseAlertTemplateCached(text);
  const err = parsed.errors[0];
  if (err !== undefined) {
    const reason = err.kind === "syntax" ? `error parsing template: ${err.message}` : `unsupported: ${err.message}`;
    return { ok: false, reason, offset: err.offset };
  }
  const root = alertData(data);
  const exec = new Executor(root, { serverExternalURL: options.serverExternalURL });
  try {
    // The four declarations Prometheus prepends, evaluated against the data.
    const fields = root.goType === "struct" ? root.fields : [];
    const text = exec.runWithPredeclared(
      parsed.nodes,
      root,
      ALERT_TEMPLATE_VARIABLES.map((name, i) => ({ name, value: (fields[i] as { value: GoValue }).value })),
    );
    return { ok: true, text };
  } catch (e) {
    if (e instanceof ExecError) return { ok: false, reason: `error executing template: ${e.message}`, offset: e.offset };
    if (e instanceof ExecUnsupported) return { ok: false, reason: e.message, offset: e.offset };
    return { ok: false, reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
