/**
 * Kibana saved objects (issue 16): the NDJSON file of each service with logs is what Kibana's
 * import takes and its saved-object types accept (contract.ts, from Kibana's source), and what
 * the objects show is what the Logstash pipeline stores: every line of every category, run
 * through the interpreted pipelines (test/logstash/interpret.ts), is found by the saved search of
 * its category and no other, and each visualization reads exactly the events of its categories.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OutputFile } from "../../src/emit/types.js";
import { uuidV5 } from "../../src/kibana/ids.js";
import { loadSpec } from "../../src/load/index.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { REPO } from "../helpers.js";
import { emitLogs, exampleSpec, lineFor, LOG_EXAMPLES, withLogs } from "../logstash/examples.js";
import { LogstashRun, type Written } from "../logstash/interpret.js";
import { parseLogstash } from "../logstash/parser.js";
import { checkSavedObjects, readImportFile, type ImportedObject, type JsonObject } from "./contract.js";
import { kqlMatches, viewMatches } from "./kql.js";

const ENV = { ES_HOSTS: "http://es:9200", LOG_HASH_KEY: "k" };
const NOW = Date.UTC(2026, 0, 15, 12);

async function fixture(): Promise<MonitoringSpec> {
  const loaded = await loadSpec(join(REPO, "test/fixtures/kibana/monitoring.ts"), { typecheck: false });
  if (!loaded.spec) throw new Error(loaded.diagnostics.map((d) => d.message).join("; "));
  return loaded.spec.value as MonitoringSpec;
}

const renamed = (spec: MonitoringSpec, name: string, port: number): MonitoringSpec => withLogs({ ...spec, service: { ...spec.service, name } }, { source: { kind: "beats", port } });

/** Specs compiled together, under a name: the examples and the fixture, daily and with data streams, and services whose index patterns meet. */
const VARIANTS: { name: string; specs: () => Promise<MonitoringSpec[]> }[] = [
  ...LOG_EXAMPLES.flatMap((name) => [
    { name: `${name}, daily indices`, specs: async () => [await exampleSpec(name)] },
    { name: `${name}, data streams`, specs: async () => [withLogs(await exampleSpec(name), { indices: "dataStream" })] },
  ]),
  { name: "the five seed dashboards, daily indices", specs: async () => [await fixture()] },
  { name: "the five seed dashboards, data streams", specs: async () => [withLogs(await fixture(), { indices: "dataStream" })] },
  {
    name: "services api, api-gateway (its indices under logs-api-*) and api-stream",
    specs: async () => {
      const base = await fixture();
      return [renamed(base, "api", 5045), renamed(base, "api-gateway", 5046), withLogs(renamed(base, "api-stream", 5047), { indices: "dataStream" })];
    },
  },
];

const kibanaFiles = (files: OutputFile[]) => files.filter((f) => f.path.startsWith("kibana/"));

describe("the import file against Kibana's saved-object types", () => {
  for (const v of VARIANTS) {
    it(`${v.name}: every file passes the contract`, async () => {
      const specs = await v.specs();
      const files = kibanaFiles(emitLogs(specs));
      expect(files.map((f) => f.path).sort()).toEqual(specs.map((s) => `kibana/${s.service.name}.saved-objects.ndjson`).sort());
      for (const f of files) {
        expect(checkSavedObjects(f.content), f.path).toEqual([]);
        const { objects, summary } = readImportFile(f.content);
        const spec = specs.find((s) => f.path === `kibana/${s.service.name}.saved-objects.ndjson`)!;
        const categories = spec.logs!.categories ?? [];
        const own = categories.filter((c) => c.retentionDays !== undefined && c.retentionDays !== (spec.logs!.retentionDays ?? 30));
        const count = (t: string) => objects.filter((o) => o.type === t).length;
        // A data view per index pattern the pipeline writes: the service's, each category kept apart, the dead letters'.
        expect(count("index-pattern")).toBe(own.length + 2);
        // A saved search per category, `application` and the dead letters.
        expect(count("search")).toBe(categories.length + 2);
        expect(count("dashboard")).toBe(spec.logs!.kibana?.dashboards?.length ?? 1);
        expect(summary?.exportedCount).toBe(objects.length);
      }
    });
  }

  it("a service's data view excludes what another service's templates take", async () => {
    const files = kibanaFiles(emitLogs(await VARIANTS.at(-1)!.specs()));
    const titles = (service: string) =>
      readImportFile(files.find((f) => f.path === `kibana/${service}.saved-objects.ndjson`)!.content)
        .objects.filter((o) => o.type === "index-pattern")
        .map((o) => o.attributes.title);
    expect(titles("api")).toEqual(["logs-api-*,-logs-api-deadletter-*,-logs-api-gateway-*", "logs-api-security-*", "logs-api-audit-*", "logs-api-deadletter-*"]);
    expect(titles("api-gateway")).toEqual(["logs-api-gateway-*,-logs-api-gateway-deadletter-*", "logs-api-gateway-security-*", "logs-api-gateway-audit-*", "logs-api-gateway-deadletter-*"]);
    expect(titles("api-stream")).toEqual(["logs-api_stream.*-*,-logs-api_stream.deadletter-*", "logs-api_stream.security-*", "logs-api_stream.audit-*", "logs-api_stream.deadletter-*"]);
  });
});

