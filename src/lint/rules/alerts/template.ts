/**
 * alerts/template: an alert's annotation or label template that is broken.
 *
 * - It does not parse as a Go template (or calls a function Prometheus does not define).
 *   Prometheus loads the rule anyway and, every time the alert fires, sends
 *   "<error expanding template: ...>" as the text: the page says nothing.
 * - It reads a label the alert's series cannot carry: `{{ $labels.instance }}` after
 *   `sum by (job) (...)` renders as an empty string. `$labels` (`.Labels`) holds the labels of
 *   the expression's result series only — not the rule's own `labels:` (`severity`, `team`,
 *   the service's labels), which Prometheus adds after expanding the templates. Which labels
 *   the series can carry comes from label flow over the declared signals; when an input's
 *   labels are unknown (an undeclared metric), nothing is reported.
 */
import type { SpecRef } from "../../../diagnostics/index.js";
import type { AlertRuleModel } from "../../../model/types.js";
import { labelFlow } from "../../../promql/labels.js";
import type { ArgNode, TemplateNode } from "../../../prometheus/template/template.js";
import { parseTemplate } from "../../../prometheus/template/template.js";
import type { LintExpr, LintItem, LintRule } from "../../types.js";

type PipeArg = Extract<ArgNode, { type: "pipe" }>;

/** A `$labels.<name>`-style reference: the label and where its text is in the template. */
interface LabelRef {
  label: string;
  offset: number;
  length: number;
  text: string;
}

/** What `.` is: the template's data (with `.Labels`), the labels map itself (`with $labels`), or something else. */
type Dot = "root" | "labels" | "other";

/** Label references of a parsed template, following `.` through `with`/`range`. */
function labelRefs(text: string, nodes: readonly TemplateNode[]): LabelRef[] {
  const refs: LabelRef[] = [];
  let shadowed = false; // `{{ $labels := ... }}`: $labels no longer holds the labels
  const at = (label: string, written: string, pos: number) => {
    const offset = text.lastIndexOf(written, pos);
    refs.push({ label, text: written, offset: offset < 0 ? pos : offset, length: written.length });
  };
  const isLabels = (arg: ArgNode | undefined, dot: Dot): boolean => {
    if (!arg) return false;
    if (arg.type === "variable") return (arg.ident.length === 1 && arg.ident[0] === "$labels" && !shadowed) || (arg.ident.length === 2 && arg.ident[0] === "$" && arg.ident[1] === "Labels");
    if (arg.type === "field") return dot === "root" && arg.ident.length === 1 && arg.ident[0] === "Labels";
    return arg.type === "dot" && dot === "labels";
  };
  const arg = (a: ArgNode, dot: Dot): void => {
    switch (a.type) {
      case "variable": {
        const [head, second, third] = a.ident;
        if (head === "$labels" && !shadowed && second !== undefined) at(second, `$labels.${second}`, a.pos);
        else if (head === "$" && second === "Labels" && third !== undefined) at(third, `$.Labels.${third}`, a.pos);
        return;
      }
      case "field": {
        const [first, second] = a.ident;
        if (dot === "root" && first === "Labels" && second !== undefined) at(second, `.Labels.${second}`, a.pos);
        else if (dot === "labels" && first !== undefined) at(first, `.${first}`, a.pos);
        return;
      }
      case "chain":
        arg(a.node, dot);
        return;
      case "pipe":
        pipe(a, dot);
        return;
      default:
        return;
    }
  };
  const pipe = (p: PipeArg, dot: Dot): void => {
    if (p.decl.some((v) => v.ident[0] === "$labels")) shadowed = true;
    for (const cmd of p.cmds) {
      const [fn, map, key] = cmd.args;
      if (fn?.type === "identifier" && fn.name === "index" && isLabels(map, dot) && key?.type === "string") {
        refs.push({ label: key.value, text: key.quoted, offset: key.pos, length: key.quoted.length });
      }
      for (const a of cmd.args) arg(a, dot);
    }
  };
  const list = (ns: readonly TemplateNode[], dot: Dot): void => {
    for (const n of ns) {
      switch (n.type) {
        case "action":
          pipe(n.pipe, dot);
          break;
        case "if":
        case "with":
        case "range": {
          pipe(n.pipe, dot);
          const only = n.pipe.cmds.length === 1 && n.pipe.cmds[0]?.args.length === 1 ? n.pipe.cmds[0].args[0] : undefined;
          const inner: Dot = n.type === "if" ? dot : n.type === "with" && isLabels(only, dot) ? "labels" : "other";
          list(n.list.nodes, inner);
          if (n.elseList) list(n.elseList.nodes, dot);
          break;
        }
        default:
          break;
      }
    }
  };
  list(nodes, "root");
  return refs;
}

