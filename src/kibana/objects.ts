/**
 * The saved objects of Kibana 8.9 and later that a service's logs get: a data view per index
 * pattern the pipeline writes, and a saved search per category and for the dead letters. Each
 * object is at the version of its type whose format it has (`typeMigrationVersion`), so Kibana
 * migrates it on import from there; JSON-in-a-string attributes are written as Kibana does.
 */
import { globsOverlap, mappedFields, retentionClasses, type RetentionClass } from "../logstash/indices.js";
import type { LogsModel, ServiceModel } from "../model/types.js";
import { DEADLETTER, DEFAULT_CATEGORY } from "../normalize/kibana.js";
import { stableJson } from "../util/json.js";
import { savedObjectId } from "./ids.js";

export type SavedObjectType = "index-pattern" | "search" | "lens" | "dashboard";

export interface SavedObjectReference {
  name: string;
  type: SavedObjectType;
  id: string;
}

/** One line of the import file. */
export interface SavedObject {
  type: SavedObjectType;
  id: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
  coreMigrationVersion: string;
  typeMigrationVersion: string;
}

/**
 * What Kibana 8.9+ exports: the core migrations of 8.8.0, and each type at the last migration
 * of the format written here (data views and searches have not changed form since their 8.0.0
 * conversion to multi-space types; Lens has `formBased` layers since 8.6.0 and its last
 * migration is 8.9.0, which dashboards also reach through Lens' embeddable migration).
 */
export const CORE_MIGRATION_VERSION = "8.8.0";
export const TYPE_MIGRATION_VERSIONS: Record<SavedObjectType, string> = { "index-pattern": "8.0.0", search: "8.0.0", lens: "8.9.0", dashboard: "8.9.0" };

export function savedObject(type: SavedObjectType, id: string, attributes: Record<string, unknown>, references: SavedObjectReference[]): SavedObject {
  return { type, id, attributes, references, coreMigrationVersion: CORE_MIGRATION_VERSION, typeMigrationVersion: TYPE_MIGRATION_VERSIONS[type] };
}

/** Kibana's field types of the Elasticsearch types the templates map. */
const KIBANA_TYPES: Record<string, string> = { text: "string", keyword: "string", double: "number", boolean: "boolean", date: "date" };

export interface DataView {
  id: string;
  class: RetentionClass;
  object: SavedObject;
}

/** The data views of a service, and which one a set of categories is read from. */
export interface ServiceViews {
  views: DataView[];
  /** The main view (every event that parsed), a category's own view, or the dead letters'. */
  viewFor(categories: readonly string[]): DataView;
}

/**
 * One data view per retention class, with the class's index pattern: the main one (every
 * category, but not the dead letters: `-<their pattern>`), each category kept apart, and the
 * dead letters. Another service's pattern that the class's also matches, but whose template
 * ranks higher (service `api-gateway`'s indices under `logs-api-*`), is excluded as well: the
 * view holds exactly the indices the service's own templates apply to.
 */
export function dataViews(service: ServiceModel, logs: LogsModel, services: readonly ServiceModel[]): ServiceViews {
  const classes = retentionClasses(service, logs);
  const others = services.filter((s) => s !== service && s.logs).flatMap((s) => retentionClasses(s, s.logs!));
  const dead = classes.find((c) => c.route === DEADLETTER)!;
  const fields = mappedFields(logs).map((f) => ({
    aggregatable: f.type !== "text",
    count: 0,
    esTypes: [f.type],
    name: f.name,
    readFromDocValues: f.type !== "text",
    scripted: false,
    searchable: true,
    type: KIBANA_TYPES[f.type] ?? "unknown",
  }));
  const views = classes.map((cls): DataView => {
    const excluded = others.filter((o) => o.priority > cls.priority && globsOverlap(o.pattern, cls.pattern)).map((o) => o.pattern);
    if (cls.route === "main") excluded.unshift(dead.pattern);
    // `logs-api-gateway-*` already excludes `logs-api-gateway-security-*`.
    const covered = (p: string) => excluded.some((q) => q !== p && q.indexOf("*") === q.length - 1 && p.startsWith(q.slice(0, -1)));
    const id = savedObjectId("index-pattern", service.name, cls.route);
    const name = cls.route === "main" ? `${service.name} logs` : cls.route === DEADLETTER ? `${service.name} dead letters` : `${service.name} ${cls.route} logs`;
    const attributes = {
      // The saved field list is what Kibana shows until the indices exist (allowNoIndex); then it asks Elasticsearch.
      allowNoIndex: true,
      fieldAttrs: "{}",
      fieldFormatMap: "{}",
      fields: stableJson(fields),
      name,
      runtimeFieldMap: "{}",
      sourceFilters: "[]",
      timeFieldName: "@timestamp",
      title: [cls.pattern, ...excluded.filter((p) => !covered(p)).map((p) => `-${p}`)].join(","),
      typeMeta: "{}",
    };
    return { id, class: cls, object: savedObject("index-pattern", id, attributes, []) };
  });
  const main = views.find((v) => v.class.route === "main")!;
  return {
    views,
    viewFor(categories) {
      if (categories.length === 1) return views.find((v) => v.class.route === categories[0]) ?? main;
      return main;
    },
  };
}

/** A KQL string literal. */
const kqlString = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The query of `categories` on their view: none for every parsed event and for the dead letters (their view holds nothing else). */
export function categoryQuery(categories: readonly string[]): string {
  if (categories.length === 0 || categories.includes(DEADLETTER)) return "";
  return categories.map((c) => `event.category : ${kqlString(c)}`).join(" or ");
}

/** Every category the pipeline tags, in the order it tries them, then the dead letters. */
export function searchedCategories(logs: LogsModel): string[] {
  const names = logs.categories.map((c) => c.name);
  return [...names, ...(names.includes(DEFAULT_CATEGORY) ? [] : [DEFAULT_CATEGORY]), DEADLETTER];
}

export const searchId = (service: ServiceModel, category: string) => savedObjectId("search", service.name, category);

/** A saved search per category: its events, newest first, with the spec's columns. */
export function savedSearches(service: ServiceModel, logs: LogsModel, views: ServiceViews): SavedObject[] {
  // A dead letter is its masked line, in `message` (a column when the templates map it).
  const deadColumns = mappedFields(logs).some((f) => f.name === "message") ? ["message"] : [];
  return searchedCategories(logs).map((category) => {
    const view = views.viewFor([category]);
    const dead = category === DEADLETTER;
    const searchSource = { filter: [], indexRefName: "kibanaSavedObjectMeta.searchSourceJSON.index", query: { language: "kuery", query: categoryQuery([category]) } };
    const attributes = {
      columns: dead ? deadColumns : logs.kibana.columns,
      description: dead ? `Lines of ${service.name} that neither JSON nor the fallback parsed, masked.` : `Events of ${service.name} in category ${category}.`,
      grid: {},
      hideChart: false,
      isTextBasedQuery: false,
      kibanaSavedObjectMeta: { searchSourceJSON: stableJson(searchSource) },
      sort: [["@timestamp", "desc"]],
      title: dead ? `${service.name} / dead letters` : `${service.name} / ${category} events`,
    };
    return savedObject("search", searchId(service, category), attributes, [{ name: "kibanaSavedObjectMeta.searchSourceJSON.index", type: "index-pattern", id: view.id }]);
  });
}
