/**
 * The files `vigil init` writes: a commented starter `monitoring.ts`, a `vigil.config.ts` and a
 * CI workflow. The TypeScript is generated with ts-morph (the project's tool for generating
 * TypeScript): imports, constants and the default export are built as syntax and printed with
 * the TypeScript formatter, so what a team starts from is valid, formatted code that compiles.
 */
import { createRequire } from "node:module";
import type { CodeBlockWriter, Project as TsMorphProject, SourceFile, WriterFunction } from "ts-morph";

/** A value of the generated object literals: code as written, a string, a number, a list or an object. */
export type Lit = { code: string } | string | number | boolean | readonly Lit[] | LitObject;
/** An object literal; a key's comment is printed on the line above it. */
export interface LitObject {
  readonly entries: readonly { key: string; value: Lit; comment?: string }[];
}

export const code = (text: string): Lit => ({ code: text });
export const obj = (...entries: ({ key: string; value: Lit; comment?: string } | [string, Lit] | [string, Lit, string])[]): LitObject => ({
  entries: entries.map((e) => (Array.isArray(e) ? (e[2] === undefined ? { key: e[0], value: e[1] } : { key: e[0], value: e[1], comment: e[2] }) : e)),
});

function isObject(v: Lit): v is LitObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "entries" in v;
}

function isCode(v: Lit): v is { code: string } {
  return typeof v === "object" && v !== null && "code" in v;
}

/** The value on one line, or undefined when it holds a comment. */
export function inline(v: Lit): string | undefined {
  if (isCode(v)) return v.code;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isObject(v)) {
    if (v.entries.some((e) => e.comment)) return undefined;
    const parts = v.entries.map((e) => {
      const value = inline(e.value);
      return value === undefined ? undefined : `${key(e.key)}: ${value}`;
    });
    if (parts.some((p) => p === undefined)) return undefined;
    return parts.length ? `{ ${parts.join(", ")} }` : "{}";
  }
  const items = (v as readonly Lit[]).map(inline);
  return items.some((i) => i === undefined) ? undefined : `[${items.join(", ")}]`;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/** Writes `v`, on one line when it fits in `room` characters and has no comments. */
export function write(writer: CodeBlockWriter, v: Lit, room: number): void {
  const one = inline(v);
  if (one !== undefined && one.length <= room) {
    writer.write(one);
    return;
  }
  if (isObject(v)) {
    writer.write("{").newLine();
    writer.indent(() => {
      for (const e of v.entries) {
        if (e.comment) for (const line of e.comment.split("\n")) writer.writeLine(`// ${line}`);
        writer.write(`${key(e.key)}: `);
        write(writer, e.value, 96 - key(e.key).length);
        writer.write(",").newLine();
      }
    });
    writer.write("}");
    return;
  }
  if (Array.isArray(v)) {
    writer.write("[").newLine();
    writer.indent(() => {
      for (const item of v as readonly Lit[]) {
        write(writer, item, 96);
        writer.write(",").newLine();
      }
    });
    writer.write("]");
    return;
  }
  writer.write(one ?? "");
}

export const writerOf =
  (v: Lit): WriterFunction =>
  (writer) =>
    write(writer, v, 90);

export interface InitOptions {
  /** The service's name (Prometheus `service` label, rule file and dashboard names). */
  service: string;
}

export interface InitFile {
  /** Relative to the directory `vigil init` writes into, `/`-separated. */
  path: string;
  content: string;
}

export function tsMorph(): typeof import("ts-morph") {
  // Loaded only for `vigil init`: it brings its own copy of the TypeScript compiler.
  return createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph");
}

export function newFile(project: TsMorphProject, name: string, header: string): SourceFile {
  const sf = project.createSourceFile(name, "", { overwrite: true });
  sf.insertStatements(0, header);
  return sf;
}

export function print(sf: SourceFile): string {
  const { ts } = tsMorph();
  sf.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Insert });
  return sf.getFullText().replace(/\n{3,}/g, "\n\n").replace(/^\n+/, "").trimEnd() + "\n";
}

