/**
 * Alertmanager cluster run files (`alertmanager.peers`): `alertmanager/peer-<k>.args` for the k-th
 * peer (1-based, in spec order), one flag a line like `prometheus.args` —
 * `alertmanager --config.file=alertmanager.yml $(cat peer-1.args)`. Each peer listens on its own
 * API and gossip addresses and names every other peer, so silences and the notification log are
 * shared and the cluster notifies once for an alert every Prometheus sent to every peer.
 */
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";

export const peerArgsPath = (k: number) => `alertmanager/peer-${k}.args`;

export function clusterArgsFiles(model: Model): OutputFile[] {
  const peers = model.ha?.peers ?? [];
  return peers.map((peer, i) => {
    const flags = [`--web.listen-address=${peer.address}`, `--cluster.listen-address=${peer.cluster}`, ...peers.filter((_, j) => j !== i).map((p) => `--cluster.peer=${p.cluster}`)];
    return { path: peerArgsPath(i + 1), content: flags.map((f) => `${f}\n`).join("") };
  });
}
