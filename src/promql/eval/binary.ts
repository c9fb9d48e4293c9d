/** Binary operators with Prometheus' vector matching (promql/engine.go: VectorBinop, VectorAnd/Or/Unless). */
import { COMPARISON_OPS, SET_OPS, type BinaryExpr, type BinaryOp, type VectorMatching } from "../ast.js";
import type { Evaluator } from "./evaluate.js";
import { dropName, labelsKey, matchSignature, NAME, project, withLabels } from "./labels.js";
import { Unsupported, type Labels, type Sample, type Value } from "./types.js";

const DROPS_NAME = new Set(["+", "-", "*", "/", "%", "^", "atan2"]);

/** Result of `a op b` and whether a comparison keeps the sample. */
function elem(op: BinaryOp, a: number, b: number): { value: number; keep: boolean } {
  switch (op) {
    case "+":
      return { value: a + b, keep: true };
    case "-":
      return { value: a - b, keep: true };
    case "*":
      return { value: a * b, keep: true };
    case "/":
      return { value: a / b, keep: true };
    case "%":
      return { value: a % b, keep: true };
    case "^":
      return { value: a ** b, keep: true };
    case "atan2":
      return { value: Math.atan2(a, b), keep: true };
    case "==":
      return { value: a, keep: a === b };
    case "!=":
      return { value: a, keep: a !== b };
    case ">":
      return { value: a, keep: a > b };
    case "<":
      return { value: a, keep: a < b };
    case ">=":
      return { value: a, keep: a >= b };
    case "<=":
      return { value: a, keep: a <= b };
    default:
      throw new Unsupported(`operator ${op} between scalars`);
  }
}

export function binary(ev: Evaluator, expr: BinaryExpr): Value {
  const lhs = ev.eval(expr.lhs);
  const rhs = ev.eval(expr.rhs);
  const comparison = COMPARISON_OPS.has(expr.op);

  if (lhs.type === "scalar" && rhs.type === "scalar") {
    const { value, keep } = elem(expr.op, lhs.value, rhs.value);
    return { type: "scalar", value: comparison ? (keep ? 1 : 0) : value };
  }
  if (lhs.type === "vector" && rhs.type === "scalar") return vectorScalar(expr, lhs.samples, rhs.value, false);
  if (lhs.type === "scalar" && rhs.type === "vector") return vectorScalar(expr, rhs.samples, lhs.value, true);
  if (lhs.type === "vector" && rhs.type === "vector") {
    const matching: VectorMatching = expr.matching ?? { card: SET_OPS.has(expr.op) ? "many-to-many" : "one-to-one", on: false, labels: [], include: [] };
    if (SET_OPS.has(expr.op)) return { type: "vector", samples: setOp(expr.op, lhs.samples, rhs.samples, matching) };
    return { type: "vector", samples: vectorVector(expr, lhs.samples, rhs.samples, matching) };
  }
  throw new Unsupported(`operator ${expr.op} between a ${lhs.type} and a ${rhs.type}`);
}

function vectorScalar(expr: BinaryExpr, samples: Sample[], scalar: number, swap: boolean): Value {
  const out: Sample[] = [];
  for (const s of samples) {
    const [a, b] = swap ? [scalar, s.value] : [s.value, scalar];
    let { value, keep } = elem(expr.op, a, b);
    // A comparison always keeps the vector element's value, even when the scalar is on the left.
    if (COMPARISON_OPS.has(expr.op) && swap) value = s.value;
    if (expr.bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ labels: DROPS_NAME.has(expr.op) || expr.bool ? dropName(s.labels) : s.labels, value });
  }
  return { type: "vector", samples: out };
}

function vectorVector(expr: BinaryExpr, lhsIn: Sample[], rhsIn: Sample[], matching: VectorMatching): Sample[] {
  const oneToMany = matching.card === "one-to-many";
  const [many, one] = oneToMany ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const sig = (l: Labels) => matchSignature(l, matching.on, matching.labels);
  const right = new Map<string, Sample>();
  for (const s of one) {
    const k = sig(s.labels);
    if (right.has(k)) throw new Unsupported("many-to-many matching (duplicate series on the 'one' side)");
    right.set(k, s);
  }
  const out: Sample[] = [];
  const inserted = new Set<string>();
  const seenLeft = new Set<string>();
  for (const ls of many) {
    const k = sig(ls.labels);
    const rs = right.get(k);
    if (!rs) continue;
    if (matching.card === "one-to-one") {
      if (seenLeft.has(k)) throw new Unsupported("duplicate series on the left side of a one-to-one match");
      seenLeft.add(k);
    }
    const [vl, vr] = oneToMany ? [rs.value, ls.value] : [ls.value, rs.value];
    let { value, keep } = elem(expr.op, vl, vr);
    if (expr.bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    let labels = resultLabels(ls.labels, rs.labels, expr.op, matching);
    if (expr.bool) labels = dropName(labels);
    const key = labelsKey(labels);
    if (inserted.has(key)) throw new Unsupported("multiple matches for labels");
    inserted.add(key);
    out.push({ labels, value });
  }
  return out;
}

function resultLabels(lhs: Labels, rhs: Labels, op: BinaryOp, matching: VectorMatching): Labels {
  let labels: Labels = DROPS_NAME.has(op) ? dropName(lhs) : lhs;
  if (matching.card === "one-to-one") {
    labels = matching.on ? project(labels, matching.labels, true) : withLabels(labels, Object.fromEntries(matching.labels.map((l) => [l, ""])));
  }
  const include: Record<string, string> = {};
  for (const l of matching.include) include[l] = rhs[l] ?? "";
  return withLabels(labels, include);
}

function setOp(op: BinaryOp, lhs: Sample[], rhs: Sample[], matching: VectorMatching): Sample[] {
  const sig = (l: Labels) => matchSignature(l, matching.on, matching.on ? matching.labels : [...matching.labels, NAME]);
  const rightSigs = new Set(rhs.map((s) => sig(s.labels)));
  switch (op) {
    case "and":
      return lhs.filter((s) => rightSigs.has(sig(s.labels)));
    case "unless":
      return lhs.filter((s) => !rightSigs.has(sig(s.labels)));
    default: {
      const leftSigs = new Set(lhs.map((s) => sig(s.labels)));
      return [...lhs, ...rhs.filter((s) => !leftSigs.has(sig(s.labels)))];
    }
  }
}