export function monitoringTs(options: InitOptions): string {
  const { Project, VariableDeclarationKind } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true });
  const service = options.service;
  const teamName = `${service}-team`;
  const sf = newFile(
    project,
    "monitoring.ts",
    [
      "/**",
      ` * Monitoring of ${service}, as code. \`npx vigil compile\` turns this file into Prometheus rules`,
      " * (with promtool unit tests), Alertmanager routes, Grafana dashboards and HTTP probes in out/;",
      " * `npx vigil check` (in CI) fails when out/ is not what this file compiles to.",
      " *",
      " * Replace the metric names, thresholds and URLs below with your service's.",
      " */",
    ].join("\n"),
  );
  sf.addImportDeclaration({
    moduleSpecifier: "vigil-monitoring",
    namedImports: ["assertStatus", "counter", "defineMonitoring", "env", "histogram", "matches", "team"],
  });
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    leadingTrivia: "// Signals: the metrics your service exposes on /metrics. Selectors may only match the labels\n// a signal declares, so a misspelt label is a type error in your editor.\n",
    declarations: [{ name: "httpRequests", initializer: writerOf(code(`counter("http_requests_total", ${inline(obj(["help", "HTTP requests served, by status code"], ["labels", ["code"]]))})`)) }],
  });
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "httpDuration",
        initializer: (writer) => {
          writer.write('histogram("http_request_duration_seconds", ');
          write(writer, obj(["help", "HTTP request latency"], ["unit", "seconds"], ["buckets", [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]]), 60);
          writer.write(")");
        },
      },
    ],
  });
  sf.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    leadingTrivia: "\n// The share of requests that fail with a 5xx, over the last 5 minutes.\n",
    declarations: [{ name: "errorRatio", initializer: "`sum(rate(${httpRequests.select({ code: matches(\"5..\") })}[5m])) / sum(rate(${httpRequests.select()}[5m]))`" }],
  });

  const spec = obj(
    {
      key: "service",
      value: obj(["name", service], ["team", teamName], ["runbookBaseUrl", `https://runbooks.example.com/${service}`], ["scrape", obj(["targets", [`${service}:8080`]])]),
      comment: "The service: its name labels every rule; Prometheus scrapes its targets (prometheus/prometheus.yml).",
    },
    {
      key: "teams",
      value: [
        code(
          `team(${inline(
            obj(["name", teamName], ["receivers", [obj(["name", "slack"], ["kind", "slack"], ["channel", `#${service}-alerts`], ["webhook", code('env("SLACK_WEBHOOK_URL")')])]]),
          )})`,
        ),
      ],
      comment:
        "Who is alerted, and how. The webhook URL is a secret: env() reads it where Alertmanager runs\n(out/alertmanager/write-secrets.sh writes it to a file), it is never written into out/.",
    },
    { key: "alertmanager", value: obj(["catchAll", obj(["team", teamName], ["receiver", "slack"])]), comment: "Alerts no team route matches go to the catch-all receiver." },
    { key: "signals", value: [code("httpRequests"), code("httpDuration")] },
    {
      key: "slos",
      comment: "Service level objectives: each gets recording rules, multi-window burn-rate alerts (page and\nticket) and a dashboard row, over a 30-day window unless `window` says otherwise.",
      value: [
        obj(
          ["name", "availability"],
          ["description", "Share of requests served without a 5xx"],
          ["objective", 99.9],
          { key: "sli", value: obj(["kind", "ratio"], ["bad", code('httpRequests.select({ code: matches("5..") })')], ["total", code("httpRequests.select()")]), comment: "A ratio SLI: bad (or good) events over all events." },
        ),
        obj(
          ["name", "latency"],
          ["description", "Share of requests served within 500ms"],
          ["objective", 99],
          { key: "sli", value: obj(["kind", "latency"], ["histogram", code("httpDuration.select()")], ["threshold", 0.5]), comment: "A latency SLI: the threshold must be one of the histogram's buckets." },
        ),
      ],
    },
    {
      key: "alerts",
      comment: "A threshold alert with a severity ladder: critical above 5%, warning above 1%.",
      value: [
        obj(
          ["name", "HighErrorRate"],
          ["expr", code("errorRatio")],
          ["thresholds", obj(["critical", 0.05], ["warning", 0.01])],
          ["for", "5m"],
          ["summary", "High HTTP error rate"],
          ["description", "{{ $value | humanizePercentage }} of requests fail with a 5xx."],
        ),
      ],
    },
    {
      key: "checks",
      comment: "An HTTP check, run by the probe bundle (`npx vigil probes run`); it alerts after failing runs.",
      value: [
        obj(
          ["name", "health"],
          ["interval", "30s"],
          ["request", obj(["url", `https://${service}.example.com/health`], ["timeout", "5s"])],
          ["assertions", [code("assertStatus().equals(200)")]],
        ),
      ],
    },
  );
  sf.addExportAssignment({
    isExportEquals: false,
    leadingTrivia: "\n",
    expression: (writer) => {
      writer.write("defineMonitoring(");
      write(writer, spec, 0);
      writer.write(")");
    },
  });
  return print(sf);
}

export function configTs(): string {
  const { Project } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = newFile(
    project,
    "vigil.config.ts",
    [
      "/**",
      " * The defaults of every vigil command run in this directory; arguments on the command line win.",
      " * Paths are relative to this file.",
      " */",
    ].join("\n"),
  );
  sf.addImportDeclaration({ moduleSpecifier: "vigil-monitoring", namedImports: ["defineConfig"] });
  const config = obj(
    { key: "specs", value: ["monitoring.ts"], comment: "The specs: files, directories (every monitoring.ts/.yaml/.json below them) or globs." },
    { key: "out", value: "out", comment: "Where `vigil compile` writes and `vigil check` compares. Commit it." },
    { key: "prometheus", value: obj(["version", "2.42"]), comment: "The Prometheus version you run (specs may set their own prometheus.version)." },
    {
      key: "lint",
      value: obj(["rules", obj(["alerts/for", "warning"])]),
      comment: "Lint rule severities (error, warning, info, off) for every spec and for plain rule files;\n`severities` sets the severity label values your own rule files use, e.g. [\"page\", \"ticket\"].",
    },
  );
  sf.addExportAssignment({
    isExportEquals: false,
    leadingTrivia: "\n",
    expression: (writer) => {
      writer.write("defineConfig(");
      write(writer, config, 0);
      writer.write(")");
    },
  });
  return print(sf);
}

export function workflowYml(): string {
  return `# Monitoring as code: fail a pull request whose monitoring does not compile, does not lint, or
# whose committed output (out/) is not what monitoring.ts compiles to. Written by vigil init.
name: monitoring
on:
  pull_request:
  push:
    branches: [main]
jobs:
  vigil:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npx vigil lint
      # vigil.config.ts says which specs and which output directory.
      - run: npx vigil check
`;
}

export function initFiles(options: InitOptions): InitFile[] {
  return [
    { path: "monitoring.ts", content: monitoringTs(options) },
    { path: "vigil.config.ts", content: configTs() },
    { path: ".github/workflows/monitoring.yml", content: workflowYml() },
  ];
}
