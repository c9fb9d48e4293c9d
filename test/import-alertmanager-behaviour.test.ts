/**
 * `vigil import alertmanager` with inhibit rules and time intervals, watched in a real
 * Alertmanager on 127.0.0.1: test/fixtures/import/alertmanager/inhibit-intervals.yml (written for
 * Vigil: webhook receivers, a severity-ladder inhibit rule, two between named alerts, one on a
 * `cluster` label no spec inhibition can select, an interval that always holds and a freeze that
 * never does, mute and active intervals on team and severity routes) is imported with the rule
 * file its alerts come from (shop.rules.yml) and compiled. The original config runs in one
 * Alertmanager, the compiled alertmanager.yml in another; both get the same alerts on their API,
 * as Prometheus would send them (the compiled rules' labels). Each delivers the same alerts to the
 * same webhook paths and reports the same alerts inhibited, except what the import's warning names:
 * the `cluster` rule, under which the original also inhibits AuthorizationRateLow of provider a.
 * The expected sets are read off the fixture by hand (in the comments below), not from a run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { importSpec } from "../src/import/index.js";
import { writeOutput } from "../src/write/writer.js";
import { REPO } from "./helpers.js";
import { assertRunning, freePort, getJson, HOST, Lab, ready, sleep, until, type Proc } from "./servers.js";

const FIXTURES = join(REPO, "test/fixtures/import/alertmanager");
const lab = new Lab();
afterAll(() => lab.cleanup());

interface WebhookBody {
  alerts?: { status: string; labels: Record<string, string> }[];
}
interface AmAlert {
  labels: Record<string, string>;
  status: { inhibitedBy: string[] };
}

const key = (l: Record<string, string>) => `${l.alertname}/${l.severity}/${l.provider ?? "-"}`;

/** A webhook server: which paths got which firing alerts. */
async function hookServer(): Promise<{ host: string; delivered: () => string[] }> {
  const received: { path: string; body: WebhookBody }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        received.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as WebhookBody });
      } catch {
        received.push({ path: req.url ?? "", body: {} });
      }
      res.writeHead(200).end("ok");
    });
  });
  const port = await lab.listen(server);
  return {
    host: `${HOST}:${port}`,
    delivered: () => [...new Set(received.flatMap((r) => (r.body.alerts ?? []).filter((a) => a.status === "firing").map((a) => `${r.path} ${key(a.labels)}`)))].sort(),
  };
}

function startAm(config: string, work: string, port: number): Proc {
  return lab.start("prometheus-alertmanager", "prometheus-alertmanager", [`--config.file=${config}`, `--storage.path=${join(work, "data")}`, `--web.listen-address=${HOST}:${port}`, "--cluster.listen-address="]);
}

