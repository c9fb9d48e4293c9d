/**
 * Alertmanager's routing, as dispatch/route.go does it, over a parsed alertmanager.yml: a route
 * matches when all its matchers do (`matchers`, and the legacy `match` / `match_re`); its
 * children are tried in order, each matching child's own matches are kept and the walk stops
 * at the first matching child without `continue`; a route none of whose children match is the
 * match itself. A child without `receiver` takes its parent's. The receivers of the matches,
 * in order, are what `amtool config routes test` prints.
 *
 * Regular expressions are JavaScript's, not Go's RE2: they agree on what Vigil writes, and a
 * pattern JavaScript cannot compile makes the tree unusable (`undefined`). Callers check this
 * matcher against amtool on a sample of their cases (src/alertmanager/amtool.ts).
 */

type Labels = Readonly<Record<string, string>>;
type Matcher = (labels: Labels) => boolean;

export interface RouteNode {
  /** Position in the tree, e.g. `0.2.1` (root `0`). */
  id: string;
  receiver: string;
  continue: boolean;
  matchers: Matcher[];
  routes: RouteNode[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function valueMatcher(name: string, op: string, value: string): Matcher {
  if (op === "=") return (l) => (l[name] ?? "") === value;
  if (op === "!=") return (l) => (l[name] ?? "") !== value;
  const re = new RegExp(`^(?:${value})$`);
  return op === "=~" ? (l) => re.test(l[name] ?? "") : (l) => !re.test(l[name] ?? "");
}

/** One entry of `matchers`: `name="value"` (the value quoted, Go-escaped, or bare), ops = != =~ !~. */
function parseMatcher(text: string): Matcher {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/s.exec(text);
  if (!m) throw new Error(`unsupported matcher ${text}`);
  const name = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!;
  const raw = m[3]!;
  let value: string;
  if (raw.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/s.test(raw)) throw new Error(`unsupported matcher value ${raw}`);
    value = JSON.parse(raw) as string;
  } else {
    if (/["\\,{}]/.test(raw)) throw new Error(`unsupported matcher value ${raw}`);
    value = raw;
  }
  return valueMatcher(name, m[2]!, value);
}

function node(route: Obj, parentReceiver: string, id: string): RouteNode {
  const matchers: Matcher[] = [];
  for (const [k, v] of Object.entries(isObj(route.match) ? route.match : {})) matchers.push(valueMatcher(k, "=", String(v)));
  for (const [k, v] of Object.entries(isObj(route.match_re) ? route.match_re : {})) matchers.push(valueMatcher(k, "=~", String(v)));
  const list = route.matchers;
  if (list !== undefined) {
    if (!Array.isArray(list)) throw new Error("matchers is not a list");
    for (const m of list) {
      if (typeof m !== "string") throw new Error("a matcher is not a string");
      matchers.push(parseMatcher(m));
    }
  }
  const receiver = typeof route.receiver === "string" && route.receiver !== "" ? route.receiver : parentReceiver;
  const children = Array.isArray(route.routes) ? route.routes : [];
  return {
    id,
    receiver,
    continue: route.continue === true,
    matchers,
    routes: children.map((c, i) => {
      if (!isObj(c)) throw new Error("a route is not a mapping");
      return node(c, receiver, `${id}.${i}`);
    }),
  };
}

/** The routing tree of a parsed alertmanager.yml, or undefined when it has something this matcher does not read. */
export function routeTree(config: unknown): RouteNode | undefined {
  try {
    if (!isObj(config) || !isObj(config.route)) return undefined;
    // The root matches every alert, whatever matchers it has (Alertmanager ignores them).
    return { ...node(config.route, "", "0"), matchers: [] };
  } catch {
    return undefined;
  }
}

/** The routes an alert with these labels ends at, in order (dispatch/route.go `Match`). */
export function matchRoutes(route: RouteNode, labels: Labels): RouteNode[] {
  if (!route.matchers.every((m) => m(labels))) return [];
  const all: RouteNode[] = [];
  for (const child of route.routes) {
    const matches = matchRoutes(child, labels);
    all.push(...matches);
    if (matches.length > 0 && !child.continue) break;
  }
  return all.length ? all : [route];
}