/** The fixture's file, changed by `edit` on its parsed objects; the contract's problems with it. */
async function broken(edit: (objects: ImportedObject[]) => ImportedObject[] | void): Promise<string[]> {
  const file = kibanaFiles(emitLogs([await fixture()]))[0]!;
  const { objects } = readImportFile(file.content);
  const copy = JSON.parse(JSON.stringify(objects)) as ImportedObject[];
  const out = edit(copy) ?? copy;
  return checkSavedObjects(out.map((o) => `${JSON.stringify(o)}\n`).join(""));
}
const first = (objects: ImportedObject[], type: string) => objects.find((o) => o.type === type)!;
const editPanels = (o: ImportedObject, edit: (panels: JsonObject[]) => void) => {
  const panels = JSON.parse(String(o.attributes.panelsJSON)) as JsonObject[];
  edit(panels);
  o.attributes.panelsJSON = JSON.stringify(panels);
};

describe("the contract refuses what Kibana would refuse (so passing it says something)", () => {
  const cases: [string, (objects: ImportedObject[]) => ImportedObject[] | void, RegExp][] = [
    ["an object twice", (os) => [...os, os[0]!], /the same type and id twice/],
    ["a type Kibana does not import", (os) => void (first(os, "lens").type = "lens-ui-telemetry"), /type is not importable/],
    ["no typeMigrationVersion", (os) => void delete first(os, "search").typeMigrationVersion, /typeMigrationVersion undefined is not a version/],
    ["a version before the multi-space conversion", (os) => void (first(os, "index-pattern").typeMigrationVersion = "7.17.0"), /before the 8\.0\.0 multi-space conversion/],
    ["Lens before its 8.9.0 migration", (os) => void (first(os, "lens").typeMigrationVersion = "8.6.0"), /before 8\.9\.0/],
    ["a reference to an object not in the file", (os) => void (first(os, "search").references[0]!.id = "nowhere"), /is not in the file/],
    ["a reference with more than name, type and id", (os) => void Object.assign(first(os, "search").references[0]!, { extra: 1 }), /is not \{ name, type, id \}/],
    ["a data view's fields as an array", (os) => void (first(os, "index-pattern").attributes.fields = []), /fields is not a JSON string/],
    ["a time field that is no date", (os) => void (first(os, "index-pattern").attributes.timeFieldName = "level"), /time field level is no date field/],
    ["an index pattern starting with an exclusion", (os) => void (first(os, "index-pattern").attributes.title = "-logs-x-*,logs-*"), /starts with an exclusion/],
    ["an unknown search attribute", (os) => void (first(os, "search").attributes.query = "x"), /attribute query is not in the type's schema/],
    ["a sort that is not pairs", (os) => void (first(os, "search").attributes.sort = ["@timestamp", "desc"]), /sort is not a list of \[field, direction\]/],
    ["a search source as an object", (os) => void ((first(os, "search").attributes.kibanaSavedObjectMeta as JsonObject).searchSourceJSON = {}), /searchSourceJSON is not a JSON string/],
    ["a search source naming a missing reference", (os) => void (first(os, "search").references[0]!.name = "other"), /indexRefName kibanaSavedObjectMeta\.searchSourceJSON\.index names no index-pattern reference/],
    ["a column that is no field", (os) => void (first(os, "search").attributes.columns = ["levle"]), /column levle is no field of its data view/],
    ["an unknown dashboard attribute", (os) => void (first(os, "dashboard").attributes.panels = []), /attribute panels is not in the type's schema/],
    ["panelsJSON as a list", (os) => void (first(os, "dashboard").attributes.panelsJSON = []), /panelsJSON is not a JSON string/],
    ["overlapping panels", (os) => editPanels(first(os, "dashboard"), (ps) => void Object.assign(ps[1]!.gridData as JsonObject, { x: 0, y: 0 })), /overlaps panel/],
    ["a panel wider than the grid", (os) => editPanels(first(os, "dashboard"), (ps) => void Object.assign(ps[0]!.gridData as JsonObject, { w: 49 })), /width 49 outside 1\.\.48/],
    ["gridData.i other than the panelIndex", (os) => editPanels(first(os, "dashboard"), (ps) => void Object.assign(ps[0]!.gridData as JsonObject, { i: "x" })), /gridData\.i is not the panelIndex/],
    ["a panelRefName no reference has", (os) => editPanels(first(os, "dashboard"), (ps) => void (ps[0]!.panelRefName = "panel_0")), /Could not find reference "panel_0"/],
    ["a panel whose type is not its reference's", (os) => editPanels(first(os, "dashboard"), (ps) => void (ps[0]!.type = "visualization")), /panel type visualization but its reference is a lens/],
    ["the pre-8.6 Lens datasource", (os) => void (((first(os, "lens").attributes.state as JsonObject).datasourceStates as JsonObject).indexpattern = {}), /the pre-8\.6 indexpattern datasource/],
    [
      "a Lens column on a field the data view lacks",
      (os) => {
        const lens = os.find((o) => o.type === "lens" && JSON.stringify(o.attributes).includes('"operationType":"terms"'))!;
        const layer = (((lens.attributes.state as JsonObject).datasourceStates as JsonObject).formBased as JsonObject).layers as JsonObject;
        const columns = (Object.values(layer)[0] as JsonObject).columns as JsonObject;
        (columns.group as JsonObject).sourceField = "levle";
      },
      /field levle is not in the data view/,
    ],
    ["a Lens layer without its data view reference", (os) => void (first(os, "lens").references[0]!.name = "indexpattern-datasource-current-indexpattern"), /has no data view reference/],
    ["a summary that miscounts", (os) => void os.push({ exportedCount: 1 } as unknown as ImportedObject), /the summary counts 1 objects/],
  ];
  for (const [what, edit, problem] of cases) it(what, async () => expect((await broken(edit)).join("\n")).toMatch(problem));
});

interface Stored extends Written {
  /** The category the line was written for (`deadletter`: it parses neither way). */
  meant: string;
}

/** One line per category (as its condition reads), one for `application`, a dead letter, through the service's interpreted pipelines. */
function stored(specs: MonitoringSpec[], files: OutputFile[]): Map<string, Stored[]> {
  const confs = new Map(files.filter((f) => f.path.startsWith("logstash/pipeline/")).map((f) => [f.path.slice("logstash/pipeline/".length, -".conf".length), parseLogstash(f.content)]));
  const out = new Map<string, Stored[]>();
  for (const spec of specs) {
    const lines = [...(spec.logs!.categories ?? []).map((c) => ({ meant: c.name, line: lineFor(c.when) })), { meant: "application", line: lineFor(undefined) }, { meant: "deadletter", line: "not json, no fallback matches" }];
    const docs: Stored[] = [];
    for (const { meant, line } of lines) {
      const run = new LogstashRun(confs, { env: ENV });
      run.receive(line, NOW, spec.service.name);
      expect(run.written, `${spec.service.name}: the ${meant} line`).toHaveLength(1);
      docs.push({ ...run.written[0]!, meant });
    }
    out.set(spec.service.name, docs);
  }
  return out;
}

describe("what the saved objects find is what the pipeline stores", () => {
  for (const v of VARIANTS) {
    it(`${v.name}: each saved search finds exactly its category, each visualization its categories`, async () => {
      const specs = await v.specs();
      const files = emitLogs(specs);
      const docs = stored(specs, files);
      // Every service's documents, so a view that reached into another service's indices would find them.
      const everything = [...docs.values()].flat();
      for (const spec of specs) {
        const { objects } = readImportFile(files.find((f) => f.path === `kibana/${spec.service.name}.saved-objects.ndjson`)!.content);
        const views = new Map(objects.filter((o) => o.type === "index-pattern").map((o) => [o.id, o]));
        const found = (viewId: string, query: string) => {
          const view = views.get(viewId)!;
          const types = new Map((JSON.parse(String(view.attributes.fields)) as { name: string; esTypes: string[] }[]).map((f) => [f.name, f.esTypes[0]!]));
          return everything.filter((d) => viewMatches(String(view.attributes.title), d.index) && kqlMatches(query, d.doc, types));
        };
        const own = docs.get(spec.service.name)!;
        const searches = objects.filter((o) => o.type === "search");
        for (const s of searches) {
          const source = JSON.parse(String((s.attributes.kibanaSavedObjectMeta as JsonObject).searchSourceJSON)) as { query: { query: string } };
          const hits = found(s.references[0]!.id, source.query.query);
          const category = own.find((d) => s.attributes.title === `${spec.service.name} / ${d.meant === "deadletter" ? "dead letters" : `${d.meant} events`}`)?.meant;
          expect(category, String(s.attributes.title)).toBeDefined();
          expect(hits.map((d) => `${spec.service.name}:${d.meant}`), String(s.attributes.title)).toEqual(own.filter((d) => d.meant === category).map((d) => `${spec.service.name}:${d.meant}`));
        }
        // Each category's events are found by one search: together they find every line, once.
        expect(searches).toHaveLength(own.length);
        for (const l of objects.filter((o) => o.type === "lens")) {
          const state = l.attributes.state as { query: { query: string } };
          const hits = found(l.references[0]!.id, state.query.query).map((d) => d.meant);
          const panel = spec.logs!.kibana?.dashboards?.flatMap((d) => d.panels).find((p) => "title" in p && p.title === l.attributes.title);
          const wanted = panel && "categories" in panel && panel.categories?.length ? panel.categories : l.attributes.title === "Lines that did not parse" ? ["deadletter"] : own.map((d) => d.meant).filter((m) => m !== "deadletter");
          expect(hits.sort(), String(l.attributes.title)).toEqual([...wanted].sort());
        }
      }
    });
  }
});

describe("the query model refuses what it does not model", () => {
  const types = new Map([["level", "keyword"], ["message", "text"], ["event.category", "keyword"]]);
  const doc = { level: "ERROR", message: "boom", event: { category: "error" } };
  it("reads exact matches, and, or, not and parentheses; the empty query matches everything", () => {
    expect(kqlMatches('event.category : "error"', doc, types)).toBe(true);
    expect(kqlMatches('event.category : "request" or (level : "ERROR" and not event.category : "request")', doc, types)).toBe(true);
    expect(kqlMatches('event.category : "request" or level : "INFO"', doc, types)).toBe(false);
    expect(kqlMatches("", doc, types)).toBe(true);
  });
  it("throws on an unquoted value, a match on full text and a field the data view lacks", () => {
    expect(() => kqlMatches("level : ERROR", doc, types)).toThrow(/only quoted phrases/);
    expect(() => kqlMatches('message : "boom"', doc, types)).toThrow(/message is text/);
    expect(() => kqlMatches('lvl : "ERROR"', doc, types)).toThrow(/no field of the data view/);
  });
  it("resolves index patterns as Elasticsearch does: an exclusion removes what came before it", () => {
    const title = "logs-api-*,-logs-api-deadletter-*,-logs-api-gateway-*";
    expect(["logs-api-2026.01.15", "logs-api-security-2026.01.15", "logs-api-deadletter-2026.01.15", "logs-api-gateway-2026.01.15"].map((i) => viewMatches(title, i))).toEqual([true, true, false, false]);
  });
});

describe("ids and bytes", () => {
  it("ids are RFC 4122 version 5 UUIDs (the RFC's and Python's test vector)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("compiling twice gives the same bytes, and another dashboard changes no other object", async () => {
    const spec = await fixture();
    const once = kibanaFiles(emitLogs([spec]))[0]!.content;
    expect(kibanaFiles(emitLogs([await fixture()]))[0]!.content).toBe(once);
    const more = withLogs(spec, { kibana: { ...spec.logs!.kibana, dashboards: [...spec.logs!.kibana!.dashboards!, { name: "extra", panels: [{ kind: "total", title: "Events" }] }] } });
    const before = readImportFile(once).objects.map((o) => JSON.stringify(o));
    const after = new Set(readImportFile(kibanaFiles(emitLogs([more]))[0]!.content).objects.map((o) => JSON.stringify(o)));
    expect(before.filter((o) => !after.has(o))).toEqual([]);
  });

  it("a spec without logs has no Kibana file", async () => {
    const spec = await fixture();
    const { logs: _, ...withoutLogs } = spec;
    expect(kibanaFiles(emitLogs([withoutLogs]))).toEqual([]);
  });
});
