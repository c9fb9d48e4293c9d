/**
 * What the generated pipelines store, watched through an interpretation of exactly the filters
 * Vigil emits (interpret.ts): log lines — JSON with `message` or with `msg` (zap, pino), lines
 * for the grok/dissect fallback, lines nothing parses — carrying PII in every field the spec
 * marks and in free text (e-mail, bearer token, password, card numbers in three layouts), go
 * through each example's pipelines (daily indices and data streams) and variants; no PII value
 * may survive in any field of any event written, dead letters included, and no event is lost.
 */
import { describe, expect, it } from "vitest";
import type { OutputFile } from "../../src/emit/types.js";
import type { MonitoringSpec } from "../../src/spec/types.js";
import { emitLogs, exampleSpec, withLogs } from "./examples.js";
import { LogstashRun, Timestamp, type EventValue, type Written } from "./interpret.js";
import { parseLogstash, type Config } from "./parser.js";

const PII = {
  email: "alice.smith@example.com",
  userId: "u-5501-alice",
  clientIp: "203.0.113.77",
  token: "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig",
  password: "hunter2!x",
  cards: ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"],
  iban: "DE89370400440532013000",
};
/** Every value that must not be stored; card numbers also without their separators. */
const SECRETS = [PII.email, PII.userId, PII.clientIp, PII.token, PII.password, PII.iban, ...PII.cards, ...PII.cards.map((c) => c.replace(/[ -]/g, ""))];

const freeText = (i: number) =>
  [
    `checkout for ${PII.email} paid with card ${PII.cards[i % 3]}`,
    `GET /api/orders?password=${PII.password}&page=2 Authorization: Bearer ${PII.token}`,
    `refund to ${PII.cards[(i + 1) % 3]} requested by user_id=${PII.userId} email=${PII.email}`,
  ][i % 3]!;

interface Line {
  kind: "json" | "json-msg" | "fallback" | "unparsable" | "dropped";
  line: string;
  /** Secrets this case must also keep out (beyond SECRETS). */
  extra?: string[];
}

/** Lines in every shape the pipelines meet, for one service's loggers and fallback format. */
function lines(loggers: string[], fallback: (ts: string, level: string, logger: string, text: string) => string, messageKey: string, ipField: string): Line[] {
  const out: Line[] = [];
  const levels = ["INFO", "ERROR", "WARNING"];
  loggers.forEach((logger, li) =>
    levels.forEach((level, vi) => {
      const i = li * levels.length + vi;
      const marked = { user_id: PII.userId, email: PII.email, [ipField]: PII.clientIp };
      const ts = `2026-01-15T10:${String(10 + i).padStart(2, "0")}:00.123Z`;
      out.push({ kind: "json", line: JSON.stringify({ timestamp: ts, level, logger, [messageKey]: freeText(i), ...marked, request_id: `req-${i}`, ...(i % 2 ? { duration_seconds: 0.25 } : {}) }) });
      // zap/pino: the message key is msg; the line itself must not survive as `message`.
      out.push({ kind: "json-msg", line: JSON.stringify({ ts, level, logger, msg: `order ${i} shipped`, ...marked }) });
      out.push({ kind: "fallback", line: fallback(`2026-01-15 10:${String(10 + i).padStart(2, "0")}:00,123`, level, logger, freeText(i)) });
    }),
  );
  const logger = loggers[0]!;
  out.push(
    // Truncated JSON, a key=value line, and text: nothing parses them.
    { kind: "unparsable", line: `{"level":"ERROR","logger":"${logger}","email":"${PII.email}","user_id":"${PII.userId}","${ipField}":"${PII.clientIp}","message":"card ${PII.cards[0]}` },
    { kind: "unparsable", line: `level=ERROR email=${PII.email} ${ipField}=${PII.clientIp} user_id=${PII.userId} password=${PII.password} card=${PII.cards[1]}` },
    { kind: "unparsable", line: `Traceback: payment ${PII.cards[2]} for "${PII.email}" Bearer ${PII.token}` },
    // The key in another case (Client_Ip): dead letters are masked by key, case-insensitively.
    { kind: "unparsable", line: `   user_id : "${PII.userId}" ; ${ipField.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase())}=${PII.clientIp}` },
    { kind: "dropped", line: JSON.stringify({ level: "DEBUG", logger, [messageKey]: freeText(0), email: PII.email }) },
  );
  return out;
}

