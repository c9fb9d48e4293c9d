/**
 * `vigil import alertmanager` over test/fixtures/import/alertmanager/alertmanager.yml (written for
 * Vigil): teams from the team routes, receivers and escalation from their receivers and severity
 * children, the root receiver as catch-all, SMTP from `global`. The import compiles with
 * compile(); the real amtool (`amtool config routes test` on the compiled alertmanager.yml) sends
 * each team and severity to the receivers the input's routes sent it to; and no secret of the
 * input — SMTP password, Slack webhook token, PagerDuty and Opsgenie keys, the webhook URL's
 * token, the bearer credential — appears in the generated spec or any compiled file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { compile } from "../src/compile.js";
import { importSpec } from "../src/import/index.js";
import { REPO } from "./helpers.js";

const FILE = join(REPO, "test/fixtures/import/alertmanager/alertmanager.yml");
const work = mkdtempSync(join(tmpdir(), "vigil-import-am-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every secret value of the input, read from it (not written out here). */
function secrets(): string[] {
  const am = parseYaml(readFileSync(FILE, "utf8")) as {
    global: Record<string, string>;
    receivers: { slack_configs?: unknown[]; pagerduty_configs?: { routing_key: string }[]; opsgenie_configs?: { api_key: string }[]; webhook_configs?: { url: string; http_config: { authorization: { credentials: string } } }[] }[];
  };
  const out = [am.global.smtp_auth_password!, am.global.slack_api_url!.split("/").slice(-3).join("/")];
  for (const r of am.receivers) {
    for (const c of r.pagerduty_configs ?? []) out.push(c.routing_key);
    for (const c of r.opsgenie_configs ?? []) out.push(c.api_key);
    for (const c of r.webhook_configs ?? []) out.push(new URL(c.url).searchParams.get("token")!, c.http_config.authorization.credentials);
  }
  return out;
}

test("teams, receivers and escalation route as the input did; no secret is written", { timeout: 180_000 }, async () => {
  const imported = await importSpec("alertmanager", [FILE], { cwd: REPO });
  expect(imported.text).toBeDefined();
  expect((await importSpec("alertmanager", [FILE], { cwd: REPO })).text).toBe(imported.text);
  const dir = mkdtempSync(join(work, "spec-"));
  writeFileSync(join(dir, "monitoring.ts"), imported.text!);
  const result = await compile([join(dir, "monitoring.ts")]);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);

  const found = secrets();
  expect(found.length).toBe(6);
  for (const secret of found) {
    expect(imported.text, secret).not.toContain(secret);
    for (const f of result.files) expect(f.content.includes(secret), `${secret} in ${f.path}`).toBe(false);
  }
  expect(imported.text).toContain('env("SMTP_PASSWORD")');

  const out = join(dir, "out");
  for (const f of result.files) {
    const p = join(out, f.path);
    execFileSync("mkdir", ["-p", join(p, "..")]);
    writeFileSync(p, f.content);
  }
  const config = join(out, "alertmanager/alertmanager.yml");
  const route = (...labels: string[]) => execFileSync("amtool", ["config", "routes", "test", `--config.file=${config}`, ...labels, "service=alertmanager", "alertname=Imported"], { encoding: "utf8", timeout: 30_000 }).trim().split("\n").pop();
  // The input: payments critical → payments-pager (PagerDuty and Opsgenie), other payments
  // alerts → payments-slack, payments info → ops-email; search → search-hook.
  expect(route("team=payments", "severity=critical")).toBe("payments/payments-pager,payments/payments-pager-opsgenie-2");
  expect(route("team=payments", "severity=warning")).toBe("payments/payments-slack");
  expect(route("team=payments", "severity=info")).toBe("payments/ops-email");
  expect(route("team=search", "severity=critical")).toBe("search/search-hook");
  expect(route("team=nobody", "severity=critical")).toBe("vigil/catch-all");

  expect(imported.diagnostics.map((d) => `${d.location!.line} ${d.code}`)).toEqual(["24 VIG6004", "44 VIG6006", "49 VIG6003"]);
});

test("an inhibit rule's equal labels: one no alert carries is left out (Alertmanager reads both as \"\"), one only some carry makes the rule VIG6004", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(work, "equal-"));
  writeFileSync(
    join(dir, "rules.yml"),
    [
      "groups:",
      "  - name: shop",
      "    rules:",
      "      - alert: ProviderDown",
      "        expr: min by (provider) (provider_up) == 0",
      "        labels: { severity: critical, team: payments }",
      "      - alert: AuthorizationsLow",
      "        expr: sum by (provider) (rate(authorizations_total[5m])) < 1",
      "        labels: { severity: warning, team: payments }",
      "      - alert: CheckoutSlow",
      "        expr: sum(rate(checkout_seconds_sum[5m])) > 1",
      "        labels: { severity: warning, team: payments }",
      "",
    ].join("\n"),
  );
  const config = [
    "route:",
    "  receiver: hook",
    "  routes:",
    "    - matchers: ['team=\"payments\"']",
    "      receiver: hook",
    "inhibit_rules:",
    "  - source_matchers: ['alertname=\"ProviderDown\"']",
    "    target_matchers: ['alertname=\"AuthorizationsLow\"']",
    "    equal: [provider, region]",
    "  - source_matchers: ['alertname=\"ProviderDown\"']",
    "    target_matchers: ['alertname=\"CheckoutSlow\"']",
    "    equal: [provider]",
    "receivers:",
    "  - name: hook",
    "    webhook_configs:",
    "      - url: http://127.0.0.1:9/hook",
    "",
  ].join("\n");
  writeFileSync(join(dir, "alertmanager.yml"), config);
  const imported = await importSpec("alertmanager", [join(dir, "alertmanager.yml"), join(dir, "rules.yml")], { cwd: dir });
  // region: neither alert carries it, so the rule holds as without it; provider: both carry it.
  expect(imported.text).toContain('{ source: "ProviderDown", targets: ["AuthorizationsLow"], equal: ["provider"] }');
  // CheckoutSlow keeps no provider label: provider "" never equals a down provider's.
  expect(imported.diagnostics.map((d) => `${d.location!.line} ${d.code} ${d.message}`)).toEqual([
    '10 VIG6004 inhibit rule 2 is not imported: alert "CheckoutSlow" carries no label provider and ProviderDown may, so the rule\'s equal never holds between them',
  ]);
  writeFileSync(join(dir, "monitoring.ts"), imported.text!);
  const result = await compile([join(dir, "monitoring.ts")], { typecheck: false });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
});