test("imported inhibit rules and time intervals mute and inhibit in Alertmanager what the original config does", { timeout: 120_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), "vigil-import-am-behaviour-"));
  lab.defer(() => rmSync(work, { recursive: true, force: true }));
  const fixture = readFileSync(join(FIXTURES, "inhibit-intervals.yml"), "utf8");
  const [hookA, hookB] = [await hookServer(), await hookServer()];

  // The original config, its receivers on server A.
  const originalDir = mkdtempSync(join(work, "original-"));
  writeFileSync(join(originalDir, "alertmanager.yml"), fixture.replaceAll("HOOK", hookA.host));

  // The same config with its receivers on server B, imported with its rule file and compiled.
  const importDir = mkdtempSync(join(work, "import-"));
  const input = join(importDir, "alertmanager.yml");
  writeFileSync(input, fixture.replaceAll("HOOK", hookB.host));
  const imported = await importSpec("alertmanager", [input, join(FIXTURES, "shop.rules.yml")], { cwd: REPO });
  expect(imported.text).toBeDefined();
  // Rule 1 is the severity ladder Vigil writes itself; rule 4 cannot map: both are comments and warnings.
  expect(imported.diagnostics.map((d) => `${d.location!.line} ${d.code}`)).toEqual(["7 VIG6003", "31 VIG6003", "45 VIG6004"]);
  expect(imported.diagnostics[2]!.message).toContain('cluster=~"prod-.*"');
  expect(imported.text).toContain("// Inhibit rule 4 (line 45) is not imported");
  expect(imported.text).toContain("//       - cluster=~\"prod-.*\"");
  writeFileSync(join(importDir, "monitoring.ts"), imported.text!);
  const result = await compile([join(importDir, "monitoring.ts")], { typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = join(importDir, "out");
  expect(writeOutput(out, result.files)).toEqual([]);

  const [portA, portB] = [await freePort(), await freePort()];
  const amA = startAm(join(originalDir, "alertmanager.yml"), originalDir, portA);
  const amB = startAm(join(out, "alertmanager/alertmanager.yml"), importDir, portB);
  const bases = [`http://${HOST}:${portA}`, `http://${HOST}:${portB}`];
  await until("both Alertmanagers to be ready", [amA, amB], async () => (await ready(bases[0]!)) && (await ready(bases[1]!)));

  // The labels the compiled rules give each alert (service, team, severity), plus the series'.
  const alert = (alertname: string, severity: string, team: string, extra: Record<string, string> = {}) => ({
    labels: { alertname, severity, team, service: "shop", ...extra },
    annotations: { summary: alertname, description: "d" },
    startsAt: new Date().toISOString(),
  });
  const alerts = [
    // payments critical stops at its child, muted during `freeze` (never): delivered to the pager.
    alert("PaymentProviderDown", "critical", "payments", { provider: "c", cluster: "prod-1" }),
    // Inhibited by provider c being down (equal provider)...
    alert("AuthorizationRateLow", "warning", "payments", { provider: "c" }),
    // ...and, in the original only, provider a's by the prod-cluster rule (no equal): rule 4.
    alert("AuthorizationRateLow", "warning", "payments", { provider: "a" }),
    // The ladder: a's critical inhibits a's warning, not b's.
    alert("CheckoutErrors", "critical", "payments", { provider: "a" }),
    alert("CheckoutErrors", "warning", "payments", { provider: "a" }),
    alert("CheckoutErrors", "warning", "payments", { provider: "b" }),
    // info stops at the payments route, muted during `always`.
    alert("SettlementLag", "info", "payments", { provider: "a" }),
    // search critical is active only during `freeze`: muted; it still inhibits latency and errors.
    alert("SearchDown", "critical", "search"),
    alert("SearchLatency", "warning", "search"),
    alert("SearchErrors", "warning", "search"),
    // search warning stops at the search route, active during `always`: delivered.
    alert("SearchIndexStale", "warning", "search"),
    // No team route: the root receiver (Vigil's catch-all).
    alert("Unowned", "critical", "nobody"),
  ];
  for (const base of bases) {
    const posted = await fetch(`${base}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
    expect(posted.status).toBe(200);
  }

  const deliveredBoth = [
    "/payments-pager PaymentProviderDown/critical/c",
    "/payments-pager CheckoutErrors/critical/a",
    "/payments-chat CheckoutErrors/warning/b",
    "/search-chat SearchIndexStale/warning/-",
    "/ops Unowned/critical/-",
  ];
  const inhibitedBoth = ["AuthorizationRateLow/warning/c", "CheckoutErrors/warning/a", "SearchLatency/warning/-", "SearchErrors/warning/-"];
  // The difference the VIG6004 of rule 4 names.
  const expected = {
    original: { delivered: [...deliveredBoth].sort(), inhibited: [...inhibitedBoth, "AuthorizationRateLow/warning/a"].sort() },
    imported: { delivered: [...deliveredBoth, "/payments-chat AuthorizationRateLow/warning/a"].sort(), inhibited: [...inhibitedBoth].sort() },
  };
  const inhibited = async (base: string) =>
    ((await getJson(`${base}/api/v2/alerts`)) as AmAlert[])
      .filter((a) => a.status.inhibitedBy.length > 0)
      .map((a) => key(a.labels))
      .sort();
  const observed = async () => ({
    original: { delivered: hookA.delivered(), inhibited: await inhibited(bases[0]!) },
    imported: { delivered: hookB.delivered(), inhibited: await inhibited(bases[1]!) },
  });
  // The catch-all waits Vigil's root group_wait (30 s), not the root route's 1 s (the import's
  // VIG6003 at line 7 says so): everything else first, then the catch-all too.
  const CATCH_ALL = "/ops Unowned/critical/-";
  const without = (o: typeof expected) => JSON.stringify({ original: o.original, imported: { ...o.imported, delivered: o.imported.delivered.filter((d) => d !== CATCH_ALL) } });
  const t0 = Date.now();
  await until("the deliveries and inhibitions", [amA, amB], async () => without(await observed()) === without(expected), () => undefined, 20_000);
  const tSettled = Date.now() - t0;
  await until("the catch-all", [amA, amB], async () => JSON.stringify(await observed()) === JSON.stringify(expected), () => undefined, 45_000);
  const tCatchAll = Date.now() - t0;
  // Many group_interval (1 s) cycles more: a muted or inhibited alert about to be sent would be by now.
  await sleep(4_000);
  assertRunning([amA, amB]);
  expect(await observed()).toEqual(expected);
  console.log(`import-alertmanager behaviour: settled after ${(tSettled / 1000).toFixed(1)} s, the catch-all after ${(tCatchAll / 1000).toFixed(1)} s`);
});