const ENV = { ES_HOSTS: "http://es:9200", LOG_HASH_KEY: "k3y" };
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function configs(files: OutputFile[]): Map<string, Config> {
  return new Map(files.filter((f) => f.path.startsWith("logstash/pipeline/")).map((f) => [f.path.slice("logstash/pipeline/".length, -".conf".length), parseLogstash(f.content)]));
}

/** Every string in a document (keys included), to search for secrets. */
function strings(v: EventValue | undefined, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (v instanceof Timestamp) out.push(v.toJSON());
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(k), strings(x, out);
  else if (v !== null && v !== undefined) out.push(String(v));
  return out;
}

interface Variant {
  name: string;
  spec: () => Promise<MonitoringSpec>;
  loggers: string[];
  fallback: (ts: string, level: string, logger: string, text: string) => string;
  /** The key of the free text in its JSON lines (default `message`). */
  messageKey?: string;
  /** Free text the variant's own masks cover. */
  extraLines?: Line[];
  /** The field its spec masks the client address in (default `client_ip`). */
  ipField?: string;
}

const halcytone = () => exampleSpec("halcytone");
const novel = () => exampleSpec("novel-engine");
const grokLine = (ts: string, level: string, logger: string, text: string) => `${ts} ${level} ${logger} ${text}`;
const dissectLine = (ts: string, level: string, logger: string, text: string) => `${ts} ${level} [${logger}] ${text}`;
const H_LOGGERS = ["app.http.checkout", "app.security.login", "app.audit.export", "app.worker"];
const N_LOGGERS = ["novel_engine.api", "novel_engine.auth", "novel_engine.audit", "novel_engine.generation"];

const VARIANTS: Variant[] = [
  { name: "halcytone", spec: halcytone, loggers: H_LOGGERS, fallback: grokLine },
  { name: "novel-engine", spec: novel, loggers: N_LOGGERS, fallback: dissectLine, ipField: "ip_address" },
  { name: "halcytone, data streams", spec: async () => withLogs(await halcytone(), { indices: "dataStream" }), loggers: H_LOGGERS, fallback: grokLine },
  { name: "novel-engine, data streams", spec: async () => withLogs(await novel(), { indices: "dataStream" }), loggers: N_LOGGERS, fallback: dissectLine, ipField: "ip_address" },
  {
    // A pino service: `msg` is its free text; its own masks for IPv4 addresses and IBANs, and a category of its own.
    name: "pino service with masks and a category of its own",
    spec: async () => {
      const h = await halcytone();
      const fields = h.logs!.fields.map((f) => (f.name === "message" ? { ...f, name: "msg" } : f));
      const grok = "%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{NOTSPACE:logger} %{GREEDYDATA:msg}";
      return withLogs(h, {
        fields,
        nonJson: { grok },
        masks: [
          { name: "ipv4", pattern: "(?<![0-9])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9])", replacement: "[IP]" },
          { name: "iban", pattern: "\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\\b" },
        ],
        categories: [{ name: "payments", when: { loggerPrefix: ["app.http.checkout"] }, retentionDays: 90 }, ...h.logs!.categories!],
        // Its Kibana views show `message`, which this service calls `msg`.
        kibana: undefined,
      });
    },
    loggers: H_LOGGERS,
    fallback: grokLine,
    messageKey: "msg",
    extraLines: [
      { kind: "json", line: JSON.stringify({ level: "INFO", logger: "app.worker", msg: `login from ${PII.clientIp} paying from ${PII.iban}`, email: PII.email }) },
      { kind: "fallback", line: `2026-01-15 10:30:00 INFO app.http.checkout paid from ${PII.iban} at ${PII.clientIp}` },
    ],
  },
];

const totals = { cases: 0, written: 0 };

