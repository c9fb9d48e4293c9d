/** The datasource uid the dashboards and the provisioning files share; dashboard uids are in model/. */
export { dashboardUid, overviewUid, slosUid } from "../model/dashboard-uids.js";

export const PROMETHEUS_DATASOURCE = { type: "prometheus", uid: "vigil-prometheus" } as const;
export const ELASTICSEARCH_DATASOURCE = { type: "elasticsearch", uid: "vigil-elasticsearch" } as const;
export const JAEGER_DATASOURCE = { type: "jaeger", uid: "vigil-jaeger" } as const;
