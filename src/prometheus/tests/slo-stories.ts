/**
 * Story tests for an SLO: the perturbations no burst within MAX_BURST_TEST_MS tells apart. A
 * burst test is too short for the long windows (1d, 3d) to read anything but the whole test,
 * and at one traffic level a tier's high-factor condition implies its low-factor one (the
 * ticket tier's 3× over 1d/2h implies 1× over 3d/6h), so neither that condition's factor nor
 * its windows show. A story is a few segments — errors at some ratio, or none at a higher
 * traffic that dilutes a long window's ratio — hours or days long, checked at its end.
 *
 * A boolean SLI (the samples of a gauge such as `up`, counted) has no rate to raise: its traffic
 * is how many series report. Its diluting segments add DILUTION - 1 replicas of each series
 * (other instances), absent in the other segments.
 *
 * Stories are drawn from a fixed pseudo-random sequence (same spec, same tests), judged with
 * the burn-rate model, and picked greedily by perturbations told apart per hour of test. Each
 * costs promtool an evaluation of the rules of the SLO's own rule file every 5m (rule-files.ts),
 * so the length of all stories of an SLO is bounded by STORY_BUDGET_STEPS.
 */
import type { SloModel } from "../../model/types.js";
import type { PlannedTest, SynthContext } from "./plan.js";
import { clearOfThresholds, findRatio, firingTiers, segmentPlan, stretchRatios, type Model, type Perturbation, type Segment, type Sli } from "./slo-bursts.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;
const TILE = 5 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Evaluations (every 5m) of one SLO's rules all its stories may cost promtool. */
export const STORY_BUDGET_STEPS = 2400;
const MAX_STORIES = 8;
/** The traffic of a quiet segment that dilutes the errors before and after it. */
const DILUTION = 4;

interface Level {
  params: Param[];
  ratio: number;
  total: number;
  what: string;
}

interface Story {
  segments: { level: number; durMs: number }[];
  tMs: number;
  outcome: string;
  kills: number[];
}

export interface StoryInput {
  slo: SloModel;
  ctx: SynthContext;
  variants: Variant[];
  domains: readonly { coarse: Param[]; fine: Param[] }[];
  sli: Sli;
  /** The SLI read over other variants: the originals and their replicas. */
  sliOver: (variants: readonly Variant[]) => Sli;
  model: Model;
  windows: readonly number[];
  mutants: readonly Perturbation[];
  uncovered: ReadonlySet<number>;
  quiet: { params: Param[]; ratio: number; total: number };
}

