/**
 * High availability (`prometheus.replicas`, `alertmanager.peers`): several identical Prometheus
 * servers told apart by an external label that is dropped from their alerts, and an Alertmanager
 * cluster every one of them sends to. Absent from the model when neither is set.
 */
import type { SpecRef } from "../diagnostics/index.js";

export const DEFAULT_REPLICA_LABEL = "replica";

export interface HaModel {
  /** Two or more Prometheus replicas; absent for one. */
  replicas?: { count: number; label: string; at: SpecRef };
  /** The Alertmanagers of one cluster, in spec order; absent when not set. */
  peers?: AlertmanagerPeerModel[];
}

export interface AlertmanagerPeerModel {
  /** `host:port` of its API. */
  address: string;
  /** `host:port` it gossips on. */
  cluster: string;
}
