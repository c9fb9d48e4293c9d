/**
 * promql/unknown-label: a label the series cannot carry — in a matcher (`{cdoe="500"}`), in
 * `by(...)`/`without(...)` of an aggregation, or in `on(...)`/`ignoring(...)`/`group_left(...)`/
 * `group_right(...)` of a binary operation. A matcher on a missing label matches nothing (or,
 * for `=""` and negative matchers, everything); `sum by (cdoe)` silently aggregates everything
 * into one series; `on(cdoe)` matches every series with every other. The labels come from the
 * declared signals (plus `job`/`instance`, and `le`/`quantile` on histogram and summary series)
 * and are followed through the expression with label flow; recording rules and undeclared
 * metrics are not checked (their labels are unknown).
 */
import { children, selectorMetric, walk, type Expr, type Span } from "../../../promql/ast.js";
import { labelFlow, type LabelSet } from "../../../promql/labels.js";
import { Lexer, type Token } from "../../../promql/lexer.js";
import { sameLengthWindow } from "../../../promql/window.js";
import { didYouMean } from "../../../normalize/names.js";
import type { LintContext, LintRule } from "../../types.js";

interface LabelToken {
  name: string;
  start: number;
  end: number;
}

/** Every token of an expression (comments dropped); the text parsed, so it lexes cleanly. */
function lex(text: string): Token[] {
  const lexer = new Lexer(sameLengthWindow(text));
  const out: Token[] = [];
  for (let t = lexer.next(); t.kind !== "EOF" && t.kind !== "ERROR"; t = lexer.next()) if (t.kind !== "COMMENT") out.push(t);
  return out;
}

/**
 * The label list `( a, b )` following each clause keyword (`by`, `on`, `group_left`, ...) found
 * among the tokens in [from, to) that lie outside the `skip` spans (the node's operands).
 * The AST keeps grouping labels as plain strings; this recovers where they are written.
 */
function clauseLabels(tokens: readonly Token[], from: number, to: number, skip: readonly Span[], keywords: ReadonlySet<string>): Map<string, LabelToken[]> {
  const own = tokens.filter((t) => t.start >= from && t.end <= to && !skip.some((s) => t.start >= s.start && t.end <= s.end));
  const out = new Map<string, LabelToken[]>();
  for (let i = 0; i < own.length; i++) {
    const t = own[i]!;
    if (t.kind !== "KEYWORD" || !keywords.has(t.keyword!) || own[i + 1]?.kind !== "(") continue;
    const labels: LabelToken[] = [];
    let j = i + 2;
    for (; j < own.length && own[j]!.kind !== ")"; j++) {
      const l = own[j]!;
      if (l.kind !== ",") labels.push({ name: l.text, start: l.start, end: l.end });
    }
    out.set(t.keyword!, labels);
    i = j;
  }
  return out;
}

function known(set: LabelSet): string {
  const names = [...set.labels].filter((l) => l !== "__name__");
  return names.length > 0 ? `it can carry: ${names.join(", ")}` : "it carries no labels";
}

export const rule: LintRule = {
  meta: { id: "promql/unknown-label", severity: "error", description: "label matcher or grouping label the selected series cannot carry", needsSpec: true },
  check(ctx) {
    const signals = ctx.signals;
    if (!signals) return;
    for (const e of ctx.exprs) {
      let tokens: Token[] | undefined;
      const toks = () => (tokens ??= lex(e.text));
      const report = (label: string, where: { start: number; end: number }, message: string, set: LabelSet) =>
        ctx.report({
          message,
          hint: didYouMean(label, [...set.labels].filter((l) => l !== "__name__")) ?? known(set),
          at: e.at(where.start, where.end - where.start),
          item: e.item,
        });
      walk(e.expr, (node) => {
        if (node.type === "vector") {
          const metric = selectorMetric(node);
          const series = metric === undefined ? undefined : signals.series(metric);
          if (!series?.labels) return; // unknown metric (promql/unknown-metric) or a recording rule
          for (const m of node.matchers) {
            if (m.name === "__name__" || series.labels.has(m.name)) continue;
            report(m.name, { start: m.start, end: m.start + m.name.length }, `"${metric}" has no label "${m.name}"`, { labels: series.labels, open: false });
          }
        } else if (node.type === "aggregate" && node.hasGrouping) {
          checkAggregate(ctx, node, toks, report);
        } else if (node.type === "binary" && node.matching) {
          checkBinary(ctx, node, toks, report);
        }
      });
    }
  },
};

