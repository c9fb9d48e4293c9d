/** Aggregation operators with `by` / `without`, as in Prometheus' engine. */
import { formatFloat } from "../../prometheus/template/ftoa.js";
import type { AggregateExpr } from "../ast.js";
import type { Evaluator } from "./evaluate.js";
import { labelsKey, project, withLabels } from "./labels.js";
import { Unsupported, type Labels, type Sample, type Value } from "./types.js";

interface Group {
  labels: Labels;
  members: Sample[];
}

export function aggregate(ev: Evaluator, expr: AggregateExpr): Value {
  const input = ev.instantVector(expr.expr);
  const param = expr.param ? ev.eval(expr.param) : undefined;
  const groups = new Map<string, Group>();
  for (const s of input) {
    const labels = expr.without ? project(s.labels, expr.grouping, false) : project(s.labels, expr.grouping, true);
    const key = labelsKey(labels);
    const g = groups.get(key) ?? { labels, members: [] };
    g.members.push(s);
    groups.set(key, g);
  }
  const all = [...groups.values()];
  const values = (g: Group) => g.members.map((m) => m.value);
  const one = (f: (g: Group) => number): Value => ({ type: "vector", samples: all.map((g) => ({ labels: g.labels, value: f(g) })) });
  const scalarParam = (): number => {
    if (param?.type !== "scalar") throw new Unsupported(`${expr.op} needs a scalar parameter`);
    return param.value;
  };

  switch (expr.op) {
    case "sum":
      return one((g) => values(g).reduce((a, b) => a + b, 0));
    case "avg":
      return one((g) => values(g).reduce((a, b) => a + b, 0) / g.members.length);
    case "min":
      return one((g) => nanAwareExtreme(values(g), Math.min));
    case "max":
      return one((g) => nanAwareExtreme(values(g), Math.max));
    case "count":
      return one((g) => g.members.length);
    case "group":
      return one(() => 1);
    case "stddev":
    case "stdvar":
      return one((g) => {
        const xs = values(g);
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
        return expr.op === "stddev" ? Math.sqrt(v) : v;
      });
    case "quantile": {
      const q = scalarParam();
      return one((g) => quantile(q, values(g)));
    }
    case "topk":
    case "bottomk":
    case "limitk": {
      const k = Math.floor(scalarParam());
      const sign = expr.op === "bottomk" ? 1 : -1;
      const samples = all.flatMap((g) =>
        (expr.op === "limitk" ? g.members : [...g.members].sort((a, b) => sign * (a.value - b.value))).slice(0, Math.max(0, k)),
      );
      return { type: "vector", samples };
    }
    case "count_values": {
      if (param?.type !== "string") throw new Unsupported("count_values needs a label name");
      const counts = new Map<string, { labels: Labels; value: number }>();
      for (const g of all) {
        for (const m of g.members) {
          const labels = withLabels(g.labels, { [param.value]: goFormatFloat(m.value) });
          const key = labelsKey(labels);
          counts.set(key, { labels, value: (counts.get(key)?.value ?? 0) + 1 });
        }
      }
      return { type: "vector", samples: [...counts.values()] };
    }
    default:
      throw new Unsupported(`aggregation ${expr.op} is not modelled`);
  }
}

function nanAwareExtreme(xs: number[], f: (...v: number[]) => number): number {
  const real = xs.filter((x) => !Number.isNaN(x));
  return real.length ? f(...real) : NaN;
}

/** Prometheus' quantile(): linear interpolation between ranks (promql/quantile.go). */
function quantile(q: number, xs: number[]): number {
  if (xs.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** strconv.FormatFloat(v, 'f', -1, 64), as Prometheus spells count_values labels. */
function goFormatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  return formatFloat(v, "f", -1);
}
