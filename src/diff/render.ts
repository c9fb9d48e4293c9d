/**
 * The three forms of a diff: text for a terminal, JSON (schema `vigil-diff/1`, documented in
 * README.md) for scripts, Markdown for a pull-request comment.
 */
import { stableJson } from "../util/json.js";
import type { DiffChange } from "./compare.js";
import type { Area } from "./facts.js";
import type { DiffSummary } from "./summary.js";

export const DIFF_FORMATS = ["text", "json", "markdown"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffReport {
  /** What was compared: a git revision and the working tree, or two output directories. */
  before: string;
  after: string;
  changes: DiffChange[];
  /** One sentence per changed alert, SLO and route (see summary.ts). */
  summary?: DiffSummary[];
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
  const summary = report.summary?.length ? `${report.summary.map((s) => `${s.text}\n`).join("")}\n` : "";
  return head + summary + report.changes.map((c) => `${changeLine(c)}\n${details(c).map((d) => `    ${d}\n`).join("")}`).join("");
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
  return `${stableJson({ schema: "vigil-diff/1", before: report.before, after: report.after, changed: report.changes.length > 0, summary: report.summary ?? [], changes: report.changes }, 2)}\n`;
}

/**
 * GitHub refuses a comment over 65,536 characters: past this, the properties of added and removed
 * facts are left out, and past it again the list is cut with a note of how many changes are not shown.
 */
export const MARKDOWN_LIMIT = 60_000;

/** Sections per kind of fact; added and removed facts list their properties in a collapsed block. */
export function markdownDiff(report: DiffReport, limit = MARKDOWN_LIMIT): string {
  const full = markdownLines(report, true);
  if (full.join("\n").length < limit) return `${full.join("\n")}\n`;
  const lines = markdownLines(report, false);
  const shown: string[] = [];
  let size = 0;
  let items = 0;
  const note = (rest: number) => `\n_… and ${rest} more ${rest === 1 ? "change" : "changes"}: run \`vigil diff\` for all of them._`;
  for (const line of lines) {
    if (size + line.length + 1 + note(report.changes.length).length >= limit) break;
    shown.push(line);
    size += line.length + 1;
    if (/^- /.test(line)) items++;
  }
  const rest = report.changes.length - items;
  return `${shown.join("\n")}${rest > 0 ? `\n${note(rest)}` : ""}\n`;
}

function markdownLines(report: DiffReport, withDetails: boolean): string[] {
  const out = [MARKDOWN_MARKER, `### Monitoring changes (vigil diff)`, "", `${code(report.before)} → ${code(report.after)}: ${count(report.changes.length)}.`];
  // The sentences, one paragraph each (not list items: those are the changes).
  // The subject as a code span, as in the bullets (names may hold Markdown's `_` and `*`).
  for (const s of report.summary ?? []) out.push("", s.text.replace(s.subject, code(s.subject)));
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
      if (withDetails && lines.length) out.push(`  <details><summary>${lines.length} properties</summary>`, "", ...lines.map((l) => `  - ${escapeHtml(l)}`), "", "  </details>");
    }
  }
  return out;
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
