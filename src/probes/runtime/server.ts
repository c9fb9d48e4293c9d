import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ProbeMetrics } from "./metrics.js";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** `/metrics` (Prometheus text), `/healthz` (200 `ok`); anything else 404. */
export function startServer(metrics: ProbeMetrics, host: string, port: number): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path === "/metrics") {
      metrics.metrics().then(
        (body) => {
          res.writeHead(200, { "content-type": metrics.contentType });
          res.end(req.method === "HEAD" ? undefined : body);
        },
        () => {
          res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
          res.end("metrics unavailable\n");
        },
      );
    } else if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : "ok");
    } else {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