export function storyTests(input: StoryInput): PlannedTest[] {
  const { slo, ctx, model, windows, mutants } = input;
  if (input.uncovered.size === 0) return [];
  const maxMs = STORY_BUDGET_STEPS * TILE;
  const replicas = replicaVariants(input.variants, DILUTION - 1);
  const variants = [...input.variants, ...replicas];
  const levels = new Levels(input, replicas.length ? { variants, sli: input.sliOver(variants) } : undefined);
  // A tier with a for must hold that long before the check: each story also with its last
  // segment lasting that much longer.
  const holdMs = [...new Set([0, ...model.tiers.map((t) => Math.ceil(t.forMs / TILE) * TILE)])];

  // Stories built for each perturbation, then judged against every one still uncovered.
  const candidates: Story[] = [];
  const seen = new Set<string>();
  for (const i of input.uncovered) {
    for (const wanted of constraints(model, mutants[i]!)) {
      const realized = realize(wanted, windows, levels, maxMs);
      if (!realized) continue;
      for (const extraMs of holdMs) {
        const segments = realized.map((s, k) => (k === realized.length - 1 ? { ...s, durMs: s.durMs + extraMs } : { ...s }));
        // promtool checks a test at its last evaluation (every 5m): the story ends on one. Its
        // first segment grows, which only the windows reaching into it read.
        segments[0]!.durMs += (TILE - (segments.reduce((sum, s) => sum + s.durMs, 0) % TILE)) % TILE;
        const key = JSON.stringify(segments);
        if (seen.has(key)) continue;
        seen.add(key);
        const tMs = segments.reduce((sum, s) => sum + s.durMs, 0);
        const ratio = stretchRatios(segments.map((s) => ({ durMs: s.durMs, ratio: levels.get(s.level).ratio, total: levels.get(s.level).total })));
        if (!clearOfThresholds(model, ratio, tMs)) continue;
        const outcome = firingTiers(model, ratio, tMs).join(",");
        const kills = [...input.uncovered].filter((k) => firingTiers(mutants[k]!.model, ratio, tMs).join(",") !== outcome);
        if (kills.length) candidates.push({ segments, tMs, outcome, kills });
      }
    }
  }

  // Greedy: the story telling the most perturbations still uncovered apart per hour of test.
  const uncovered = new Set(input.uncovered);
  const plans: PlannedTest[] = [];
  let spentMs = 0;
  while (uncovered.size > 0 && plans.length < MAX_STORIES) {
    let best: { story: Story; value: number } | undefined;
    for (const story of candidates) {
      if (spentMs + story.tMs > maxMs) continue;
      const value = story.kills.filter((i) => uncovered.has(i)).length / (story.tMs + 6 * HOUR);
      if (value > 0 && (!best || value > best.value || (value === best.value && story.tMs < best.story.tMs))) best = { story, value };
    }
    if (!best) break;
    const { story } = best;
    candidates.splice(candidates.indexOf(story), 1);
    const merged = mergeSegments(story.segments);
    const segments: Segment[] = merged.map((s) => ({ params: levels.get(s.level).params, durMs: s.durMs }));
    const plan = segmentPlan(slo, ctx, variants, segments, story.outcome, describe(merged, levels));
    if (!plan) continue;
    plans.push(plan);
    spentMs += story.tMs;
    for (const i of story.kills) uncovered.delete(i);
  }
  return plans;
}

/** Bounds on the error ratio of some windows: (lo, hi]. */
type Wanted = Map<number, { lo: number; hi: number }>;
type Bound = [windowMs: number, lo: number, hi: number];

/**
 * The window ratios that make a perturbed condition decide its tier, one set per way of
 * doing so: the condition holds in one model and not in the other, and each other condition
 * of the tier is false through one of its windows.
 */
function constraints(model: Model, p: Perturbation): Wanted[] {
  if (p.tier === undefined) return [];
  const t = model.tiers.findIndex((x) => x.tier === p.tier);
  const mine = model.tiers[t]!.conditions;
  const theirs = p.model.tiers[t]!.conditions;
  const i = mine.findIndex((c, k) => c.factor !== theirs[k]!.factor || c.longMs !== theirs[k]!.longMs || c.shortMs !== theirs[k]!.shortMs);
  if (i < 0) return [];
  const a = mine[i]!;
  const b = theirs[i]!;
  const budget = model.budget;
  const high = (w: number, theta: number): Bound => [w, theta, Infinity];
  const low = (w: number, theta: number): Bound => [w, 0, theta];
  // Ways the two versions of the condition disagree.
  const splits: Bound[][] = [];
  if (a.factor !== b.factor) {
    const [f, g] = [Math.min(a.factor, b.factor) * budget, Math.max(a.factor, b.factor) * budget];
    splits.push([high(a.longMs, g), [a.shortMs, f, g]], [[a.longMs, f, g], high(a.shortMs, g)]);
  } else {
    const theta = a.factor * budget;
    const long = a.longMs !== b.longMs;
    const other = long ? a.shortMs : a.longMs;
    const [x, y] = long ? [a.longMs, b.longMs] : [a.shortMs, b.shortMs];
    splits.push([high(other, theta), high(x, theta), low(y, theta)], [high(other, theta), low(x, theta), high(y, theta)]);
  }
  const others = mine.filter((_, k) => k !== i);
  const out: Wanted[] = [];
  for (const split of splits) {
    for (let choice = 0; choice < 1 << others.length; choice++) {
      const wanted: Wanted = new Map();
      const bound = ([w, lo, hi]: Bound) => {
        const prev = wanted.get(w) ?? { lo: 0, hi: Infinity };
        wanted.set(w, { lo: Math.max(prev.lo, lo), hi: Math.min(prev.hi, hi) });
      };
      split.forEach(bound);
      others.forEach((c, k) => bound(low(choice & (1 << k) ? c.longMs : c.shortMs, c.factor * budget)));
      if ([...wanted.values()].every((r) => r.lo < r.hi * 0.96)) out.push(wanted);
    }
  }
  return out;
}

