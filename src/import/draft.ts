/**
 * What every importer builds: a draft of a spec, close to the authoring API (declared signals,
 * alerts, recordings, SLOs, teams), which writer.ts prints as a `monitoring.ts`. PromQL is kept
 * as pieces: text as written, and selectors of declared signals the writer prints as typed
 * `signal.select({...})` interpolations.
 */
import type { MatchOp, SignalType } from "../spec/types.js";
import { code, type Lit } from "../cli/init-files.js";

export interface DraftSignal {
  name: string;
  type: SignalType;
  labels: string[];
  buckets?: number[];
}

/** A selector the writer prints as `${signal.part(matchers)}`. */
export interface SelectorPiece {
  signal: string;
  part: "select" | "bucket" | "count" | "sum";
  matchers: { label: string; op: MatchOp; value: string }[];
}

/** PromQL text: literal text and typed selectors, in order. */
export type PromqlPieces = (string | SelectorPiece)[];

export interface DraftAlert {
  name: string;
  expr: PromqlPieces;
  /** `expr op threshold` when the rule compared its expression with a number. */
  comparison?: { op: ">" | ">=" | "<" | "<=" | "==" | "!="; threshold: number };
  severity: "critical" | "warning" | "info";
  for: string;
  summary: string;
  description: string;
  runbook?: string;
  team?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Printed above the alert: where it came from, the comments it had. */
  comment?: string;
}

export interface DraftRecording {
  record: string;
  expr: PromqlPieces;
  labels: Record<string, string>;
  comment?: string;
}

export interface SpecDraft {
  /** Lines of the file's header comment. */
  header: string[];
  service: { name: string; team: string; description?: string; labels?: Record<string, string> };
  /** Every team the draft names (the service's first). */
  teams: string[];
  signals: DraftSignal[];
  recordings: DraftRecording[];
  alerts: DraftAlert[];
  /** Further names the literals use from vigil-monitoring (e.g. `file`). */
  imports?: string[];
  /** The teams as literals (receivers and escalation), instead of a Slack receiver per team. */
  teamLiterals?: Lit[];
  /** `alertmanager` settings as a literal, instead of a catch-all to the service team's Slack receiver. */
  alertmanager?: Lit;
  /** `inhibitions` entries as literals. */
  inhibitions?: Lit[];
  /** Comment lines above `inhibitions`: the input's inhibit rules that are not among them, and why. */
  inhibitionNotes?: string[];
  /** SLO objects as literals, their PromQL as `promqlValue(pieces)` (the writer prints it). */
  slos?: Lit[];
}

const PROMQL = "\u0000promql:";

/**
 * PromQL inside a literal: a code value the writer replaces by the printed pieces (a template
 * literal with typed selectors and `${WINDOW}`).
 */
export function promqlValue(pieces: PromqlPieces): Lit {
  return code(`${PROMQL}${JSON.stringify(pieces)}`);
}

/** The pieces a `promqlValue` stands for, if `text` is one. */
export function promqlOf(text: string): PromqlPieces | undefined {
  return text.startsWith(PROMQL) ? (JSON.parse(text.slice(PROMQL.length)) as PromqlPieces) : undefined;
}

const SELECTOR = "\u0000selector:";

/** A typed selector inside a literal (`requests.select({ code: matches("5..") })`), printed by the writer. */
export function selectorValue(piece: SelectorPiece): Lit {
  return code(`${SELECTOR}${JSON.stringify(piece)}`);
}

/** The selector a `selectorValue` stands for, if `text` is one. */
export function selectorOf(text: string): SelectorPiece | undefined {
  return text.startsWith(SELECTOR) ? (JSON.parse(text.slice(SELECTOR.length)) as SelectorPiece) : undefined;
}
