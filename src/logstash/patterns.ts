/**
 * Grok and dissect patterns for lines that are not JSON. Read here, at compile time, so a
 * mistyped pattern name or a capture into an undeclared field is a diagnostic at the spec,
 * not a `_grokparsefailure` on every line in production.
 */

/** Grok pattern names shipped with Logstash's core patterns (legacy and ECS sets share them). */
export const GROK_PATTERNS: ReadonlySet<string> = new Set(
  (
    "USERNAME USER EMAILLOCALPART EMAILADDRESS INT BASE10NUM NUMBER BASE16NUM BASE16FLOAT POSINT NONNEGINT WORD NOTSPACE SPACE DATA " +
    "GREEDYDATA QUOTEDSTRING UUID URN MAC CISCOMAC WINDOWSMAC COMMONMAC IPV6 IPV4 IP HOSTNAME IPORHOST HOSTPORT PATH UNIXPATH TTY " +
    "WINPATH URIPROTO URIHOST URIPATH URIQUERY URIPARAM URIPATHPARAM URI MONTH MONTHNUM MONTHNUM2 MONTHDAY DAY YEAR HOUR MINUTE " +
    "SECOND TIME DATE_US DATE_EU ISO8601_TIMEZONE ISO8601_SECOND TIMESTAMP_ISO8601 DATE DATESTAMP TZ DATESTAMP_RFC822 " +
    "DATESTAMP_RFC2822 DATESTAMP_OTHER DATESTAMP_EVENTLOG SYSLOGTIMESTAMP PROG SYSLOGPROG SYSLOGHOST SYSLOGFACILITY HTTPDATE QS " +
    "SYSLOGBASE LOGLEVEL HTTPDUSER HTTPDERROR_DATE COMMONAPACHELOG COMBINEDAPACHELOG HTTPD_COMMONLOG HTTPD_COMBINEDLOG"
  ).split(" "),
);

export interface PatternCapture {
  /** Dotted field name (`[a][b]` is read as `a.b`). */
  field: string;
  /** Offset of the capture in the pattern, for messages. */
  at: number;
}

export type PatternReading = { ok: true; captures: PatternCapture[] } | { ok: false; problem: string; at: number };

/** A capture's field: `name` or `[a][b]`; a bare dotted name would be a literal dotted key. */
function captureField(raw: string): string | undefined {
  if (/^[A-Za-z_@][A-Za-z0-9_@-]*$/.test(raw)) return raw;
  const nested = /^(\[[^[\],]+\])+$/.test(raw) ? [...raw.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!) : undefined;
  return nested?.join(".");
}

/** `%{SYNTAX}`, `%{SYNTAX:field}`, `%{SYNTAX:field:int}` and `(?<field>...)` captures. */
export function readGrok(pattern: string): PatternReading {
  const captures: PatternCapture[] = [];
  for (const m of pattern.matchAll(/%\{([^}]*)\}?/g)) {
    const at = m.index;
    if (!m[0].endsWith("}")) return { ok: false, problem: "unclosed %{", at };
    const [syntax, semantic, type, ...extra] = m[1]!.split(":");
    if (!syntax || !/^[A-Z0-9_]+$/.test(syntax)) return { ok: false, problem: `"%{${m[1]}}" does not start with a pattern name in capitals`, at };
    if (!GROK_PATTERNS.has(syntax)) return { ok: false, problem: `unknown grok pattern ${syntax}`, at };
    if (extra.length || (type !== undefined && type !== "int" && type !== "float")) return { ok: false, problem: `"%{${m[1]}}": the type after the field may only be int or float`, at };
    if (semantic === undefined) continue;
    const field = captureField(semantic);
    if (!field) return { ok: false, problem: `capture "${semantic}" is not a field name; nested fields are written [a][b]`, at };
    captures.push({ field, at });
  }
  for (const m of pattern.matchAll(/\(\?<([^>]*)>/g)) {
    const field = captureField(m[1]!);
    if (!field) return { ok: false, problem: `named group "${m[1]}" is not a field name`, at: m.index };
    captures.push({ field, at: m.index });
  }
  return { ok: true, captures };
}

/** `%{field}`, `%{+field}` (append), `%{?name}` and `%{}` (skipped), with `->` padding. */
export function readDissect(pattern: string): PatternReading {
  const captures: PatternCapture[] = [];
  const keys = [...pattern.matchAll(/%\{([^}]*)\}?/g)];
  if (!keys.length) return { ok: false, problem: "a dissect mapping needs at least one %{field}", at: 0 };
  for (const m of keys) {
    const at = m.index;
    if (!m[0].endsWith("}")) return { ok: false, problem: "unclosed %{", at };
    const key = m[1]!.replace(/->$/, "");
    if (key === "" || key.startsWith("?")) continue;
    if (key.startsWith("*") || key.startsWith("&")) return { ok: false, problem: `"%{${m[1]}}" names fields after values in the line; capture into declared fields instead`, at };
    const field = captureField(key.replace(/^\+/, "").replace(/\/\d+$/, ""));
    if (!field) return { ok: false, problem: `"%{${m[1]}}" is not a field name; nested fields are written [a][b]`, at };
    captures.push({ field, at });
  }
  return { ok: true, captures };
}
