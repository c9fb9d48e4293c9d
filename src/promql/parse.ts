/**
 * PromQL parser: `@prometheus-io/lezer-promql` (the grammar Prometheus' own UI uses) builds the
 * concrete tree with error recovery; this module turns it into the typed AST of `ast.ts` and
 * reports every error node, including trailing ones lezer skips over, with its offset.
 */
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";
import type {
  AggregateExpr,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Expr,
  LabelMatcher,
  MatchOp,
  VectorMatching,
  VectorSelector,
} from "./ast.js";
import { parseDuration } from "./duration.js";
import { unquoteString } from "./strings.js";

export interface SyntaxError {
  message: string;
  start: number;
  end: number;
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; errors: SyntaxError[] };

class ConvertError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export function parsePromQL(text: string): ParseResult {
  const tree = parser.parse(text);
  const errors: SyntaxError[] = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push({ start: n.from, end: n.to, message: errorMessage(text, n.from, n.to) });
    },
  });
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  const top = tree.topNode.firstChild;
  if (!top) return { ok: false, errors: [{ start: 0, end: text.length, message: "no expression found in input" }] };
  try {
    return { ok: true, expr: convert(top, text) };
  } catch (err) {
    if (err instanceof ConvertError) return { ok: false, errors: [{ message: err.message, start: err.start, end: err.end }] };
    throw err;
  }
}

function dedupe(errors: SyntaxError[]): SyntaxError[] {
  const seen = new Set<number>();
  return errors.filter((e) => (seen.has(e.start) ? false : (seen.add(e.start), true)));
}

/** Prometheus-like wording for a lezer error node. */
function errorMessage(text: string, from: number, to: number): string {
  const balance = unbalanced(text.slice(0, Math.max(from, to)));
  if (from >= text.trimEnd().length) {
    if (balance === "(") return "unclosed left parenthesis";
    if (balance === "{") return "unexpected end of input inside braces";
    if (balance === "[") return "unclosed left bracket";
    return "unexpected end of input";
  }
  const token = text.slice(from, Math.max(to, from + 1));
  const ch = text[from]!;
  if (ch === ")") return "unexpected right parenthesis ')'";
  if (ch === "}") return "unexpected right brace '}'";
  if (ch === "]") return "unexpected right bracket ']'";
  if (ch === ",") return "unexpected ','";
  if (/^[a-zA-Z_:]/.test(token)) return `unexpected identifier "${/^[a-zA-Z_:][\w:]*/.exec(token)![0]}"`;
  if (/^[0-9.]/.test(token)) return `unexpected number "${/^[0-9.a-zA-Z_]+/.exec(token)![0]}"`;
  if (ch === '"' || ch === "'" || ch === "`") return "unexpected string";
  return `unexpected character: '${ch}'`;
}

/** The innermost bracket left open in `prefix`, ignoring brackets inside strings. */
function unbalanced(prefix: string): string | undefined {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (quote) {
      if (ch === "\\" && quote !== "`") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if (ch === "#") while (i < prefix.length && prefix[i] !== "\n") i++;
    else if (ch === "(" || ch === "{" || ch === "[") stack.push(ch);
    else if (ch === ")" || ch === "}" || ch === "]") stack.pop();
  }
  return stack[stack.length - 1];
}

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function isExprNode(node: SyntaxNode): boolean {
  return EXPR_NODES.has(node.type.name);
}

