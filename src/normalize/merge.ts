/**
 * What several specs compiled together share: one Alertmanager (settings, time intervals)
 * and one set of teams. A team may be named by many specs but its receivers and escalation
 * are declared in full by one, or identically by each; anything else is a conflict (VIG2022).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import { overviewUid, slosUid } from "../model/dashboard-uids.js";
import type { AlertmanagerModel, GrafanaModel, Model, ServiceModel, TeamModel } from "../model/types.js";
import type { AlertmanagerSettings, GrafanaSettings, MonitoringSpec, ProbeRunnerSettings, TeamSpec } from "../spec/types.js";
import { NormalizeContext } from "./context.js";
import { stableJson } from "../util/json.js";
import { didYouMean, HOST_PORT } from "./names.js";
import { normalizeTimeInterval } from "./routing.js";
import { checkRefresh } from "./dashboards.js";

export const DEFAULT_ALERTMANAGER_ADDRESS = "localhost:9093";
export const DEFAULT_SECRETS_DIR = "/etc/alertmanager/secrets";
export const DEFAULT_PROMETHEUS_URL = "http://localhost:9090";
export const DEFAULT_ELASTICSEARCH_URL = "http://localhost:9200";
export const DEFAULT_DASHBOARDS_PATH = "/var/lib/grafana/dashboards/vigil";
export const DEFAULT_DASHBOARD_REFRESH = "1m";

export function mergeAlertmanager(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): AlertmanagerModel {
  const model: AlertmanagerModel = { address: DEFAULT_ALERTMANAGER_ADDRESS, secretsDir: DEFAULT_SECRETS_DIR, timeIntervals: [] };
  const setBy = new Map<string, number>();
  const intervals = new Map<string, { spec: number; index: number; text: string }>();
  specs.forEach((spec, i) => {
    const am = spec.alertmanager;
    if (!am) return;
    const ctx = new NormalizeContext(i);
    const setting = <K extends keyof AlertmanagerSettings>(key: K, apply: (value: NonNullable<AlertmanagerSettings[K]>) => void) => {
      const value = am[key];
      if (value === undefined) return;
      const first = setBy.get(key);
      if (first === undefined) {
        setBy.set(key, i);
        apply(value as NonNullable<AlertmanagerSettings[K]>);
      } else if (stableJson(specs[first]!.alertmanager![key]) !== stableJson(value)) {
        ctx.report("VIG2022", `alertmanager.${key} differs from the one another spec sets`, ["alertmanager", key], {
          related: [{ message: "set differently here", at: { path: ["alertmanager", key], spec: first } }],
        });
      }
    };
    setting("address", (v) => {
      if (!HOST_PORT.test(v)) ctx.report("VIG2009", `alertmanager address "${v}" is not host:port`, ["alertmanager", "address"]);
      model.address = v;
    });
    setting("catchAll", (v) => (model.catchAll = { ...v }));
    setting("peers", () => undefined); // checked and modelled by normalizeHa (ha.ts); here only: the same in every spec
    setting("secretsDir", (v) => (model.secretsDir = v));
    setting("smtp", (v) => {
      const smtp: NonNullable<AlertmanagerModel["smtp"]> = { smarthost: v.smarthost, from: v.from, requireTls: v.requireTls ?? true };
      if (v.username !== undefined) smtp.username = v.username;
      if (v.password !== undefined) smtp.password = v.password;
      if (!HOST_PORT.test(v.smarthost)) ctx.report("VIG2023", `SMTP smarthost "${v.smarthost}" is not host:port`, ["alertmanager", "smtp", "smarthost"]);
      model.smtp = smtp;
    });
    (am.timeIntervals ?? []).forEach((t, k) => {
      const path = ["alertmanager", "timeIntervals", k];
      const first = intervals.get(t.name);
      const text = stableJson(t.ranges);
      if (first) {
        if (first.text !== text) {
          ctx.report("VIG2022", `time interval "${t.name}" is declared twice with different ranges`, [...path, "name"], {
            related: [{ message: "first declared here", at: { path: ["alertmanager", "timeIntervals", first.index, "name"], spec: first.spec } }],
          });
        }
        return;
      }
      intervals.set(t.name, { spec: i, index: k, text });
      model.timeIntervals.push(normalizeTimeInterval(t, path, ctx));
    });
    diagnostics.push(...ctx.diagnostics);
  });
  model.timeIntervals.sort((a, b) => (a.name < b.name ? -1 : 1));
  return model;
}

/** A declaration that says how the team is notified, not just its name. */
const declaresRouting = (t: TeamSpec) => (t.receivers?.length ?? 0) > 0 || t.escalation !== undefined || t.maintenance !== undefined;

