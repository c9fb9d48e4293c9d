/**
 * The Kibana target: per service with `logs`, `kibana/<service>.saved-objects.ndjson`, the file
 * Kibana's saved objects import (`POST /api/saved_objects/_import`, or Stack Management → Saved
 * objects → Import) takes: one object a line — data views, saved searches, Lens visualizations,
 * dashboards — and the export summary line Kibana ends its own exports with.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import { mappedFields } from "../logstash/indices.js";
import type { LogsModel, Model, ServiceModel } from "../model/types.js";
import { stableJson } from "../util/json.js";
import { dashboardObject } from "./dashboards.js";
import { savedObjectId } from "./ids.js";
import { lensObject } from "./lens.js";
import { dataViews, savedSearches, searchId, type SavedObject } from "./objects.js";

export const kibanaPath = (service: ServiceModel) => `kibana/${service.name}.saved-objects.ndjson`;

export function emitKibana(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files = model.services.flatMap((service) => (service.logs ? [{ path: kibanaPath(service), content: ndjson(savedObjects(service, service.logs, model.services)) }] : []));
  return { files, diagnostics: [] };
}

/** A service's saved objects, each after those it references. */
export function savedObjects(service: ServiceModel, logs: LogsModel, services: readonly ServiceModel[]): SavedObject[] {
  const views = dataViews(service, logs, services);
  const fields = new Map(mappedFields(logs).map((f) => [f.name, f]));
  const lens: SavedObject[] = [];
  const dashboards = logs.kibana.dashboards.map((d) =>
    dashboardObject(
      service,
      d,
      d.panels.map((p, k) => {
        if (p.kind === "search") return { type: "search" as const, id: searchId(service, p.category) };
        const vis = lensObject(savedObjectId("lens", service.name, d.name, k), p, views.viewFor(p.categories), fields);
        lens.push(vis);
        return { type: "lens" as const, id: vis.id };
      }),
    ),
  );
  return [...views.views.map((v) => v.object), ...savedSearches(service, logs, views), ...lens, ...dashboards];
}

function ndjson(objects: readonly SavedObject[]): string {
  const summary = { excludedObjects: [], excludedObjectsCount: 0, exportedCount: objects.length, missingRefCount: 0, missingReferences: [] };
  return [...objects, summary].map((o) => `${stableJson(o)}\n`).join("");
}
