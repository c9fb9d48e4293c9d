/**
 * The three forms of a diff: text for a terminal, JSON (schema `vigil-diff/1`, documented in
 * README.md) for scripts, Markdown for a pull-request comment.
 */
import { stableJson } from "../util/json.js";
import type { DiffChange } from "./compare.js";
import type { Area } from "./facts.js";

export const DIFF_FORMATS = ["text", "json", "markdown"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffReport {
  /** What was compared: a git revision and the working tree, or two output directories. */
  before: string;
  after: string;
  changes: DiffChange[];
}

/** The first line of a Markdown comment, so a workflow can find and update its own comment. */
export const MARKDOWN_MARKER = "<!-- vigil-diff -->";

const LABEL: Record<Area, string> = {
  service: "service",
  alert: "alert",
  slo: "SLO",
  "burn-rate": "burn-rate tier",
  anomaly: "anomaly alert",
  recording: "recording rule",
  routing: "routing",
  route: "route",
  team: "team",
  receiver: "receiver",
  inhibition: "inhibition",
  "time-interval": "time interval",
  dashboard: "dashboard",
  panel: "panel",
  check: "check",
  journey: "journey",
  logs: "logs",
  "log-category": "log category",
  "log-metric": "log metric",
  retention: "retention policy",
  signal: "signal",
  exporter: "exporter",
  prometheus: "prometheus",
  settings: "settings",
  file: "file",
};

export function renderDiff(report: DiffReport, format: DiffFormat): string {
  if (format === "json") return jsonDiff(report);
  if (format === "markdown") return markdownDiff(report);
  return textDiff(report);
}

/** One line per change: `~ alert shop/Errors critical: threshold > 0.05 → > 0.02`, `+ …`, `- …`. */
export function textDiff(report: DiffReport): string {
  const head = `vigil diff ${report.before} → ${report.after}: ${count(report.changes.length)}\n`;
  return head + report.changes.map((c) => `${changeLine(c)}\n${details(c).map((d) => `    ${d}\n`).join("")}`).join("");
}

function changeLine(c: DiffChange): string {
  const what = `${LABEL[c.area]} ${c.subject}`;
  if (c.change === "added") return `+ ${what}`;
  if (c.change === "removed") return `- ${what}`;
  return `~ ${what}: ${c.field} ${c.before ?? "(unset)"} → ${c.after ?? "(unset)"}`;
}

function details(c: DiffChange): string[] {
  return Object.entries(c.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
}

function count(n: number): string {
  return n === 0 ? "no semantic changes" : n === 1 ? "1 change" : `${n} changes`;
}

export function jsonDiff(report: DiffReport): string {
  return `${stableJson({ schema: "vigil-diff/1", before: report.before, after: report.after, changed: report.changes.length > 0, changes: report.changes }, 2)}\n`;
}

/** Sections per kind of fact; added and removed facts list their properties in a collapsed block. */
export function markdownDiff(report: DiffReport): string {
  const out = [MARKDOWN_MARKER, `### Monitoring changes (vigil diff)`, "", `${code(report.before)} → ${code(report.after)}: ${count(report.changes.length)}.`];
  let area: Area | undefined;
  for (const c of report.changes) {
    if (c.area !== area) {
      area = c.area;
      out.push("", `#### ${capital(LABEL[area])}`, "");
    }
    if (c.change === "changed") out.push(`- ~ ${code(c.subject)}: ${c.field} ${c.before === undefined ? "(unset)" : code(c.before)} → ${c.after === undefined ? "(unset)" : code(c.after)}`);
    else {
      out.push(`- ${c.change === "added" ? "**added**" : "**removed**"} ${code(c.subject)}`);
      const lines = details(c);
      if (lines.length) out.push(`  <details><summary>${lines.length} properties</summary>`, "", ...lines.map((l) => `  - ${escapeHtml(l)}`), "", "  </details>");
    }
  }
  return `${out.join("\n")}\n`;
}

/** A Markdown code span that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\n/g, " ")}${pad}${fence}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, " ");
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
