import { describe, expect, it } from "vitest";
import type { MonitoringSpec } from "../../../spec/types.js";
import { lintWith, specWith } from "../../tester.js";
import { rule } from "./plaintext-secret.js";

describe("probe/plaintext-secret", () => {
  it.each<[string, MonitoringSpec]>([
    ["https with a token from the environment", specWith({ checks: [{ name: "api", request: { url: "https://api.example/x", headers: { authorization: ["Bearer ", { env: "TOKEN" }] } } }] })],
    ["plain http without credentials", specWith({ checks: [{ name: "health", request: { url: "http://api:8000/health", headers: { accept: "application/json" } } }] })],
    ["no checks at all", specWith({})],
    ["loopback: a sidecar on the same host", specWith({ checks: [{ name: "local", request: { url: "http://127.0.0.1:8080/admin", headers: { authorization: ["Bearer ", { env: "TOKEN" }] } } }, { name: "local6", request: { url: "http://[::1]:8080/x", headers: { "x-api-key": [{ env: "K" }] } } }] })],
  ])("valid: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it.each<[string, MonitoringSpec, (string | number)[], string]>([
    [
      "an env token in a header over http",
      specWith({ checks: [{ name: "api", request: { url: "http://api.example/x", headers: { authorization: ["Bearer ", { env: "TOKEN" }] } } }] }),
      ["checks", 0, "request", "url"],
      'check "api" sends a secret over plain http (in header authorization)',
    ],
    [
      "a host that only starts like loopback",
      specWith({ checks: [{ name: "api", request: { url: "http://localhost.example.com/x", headers: { authorization: ["Bearer ", { env: "TOKEN" }] } } }] }),
      ["checks", 0, "request", "url"],
      'check "api" sends a secret over plain http (in header authorization)',
    ],
    [
      "an env password in a JSON body and a key in the URL",
      specWith({ checks: [{ name: "login", request: { method: "POST", url: ["http://api.example/login?key=", { env: "KEY" }], body: { json: { password: { env: "PW" } } } } }] }),
      ["checks", 0, "request", "url"],
      'check "login" sends a secret over plain http (in the URL, the body)',
    ],
    [
      "an extracted token in a later step over http",
      specWith({
        journeys: [
          {
            name: "buy",
            steps: [
              { name: "login", request: { method: "POST", url: "https://api.example/login" }, extract: { token: { from: "jsonBody", property: "$.token" } } },
              { name: "pay", request: { method: "POST", url: "http://api.example/pay", body: { json: { token: { ref: { step: "login", name: "token" } } } } } },
            ],
          },
        ],
      }),
      ["journeys", 0, "steps", 1, "request", "url"],
      'step "pay" of journey "buy" sends a secret over plain http (in the body)',
    ],
  ])("invalid: %s", (_, spec, path, message) => {
    const found = lintWith(rule, spec);
    expect(found.map((f) => [f.at?.path, f.message])).toEqual([[path, message]]);
  });
});
