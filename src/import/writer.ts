/**
 * Prints a SpecDraft as a `monitoring.ts` with ts-morph: the import of what it uses from
 * `vigil-monitoring`, one constant per signal (`counter("http_requests_total", { labels: [...] })`),
 * and the default export `defineMonitoring({...})`, formatted by the TypeScript formatter. PromQL
 * becomes template literals whose selectors of declared signals are typed interpolations, so an
 * undeclared label is an editor error from then on. The same draft gives the same bytes.
 */
import { code, inline, newFile, obj, print, tsMorph, writerOf, type Lit, type LitObject } from "../cli/init-files.js";
import { promqlOf, selectorOf, type DraftAlert, type DraftRecording, type PromqlPieces, type SelectorPiece, type SpecDraft } from "./draft.js";

const MATCHER_HELPER = { "=": undefined, "!=": "not", "=~": "matches", "!~": "notMatches" } as const;

/** A camelCase identifier for a metric name, unique among `taken`. */
function variableName(metric: string, taken: Set<string>): string {
  const words = metric.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("") || "signal";
  if (/^[0-9]/.test(base)) base = `m${base}`;
  if (RESERVED_WORDS.has(base)) base = `${base}Signal`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

const RESERVED_WORDS = new Set(["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public", "await"]);

/** Text inside a template literal. */
function templateText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${").split(WINDOW_TEXT).join("${WINDOW}");
}

const WINDOW_TEXT = "{{window}}";

export function writeSpec(draft: SpecDraft): string {
  const { Project, VariableDeclarationKind } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = newFile(project, "monitoring.ts", ["/**", ...draft.header.map((l) => (l ? ` * ${l}` : " *")), " */"].join("\n"));
  const used = new Set<string>(["defineMonitoring", "env", ...(draft.imports ?? [])]);
  const taken = new Set<string>(["defineMonitoring", "env", "not", "matches", "notMatches", "counter", "gauge", "histogram", "summary", "WINDOW"]);
  const signals = [...draft.signals].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const vars = new Map<string, string>();
  for (const s of signals) vars.set(s.name, variableName(s.name, taken));

  const selector = (p: SelectorPiece): string => {
    const v = vars.get(p.signal);
    if (v === undefined) throw new Error(`draft selector of undeclared signal ${p.signal}`);
    if (p.matchers.length === 0) return `${v}.${p.part}()`;
    const entries = p.matchers.map((m) => {
      const helper = MATCHER_HELPER[m.op];
      if (helper) used.add(helper);
      const value = JSON.stringify(m.value);
      return `${/^[A-Za-z_$][\w$]*$/.test(m.label) ? m.label : JSON.stringify(m.label)}: ${helper ? `${helper}(${value})` : value}`;
    });
    return `${v}.${p.part}({ ${entries.join(", ")} })`;
  };
  const promql = (pieces: PromqlPieces): Lit => {
    const plain = pieces.join("");
    if (pieces.every((p) => typeof p === "string") && !plain.includes("\n") && !plain.includes(WINDOW_TEXT)) return plain;
    if (pieces.some((p) => typeof p === "string" && p.includes(WINDOW_TEXT))) used.add("WINDOW");
    return code("`" + pieces.map((p) => (typeof p === "string" ? templateText(p) : `\${${selector(p)}}`)).join("") + "`");
  };

  const initializers = signals.map((s) => {
    used.add(s.type);
    const options: [string, Lit][] = [];
    if (s.labels.length) options.push(["labels", [...s.labels]]);
    if (s.buckets?.length) options.push(["buckets", [...s.buckets]]);
    return `${s.type}(${JSON.stringify(s.name)}${options.length ? `, ${inline(obj(...options))}` : ""})`;
  });

  const record = (r: Record<string, string>): LitObject => obj(...Object.keys(r).sort().map((k): [string, Lit] => [k, r[k]!]));
  const recording = (r: DraftRecording): Lit => {
    const entries: { key: string; value: Lit; comment?: string }[] = [{ key: "record", value: r.record, ...(r.comment ? { comment: r.comment } : {}) }, { key: "expr", value: promql(r.expr) }];
    if (Object.keys(r.labels).length) entries.push({ key: "labels", value: record(r.labels) });
    return obj(...entries);
  };
  const alert = (a: DraftAlert): Lit => {
    const entries: { key: string; value: Lit; comment?: string }[] = [{ key: "name", value: a.name, ...(a.comment ? { comment: a.comment } : {}) }, { key: "expr", value: promql(a.expr) }];
    if (a.comparison) {
      if (a.comparison.op !== ">") entries.push({ key: "op", value: a.comparison.op });
      entries.push({ key: "threshold", value: a.comparison.threshold });
    }
    entries.push({ key: "severity", value: a.severity }, { key: "for", value: a.for });
    if (a.team) entries.push({ key: "team", value: a.team });
    entries.push({ key: "summary", value: a.summary }, { key: "description", value: a.description });
    if (a.runbook) entries.push({ key: "runbook", value: a.runbook });
    if (Object.keys(a.labels).length) entries.push({ key: "labels", value: record(a.labels) });
    if (Object.keys(a.annotations).length) entries.push({ key: "annotations", value: record(a.annotations) });
    return obj(...entries);
  };

  const teams = draft.teamLiterals ?? draft.teams.map((t) =>
    obj(["name", t], ["receivers", [obj(["name", "slack"], ["kind", "slack"], ["channel", `#${t}-alerts`], ["webhook", code(`env(${JSON.stringify(`SLACK_WEBHOOK_URL_${t.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`)})`)])]]),
  );
  const spec: { key: string; value: Lit; comment?: string }[] = [
    {
      key: "service",
      value: obj(
        ["name", draft.service.name],
        ["team", draft.service.team],
        ...(draft.service.description ? [["description", draft.service.description] as [string, Lit]] : []),
        ...(draft.service.labels && Object.keys(draft.service.labels).length ? [["labels", record(draft.service.labels)] as [string, Lit]] : []),
      ),
    },
    draft.teamLiterals
      ? { key: "teams", value: teams, comment: "Secrets are env() references: set each variable where Alertmanager starts (out/alertmanager/write-secrets.sh)." }
      : {
          key: "teams",
          value: teams,
          comment: "Receivers were not part of the imported files: each team gets a Slack receiver whose webhook\nURL is read from the environment. `vigil import alertmanager` imports existing receivers.",
        },
    { key: "alertmanager", value: draft.alertmanager ?? obj(["catchAll", obj(["team", draft.service.team], ["receiver", "slack"])]) },
  ];
  if (signals.length) spec.push({ key: "signals", value: signals.map((s) => code(vars.get(s.name)!)) });
  // PromQL inside the SLO literals: printed like the alerts'.
  const resolve = (v: Lit): Lit => {
    if (typeof v === "object" && v !== null && "code" in v) {
      const pieces = promqlOf(v.code);
      if (pieces) return promql(pieces);
      const sel = selectorOf(v.code);
      return sel ? code(selector(sel)) : v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (typeof v === "object" && v !== null && "entries" in v) return obj(...(v as LitObject).entries.map((e) => ({ ...e, value: resolve(e.value) })));
    return v;
  };
  if (draft.slos?.length) spec.push({ key: "slos", value: draft.slos.map(resolve) });
  if (draft.recordings.length) spec.push({ key: "recordings", value: draft.recordings.map(recording) });
  if (draft.alerts.length) spec.push({ key: "alerts", value: draft.alerts.map(alert) });
  if (draft.inhibitions?.length || draft.inhibitionNotes?.length) {
    spec.push({ key: "inhibitions", value: draft.inhibitions ?? [], ...(draft.inhibitionNotes?.length ? { comment: draft.inhibitionNotes.join("\n") } : {}) });
  }

  sf.addImportDeclaration({ moduleSpecifier: "vigil-monitoring", namedImports: [...used].sort() });
  signals.forEach((s, i) => {
    sf.addVariableStatement({ declarationKind: VariableDeclarationKind.Const, declarations: [{ name: vars.get(s.name)!, initializer: initializers[i]! }] });
  });
  sf.addExportAssignment({
    isExportEquals: false,
    expression: (w) => {
      w.write("defineMonitoring(");
      writerOf(obj(...spec))(w);
      w.write(")");
    },
  });
  return print(sf);
}