/**
 * Segments (oldest first) whose window ratios meet the bounds, built from the check backwards:
 * one segment per span between bounded windows, at the error ratio (and, to dilute what
 * follows it, the traffic) that puts its window's ratio inside its bounds.
 */
function realize(wanted: Wanted, windows: readonly number[], levels: Levels, maxMs: number): Story["segments"] | undefined {
  const bounded = [...wanted.keys()].sort((x, y) => x - y);
  const all = [...windows].sort((x, y) => x - y);
  const segments: Story["segments"] = [];
  let errors = 0;
  let total = 0;
  let reach = 0;
  for (const [k, w] of bounded.entries()) {
    const { lo, hi } = wanted.get(w)!;
    // The last span may end short of its window (which then reads the whole test), as long
    // as the window below it still reads less than the test.
    const below = all.filter((x) => x < w).at(-1) ?? 0;
    const short = k === bounded.length - 1 && below >= reach ? [HOUR, 6 * HOUR, DAY].map((d) => below - reach + d).filter((d) => d > 0 && reach + d < w) : [];
    const target = Number.isFinite(hi) ? (lo > 0 ? (lo + hi) / 2 : hi / 2) : 1.5 * lo;
    let done: { level: number; durMs: number; errors: number; total: number } | undefined;
    for (const durMs of [...new Set([...short, w - reach])]) {
      if (reach + durMs > maxMs) break;
      for (const dilution of [1, DILUTION]) {
        const base = levels.base * dilution * durMs;
        const level = levels.at(Math.min(0.9, Math.max(0, (target * (total + base) - errors) / base)), dilution);
        if (level === undefined) continue;
        const l = levels.get(level);
        const e = errors + l.ratio * l.total * durMs;
        const n = total + l.total * durMs;
        if (e / n > lo * 1.02 && e / n < hi * 0.98) {
          done = { level, durMs, errors: e, total: n };
          break;
        }
      }
      if (done) break;
    }
    if (!done) return undefined;
    segments.unshift({ level: done.level, durMs: done.durMs });
    errors = done.errors;
    total = done.total;
    reach += done.durMs;
  }
  return segments;
}

/** The SLI's inputs at an error ratio (to 2%) and a traffic, each found once. */
class Levels {
  readonly base: number;
  private readonly list: Level[] = [];
  private readonly index = new Map<string, number | undefined>();
  /** How many replicas follow the input's variants (each param list is padded to them). */
  private readonly extra: number;
  constructor(
    private readonly input: StoryInput,
    private readonly replicated?: { variants: readonly Variant[]; sli: Sli },
  ) {
    this.extra = replicated ? replicated.variants.length - input.variants.length : 0;
    this.base = input.quiet.total;
    this.list.push({ ...input.quiet, params: this.pad(input.quiet.params), what: "no errors" });
    this.index.set("0@1", 0);
  }
  get(i: number): Level {
    return this.list[i]!;
  }
  at(ratio: number, dilution: number): number | undefined {
    const step = ratio === 0 ? undefined : Math.round(Math.log(ratio) / Math.log(1.02));
    const key = `${step ?? 0}@${dilution}`;
    if (this.index.has(key)) return this.index.get(key);
    let found: number | undefined;
    const { sli, domains, slo, quiet } = this.input;
    const params = step === undefined ? quiet.params : findRatio(domains, sli, Math.pow(1.02, step), slo.minTraffic);
    const diluted = params && this.dilute(params, dilution);
    if (diluted) {
      const traffic = dilution === 1 ? "" : ` at ${dilution}× traffic${diluted.replicas ? ` (${dilution} instances)` : ""}`;
      const { point } = diluted;
      this.list.push({ params: diluted.params, ratio: point.ratio, total: point.total, what: `${point.ratio === 0 ? "no errors" : `errors at ${pct(point.ratio)}`}${traffic}` });
      found = this.list.length - 1;
    }
    this.index.set(key, found);
    return found;
  }

