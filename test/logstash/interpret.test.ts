/**
 * The interpreter (interpret.ts) models only the plugins, options and constructs Vigil emits, and
 * throws on anything else: the PII and template tests run the emitted pipelines through it, so a
 * filter or option they do not understand must fail them, never be skipped as if it did nothing.
 * Each refused config differs from a control the interpreter runs by the one unmodelled piece.
 */
import { describe, expect, it } from "vitest";
import { emitLogs, exampleSpec } from "./examples.js";
import { LogstashRun } from "./interpret.js";
import { parseLogstash } from "./parser.js";

const ENV = { ES_HOSTS: "http://es:9200", LOG_HASH_KEY: "k" };
const NOW = Date.UTC(2026, 0, 15, 12);
const LINE = JSON.stringify({ ts: "2026-01-15T10:30:00Z", level: "INFO", logger: "app", message: "hi", ip: "203.0.113.7" });

const INPUT = "input { beats { port => 5044 } }";
const OUTPUT = 'output { elasticsearch { hosts => ["${ES_HOSTS}"] index => "logs-svc-%{+YYYY.MM.dd}" data_stream => "false" } }';
const JSON_FILTER = 'json { source => "message" }';

/** Runs one line through a config of `filter` (and the given input and output); what it wrote. */
function run(filter: string, input = INPUT, output = OUTPUT): ReturnType<typeof written> {
  return written(`${input}\nfilter {\n${JSON_FILTER}\n${filter}\n}\n${output}\n`);
}
function written(conf: string) {
  const r = new LogstashRun(new Map([["svc", parseLogstash(conf)]]), { env: ENV });
  r.receive(LINE, NOW);
  return r.written;
}

