import { describe, expect, it } from "vitest";
import {
  findAttribute,
  findPlugins,
  LogstashSyntaxError,
  parseLogstash,
  stringValue,
  type Branch,
  type Config,
  type Plugin,
} from "./parser.js";

const PIPELINE = String.raw`# Realistic pipeline: beats in, enrich, route, elasticsearch out
input {
  beats {
    port => 5044
    ssl_enabled => false
    codec => json { charset => "UTF-8" }
  }
}

filter {
  json {
    source => "message"
    target => "payload"
    skip_on_invalid_json => true
  }
  mutate {
    rename => { "[payload][svc]" => "service" }
    add_field => { "env" => "§{ENV:prod}" "team" => 'platform' }
    remove_field => ["message", "[payload][raw]"]
    lowercase => [ "service" ]
  }
  fingerprint {
    source => ["service", "[payload][id]"]
    target => "[@metadata][fingerprint]"
    method => "SHA256"
    concatenate_sources => true
  }
  if [level] in ["ERROR", "FATAL"] {
    mutate { add_tag => ["alert"] }
  } else if [message] =~ /timeout|timed out/ and !([service] == "health") {
    mutate { add_tag => ["slow"] }
  } else if "debug" not in [tags] or [latency_ms] >= 250.5 {
    drop { }
  } else {
    mutate { add_tag => [ "ok" ] }
  }
}

output {
  elasticsearch {
    hosts => ["§{ES_HOST}"]
    index => "logs-%{[service]}-%{+YYYY.MM.dd}"
    document_id => "%{[@metadata][fingerprint]}"
    ssl_certificate_authorities => '/etc/pki/ca.pem'
  }
}
`.replaceAll("§{", "${");