/**
 * The teams of all services, one per name: the declaration with receivers wins. Reports
 * conflicting declarations, the catch-all's reference, and e-mail receivers without SMTP.
 */
export function mergeTeams(specs: readonly MonitoringSpec[], services: readonly ServiceModel[], alertmanager: AlertmanagerModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const declared = new Map<string, { spec: number; index: number; text: string }>();
  specs.forEach((spec, i) => {
    const ctx = new NormalizeContext(i);
    (spec.teams ?? []).forEach((t, k) => {
      if (!declaresRouting(t)) return;
      const text = stableJson({ receivers: t.receivers ?? [], escalation: t.escalation ?? null, maintenance: t.maintenance ?? [] });
      const first = declared.get(t.name);
      if (!first) declared.set(t.name, { spec: i, index: k, text });
      else if (first.text !== text) {
        ctx.report("VIG2022", `team "${t.name}" is declared with different receivers or escalation by two specs`, ["teams", k, "name"], {
          hint: "declare the team's receivers in one spec; the others can name the team without receivers",
          related: [{ message: "declared differently here", at: { path: ["teams", first.index, "name"], spec: first.spec } }],
        });
      }
    });
    if (!alertmanager.smtp) {
      (spec.teams ?? []).forEach((t, k) =>
        (t.receivers ?? []).forEach((r, j) => {
          if (r.kind === "email") ctx.report("VIG2023", `email receiver "${r.name}" needs an SMTP server`, ["teams", k, "receivers", j], { hint: "set alertmanager.smtp: { smarthost, from }" });
        }),
      );
    }
    diagnostics.push(...ctx.diagnostics);
  });

  const catchAll = alertmanager.catchAll;
  if (catchAll) {
    const specIndex = specs.findIndex((s) => s.alertmanager?.catchAll !== undefined);
    const ctx = new NormalizeContext(specIndex);
    const teams = allTeams(services);
    const team = teams.find((t) => t.name === catchAll.team);
    if (!team) {
      ctx.report("VIG2008", `unknown team "${catchAll.team}"`, ["alertmanager", "catchAll", "team"], { hint: didYouMean(catchAll.team, teams.map((t) => t.name)) ?? "declare it in teams" });
    } else if (!specs.some((s) => (s.teams ?? []).some((t) => t.name === team.name && (t.receivers ?? []).some((r) => r.name === catchAll.receiver)))) {
      ctx.report("VIG2024", `team "${team.name}" has no receiver "${catchAll.receiver}"`, ["alertmanager", "catchAll", "receiver"], {
        hint: didYouMean(catchAll.receiver, team.receivers.map((r) => r.name)) ?? "declare it in the team's receivers",
      });
    }
    diagnostics.push(...ctx.diagnostics);
  }
  return diagnostics;
}

