/**
 * One sentence per changed alert, SLO and route, for the reviewer who reads the diff first:
 * "This change lowers the page threshold of alert shop/CheckoutErrors from 0.05 to 0.02 and
 * routes it to the new team ops." The changes of one alert (its severities' rules and where
 * they are delivered) or one SLO (its burn-rate tiers and their delivery) make one sentence;
 * the thing is named in the first clause and is "it" after that.
 */
import type { DiffChange } from "./compare.js";
import { parseDuration } from "../promql/duration.js";
import type { FactSet } from "./facts.js";

export interface DiffSummary {
  /** `alert`, `slo` or `route`. */
  area: "alert" | "slo" | "route";
  /** The alert (`service/Name`), SLO (`service/slo`) or route. */
  subject: string;
  /** One sentence. */
  text: string;
}

const SEVERITY_WORD: Record<string, string> = { critical: "page", warning: "ticket", info: "info" };
const RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/**
 * A clause: `{X}` where the thing goes as an object (its name the first time, "it" after),
 * `{the} … {of X}` around a property of it ("the threshold of alert X" the first time, "its
 * threshold" after); `{SEV}`, `{RULE}`, `{THRESHOLD}` are filled in by `merge`.
 */
interface Clause {
  text: string;
  /** Clauses with the same key and text are said once; `sev` of equal keys are joined ("page and ticket"). */
  key: string;
  sev?: string;
}