function err(text: string): LogstashSyntaxError {
  try {
    parseLogstash(text);
  } catch (e) {
    if (e instanceof LogstashSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

function onlyPlugin(config: Config): Plugin {
  const p = config.sections[0]?.body[0];
  if (p?.type !== "Plugin") throw new Error("expected a plugin");
  return p;
}

/** Value of the single attribute of the single plugin in `filter { p { <attr> } }`. */
function attrValue(attr: string) {
  const p = onlyPlugin(parseLogstash(`filter { p1 { ${attr} } }`));
  expect(p.attributes).toHaveLength(1);
  return p.attributes[0]!.value;
}

describe("logstash parser: realistic pipeline", () => {
  const config = parseLogstash(PIPELINE);

  it("has the three sections in order", () => {
    expect(config.sections.map((s) => s.kind)).toEqual(["input", "filter", "output"]);
  });

  it("parses the beats input with a plugin-valued codec", () => {
    expect(findAttribute(config, "input", "beats", "port")?.value).toMatchObject({
      type: "Number",
      raw: "5044",
      value: 5044,
      isFloat: false,
    });
    expect(findAttribute(config, "input", "beats", "ssl_enabled")?.value).toMatchObject({
      type: "Bareword",
      value: "false",
    });
    const codec = findAttribute(config, "input", "beats", "codec")?.value;
    expect(codec?.type).toBe("Plugin");
    if (codec?.type !== "Plugin") return;
    expect(codec.name).toMatchObject({ type: "Name", value: "json" });
    expect(stringValue(codec.attributes[0])).toBe("UTF-8");
  });

  it("parses filters: json, mutate hashes/arrays, fingerprint", () => {
    expect(stringValue(findAttribute(config, "filter", "json", "source"))).toBe("message");
    const addField = findAttribute(config, "filter", "mutate", "add_field")?.value;
    expect(addField?.type).toBe("Hash");
    if (addField?.type !== "Hash") return;
    expect(addField.entries.map((e) => [stringValue(e.key), stringValue(e.value)])).toEqual([
      ["env", "${ENV:prod}"],
      ["team", "platform"],
    ]);
    expect(addField.entries[1]!.value).toMatchObject({ quote: "'" });
    const remove = findAttribute(config, "filter", "mutate", "remove_field")?.value;
    expect(remove?.type === "Array" && remove.elements.map((e) => stringValue(e))).toEqual([
      "message",
      "[payload][raw]",
    ]);
    expect(stringValue(findAttribute(config, "filter", "fingerprint", "target"))).toBe(
      "[@metadata][fingerprint]",
    );
    expect(stringValue(findAttribute(config, "filter", "fingerprint", "method"))).toBe("SHA256");
  });

  it("parses the if / else if / else chain", () => {
    const filter = config.sections[1]!;
    const branch = filter.body.find((b): b is Branch => b.type === "Branch");
    expect(branch).toBeDefined();
    if (!branch) return;
    expect(branch.clauses).toHaveLength(3);
    expect(branch.elseBody).toHaveLength(1);

    // if [level] in ["ERROR", "FATAL"]
    const c1 = branch.clauses[0]!.condition;
    expect(c1.rest).toEqual([]);
    expect(c1.first).toMatchObject({
      type: "In",
      negated: false,
      left: { type: "Selector", raw: "[level]", path: ["level"] },
      right: { type: "Array", elements: [{ value: "ERROR" }, { value: "FATAL" }] },
    });

    // else if [message] =~ /timeout|timed out/ and !([service] == "health")
    const c2 = branch.clauses[1]!.condition;
    expect(c2.first).toMatchObject({
      type: "RegexpMatch",
      op: "=~",
      left: { type: "Selector", path: ["message"] },
      right: { type: "Regexp", pattern: "timeout|timed out" },
    });
    expect(c2.rest).toHaveLength(1);
    expect(c2.rest[0]!.op).toBe("and");
    expect(c2.rest[0]!.expr).toMatchObject({
      type: "Not",
      operand: {
        type: "Condition",
        first: { type: "Compare", op: "==", right: { type: "String", value: "health" } },
      },
    });

    // else if "debug" not in [tags] or [latency_ms] >= 250.5
    const c3 = branch.clauses[2]!.condition;
    expect(c3.first).toMatchObject({ type: "In", negated: true, left: { value: "debug" } });
    expect(c3.rest[0]).toMatchObject({
      op: "or",
      expr: { type: "Compare", op: ">=", right: { type: "Number", value: 250.5, isFloat: true } },
    });

    // findPlugins descends into conditionals
    expect(findPlugins(config, "filter", "mutate")).toHaveLength(4);
    expect(findPlugins(config, "filter", "drop")).toHaveLength(1);
  });

  it("carries sprintf and ${VAR} references unchanged", () => {
    expect(stringValue(findAttribute(config, "output", "elasticsearch", "index"))).toBe(
      "logs-%{[service]}-%{+YYYY.MM.dd}",
    );
    const hosts = findAttribute(config, "output", "elasticsearch", "hosts")?.value;
    expect(hosts?.type === "Array" && stringValue(hosts.elements[0])).toBe("${ES_HOST}");
    expect(stringValue(findAttribute(config, "output", "elasticsearch", "ssl_certificate_authorities"))).toBe(
      "/etc/pki/ca.pem",
    );
  });

  it("findAttribute returns undefined for anything missing", () => {
    expect(findAttribute(config, "output", "elasticsearch", "nope")).toBeUndefined();
    expect(findAttribute(config, "output", "stdout", "codec")).toBeUndefined();
    expect(findAttribute(config, "input", "elasticsearch", "index")).toBeUndefined();
  });

  it("stringValue rejects non-strings", () => {
    expect(() => stringValue(findAttribute(config, "input", "beats", "port"))).toThrow(TypeError);
    expect(() => stringValue(undefined)).toThrow(TypeError);
  });
});

describe("logstash parser: other valid syntax", () => {
  it("strings are raw: no escape processing, \\\" stays two characters", () => {
    expect(stringValue(attrValue(String.raw`a1 => "say \"hi\""`))).toBe(String.raw`say \"hi\"`);
    expect(stringValue(attrValue(String.raw`a1 => 'it\'s'`))).toBe(String.raw`it\'s`);
    expect(stringValue(attrValue(String.raw`a1 => "C:\temp\new"`))).toBe(String.raw`C:\temp\new`);
    expect(stringValue(attrValue(String.raw`a1 => "tab\there\n"`))).toBe(String.raw`tab\there\n`);
    expect(stringValue(attrValue(`a1 => "multi\nline"`))).toBe("multi\nline");
    expect(stringValue(attrValue(`a1 => 'has "double" quotes'`))).toBe('has "double" quotes');
    expect(stringValue(attrValue(`a1 => ""`))).toBe("");
  });

  it("numbers follow -?[0-9]+(\\.[0-9]*)?", () => {
    expect(attrValue("n1 => -5")).toMatchObject({ type: "Number", raw: "-5", value: -5, isFloat: false });
    expect(attrValue("n1 => 1.")).toMatchObject({ type: "Number", raw: "1.", value: 1, isFloat: true });
    expect(attrValue("n1 => 0.25")).toMatchObject({ type: "Number", value: 0.25, isFloat: true });
    // ".5" is not a number (needs a leading digit) and not a bareword
    expect(err("filter { p1 { n1 => .5 } }").column).toBe(21);
  });

  it("two-character barewords, plugin/attribute names, quoted names", () => {
    expect(attrValue("a1 => ab")).toMatchObject({ type: "Bareword", value: "ab" });
    expect(attrValue("a1 => _x")).toMatchObject({ type: "Bareword", value: "_x" });
    // names use [A-Za-z0-9_-]+ (so one letter is fine there) or a string
    const p = onlyPlugin(parseLogstash(`filter { "my-plugin" { x => "1" 'y-z' => "2" } }`));
    expect(p.name).toMatchObject({ type: "String", value: "my-plugin" });
    expect(p.attributes.map((a) => a.name.value)).toEqual(["x", "y-z"]);
  });

  it("hashes: whitespace-separated entries with number/bareword/string keys", () => {
    const v = attrValue(`h1 => { 200 => "ok" ab => cd "e f" => [1, 2] }`);
    expect(v.type).toBe("Hash");
    if (v.type !== "Hash") return;
    expect(v.entries.map((e) => e.key.type)).toEqual(["Number", "Bareword", "String"]);
    expect(attrValue("h1 => {}")).toMatchObject({ type: "Hash", entries: [] });
    expect(attrValue("h1 => {a1=>1}")).toMatchObject({ type: "Hash", entries: [{ key: { value: "a1" } }] });
  });

  it("arrays hold any value, including plugins, and may be empty", () => {
    expect(attrValue("a1 => []")).toMatchObject({ type: "Array", elements: [] });
    expect(attrValue("a1 => [ab, 1, 'x', [2], {k1 => v1}, pl { }]")).toMatchObject({
      type: "Array",
      elements: [
        { type: "Bareword" },
        { type: "Number" },
        { type: "String" },
        { type: "Array" },
        { type: "Hash" },
        { type: "Plugin" },
      ],
    });
  });

  it("comments and whitespace", () => {
    const c = parseLogstash("# head\n\t#x\r\ninput{#c\nstdin{}stdin{}# c2\n}output{stdout{}}# end");
    expect(c.sections.map((s) => s.kind)).toEqual(["input", "output"]);
    expect(c.sections[0]!.body).toHaveLength(2);
  });

  it("conditionals: nand/xor, parentheses, !selector, method calls, single-element [x] is a selector", () => {
    const c = parseLogstash(
      `filter { if ([a] or [b]) nand ![c] xor [d][e] != -1 and "x" !~ "y" and len([f], 2) > 3 { drop {} } }`,
    );
    const br = c.sections[0]!.body[0] as Branch;
    const cond = br.clauses[0]!.condition;
    expect(cond.first).toMatchObject({ type: "Paren", condition: { rest: [{ op: "or" }] } });
    expect(cond.rest.map((r) => r.op)).toEqual(["nand", "xor", "and", "and"]);
    expect(cond.rest[0]!.expr).toMatchObject({ type: "Not", operand: { type: "Selector", path: ["c"] } });
    expect(cond.rest[1]!.expr).toMatchObject({ type: "Compare", left: { path: ["d", "e"] }, op: "!=" });
    expect(cond.rest[2]!.expr).toMatchObject({ type: "RegexpMatch", op: "!~", right: { type: "String" } });
    expect(cond.rest[3]!.expr).toMatchObject({
      type: "Compare",
      left: { type: "MethodCall", name: "len", args: [{ type: "Selector" }, { type: "Number" }] },
    });

    // grammar gotcha: ["x"] matches selector before array, so it is a field reference
    const single = parseLogstash(`filter { if [a] in ["x"] { drop {} } }`).sections[0]!.body[0] as Branch;
    expect(single.clauses[0]!.condition.first).toMatchObject({
      type: "In",
      right: { type: "Selector", raw: '["x"]', path: ['"x"'] },
    });
  });

  it("plugin names starting with if/else are still plugins", () => {
    const c = parseLogstash(`filter { iffy {} if [a] { drop {} } elsewhere {} }`);
    expect(c.sections[0]!.body.map((b) => b.type)).toEqual(["Plugin", "Branch", "Plugin"]);
  });
});

describe("logstash parser: traps", () => {
  it("unquoted bareword in a comparison is a syntax error", () => {
    // rvalue = string / number / selector / array / method_call / regexp: no bareword.
    // `apache` only gets as far as method_call, which then wants "(".
    const e = err("filter {\n  if [type] == apache {\n    drop {}\n  }\n}");
    expect(e).toBeInstanceOf(LogstashSyntaxError);
    expect(e.line).toBe(2);
    expect(e.column).toBe(23); // at the "{" where method_call expected "("
    expect(e.expected).toContain('"("');
    // quoted, it is fine
    expect(() => parseLogstash('filter { if [type] == "apache" { drop {} } }')).not.toThrow();
  });

  it("a comma between hash entries is a syntax error", () => {
    // hashentries = hashentry (cs hashentry)*  -- no comma
    const e = err('filter {\n  mutate {\n    add_field => { "a" => "b", "c" => "d" }\n  }\n}');
    expect(e.line).toBe(3);
    expect(e.column).toBe(30); // the comma
    expect(e.expected).toContain('"}"');
  });

  it("a one-letter bareword is a syntax error", () => {
    // bareword = [A-Za-z_] [A-Za-z0-9_]+ ; a lone `j` can only be a plugin name, which wants "{"
    const e = err("output { stdout { codec => j } }");
    expect(e.line).toBe(1);
    expect(e.column).toBe(30); // the "}" after "j ", where plugin expected "{"
    expect(e.expected).toContain('"{"');
    expect(() => parseLogstash("output { stdout { codec => js } }")).not.toThrow();
    // also as a hash key
    // (there the furthest failure is bareword's second character class, right after `k`)
    expect(err("filter { p1 { h1 => { k => 1 } } }").column).toBe(24);
  });

  it("a string ending in a backslash: the backslash escapes the closing quote and the string runs on", () => {
    // double_quoted_string = '"' ('\"' / !'"' .)* '"' ; the loop never backtracks
    const unterminated = err(String.raw`input { file { path => "C:\logs\" } }`);
    expect(unterminated.offset).toBe(String.raw`input { file { path => "C:\logs\" } }`.length); // end of input
    expect(unterminated.expected).toEqual(['"\\""']);

    // with another quote later, the string swallows the text up to it, then the rest fails
    const runOn = err(String.raw`input { file { path => "C:\logs\" codec => "plain" } }`);
    expect(runOn.column).toBe(45); // at `plain`
    // ...or, if what follows happens to be valid, it silently parses differently
    const c = parseLogstash(String.raw`input { file { path => "C:\logs\" # "
      } }`);
    expect(stringValue(findAttribute(c, "input", "file", "path"))).toBe(String.raw`C:\logs\" # `);

    // a doubled backslash does not help: `\\"` is `\` then the escape `\"`
    const doubled = String.raw`input { file { path => "a\\" } }`;
    expect(err(doubled).offset).toBe(doubled.length);
    // same for single quotes and regexps
    const single = String.raw`input { file { path => 'a\' } }`;
    expect(err(single).offset).toBe(single.length);
    expect(() => parseLogstash(String.raw`filter { if [a] =~ /x\/ { drop {} } }`)).toThrow(LogstashSyntaxError);
  });

  it("1e3 is not a number: the grammar stops at `1`", () => {
    // number = "-"? [0-9]+ ("." [0-9]*)? ; as a value, `1e3` first matches plugin's name
    // [A-Za-z0-9_-]+ and the error is where that plugin wanted "{"
    const e = err("filter { p1 { n1 => 1e3 } }");
    expect(e.column).toBe(25);
    expect(e.expected).toContain('"{"');
    // ...so `1e3 {}` is a plugin value named "1e3"
    expect(attrValue("codec => 1e3 {}")).toMatchObject({ type: "Plugin", name: { type: "Name", value: "1e3" } });
    // in a condition, rvalue number matches `1` and `e3` is left over
    const c = err("filter { if [a] > 1e3 { drop {} } }");
    expect(c.column).toBe(20); // the `e`
    // quoted it is just a string
    expect(stringValue(attrValue('n1 => "1e3"'))).toBe("1e3");
  });

  it("other grammar rules that reject near-misses", () => {
    // attributes need whitespace between them (attribute (whitespace cs attribute)*)
    expect(() => parseLogstash(`filter { p1 { a1 => "x"b1 => "y" } }`)).toThrow(LogstashSyntaxError);
    // ...and a comment right after a value does not count as that whitespace
    expect(err("filter { p1 { a1 => 1# c\n b1 => 2 } }").line).toBe(2);
    // trailing comma in an array
    expect(() => parseLogstash("filter { p1 { a1 => [1, 2,] } }")).toThrow(LogstashSyntaxError);
    // `not in` needs a literal space after `not`
    expect(() => parseLogstash("filter { if [a] not\tin [b] { drop {} } }")).toThrow(LogstashSyntaxError);
    // ! applies only to a selector or a parenthesised condition
    expect(() => parseLogstash('filter { if !"x" { drop {} } }')).toThrow(LogstashSyntaxError);
    // at least one section; only input/filter/output
    expect(err("").expected).toEqual(expect.arrayContaining(['"input"', '"filter"', '"output"']));
    expect(() => parseLogstash("inputs { }")).toThrow(LogstashSyntaxError);
    expect(() => parseLogstash("input { } garbage")).toThrow(LogstashSyntaxError);
    // a comment must end in \n (optionally \r\n) or end of input; a lone \r does not end it
    expect(() => parseLogstash("input { } # c\routput { }")).toThrow(LogstashSyntaxError);
  });

  it("error message carries line and column", () => {
    const e = err("input {\n  stdin {\n    a1 => \n  }\n}");
    expect(e.message).toMatch(/at line \d+, column \d+/);
    expect(e.name).toBe("LogstashSyntaxError");
  });
});

describe("logstash parser: string values survive unchanged", () => {
  // Anything without the closing quote (and not ending the body with a backslash) is carried verbatim.
  const samples = [
    "plain",
    "%{[a][b]} ${X:default} %{+YYYY.MM.dd}",
    String.raw`back\slash \n \t \\ middle`,
    "unicode ✓ ü 日本",
    "multi\nline\r\nwith\ttabs",
    "{ braces } [brackets] => arrows # not a comment",
    String.raw`escaped \" quote`,
  ];
  for (const s of samples) {
    it(JSON.stringify(s), () => {
      const dq = parseLogstash(`output { o1 { v1 => "${s}" } }`);
      expect(stringValue(findAttribute(dq, "output", "o1", "v1"))).toBe(s);
      const sq = s.replaceAll('"', "'");
      const c = parseLogstash(`output { o1 { v1 => '${sq}' } }`);
      expect(stringValue(findAttribute(c, "output", "o1", "v1"))).toBe(sq);
    });
  }
});
