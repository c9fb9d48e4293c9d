#!/usr/bin/env node
// Summarises a V8 .cpuprofile (`node --cpu-prof`): self time by function and by file, and total
// (inclusive) time by function, top rows first. `node bench/profile-summary.mjs FILE.cpuprofile [ROWS]`.
import { readFileSync } from "node:fs";

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs FILE.cpuprofile [ROWS]");
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Each sample's time is the gap to the next one (timeDeltas[i + 1]); the last gets the mean.
const self = new Map();
const { samples, timeDeltas } = profile;
const total = (profile.endTime - profile.startTime) / 1000;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? total / samples.length) / 1000;
  self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
}

const shortFile = (url) => (url ? url.replace(/^file:\/\//, "").replace(/^.*?\/(dist|src|node_modules)\//, "$1/") : "(native)");
const key = (n) => `${n.callFrame.functionName || "(anonymous)"} ${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const byFunction = new Map();
const byFile = new Map();
const inclusive = new Map();
for (const [id, ms] of self) {
  const n = nodes.get(id);
  byFunction.set(key(n), (byFunction.get(key(n)) ?? 0) + ms);
  byFile.set(shortFile(n.callFrame.url), (byFile.get(shortFile(n.callFrame.url)) ?? 0) + ms);
  // Inclusive: once per distinct function on the stack (recursion counted once).
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = key(nodes.get(at));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
  }
}

const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, rows)) {
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`${file}: ${total.toFixed(0)} ms profiled, ${samples.length} samples`);
print("self time by function", byFunction);
print("self time by file", byFile);
print("total time by function", inclusive);