/** Where an annotation or label of an alert is written: Vigil specs have `summary`, `description` and `runbook` fields. */
function templatePath(alert: AlertRuleModel, kind: "annotations" | "labels", key: string): SpecRef {
  const path = alert.at.path;
  const vigilSpec = path[0] === "alerts";
  if (vigilSpec && kind === "annotations") {
    if (key === "summary" || key === "description") return { ...alert.at, path: [...path, key] };
    if (key === "runbook_url") return { ...alert.at, path: [...path, "runbook"] };
  }
  return { ...alert.at, path: [...path, kind, key] };
}

export const rule: LintRule = {
  meta: { id: "alerts/template", severity: "error", description: "alert annotation/label template that does not parse, or reads a label the alert's series cannot carry" },
  check(ctx) {
    const key = (alert: AlertRuleModel) => alert.at.path.join(".");
    const exprs = new Map<string, LintExpr>();
    for (const e of ctx.exprs) if (e.item.kind === "alert") exprs.set(key(e.item.alert), e);
    const alerts = ctx.service?.alerts ?? [...exprs.values()].flatMap((e) => (e.item.kind === "alert" ? [e.item.alert] : []));
    const inherited = ctx.service?.ruleLabels ?? {};
    const seen = new Set<string>();

    for (const alert of alerts) {
      // The rules of a severity ladder share their templates: check them once.
      if (seen.has(key(alert))) continue;
      seen.add(key(alert));
      const item: LintItem = { kind: "alert", alert };
      const e = exprs.get(key(alert));
      const flow = e && labelFlow(e.expr, ctx.seriesLabels);
      const templates: ["annotations" | "labels", string, string][] = [
        ...Object.entries(alert.annotations).map(([k, v]) => ["annotations", k, v] as ["annotations", string, string]),
        // Labels the service gives every rule are checked where they are declared, not per alert.
        ...Object.entries(alert.labels)
          .filter(([k, v]) => inherited[k] !== v)
          .map(([k, v]) => ["labels", k, v] as ["labels", string, string]),
      ];
      for (const [kind, name, text] of templates) {
        if (!text.includes("{{")) continue;
        const what = `${kind === "annotations" ? "annotation" : "label"} "${name}" of alert "${alert.name}"`;
        const parsed = parseTemplate(text);
        const err = parsed.errors[0];
        if (err) {
          // "unsupported": valid Go that Vigil's template engine does not follow; nothing to say.
          if (err.kind === "syntax") {
            ctx.report({
              message: `the template of ${what} does not parse: ${err.message}`,
              hint: "Prometheus would send \"<error expanding template: ...>\" instead of the text; see https://prometheus.io/docs/prometheus/latest/configuration/template_reference/",
              at: templatePath(alert, kind, name),
              item,
            });
          }
          continue;
        }
        if (!flow || flow.open) continue;
        for (const ref of labelRefs(text, parsed.nodes)) {
          if (flow.labels.has(ref.label)) continue;
          const carried = [...flow.labels].filter((l) => l !== "__name__").sort();
          const ruleLabel = alert.labels[ref.label] !== undefined;
          ctx.report({
            message: `${what} reads ${ref.text}, but the alert's series cannot carry label "${ref.label}" (${carried.length ? `only ${carried.join(", ")}` : "they have no labels"}): it renders empty`,
            hint: ruleLabel
              ? `"${ref.label}" is a label of the rule, not of its series, and $labels holds only the series' labels: write the value itself`
              : `keep "${ref.label}" through the aggregation (e.g. \`by (${[...carried, ref.label].join(", ")})\`), or drop the reference`,
            at: { ...templatePath(alert, kind, name), offset: ref.offset, length: ref.length },
            item,
          });
        }
      }
    }
  },
};
