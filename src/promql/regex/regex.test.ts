import { describe, expect, it } from "vitest";
import { exampleMatching } from "./example.js";
import { re2Error, re2FullMatch } from "./match.js";

describe("re2FullMatch", () => {
  it("anchors both ends like Prometheus", () => {
    expect(re2FullMatch("5..", "500")).toBe(true);
    expect(re2FullMatch("5..", "5000")).toBe(false);
    expect(re2FullMatch("GET|POST", "POST")).toBe(true);
    expect(re2FullMatch("GET|POST", "xPOST")).toBe(false);
    expect(re2FullMatch("", "")).toBe(true);
    expect(re2FullMatch("", "a")).toBe(false);
  });
  it("keeps RE2 meaning of classes", () => {
    expect(re2FullMatch("\\d+", "١٢")).toBe(false); // Arabic-Indic digits are not \d in RE2
    expect(re2FullMatch("\\s", "\u00a0")).toBe(false);
    expect(re2FullMatch("(?i)get", "GET")).toBe(true);
  });
  it("rejects what RE2 rejects", () => {
    expect(re2Error("(?=x)")).toMatch(/invalid|missing|repetition|perl/i);
    expect(re2Error("a(")).toBeDefined();
    expect(re2Error("\\1")).toBeDefined();
    expect(re2Error("5..")).toBeUndefined();
  });
});

describe("exampleMatching", () => {
  it.each([
    ["5..", "500"],
    ["2(\\.0)?", "2"],
    ["GET|POST", "GET"],
    ["[45]xx", "4xx"],
    ["api-.+", "api-0"],
    ["[^a]b", "0b"],
    ["\\d{3}", "000"],
    ["(?i)Get", "Get"],
  ])("%s → %s", (pattern, example) => {
    expect(exampleMatching(pattern)).toBe(example);
    expect(re2FullMatch(pattern, example)).toBe(true);
  });
  it("gives up rather than guessing on what it cannot walk", () => {
    expect(exampleMatching("\\pL")).toBeUndefined();
    expect(exampleMatching("a(")).toBeUndefined();
  });
});
