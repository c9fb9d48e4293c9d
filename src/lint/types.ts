/**
 * Lint rules: each lives in its own file under `rules/<group>/<name>.ts` and exports a
 * `LintRule` — metadata plus a `check` over the expressions and items of one service.
 */
import type { LintRuleId, SourceLocation, SpecRef } from "../diagnostics/index.js";
import type { AlertRuleModel, GrafanaModel, RecordingModel, ServiceModel, SloModel, TeamModel } from "../model/types.js";
import type { Expr } from "../promql/ast.js";
import type { PromQLError } from "../promql/frontend.js";
import type { SeriesLabels } from "../promql/labels.js";
import type { SignalIndex } from "../normalize/signals.js";

export type LintSeverity = "error" | "warning" | "info";

export interface RuleMeta {
  /** `group/name`; part of the interface: never rename a released id. */
  id: LintRuleId;
  severity: LintSeverity;
  /** One line, shown in docs and `vigil lint --list`. */
  description: string;
  /** The rule needs declared signals (a spec); it stays quiet on plain rule files linted without one. */
  needsSpec?: boolean;
}

/** The item an expression or finding belongs to, for per-item disables. */
export type LintItem =
  | { kind: "alert"; alert: AlertRuleModel }
  | { kind: "recording"; recording: RecordingModel }
  | { kind: "slo"; slo: SloModel };

/** One PromQL expression Vigil will put in a rule, with where it came from. */
export interface LintExpr {
  item: LintItem;
  text: string;
  expr: Expr;
  /** The place of characters [offset, offset + length) of the expression in the source. */
  at(offset: number, length: number): SpecRef;
}

/** A PromQL query of a declared dashboard (Grafana variables replaced by same-length values for parsing). */
export interface DashboardQueryExpr {
  /** The query as written. */
  text: string;
  expr: Expr;
  /** Characters [start, end) holding Grafana variables: no selector there is the user's. */
  variables: readonly { start: number; end: number }[];
  at(offset: number, length: number): SpecRef;
}

export interface Finding {
  message: string;
  /** Where: a spec place (resolved by the loader) or a file position. */
  at?: SpecRef;
  location?: SourceLocation;
  hint?: string;
  /** The item it concerns, so `lintDisable` on that item can silence it. */
  item?: LintItem;
  /** `at` points at a secret: the source excerpt must not print it (see Diagnostic.mask). */
  mask?: boolean;
}

/** An expression the PromQL front end rejects (reported by promql/syntax and promql/type). */
export interface InvalidExpr {
  item: LintItem;
  text: string;
  errors: readonly PromQLError[];
  at(offset: number, length: number): SpecRef;
}

export interface LintContext {
  /** The service: from the spec, or built from a plain rule file's rules. */
  service?: ServiceModel;
  exprs: readonly LintExpr[];
  /** Queries of the service's declared dashboards (not rules: only dashboard/* rules read them). */
  dashboardQueries?: readonly DashboardQueryExpr[];
  /**
   * Expressions the front end rejects. Empty for specs, where the compiler's check stage
   * already reports them (VIG3001-VIG3003); filled for plain rule files.
   */
  invalid: readonly InvalidExpr[];
  /** Declared signals (and recordings); undefined for plain rule files. */
  signals?: SignalIndex;
  /** Labels a series name can carry, from the declared signals; undefined when unknown. */
  seriesLabels: SeriesLabels;
  scrapeIntervalMs: number;
  /** Every team of the specs compiled together (receivers may be declared in another spec); default the service's. */
  routingTeams?: readonly TeamModel[];
  /**
   * The values an alert's `severity` label may take (alerts/severity); default critical,
   * warning, info. Set for plain rule files of teams with their own ladder (`lint.severities`).
   */
  severities?: readonly string[];
  /** The Grafana settings of the specs compiled together (spec/secret reads their URLs). */
  grafana?: GrafanaModel;
  report(finding: Finding): void;
}

export interface LintRule {
  meta: RuleMeta;
  check(ctx: LintContext): void;
}
