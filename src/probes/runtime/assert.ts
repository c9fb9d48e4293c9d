import type { Comparator, FailureReason, ProbeAssertion, ProbeSubject } from "../config.js";
import { ProbeError } from "./errors.js";
import { regexpTest } from "../regexp.js";
import { atPath, formatPath, type ResponseView } from "./extract.js";
import type { JsonValue } from "./template.js";

export type AssertionOutcome = { ok: true } | { ok: false; reason: FailureReason; message: string };

type Expected = ProbeAssertion["expected"];
const OK: AssertionOutcome = { ok: true };
const MAX_MESSAGE = 200;

export function truncate(s: string, max = MAX_MESSAGE): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function describeSubject(subject: ProbeSubject): string {
  switch (subject.kind) {
    case "status":
      return "status";
    case "header":
      return `header ${subject.name}`;
    case "jsonBody":
      return `body ${formatPath(subject.path)}`;
    case "textBody":
      return "body";
    case "responseTimeMs":
      return "response time (ms)";
  }
}

/** The subject's value; undefined when absent (missing header or JSON path). Throws `invalid_json`. */
export function subjectValue(subject: ProbeSubject, res: ResponseView): JsonValue | undefined {
  switch (subject.kind) {
    case "status":
      return res.status;
    case "header":
      return res.header(subject.name);
    case "jsonBody":
      return atPath(res.jsonBody(), subject.path);
    case "textBody":
      return res.textBody();
    case "responseTimeMs":
      return res.durationMs;
  }
}

/** A number, or a string holding one; NaN otherwise. */
function numeric(v: JsonValue | Expected | undefined): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}

function equals(actual: JsonValue, expected: Expected): boolean {
  if (typeof actual === "number" || typeof expected === "number") {
    const a = numeric(actual);
    const e = numeric(expected);
    return !Number.isNaN(a) && !Number.isNaN(e) && a === e;
  }
  return actual === expected;
}

function textForm(v: JsonValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

type Verdict = boolean | "type";

/** Whether `actual comparator expected` holds; "type" when the comparator does not apply to the actual value. */
export function compare(comparator: Comparator, actual: JsonValue | undefined, expected: Expected): Verdict {
  if (comparator === "exists") return actual !== undefined;
  if (comparator === "notExists") return actual === undefined;
  if (actual === undefined) return false;
  switch (comparator) {
    case "equals":
      return equals(actual, expected);
    case "notEquals":
      return !equals(actual, expected);
    case "lessThan":
    case "lessThanOrEqual":
    case "greaterThan":
    case "greaterThanOrEqual": {
      const a = numeric(actual);
      const e = numeric(expected);
      if (Number.isNaN(a) || Number.isNaN(e)) return "type";
      if (comparator === "lessThan") return a < e;
      if (comparator === "lessThanOrEqual") return a <= e;
      if (comparator === "greaterThan") return a > e;
      return a >= e;
    }
    case "contains":
    case "notContains": {
      let found: boolean;
      if (typeof actual === "string") found = actual.includes(String(expected));
      else if (Array.isArray(actual)) found = actual.some((item) => equals(item, expected));
      else return "type";
      return comparator === "contains" ? found : !found;
    }
    case "matches":
      if (typeof expected !== "string") return "type";
      return regexpTest(expected, textForm(actual));
  }
}

function show(v: JsonValue | Expected | undefined): string {
  if (v === undefined) return "nothing";
  return truncate(JSON.stringify(v), 120);
}

/** Evaluates one assertion; a failure names the assertion's label, the expectation and what was found. */
export function evaluate(assertion: ProbeAssertion, res: ResponseView): AssertionOutcome {
  let actual: JsonValue | undefined;
  try {
    actual = subjectValue(assertion.subject, res);
  } catch (err) {
    if (err instanceof ProbeError) {
      return { ok: false, reason: err.reason, message: truncate(`${assertion.label}: ${describeSubject(assertion.subject)}: ${err.message}`) };
    }
    throw err;
  }
  const verdict = compare(assertion.comparator, actual, assertion.expected);
  if (verdict === true) return OK;
  const expectation =
    assertion.comparator === "exists" || assertion.comparator === "notExists"
      ? `${describeSubject(assertion.subject)} ${assertion.comparator}`
      : `${describeSubject(assertion.subject)} ${assertion.comparator} ${show(assertion.expected)}`;
  const found = verdict === "type" ? `got ${show(actual)} (${Array.isArray(actual) ? "array" : actual === null ? "null" : typeof actual})` : `got ${show(actual)}`;
  return { ok: false, reason: "assertion", message: truncate(`${assertion.label}: expected ${expectation}, ${found}`) };
}