export function summarize(changes: readonly DiffChange[], before: FactSet, after: FactSet): DiffSummary[] {
  // An SLO's alerts (burn-rate, no-data) are routed under their alert name: that name → the SLO.
  const sloOfAlert = new Map<string, string>();
  for (const facts of [before, after]) {
    for (const f of facts.all()) {
      if (f.area !== "slo") continue;
      const service = f.subject.split("/")[0]!;
      for (const key of ["alert", "noData.alert"]) if (f.fields[key]) sloOfAlert.set(`${service}/${f.fields[key]}`, f.subject);
    }
  }
  const newTeams = new Set(changes.filter((c) => c.area === "team" && c.change === "added").map((c) => c.subject));
  const groups = new Map<string, { area: DiffSummary["area"]; subject: string; clauses: Clause[] }>();
  const group = (area: DiffSummary["area"], subject: string) => {
    const k = `${area}\u0000${subject}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { area, subject, clauses: [] }));
    return g;
  };
  const teamClause = (team: string | undefined, was: string | undefined): Clause | undefined =>
    team && team !== "(none)" ? { key: "team", text: newTeams.has(team) ? `routes {X} to the new team ${team}` : `routes {X} to team ${team}${was && was !== "(none)" ? ` instead of ${was}` : ""}` } : undefined;
  const severityOf = (c: DiffChange, words: string[], facts: FactSet): string | undefined => (words[1] && RANK[words[1]] !== undefined ? words[1] : facts.get(c.area, c.subject)?.fields.severity);

  for (const c of changes) {
    const words = c.subject.split(" ");
    if (c.area === "alert" || c.area === "routing") {
      const slo = sloOfAlert.get(words[0]!);
      const g = slo ? group("slo", slo) : group("alert", words[0]!);
      const sev = severityOf(c, words, c.change === "removed" ? before : after) ?? severityOf(c, words, before);
      const tier = words[2] ?? (sev ? SEVERITY_WORD[sev] : undefined);
      const clause = slo ? routingClause(c, tier, teamClause) : c.area === "alert" ? alertClause(c, sev, teamClause) : routingClause(c, sev ? SEVERITY_WORD[sev] : undefined, teamClause);
      if (clause) g.clauses.push(clause);
    } else if (c.area === "slo" || c.area === "burn-rate") {
      const subject = c.area === "slo" ? c.subject : words.slice(0, -1).join(" ");
      const clause = c.area === "slo" ? sloClause(c, teamClause) : tierClause(c, words[words.length - 1]!);
      if (clause) group("slo", subject).clauses.push(clause);
    } else if (c.area === "route") {
      group("route", c.subject).clauses.push(
        c.change === "added" ? { key: "added", text: "adds {X}" } : c.change === "removed" ? { key: "removed", text: "removes {X}" } : { key: `field ${c.field}`, text: `sets {the} ${c.field} {of X} to ${c.after ?? "(unset)"} (was ${c.before ?? "unset"})` },
      );
    }
  }

  const out: DiffSummary[] = [];
  for (const g of groups.values()) {
    const clauses = merge(g.clauses).sort((a, b) => priority(a.key) - priority(b.key));
    if (clauses.length === 0) continue;
    // A team change says where the alerts go: their receivers follow from it; a window change
    // scales the tiers' burn-rate windows with it.
    const windowChanged = clauses.some((x) => x.key === "window");
    const texts = clauses
      .filter((cl) => !(cl.key.startsWith("receivers") && clauses.some((x) => x.key === "team")))
      .filter((cl) => !(windowChanged && /^tier \S+ windows$/.test(cl.key)))
      .map((cl) => (windowChanged && cl.key === "window" && clauses.some((x) => /^tier \S+ windows$/.test(x.key)) ? { ...cl, text: `${cl.text} (the burn-rate windows scale with it)` } : cl));
    const name = `${g.area === "slo" ? "SLO" : g.area} ${g.subject}`;
    let named = false;
    const said = texts.map((cl) => {
      const first = !named && /\{X\}|\{of X\}/.test(cl.text);
      if (first) named = true;
      const text = first ? cl.text.replace("{the}", "the").replace("{of X}", `of ${name}`).replace("{X}", name) : cl.text.replace("{the}", "its").replace(" {of X}", "").replace("{X}", "it");
      return text.replace(/\{X\}/g, "it");
    });
    out.push({ area: g.area, subject: g.subject, text: `This change ${said.length === 1 ? said[0] : `${said.slice(0, -1).join(", ")} and ${said[said.length - 1]}`}.` });
  }
  return out;
}

/** What a reviewer weighs first: what fires when, then where it goes, then the rest. */
const ORDER = ["added", "removed", "threshold", "severity", "objective", "window", "for", "minTraffic", "tier", "expr", "sli", "maintenance", "team", "receivers", "field"];
const priority = (key: string) => {
  const i = ORDER.findIndex((k) => key === k || key.startsWith(`${k} `));
  return i < 0 ? ORDER.length : i;
};

/** Equal clauses once; clauses of one key and text for several severities as one ("the page and ticket rules"). */
function merge(clauses: readonly Clause[]): Clause[] {
  const out: Clause[] = [];
  const seen = new Map<string, Clause & { sevs: string[] }>();
  for (const cl of clauses) {
    const k = `${cl.key}\u0000${cl.text}`;
    const known = seen.get(k);
    if (known) {
      if (cl.sev && !known.sevs.includes(cl.sev)) known.sevs.push(cl.sev);
      continue;
    }
    const entry = { ...cl, sevs: cl.sev ? [cl.sev] : [] };
    seen.set(k, entry);
    out.push(entry);
  }
  return out.map((cl) => {
    const sevs = (cl as Clause & { sevs: string[] }).sevs;
    if (sevs.length === 0) return cl;
    const plural = sevs.length > 1;
    const words = plural ? `${sevs.slice(0, -1).join(", ")} and ${sevs[sevs.length - 1]}` : sevs[0]!;
    return { key: cl.key, text: cl.text.replace("{SEV}", words).replace("{RULE}", plural ? "rules" : "rule").replace("{THRESHOLD}", plural ? "thresholds" : "threshold") };
  });
}

const threshold = (text: string | undefined): { op: string; value: number } | undefined => {
  const m = text ? /^(\S+) (\S+)$/.exec(text) : null;
  return m && Number.isFinite(Number(m[2])) ? { op: m[1]!, value: Number(m[2]) } : undefined;
};

function alertClause(c: DiffChange, sev: string | undefined, teamClause: (team: string | undefined, was: string | undefined) => Clause | undefined): Clause | undefined {
  const word = sev ? SEVERITY_WORD[sev] : undefined;
  if (c.change === "added") return { key: "added", text: "adds {X}" };
  if (c.change === "removed") return { key: "removed", text: "removes {X}" };
  const sevd = (key: string, text: string): Clause => (word ? { key, text, sev: word } : { key, text: text.replace("{SEV} ", "").replace("{THRESHOLD}", "threshold").replace("{RULE}", "rule") });
  switch (c.field) {
    case "threshold": {
      const [a, b] = [threshold(c.before), threshold(c.after)];
      if (a && b && a.op === b.op && a.value !== b.value) return sevd(`threshold ${c.before}→${c.after}`, `${b.value < a.value ? "lowers" : "raises"} {the} {SEV} {THRESHOLD} {of X} from ${a.value} to ${b.value}`);
      return sevd(`threshold ${c.before}→${c.after}`, `changes {the} {SEV} condition {of X} from ${c.before ?? "(none)"} to ${c.after ?? "(none)"}`);
    }
    case "for":
      return sevd(`for ${c.before}→${c.after}`, `makes {the} {SEV} {RULE} {of X} wait ${c.after} instead of ${c.before} before firing`);
    case "severity":
      return { key: "severity", text: `${(RANK[c.after ?? ""] ?? 0) > (RANK[c.before ?? ""] ?? 0) ? "raises" : "lowers"} {X} from ${c.before} to ${c.after}` };
    case "team":
      return teamClause(c.after, c.before);
    case "expr":
      return { key: "expr", text: "rewrites {the} expression {of X}" };
    case "split by":
      return undefined;
    case "maintenance":
      return { key: "maintenance", text: c.after ? `mutes {X} during ${c.after}` : `no longer mutes {X} during ${c.before}` };
    default:
      return { key: `field ${c.field}`, text: `sets {the} ${c.field} {of X} to ${c.after ?? "(unset)"} (was ${c.before ?? "unset"})` };
  }
}

function routingClause(c: DiffChange, word: string | undefined, teamClause: (team: string | undefined, was: string | undefined) => Clause | undefined): Clause | undefined {
  if (c.change !== "changed") return undefined;
  if (c.field === "team") return teamClause(c.after, c.before);
  if (c.field === "receivers") {
    const what = word ? `{the} ${word} alerts {of X}` : "{X}";
    return c.after === "vigil/discard" || c.after === "(nobody)"
      ? { key: `receivers ${c.after}`, text: `stops notifying anyone of ${what}` }
      : { key: `receivers ${c.after}`, text: `sends ${what} to ${c.after} instead of ${c.before}` };
  }
  return undefined;
}

function sloClause(c: DiffChange, teamClause: (team: string | undefined, was: string | undefined) => Clause | undefined): Clause | undefined {
  if (c.change === "added") return { key: "added", text: `adds {X} (objective ${c.fields?.objective ?? "?"} over ${c.fields?.window ?? "?"})` };
  if (c.change === "removed") return { key: "removed", text: "removes {X}" };
  const pct = (t: string | undefined) => Number(String(t ?? "").replace(/%$/, ""));
  switch (c.field) {
    case "objective":
      return { key: "objective", text: `${pct(c.after) < pct(c.before) ? "lowers" : "raises"} {the} objective {of X} from ${c.before} to ${c.after}` };
    case "window":
      return { key: "window", text: `${(parseDuration(c.after ?? "") ?? 0) < (parseDuration(c.before ?? "") ?? 0) ? "shortens" : "lengthens"} {the} window {of X} from ${c.before} to ${c.after}` };
    case "minTraffic":
      return { key: "minTraffic", text: c.before === undefined ? `sets a minimum traffic of ${c.after} events/s on {X}` : c.after === undefined ? `removes {the} minimum traffic {of X}` : `changes {the} minimum traffic {of X} from ${c.before} to ${c.after} events/s` };
    case "team":
      return teamClause(c.after, c.before);
    case "maintenance":
      return { key: "maintenance", text: c.after ? `mutes {X} during ${c.after}` : `no longer mutes {X} during ${c.before}` };
    default:
      if (c.field?.startsWith("sli.")) return { key: "sli", text: "changes {the} SLI {of X}" };
      return { key: `field ${c.field}`, text: `sets {the} ${c.field} {of X} to ${c.after ?? "(unset)"} (was ${c.before ?? "unset"})` };
  }
}

function tierClause(c: DiffChange, tier: string): Clause | undefined {
  if (c.change === "added") return { key: `tier ${tier}`, text: `adds a ${tier} tier to {X}` };
  if (c.change === "removed") return { key: `tier ${tier}`, text: `removes {the} ${tier} tier {of X}` };
  switch (c.field) {
    case "windows":
      return { key: `tier ${tier} windows`, text: `makes {the} ${tier} tier {of X} fire at a burn rate of ${c.after} instead of ${c.before}` };
    case "for":
      return { key: `tier ${tier} for`, text: `makes {the} ${tier} tier {of X} wait ${c.after} instead of ${c.before} before firing` };
    case "severity":
      return { key: `tier ${tier} severity`, text: `makes {the} ${tier} tier {of X} ${c.after} instead of ${c.before}` };
    default:
      return { key: `tier ${tier} ${c.field}`, text: `sets the ${c.field} of {the} ${tier} tier {of X} to ${c.after ?? "(unset)"} (was ${c.before ?? "unset"})` };
  }
}
