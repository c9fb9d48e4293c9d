#!/usr/bin/env node
// Makes sure the real consumers of Vigil's output are installed before the tests run:
// promtool and the Prometheus server (Debian package `prometheus`), amtool and the Alertmanager
// server (`prometheus-alertmanager`, whose binary has the package's name, not `alertmanager`);
// test/e2e-routing.test.ts runs both servers; mtail (package `mtail`) counts metrics from logs.
// Installs them with apt-get when running as root; otherwise stops with a one-line hint.
// It never lets the tests skip silently.
import { execFileSync, spawnSync } from "node:child_process";

const TOOLS = [
  { bin: "promtool", pkg: "prometheus" },
  { bin: "amtool", pkg: "prometheus-alertmanager" },
  { bin: "prometheus", pkg: "prometheus" },
  { bin: "prometheus-alertmanager", pkg: "prometheus-alertmanager" },
  // Metrics from logs: test/mtail.test.ts runs it, the golden test compiles every program.
  { bin: "mtail", pkg: "mtail" },
  // VictoriaMetrics (package `victoria-metrics`): the golden test runs `vmalert -dryRun` over every rule
  // file; test/e2e-victoriametrics.test.ts runs the single-node server, vmagent and vmalert.
  { bin: "vmalert", pkg: "victoria-metrics" },
  { bin: "vmagent", pkg: "victoria-metrics" },
  { bin: "victoria-metrics", pkg: "victoria-metrics" },
];

const has = (bin) => spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0;
const missing = TOOLS.filter((t) => !has(t.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((t) => t.pkg))];
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`vigil tests need ${missing.map((t) => t.bin).join(" and ")}: run \`sudo apt-get install -y ${pkgs.join(" ")}\` and retry.`);
  process.exit(1);
}
console.error(`installing ${pkgs.join(" ")} (for ${missing.map((t) => t.bin).join(", ")})…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
try {
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { stdio: "inherit", env });
} catch {
  console.error(`could not install ${pkgs.join(" ")}: run \`apt-get install -y ${pkgs.join(" ")}\` and retry.`);
  process.exit(1);
}
const still = missing.filter((t) => !has(t.bin));
if (still.length) {
  console.error(`${still.map((t) => t.bin).join(", ")} still missing after installing ${pkgs.join(" ")}.`);
  process.exit(1);
}