describe("no PII value is stored: the emitted pipelines, interpreted", () => {
  for (const v of VARIANTS) {
    it(v.name, async () => {
      const spec = await v.spec();
      const files = emitLogs([spec]);
      const ipField = v.ipField ?? "client_ip";
      const cases = [...lines(v.loggers, v.fallback, v.messageKey ?? "message", ipField), ...(v.extraLines ?? [])];
      const byKind = new Map<string, Written[]>();
      for (const c of cases) {
        const run = new LogstashRun(configs(files), { env: ENV, random: () => 0.5 });
        run.receive(c.line, NOW);
        totals.cases++;
        totals.written += run.written.length;
        // Nothing is lost: one document per line, except the level the spec drops.
        expect(run.written.length, `${c.kind}: ${c.line}`).toBe(c.kind === "dropped" ? 0 : 1);
        for (const w of run.written) {
          const all = strings(w.doc);
          for (const secret of [...SECRETS, ...(c.extra ?? [])]) {
            const hit = all.find((s) => s.includes(secret) || s.replace(/[ -]/g, "").includes(secret.replace(/[ -]/g, "")));
            expect(hit, `${v.name}: ${JSON.stringify(secret)} survives in ${w.index}\nline: ${c.line}\ndoc: ${JSON.stringify(w.doc)}`).toBeUndefined();
          }
          // Neither the line as received nor its JSON is stored anywhere.
          expect(all).not.toContain(c.line);
          const dead = Array.isArray(w.doc.tags) && w.doc.tags.includes("_vigil_unparsed");
          expect(dead, `${c.kind} ${w.index}`).toBe(c.kind === "unparsable");
          expect(w.index.includes("deadletter")).toBe(dead);
          byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), w]);
        }
      }
      // The masks keep what is not personal: dead letters still say what happened.
      const dead = byKind.get("unparsable")!.map((w) => w.doc.message);
      expect(dead[0]).toMatch(new RegExp(`^\\{"level":"ERROR","logger":"[^"]+","email":\\[REDACTED\\],"user_id":\\[REDACTED\\],"${ipField}":\\[REDACTED\\],"message":"card \\[CARD\\]$`));
      expect(dead[2]).toBe('Traceback: payment [CARD] for "[EMAIL]" Bearer [TOKEN]');
      // Parsed events: the PII fields removed, masked or hashed as the spec says.
      const json = byKind.get("json")![0]!.doc;
      expect(json.email).toBeUndefined();
      expect(json[ipField]).toBe("[REDACTED]");
      expect(json.user_id).toMatch(/^[0-9a-f]{64}$/);
      const msg = byKind.get("json-msg")![0]!.doc;
      expect(msg.message).toBeUndefined();
      expect(msg.msg).toMatch(/^order \d+ shipped$/);
    });
  }

  it("covers enough cases", () => {
    // Reported in the resolution of issue 14.
    console.log(`PII cases: ${totals.cases} lines through ${VARIANTS.length} pipelines sets, ${totals.written} documents written`);
    expect(totals.cases).toBeGreaterThanOrEqual(150);
  });
});

describe("timestamps: every form grok's TIMESTAMP_ISO8601 matches reaches @timestamp", () => {
  it("the date filter reads each, and the field is not left for Elasticsearch to refuse", async () => {
    const files = emitLogs([await halcytone()]);
    const shapes: [string, number | undefined][] = [];
    for (const sep of ["T", " "])
      for (const sec of ["", ":00", ":00.123", ":00,123", ":00.123456"])
        for (const zone of ["", "Z", "+01:00", "-0130"]) {
          const ms = Date.UTC(2026, 0, 15, 10, 30, 0, sec.length > 3 ? 123 : 0) - (zone === "+01:00" ? 3_600_000 : zone === "-0130" ? -5_400_000 : 0);
          shapes.push([`2026-01-15${sep}10:30${sec}${zone}`, ms]);
        }
    // Compact times match TIMESTAMP_ISO8601 but no ISO8601 parser: kept, ignored by the mapping, the event still stored.
    shapes.push(["2026-01-15T1030", undefined]);
    const template = JSON.parse(files.find((f) => f.path === "elasticsearch/index-templates/logs-halcytone-content-generator.json")!.content);
    expect(template.template.mappings.properties.timestamp).toEqual({ type: "date", ignore_malformed: true });
    for (const [ts, ms] of shapes) {
      const run = new LogstashRun(configs(files), { env: ENV });
      run.receive(`${ts} INFO app.worker started`, NOW);
      expect(run.written, ts).toHaveLength(1);
      const doc = run.written[0]!.doc;
      if (ms === undefined) {
        expect(doc.timestamp).toBe(ts);
        expect(doc.tags).toContain("_dateparsefailure");
      } else {
        expect((doc["@timestamp"] as Timestamp).ms, ts).toBe(ms);
        expect(doc.timestamp, ts).toBeUndefined();
      }
    }
  });
});
