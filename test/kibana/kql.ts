/**
 * What a saved search or a Lens layer finds among stored documents: its data view's index
 * pattern as Elasticsearch resolves it (comma-separated, `*` wildcards, `-pattern` excluding
 * what came before), and its query in the part of KQL the generated objects use — `field : "value"`
 * on keyword fields (an exact term), `and`, `or`, `not`, parentheses, the empty query matching
 * everything — as @kbn/es-query's KQL grammar reads it. Anything else throws, so a generated
 * query this does not understand fails the test instead of matching by accident.
 */
import { simpleMatch } from "../elasticsearch/builtins.js";
import type { EventData, EventValue } from "../logstash/interpret.js";

/** Whether an index is one the data view's title resolves to. */
export function viewMatches(title: string, index: string): boolean {
  let matched = false;
  for (const part of title.split(",")) {
    if (part.startsWith("-")) {
      if (simpleMatch(part.slice(1), index)) matched = false;
    } else if (simpleMatch(part, index)) matched = true;
  }
  return matched;
}

type Node = { or: Node[] } | { and: Node[] } | { not: Node } | { field: string; value: string };

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|([():])|([^\s():"]+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < query.length && (m = re.exec(query))) {
    tokens.push(m[1] ?? m[2] ?? m[3]!);
    at = re.lastIndex;
  }
  if (query.slice(at).trim() !== "") throw new Error(`kql: cannot read ${JSON.stringify(query.slice(at))}`);
  return tokens;
}

function parse(query: string): Node | undefined {
  const tokens = tokenize(query);
  if (tokens.length === 0) return undefined;
  let i = 0;
  const peek = (t: string) => tokens[i]?.toLowerCase() === t;
  const expect = (t: string) => {
    if (tokens[i] !== t) throw new Error(`kql: expected ${t} at ${JSON.stringify(tokens.slice(i).join(" "))}`);
    i++;
  };
  /** `next (op next)*`: `or` binds looser than `and`. */
  const chain = (op: "or" | "and", next: () => Node): Node => {
    const parts = [next()];
    while (peek(op)) {
      i++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : op === "or" ? { or: parts } : { and: parts };
  };
  const or = (): Node => chain("or", and);
  const and = (): Node => chain("and", not);
  const not = (): Node => {
    if (peek("not")) {
      i++;
      return { not: not() };
    }
    return primary();
  };
  const primary = (): Node => {
    if (tokens[i] === "(") {
      i++;
      const inner = or();
      expect(")");
      return inner;
    }
    const field = tokens[i++];
    if (!field || /^["():]/.test(field)) throw new Error(`kql: expected a field at ${JSON.stringify(tokens.slice(i - 1).join(" "))}`);
    expect(":");
    const value = tokens[i++];
    if (!value?.startsWith('"')) throw new Error(`kql: unsupported value ${String(value)} (only quoted phrases)`);
    return { field, value: value.slice(1, -1).replace(/\\(.)/g, "$1") };
  };
  const node = or();
  if (i < tokens.length) throw new Error(`kql: unexpected ${tokens[i]}`);
  return node;
}

/** The values at a dotted field of a document (objects nested, as Logstash stores them; arrays flattened). */
function values(doc: EventData, field: string): EventValue[] {
  let nodes: EventValue[] = [doc];
  for (const key of field.split(".")) {
    nodes = nodes.flatMap((n) => (n !== null && typeof n === "object" && !Array.isArray(n) && key in n ? [(n as EventData)[key]!] : []));
    nodes = nodes.flatMap((n) => (Array.isArray(n) ? n : [n]));
  }
  return nodes;
}

/** Whether the query matches the document; `types` are the data view's fields (Elasticsearch types). */
export function kqlMatches(query: string, doc: EventData, types: ReadonlyMap<string, string>): boolean {
  const node = parse(query);
  const test = (n: Node): boolean => {
    if ("or" in n) return n.or.some(test);
    if ("and" in n) return n.and.every(test);
    if ("not" in n) return !test(n.not);
    const type = types.get(n.field);
    if (type !== "keyword") throw new Error(`kql: ${n.field} is ${type ?? "no field of the data view"}; only exact matches on keyword fields are modelled`);
    return values(doc, n.field).some((v) => v === n.value);
  };
  return node === undefined || test(node);
}