  /**
   * The inputs at `dilution` times the traffic and the same error ratio: rates scaled, or
   * where that changes the ratio (a counted gauge), the series and their replicas.
   */
  private dilute(params: Param[], dilution: number): { params: Param[]; point: { ratio: number; total: number }; replicas: boolean } | undefined {
    const valid = (p: { ratio: number; total: number } | undefined) => p !== undefined && Number.isFinite(p.ratio) && p.ratio >= 0 && p.total > 0;
    const scaled = params.map((p) => scaleParam(p, dilution));
    const point = this.input.sli(scaled)[0];
    if (dilution === 1) return valid(point) ? { params: this.pad(scaled), point: point!, replicas: false } : undefined;
    const plain = this.input.sli(params)[0];
    const same = (p: { ratio: number; total: number } | undefined) => valid(p) && valid(plain) && Math.abs(p!.ratio - plain!.ratio) <= 1e-9 * Math.max(plain!.ratio, 1e-12);
    if (same(point)) return { params: this.pad(scaled), point: point!, replicas: false };
    if (!this.replicated || dilution !== DILUTION) return undefined;
    const copies = [...params, ...Array.from({ length: this.extra }, (_, j) => params[j % params.length])];
    const replicated = this.replicated.sli(copies)[0];
    return same(replicated) && Math.abs(replicated!.total - dilution * plain!.total) <= 1e-9 * dilution * plain!.total ? { params: copies, point: replicated!, replicas: true } : undefined;
  }

  private pad(params: Param[]): Param[] {
    return [...params, ...Array.from({ length: this.extra }, () => undefined)];
  }
}

/**
 * `n` copies of each variant on other instances (app-2:8080, app-3:8080… after app-1:8080);
 * none where a variant has no instance label or a copy would repeat a series.
 */
export function replicaVariants(variants: readonly Variant[], n: number): Variant[] {
  const key = (v: Variant) => `${v.signal.name}${JSON.stringify(v.labels)}`;
  const taken = new Set(variants.map(key));
  const out: Variant[] = [];
  for (let c = 1; c <= n; c++) {
    for (const v of variants) {
      const instance = v.labels.instance;
      if (instance === undefined) return [];
      const m = /^(.*?)(\d+)(:\d+)?$/.exec(instance);
      const next = m ? `${m[1]}${Number(m[2]) + c}${m[3] ?? ""}` : `${instance}-${c + 1}`;
      const copy = { signal: v.signal, labels: { ...v.labels, instance: next } };
      if (taken.has(key(copy))) return [];
      taken.add(key(copy));
      out.push(copy);
    }
  }
  return out;
}

/** A parameter at k times the traffic: a rate scaled, a gauge's value too. */
export function scaleParam(p: Param, k: number): Param {
  if (p === undefined) return undefined;
  if (typeof p === "number") return p * k;
  return { ...p, rate: p.rate * k };
}

/** Neighbouring segments of the same level are one. */
function mergeSegments(segments: Story["segments"]): Story["segments"] {
  const out: Story["segments"] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.level === s.level) last.durMs += s.durMs;
    else out.push({ ...s });
  }
  return out;
}

function describe(segments: Story["segments"], levels: Levels): string {
  return segments.map((s) => `${levels.get(s.level).what} for ${formatSpan(s.durMs)}`).join(", then ") + ":";
}

/** A duration as the tests' names write it: 1h30m, 6h, 25m. */
export function formatSpan(ms: number): string {
  const h = Math.floor(ms / (60 * MINUTE));
  const m = (ms % (60 * MINUTE)) / MINUTE;
  return h && m ? `${h}h${m}m` : h ? `${h}h` : `${m}m`;
}

const pct = (r: number) => `${Number((r * 100).toPrecision(3))}%`;
