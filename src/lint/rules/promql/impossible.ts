/**
 * promql/impossible: a selector whose label matchers contradict each other, so it can never
 * select a series — `x{a="1", a="2"}`, `x{a="1", a!="1"}`, `x{a=~"b|c", a="d"}`. A series has one
 * value per label (the empty string when it lacks the label), and every matcher must hold.
 * The expression then returns nothing, forever: an alert on it never fires, an `absent()` of
 * it always does. Usually a copy-paste slip or a matcher meant to be a regex alternation.
 * Regexes are understood only when they are plain alternations of literals (`5..` is not),
 * anchored as Prometheus anchors them; anything else is assumed to be satisfiable.
 */
import type { LabelMatcher } from "../../../promql/ast.js";
import { walk } from "../../../promql/ast.js";
import type { LintRule } from "../../types.js";

/** What a matcher allows: a finite set of values, or all values but a finite set; undefined when not understood. */
type Constraint = { only: ReadonlySet<string> } | { except: ReadonlySet<string> };

/** The values a fully anchored RE2 regex matches when it is an alternation of literals (`a|b\.c|`), else undefined. */
function literalAlternatives(regex: string): Set<string> | undefined {
  const out = new Set<string>();
  let current = "";
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === "|") {
      out.add(current);
      current = "";
    } else if (c === "\\") {
      const next = regex[i + 1];
      // An escaped punctuation character is itself; `\d`, `\b`, `\Q` ... are not literals.
      if (next === undefined || !/[!-/:-@[-`{-~]/.test(next)) return undefined;
      current += next;
      i++;
    } else if (/[A-Za-z0-9_:\-/ ,=@#%&'"<>~`!;]/.test(c)) {
      current += c;
    } else {
      return undefined;
    }
  }
  out.add(current);
  return out;
}

function constraint(m: LabelMatcher): Constraint | undefined {
  switch (m.op) {
    case "=":
      return { only: new Set([m.value]) };
    case "!=":
      return { except: new Set([m.value]) };
    case "=~": {
      const values = literalAlternatives(m.value);
      return values && { only: values };
    }
    case "!~": {
      const values = literalAlternatives(m.value);
      return values && { except: values };
    }
  }
}

export const rule: LintRule = {
  meta: { id: "promql/impossible", severity: "error", description: "label matchers that contradict each other, so the selector never selects a series" },
  check(ctx) {
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "vector") return;
        const byLabel = new Map<string, { only?: Set<string>; except: Set<string>; seen: LabelMatcher[] }>();
        for (const m of node.matchers) {
          const c = constraint(m);
          if (!c) continue;
          let state = byLabel.get(m.name);
          if (!state) byLabel.set(m.name, (state = { except: new Set(), seen: [] }));
          if ("only" in c) state.only = state.only ? new Set([...state.only].filter((v) => c.only.has(v))) : new Set(c.only);
          else for (const v of c.except) state.except.add(v);
          const earlier = state.seen.map((s) => e.text.slice(s.start, s.end));
          state.seen.push(m);
          if (!state.only || [...state.only].some((v) => !state.except.has(v))) continue;
          ctx.report({
            message: `\`${e.text.slice(m.start, m.end)}\` contradicts ${earlier.map((t) => `\`${t}\``).join(", ")}: a series has one value of "${m.name}", so this selector never selects anything`,
            hint: `drop one of them; to select several values of "${m.name}", use one regex matcher such as ${m.name}=~"x|y"`,
            at: e.at(m.start, m.end - m.start),
            item: e.item,
          });
          break; // one finding per selector: later matchers are moot
        }
      });
    }
  },
};