const EXPR_NODES = new Set([
  "AggregateExpr",
  "BinaryExpr",
  "FunctionCall",
  "MatrixSelector",
  "NumberDurationLiteral",
  "OffsetExpr",
  "AnchoredExpr",
  "SmoothedExpr",
  "ParenExpr",
  "StringLiteral",
  "SubqueryExpr",
  "UnaryExpr",
  "VectorSelector",
  "StepInvariantExpr",
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: "^",
  Mul: "*",
  Div: "/",
  Mod: "%",
  Atan2: "atan2",
  Add: "+",
  Sub: "-",
  Eql: "==",
  Gte: ">=",
  Gtr: ">",
  Lte: "<=",
  Lss: "<",
  Neq: "!=",
  And: "and",
  Unless: "unless",
  Or: "or",
};

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

function convert(node: SyntaxNode, text: string): Expr {
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const span = { start: node.from, end: node.to };
  const fail = (message: string, n: SyntaxNode = node): never => {
    throw new ConvertError(message, n.from, n.to);
  };
  const exprKids = () => kids(node).filter(isExprNode);

  switch (node.type.name) {
    case "NumberDurationLiteral":
      return { type: "number", value: parseNumber(src(node), () => fail(`bad number or duration syntax: "${src(node)}"`)), ...span };
    case "StringLiteral":
      return { type: "string", value: unquote(node, text), ...span };
    case "ParenExpr":
      return { type: "paren", expr: convert(exprKids()[0] ?? fail("expected expression"), text), ...span };
    case "UnaryExpr": {
      const op = src(node.firstChild!) === "-" ? "-" : "+";
      return { type: "unary", op, expr: convert(exprKids()[0] ?? fail("expected expression"), text), ...span };
    }
    case "VectorSelector":
      return vectorSelector(node, text);
    case "MatrixSelector": {
      const inner = convert(exprKids()[0]!, text);
      const dur = node.getChild("DurationExpr") ?? fail("missing range duration");
      if (inner.type !== "vector") {
        return fail(`ranges only allowed for vector selectors`);
      }
      if (inner.offset !== undefined || inner.at !== undefined) {
        return fail("no offset or @ modifiers allowed before range");
      }
      return { type: "matrix", vector: inner, range: durationOf(dur, text), ...span };
    }
    case "SubqueryExpr": {
      const inner = convert(exprKids()[0]!, text);
      const durs = node.getChildren("DurationExpr");
      const out: Expr = { type: "subquery", expr: inner, range: durationOf(durs[0]!, text), ...span };
      if (durs[1]) out.step = durationOf(durs[1], text);
      return out;
    }
    case "OffsetExpr": {
      const inner = convert(exprKids()[0]!, text);
      const durNode = node.getChild("OffsetDurationExpr") ?? fail("missing offset duration");
      const raw = src(durNode).replace(/\s+/g, "");
      const negative = raw.startsWith("-");
      const ms = parseDurationText(raw.replace(/^[-+]/, ""), () => fail(`bad offset duration "${raw}"`, durNode));
      return withModifier(inner, "offset", negative ? -ms : ms, node, fail);
    }
    case "StepInvariantExpr": {
      const inner = convert(exprKids()[0]!, text);
      const pre = node.getChild("AtModifierPreprocessors");
      let at: AtModifier;
      if (pre) at = src(pre).startsWith("start") ? "start" : "end";
      else {
        const lit = node.getChild("NumberDurationLiteral") ?? fail("missing @ timestamp");
        at = parseNumber(src(lit), () => fail(`bad @ timestamp "${src(lit)}"`, lit));
      }
      return withModifier(inner, "at", at, node, fail);
    }
    case "BinaryExpr":
      return binary(node, text, fail);
    case "AggregateExpr":
      return aggregate(node, text, fail);
    case "FunctionCall": {
      const id = node.getChild("FunctionIdentifier") ?? fail("missing function name");
      const body = node.getChild("FunctionCallBody");
      return { type: "call", func: src(id), args: body ? kids(body).filter(isExprNode).map((a) => convert(a, text)) : [], ...span };
    }
    case "AnchoredExpr":
    case "SmoothedExpr":
      return fail(`"${node.type.name === "AnchoredExpr" ? "anchored" : "smoothed"}" modifiers are experimental and not supported`);
    default:
      return fail(`unexpected ${node.type.name}`);
  }
}

function withModifier(
  inner: Expr,
  kind: "offset" | "at",
  value: number | AtModifier,
  node: SyntaxNode,
  fail: (m: string, n?: SyntaxNode) => never,
): Expr {
  const span = { start: node.from, end: node.to };
  const target = inner.type === "matrix" ? inner.vector : inner;
  if (target.type !== "vector" && target.type !== "subquery") {
    return fail(`${kind === "offset" ? "offset" : "@"} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
  }
  if (target[kind] !== undefined) return fail(`${kind === "offset" ? "offset" : "@ <timestamp>"} may not be set multiple times`);
  if (kind === "offset") target.offset = value as number;
  else target.at = value as AtModifier;
  return { ...inner, ...span } as Expr;
}

function vectorSelector(node: SyntaxNode, text: string): VectorSelector {
  const id = node.getChild("Identifier");
  const matchers: LabelMatcher[] = [];
  const list = node.getChild("LabelMatchers");
  let name = id ? text.slice(id.from, id.to) : undefined;
  if (list) {
    for (const m of kids(list)) {
      if (m.type.name === "QuotedLabelName") {
        // `{"metric_name"}`: a quoted metric name (Prometheus 3.x UTF-8 names).
        const value = unquote(m.getChild("StringLiteral")!, text);
        if (name !== undefined) throw new ConvertError("metric name must not be set twice", m.from, m.to);
        name = value;
        continue;
      }
      const labelNode = m.getChild("LabelName") ?? m.getChild("QuotedLabelName");
      const opNode = m.getChild("MatchOp")?.firstChild;
      const valueNode = m.getChildren("StringLiteral").at(-1);
      if (!labelNode || !opNode || !valueNode) continue;
      const label = labelNode.type.name === "QuotedLabelName" ? unquote(labelNode.getChild("StringLiteral")!, text) : text.slice(labelNode.from, labelNode.to);
      matchers.push({ name: label, op: MATCH_OPS[opNode.type.name]!, value: unquote(valueNode, text), start: m.from, end: m.to });
    }
  }
  const sel: VectorSelector = { type: "vector", matchers, start: node.from, end: node.to };
  if (name !== undefined) sel.name = name;
  return sel;
}

function binary(node: SyntaxNode, text: string, fail: (m: string, n?: SyntaxNode) => never): BinaryExpr {
  const parts = kids(node);
  const operands = parts.filter(isExprNode);
  const opNode = parts.find((p) => BINARY_OPS[p.type.name] !== undefined) ?? fail("missing operator");
  if (parts.some((p) => p.type.name === "FillModifier")) fail("fill() modifiers are experimental and not supported", node);
  const out: BinaryExpr = {
    type: "binary",
    op: BINARY_OPS[opNode.type.name]!,
    lhs: convert(operands[0]!, text),
    rhs: convert(operands[1] ?? fail("expected expression after operator", opNode), text),
    bool: parts.some((p) => p.type.name === "BoolModifier"),
    opStart: opNode.from,
    start: node.from,
    end: node.to,
  };
  const clause = node.getChild("MatchingModifierClause");
  if (clause) {
    const groups = clause.getChildren("GroupingLabels");
    const left = clause.getChild("GroupLeft");
    const right = clause.getChild("GroupRight");
    const matching: VectorMatching = {
      card: left ? "many-to-one" : right ? "one-to-many" : "one-to-one",
      on: clause.getChild("On") !== null,
      labels: groups[0] ? groupingLabels(groups[0], text) : [],
      include: groups[1] ? groupingLabels(groups[1], text) : [],
    };
    out.matching = matching;
  }
  return out;
}

function aggregate(node: SyntaxNode, text: string, fail: (m: string, n?: SyntaxNode) => never): AggregateExpr {
  const opNode = node.getChild("AggregateOp") ?? fail("missing aggregation operator");
  const body = node.getChild("FunctionCallBody") ?? fail("missing aggregation body");
  const args = kids(body).filter(isExprNode).map((a) => convert(a, text));
  const modifier = node.getChild("AggregateModifier");
  const op = text.slice(opNode.from, opNode.to).toLowerCase();
  const last = args[args.length - 1] ?? fail(`no arguments for aggregate expression provided`, body);
  const out: AggregateExpr = {
    type: "aggregate",
    op,
    expr: last,
    grouping: modifier ? groupingLabels(modifier.getChild("GroupingLabels")!, text) : [],
    without: Boolean(modifier?.getChild("Without")),
    hasGrouping: modifier !== null,
    start: node.from,
    end: node.to,
  };
  if (args.length > 1) out.param = args[0]!;
  if (args.length > 2) fail(`wrong number of arguments for aggregate expression provided, expected at most 2, got ${args.length}`, body);
  return out;
}

function groupingLabels(node: SyntaxNode, text: string): string[] {
  return kids(node)
    .filter((k) => k.type.name === "LabelName" || k.type.name === "QuotedLabelName")
    .map((k) => (k.type.name === "LabelName" ? text.slice(k.from, k.to) : unquote(k.getChild("StringLiteral")!, text)));
}

function durationOf(node: SyntaxNode, text: string): number {
  const raw = text.slice(node.from, node.to).trim();
  return parseDurationText(raw, () => {
    throw new ConvertError(`bad duration "${raw}" (duration expressions are not supported)`, node.from, node.to);
  });
}

/** A duration literal, or a plain number of seconds (accepted by Prometheus 3.x). */
function parseDurationText(raw: string, fail: () => never): number {
  const ms = parseDuration(raw);
  if (ms !== undefined) return ms;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  return fail();
}

function parseNumber(raw: string, fail: () => never): number {
  const s = raw.replace(/\s+/g, "");
  const sign = s.startsWith("-") ? -1 : 1;
  const body = s.replace(/^[-+]/, "").replace(/_/g, "");
  const lower = body.toLowerCase();
  if (lower === "inf") return sign * Infinity;
  if (lower === "nan") return NaN;
  if (/^0x[0-9a-f]+$/i.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(body)) return sign * Number(body);
  const ms = parseDuration(body);
  if (ms !== undefined) return (sign * ms) / 1000;
  return fail();
}

function unquote(node: SyntaxNode, text: string): string {
  const raw = text.slice(node.from, node.to);
  const result = unquoteString(raw);
  if (!result.ok) throw new ConvertError(result.error, node.from + (result.offset ?? 0), node.to);
  return result.value;
}
