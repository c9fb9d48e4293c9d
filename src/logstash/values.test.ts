import { describe, expect, it } from "vitest";
import { fieldRef, quoteValue, sprintf } from "./values.js";

describe("quoteValue", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', `'say "hi"'`],
    ["it's", `"it's"`],
    ["C:\\path\\x", '"C:\\path\\x"'],
    ["", '""'],
    ["line\nbreak", '"line\nbreak"'],
  ])("%j → %s", (value, text) => {
    expect(quoteValue(value)).toEqual({ ok: true, text });
  });

  it.each([
    ["ends\\", "ends in a backslash"],
    [`both " and '`, "contains both quote characters"],
  ])("refuses %j", (value, reason) => {
    const r = quoteValue(value);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.reason).toContain(reason);
  });
});

describe("fieldRef", () => {
  it("builds [a][b]", () => expect(fieldRef(["trace", "id"])).toEqual({ ok: true, text: "[trace][id]" }));
  it.each([[[]], [["a", ""]], [["a]b"]], [["[x"]], [["a\nb"]], [["a,b"]]])("refuses %j", (path) => expect(fieldRef(path).ok).toBe(false));
});

describe("sprintf", () => {
  it("builds index names with field, date and env references", () => {
    expect(sprintf([{ text: "logs-" }, { field: ["service"] }, { text: "-" }, { date: "YYYY.MM.dd" }])).toEqual({ ok: true, text: "logs-%{[service]}-%{+YYYY.MM.dd}" });
    expect(sprintf([{ text: "http://" }, { env: "ES_HOST" }, { text: ":9200" }])).toEqual({ ok: true, text: "http://${ES_HOST}:9200" });
  });
  it.each([
    ["literal %{", [{ text: "a%{b}" }]],
    ["literal ${", [{ text: "${X}" }]],
    ["split opener", [{ text: "a%" }, { text: "{b}" }]],
    ["bad env", [{ env: "NOT-A-NAME" }]],
    ["bad date", [{ date: "YYYY}" }]],
    ["bracket in field", [{ field: ["a]"] }]],
  ])("refuses %s", (_, parts) => expect(sprintf(parts as never).ok).toBe(false));
});