/** Every team of the model once, by name (sorted): the declaration with receivers when there is one. */
export function allTeams(services: readonly ServiceModel[]): TeamModel[] {
  const byName = new Map<string, TeamModel>();
  for (const service of services) {
    for (const team of service.teams) {
      const known = byName.get(team.name);
      if (!known || (known.receivers.length === 0 && team.receivers.length > 0)) byName.set(team.name, team);
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Grafana settings: each may be set by one spec, or identically by several (else VIG2022). */
export function mergeGrafana(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): GrafanaModel {
  const model: GrafanaModel = { prometheusUrl: DEFAULT_PROMETHEUS_URL, elasticsearchUrl: DEFAULT_ELASTICSEARCH_URL, dashboardsPath: DEFAULT_DASHBOARDS_PATH, refresh: DEFAULT_DASHBOARD_REFRESH };
  const setBy = new Map<keyof GrafanaSettings, number>();
  specs.forEach((spec, i) => {
    const ctx = new NormalizeContext(i);
    for (const key of ["url", "prometheusUrl", "elasticsearchUrl", "jaegerUrl", "dashboardsPath", "refresh"] as const) {
      const value = spec.grafana?.[key];
      if (value === undefined) continue;
      const first = setBy.get(key);
      if (first !== undefined) {
        if (specs[first]!.grafana![key] !== value) {
          ctx.report("VIG2022", `grafana.${key} differs from the one another spec sets`, ["grafana", key], {
            related: [{ message: "set differently here", at: { path: ["grafana", key], spec: first } }],
          });
        }
        continue;
      }
      setBy.set(key, i);
      if (key === "url" || key === "prometheusUrl" || key === "elasticsearchUrl" || key === "jaegerUrl") (model.at ??= {})[key] = { path: ["grafana", key], spec: i };
      if (key === "refresh") {
        if (checkRefresh(value, ["grafana", key], ctx)) model.refresh = value;
        continue;
      }
      if (key !== "dashboardsPath" && !/^https?:\/\/[^\s/]+/.test(value)) ctx.report("VIG2009", `grafana.${key} "${value}" is not an http(s) URL`, ["grafana", key]);
      model[key] = key === "dashboardsPath" ? value : value.replace(/\/+$/, "");
    }
    diagnostics.push(...ctx.diagnostics);
  });
  return model;
}

/** With Grafana's URL known, every alert links to its dashboard (annotation `dashboard`, unless set). */
export function linkDashboards(services: readonly ServiceModel[], grafana: GrafanaModel): void {
  if (!grafana.url) return;
  for (const s of services) {
    const overview = `${grafana.url}/d/${overviewUid(s.name)}`;
    const slos = `${grafana.url}/d/${slosUid(s.name)}`;
    for (const a of s.alerts) a.annotations.dashboard ??= overview;
    for (const a of s.anomalies ?? []) a.annotations.dashboard ??= overview;
    for (const slo of s.slos) {
      slo.alertAnnotations.dashboard ??= slos;
      for (const tier of slo.tiers) tier.annotations.dashboard ??= slos;
    }
  }
}

/** One probe runtime runs every spec's checks: its address, concurrency and bundling, set the same wherever set. */
export function mergeProbeRunner(specs: readonly MonitoringSpec[], diagnostics: Diagnostic[]): Model["probeRunner"] {
  const model: Model["probeRunner"] = { address: "localhost:9464", maxConcurrency: 64, bundle: false };
  const setBy = new Map<keyof ProbeRunnerSettings, number>();
  specs.forEach((spec, i) => {
    const ctx = new NormalizeContext(i);
    for (const key of ["address", "maxConcurrency", "bundle"] as const) {
      const value = spec.probes?.[key];
      if (value === undefined) continue;
      const first = setBy.get(key);
      if (first !== undefined) {
        if (specs[first]!.probes![key] !== value) {
          ctx.report("VIG2022", `probes.${key} differs from the one another spec sets`, ["probes", key], { related: [{ message: "set differently here", at: { path: ["probes", key], spec: first } }] });
        }
        continue;
      }
      setBy.set(key, i);
      if (key === "address") {
        if (!HOST_PORT.test(value as string)) ctx.report("VIG2009", `probes.address "${value}" is not host:port`, ["probes", "address"], { hint: "e.g. probes:9464" });
        model.address = value as string;
      } else if (key === "bundle") model.bundle = value as boolean;
      else model.maxConcurrency = value as number;
    }
    diagnostics.push(...ctx.diagnostics);
  });
  return model;
}