type Report = (label: string, where: { start: number; end: number }, message: string, set: LabelSet) => void;

function locate(groups: Map<string, LabelToken[]>, keyword: string, label: string, fallback: Span): Span {
  return groups.get(keyword)?.find((t) => t.name === label) ?? fallback;
}

/**
 * Where an aggregation really ends: the parser's span stops before a trailing grouping clause
 * (`sum(x) by (a)` ends after `sum(x)`), so extend it over `by (...)`/`without (...)` if one follows.
 */
function aggregateEnd(tokens: readonly Token[], node: Extract<Expr, { type: "aggregate" }>): number {
  const i = tokens.findIndex((t) => t.start >= node.end);
  const t = tokens[i];
  if (i < 0 || t?.kind !== "KEYWORD" || (t.keyword !== "by" && t.keyword !== "without") || tokens[i + 1]?.kind !== "(") return node.end;
  const close = tokens.slice(i + 2).find((x) => x.kind === ")");
  return close?.end ?? node.end;
}

function checkAggregate(ctx: LintContext, node: Extract<Expr, { type: "aggregate" }>, toks: () => Token[], report: Report): void {
  const input = labelFlow(node.expr, ctx.seriesLabels);
  if (input.open) return;
  const missing = node.grouping.filter((l) => !input.labels.has(l));
  if (missing.length === 0) return;
  const keyword = node.without ? "without" : "by";
  const groups = clauseLabels(toks(), node.start, aggregateEnd(toks(), node), children(node), new Set([keyword]));
  for (const l of missing) {
    report(l, locate(groups, keyword, l, node), `${node.op} ${keyword} (${l}): the aggregated expression cannot carry label "${l}"`, input);
  }
}

function checkBinary(ctx: LintContext, node: Extract<Expr, { type: "binary" }>, toks: () => Token[], report: Report): void {
  const m = node.matching!;
  const lhs = labelFlow(node.lhs, ctx.seriesLabels);
  const rhs = labelFlow(node.rhs, ctx.seriesLabels);
  let groups: Map<string, LabelToken[]> | undefined;
  const where = (keyword: string, label: string) => {
    groups ??= clauseLabels(toks(), node.lhs.end, node.rhs.start, [], new Set(["on", "ignoring", "group_left", "group_right"]));
    return locate(groups, keyword, label, { start: node.opStart, end: node.rhs.start });
  };
  // on()/ignoring(): a label neither side can carry matches on (or ignores) nothing.
  const both: LabelSet = { labels: new Set([...lhs.labels, ...rhs.labels]), open: lhs.open || rhs.open };
  if (!both.open) {
    const keyword = m.on ? "on" : "ignoring";
    for (const l of m.labels) {
      if (!both.labels.has(l)) report(l, where(keyword, l), `${keyword}(${l}): neither side of "${node.op}" can carry label "${l}"`, both);
    }
  }
  // group_left(x)/group_right(x): x is copied from the "one" side; if that side lacks it, the result loses it.
  if (m.card === "many-to-one" || m.card === "one-to-many") {
    const [keyword, one, side] = m.card === "many-to-one" ? (["group_left", rhs, "right"] as const) : (["group_right", lhs, "left"] as const);
    if (one.open) return;
    for (const l of m.include) {
      if (!one.labels.has(l)) report(l, where(keyword, l), `${keyword}(${l}): the ${side}-hand side cannot carry label "${l}" to copy`, one);
    }
  }
}