describe("the Logstash interpreter refuses what it does not model", () => {
  it("control: the modelled plugins and options run", () => {
    const out = run(
      [
        'mutate { rename => { "[ip]" => "[client][ip]" } replace => { "[message]" => "%{[message]}!" } gsub => ["[message]", "h", "H"] add_field => { "[event][category]" => "x" } remove_field => ["[ts]"] }',
        'date { match => ["[ts]", "ISO8601"] target => "@timestamp" }',
        'if [level] == "INFO" and [logger] =~ /^app/ { mutate { add_tag => ["seen"] } }',
        'if "_x" in [tags] { drop {} }',
        'fingerprint { source => "[logger]" target => "[logger]" method => "SHA256" key => "${LOG_HASH_KEY}" }',
      ].join("\n"),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ index: "logs-svc-2026.01.15", opType: "index", doc: { message: "Hi!", client: { ip: "203.0.113.7" }, event: { category: "x" }, tags: ["seen"] } });
    expect(out[0]!.doc.ts).toBeUndefined();
  });

  const refused: [string, () => unknown, RegExp][] = [
    ["a filter plugin it does not know", () => run('geoip { source => "[ip]" }'), /unsupported filter plugin geoip/],
    ["a filter plugin that would remove PII if it ran", () => run('prune { blacklist_names => ["^ip$"] }'), /unsupported filter plugin prune/],
    ["an option of mutate it does not model", () => run('mutate { uppercase => ["[level]"] }'), /unsupported option uppercase of mutate/],
    ["mutate's copy, which runs after gsub", () => run('mutate { copy => { "[message]" => "[raw]" } }'), /unsupported option copy of mutate/],
    ["json's target", () => run('json { source => "message" target => "[parsed]" }'), /unsupported option target of json/],
    ["json's skip_on_invalid_json", () => run('json { source => "message" skip_on_invalid_json => true }'), /unsupported option skip_on_invalid_json of json/],
    ["a date format other than ISO8601", () => run('date { match => ["[ts]", "UNIX_MS"] }'), /unsupported date formats UNIX_MS/],
    ["date's timezone", () => run('date { match => ["[ts]", "ISO8601"] timezone => "Europe/Berlin" }'), /unsupported option timezone of date/],
    ["a grok pattern it has no definition of", () => run('grok { match => { "[message]" => "%{IPV4:addr}" } }'), /unsupported grok pattern IPV4/],
    ["grok on several fields", () => run('grok { match => { "[message]" => "%{WORD:w}" "[logger]" => "%{WORD:l}" } }'), /unsupported grok match on several fields/],
    ["a dissect append key", () => run('dissect { mapping => { "[message]" => "%{+a}" } }'), /unsupported dissect key %\{\+a\}/],
    // Inside mutate, where an error of the plugin's own becomes _mutate_error: the refusal still escapes.
    ["a Ruby-only regexp construct in gsub", () => run('mutate { gsub => ["[message]", "\\Ahi", "x"] }'), /unsupported Ruby regexp construct/],
    ["a fingerprint method other than SHA256", () => run('fingerprint { source => "[ip]" method => "MD5" }'), /unsupported fingerprint method/],
    ["a comparison other than == and !=", () => run('if [level] > "A" { drop {} }'), /unsupported comparison >/],
    ["and and or mixed without parentheses", () => run('if [a] and [b] or [c] { drop {} }'), /unsupported and\/or mixed without parentheses/],
    ["an input plugin it does not know", () => run("", "input { kafka { topics => [\"logs\"] } }"), /unsupported input plugin kafka/],
    ["an option of beats it does not model", () => run("", "input { beats { port => 5044 codec => json } }"), /unsupported option codec of beats/],
    ["an output plugin it does not know", () => run("", INPUT, "output { stdout {} }"), /unsupported output plugin stdout/],
    ["an option of elasticsearch it does not model", () => run("", INPUT, 'output { elasticsearch { hosts => ["${ES_HOSTS}"] index => "logs-svc" document_id => "%{[id]}" } }'), /unsupported option document_id of elasticsearch/],
    ["a date format in an index name other than YYYY.MM.dd", () => run("", INPUT, 'output { elasticsearch { hosts => ["${ES_HOSTS}"] index => "logs-svc-%{+YYYY.MM}" data_stream => "false" } }'), /unsupported sprintf date format \+YYYY\.MM/],
    ["an environment variable it is not given", () => run("", INPUT, 'output { elasticsearch { hosts => ["${ES_URL}"] index => "logs-svc" data_stream => "false" } }'), /unsupported environment variable ES_URL/],
  ];
  for (const [what, go, message] of refused) {
    it(`throws on ${what}`, () => expect(go).toThrow(message));
  }

  it("a filter added to an emitted pipeline makes the run throw: the PII test cannot pass over it", async () => {
    const files = emitLogs([await exampleSpec("halcytone")]);
    const distributor = "logstash/pipeline/halcytone-content-generator.conf";
    const configs = (edit: (text: string) => string) =>
      new Map(files.filter((f) => f.path.startsWith("logstash/pipeline/")).map((f) => [f.path.slice("logstash/pipeline/".length, -".conf".length), parseLogstash(f.path === distributor ? edit(f.content) : f.content)]));
    const line = JSON.stringify({ level: "INFO", logger: "app.worker", message: "ok", client_ip: "203.0.113.7" });
    const control = new LogstashRun(configs((t) => t), { env: ENV });
    control.receive(line, NOW, "halcytone-content-generator");
    expect(control.written.map((w) => [w.index, w.doc.client_ip])).toEqual([["logs-halcytone-content-generator-2026.01.15", "[REDACTED]"]]);
    const geoip = (t: string) => t.replace(/^filter \{\n/m, 'filter {\n  geoip { source => "[client_ip]" target => "[client][geo]" }\n');
    expect(geoip(files.find((f) => f.path === distributor)!.content)).toContain("geoip {");
    expect(() => new LogstashRun(configs(geoip), { env: ENV }).receive(line, NOW, "halcytone-content-generator")).toThrow(/unsupported filter plugin geoip/);
  });
});
