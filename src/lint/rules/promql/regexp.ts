/**
 * promql/regexp: regular-expression matchers that do not need to be (or do nothing).
 * Prometheus anchors every label regex at both ends, so `^` and `$` are redundant noise; a
 * regex without metacharacters is an equality that costs a regex match per series (`=~"foo"`
 * is `="foo"`); and `=~".*"` matches every value including an absent label, so it filters
 * nothing (`!~".*"`, the converse, matches no series at all). Usually left over from a
 * dashboard variable or a copy-paste.
 */
import { walk, type LabelMatcher } from "../../../promql/ast.js";
import type { LintRule } from "../../types.js";

const META = /[\\.+*?()|[\]{}^$]/;

/** The pattern without a leading `^` and an unescaped trailing `$`, and whether there were any. */
function stripAnchors(re: string): { body: string; anchored: boolean } {
  let body = re;
  let anchored = false;
  if (body.startsWith("^")) {
    body = body.slice(1);
    anchored = true;
  }
  if (body.endsWith("$")) {
    const backslashes = /\\*$/.exec(body.slice(0, -1))?.[0].length ?? 0;
    if (backslashes % 2 === 0) {
      body = body.slice(0, -1);
      anchored = true;
    }
  }
  return { body, anchored };
}

function problem(m: LabelMatcher): { message: string; hint: string } | undefined {
  const positive = m.op === "=~";
  const { body, anchored } = stripAnchors(m.value);
  const eq = positive ? "=" : "!=";
  if (body === ".*") {
    return positive
      ? { message: `${m.name}=~"${m.value}" matches every value, including a missing label: it filters nothing`, hint: `remove the matcher (use ${m.name}=~".+" to require the label)` }
      : { message: `${m.name}!~"${m.value}" matches no value, not even a missing label: the selector selects nothing`, hint: "remove the matcher or fix the pattern" };
  }
  if (anchored) {
    const simple = !META.test(body);
    return {
      message: `${m.name}${m.op}"${m.value}": Prometheus anchors label regexes at both ends, so ^ and $ are redundant`,
      hint: simple ? `use ${m.name}${eq}${JSON.stringify(body)}` : `use ${m.name}${m.op}${JSON.stringify(body)}`,
    };
  }
  if (!META.test(m.value)) {
    return { message: `${m.name}${m.op}"${m.value}" has no regex metacharacters: it is an exact ${positive ? "match" : "mismatch"}`, hint: `use ${m.name}${eq}${JSON.stringify(m.value)}` };
  }
  return undefined;
}

export const rule: LintRule = {
  meta: { id: "promql/regexp", severity: "warning", description: "regex matcher with redundant anchors, without metacharacters, or matching everything" },
  check(ctx) {
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "vector") return;
        for (const m of node.matchers) {
          if (m.op !== "=~" && m.op !== "!~") continue;
          const p = problem(m);
          if (p) ctx.report({ ...p, at: e.at(m.start, m.end - m.start), item: e.item });
        }
      });
    }
  },
};
