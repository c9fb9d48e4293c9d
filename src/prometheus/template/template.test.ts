import { describe, expect, it } from "vitest";
import { parseTemplate, renderAlertTemplate, type RenderResult } from "./template.js";

// Expected renderings are what Prometheus v2.42.0 produces for a firing alert
// (rules/alerting.go AlertingRule.Eval → template/template.go Expand with
// missingkey=zero, go1.19.8 text/template), recorded for the data below and
// for the cross-check that promtool itself runs in promtool.test.ts.
const labels = {
  __name__: "up",
  instance: "host-1.example.com:9100",
  job: "node",
  severity: "warning",
};
const render = (text: string, value = 0.75): RenderResult => renderAlertTemplate(text, { labels, value });

describe("trim markers and comments (parse/lex.go lexText/lexRightDelim trim rules)", () => {
  const rows: [string, string][] = [
    ["a  {{- $value -}}  b", "a0.75b"],
    ["a {{ $value }}\n  {{- \" x\" }}", "a 0.75 x"],
    ["{{- /* comment */ -}}\n  text  \n{{- 1 -}}\n", "text1"],
    ["x{{/* no trim */}} y", "x y"],
    ["{{ $value -}}\n\n\tz", "0.75z"],
    ["a\n{{- \"\" }}\n b", "a\n b"],
    ["{{-3}}", "-3"],
    ["{{- 3 -}}", "3"],
    ["{{3 -}} x", "3x"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("if / else if / else with eq, gt (exec.go walkIfOrWith, funcs.go eq/lt)", () => {
  const rows: [string, string][] = [
    ["{{ if gt $value 0.5 }}high{{ else }}low{{ end }}", "high"],
    ["{{ if eq $labels.severity \"critical\" }}C{{ else if eq $labels.severity \"warning\" }}W{{ else }}?{{ end }}", "W"],
    ["{{ if eq $labels.job \"a\" \"node\" }}yes{{ end }}", "yes"],
    ["{{ if and (gt $value 0.5) (lt $value 1.0) }}in range{{ end }}", "in range"],
    ["{{ if not $labels.nope }}no such label{{ end }}", "no such label"],
    ["{{ if $labels.instance }}has instance{{ end }}", "has instance"],
    ["{{ if ne $value 0.75 }}changed{{ else }}same{{ end }}", "same"],
    ["{{ with $labels.job }}job={{ . }}{{ else }}none{{ end }}", "job=node"],
    ["{{ with $labels.nope }}{{ . }}{{ else }}none{{ end }}", "none"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("range over maps, sorted by key (exec.go walkRange, internal/fmtsort)", () => {
  const rows: [string, string][] = [
    ["{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}", "__name__=up;instance=host-1.example.com:9100;job=node;severity=warning;"],
    ["{{ range $labels }}[{{ . }}]{{ end }}", "[up][host-1.example.com:9100][node][warning]"],
    ["{{ range $v := .Labels }}{{ $v }},{{ end }}", "up,host-1.example.com:9100,node,warning,"],
    ["{{ range $externalLabels }}x{{ else }}no external labels{{ end }}", "no external labels"],
    ["{{ range $k, $v := $labels }}{{ if eq $k \"job\" }}{{ break }}{{ end }}{{ $k }} {{ end }}", "__name__ instance "],
    ["{{ range $k, $v := $labels }}{{ if eq $k \"instance\" }}{{ continue }}{{ end }}{{ $k }} {{ end }}", "__name__ job severity "],
    ["{{ $n := 0 }}{{ range $labels }}{{ $n = . }}{{ end }}{{ $n }}", "warning"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("printf and printing of values (fmt/print.go, exec.go printValue)", () => {
  const rows: [string, string][] = [
    ["{{ $value }}", "0.75"],
    ["{{ .Value }}", "0.75"],
    ["{{ printf \"%.2f\" $value }}", "0.75"],
    ["{{ printf \"%d\" $value }}", "%!d(float64=0.75)"],
    ["{{ $value | printf \"%6.3f|\" }}", " 0.750|"],
    ["{{ printf \"%s is %v\" $labels.instance $value }}", "host-1.example.com:9100 is 0.75"],
    ["{{ printf \"%s\" }}", "%!s(MISSING)"],
    ["{{ printf \"%q\" $labels.job }}", "\"node\""],
    ["{{ printf \"%5.1e\" 12345.678 }}", "1.2e+04"],
    ["{{ printf \"%d items\" (len $labels) }}", "4 items"],
    ["{{ printf \"%T %T %T %T\" $value 1 $labels (safeHtml \"x\") }}", "float64 int map[string]string template.HTML"],
    ["{{ $labels }}", "map[__name__:up instance:host-1.example.com:9100 job:node severity:warning]"],
    ["{{ . }}", "{map[__name__:up instance:host-1.example.com:9100 job:node severity:warning] map[]  0.75}"],
    ["{{ printf \"%+v\" . }}", "{Labels:map[__name__:up instance:host-1.example.com:9100 job:node severity:warning] ExternalLabels:map[] ExternalURL: Value:0.75}"],
    ["{{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ -0 }} {{ 1_000 }}", "1.5 1000 16 97 0 1000"],
    ["{{ print 1 2 \"a\" 3 true }}", "1 2a3 true"],
    ["{{ println \"a\" 1 }}", "a 1\n"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("missing labels with missingkey=zero (exec.go evalField)", () => {
  const rows: [string, string][] = [
    ["[{{ $labels.nope }}]", "[]"],
    ["[{{ .Labels.nope }}]", "[]"],
    ["[{{ index $labels \"nope\" }}]", "[]"],
    ["[{{ $externalLabels.cluster }}]", "[]"],
    ["[{{ $externalURL }}]", "[]"],
    ["{{ len $labels.nope }}", "0"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("Prometheus string functions (template.go: title, toUpper, toLower, stripPort, stripDomain, reReplaceAll, match, safeHtml, graphLink)", () => {
  const rows: [string, string][] = [
    ["{{ title \"foo bar\" }}|{{ title \"hello_world foo-bar o'neil\" }}|{{ toUpper \"straße\" }}|{{ toLower \"ÀÉ\" }}", "Foo Bar|Hello_world Foo-Bar O'Neil|STRAßE|àé"],
    ["{{ $labels.instance | stripPort }}|{{ stripPort \"[::1]:80\" }}|{{ stripPort \"nohost\" }}", "host-1.example.com|::1|nohost"],
    ["{{ $labels.instance | stripDomain }}|{{ stripDomain \"10.0.0.1:9100\" }}|{{ stripDomain \"db.local\" }}", "host-1:9100|10.0.0.1:9100|db"],
    ["{{ reReplaceAll \"(.*):.*\" \"$1\" $labels.instance }}", "host-1.example.com"],
    ["{{ reReplaceAll \"^([a-z]+)-(\\\\d+)\\\\..*$\" \"${2}:$1\" $labels.instance }}", "1:host"],
    ["{{ reReplaceAll \"b*\" \"-\" \"abc\" }}", "-a-c-"],
    ["{{ if match \"^host-\\\\d\" $labels.instance }}matched{{ end }}", "matched"],
    ["{{ safeHtml \"<b>bold</b>\" }}", "<b>bold</b>"],
    ["{{ html \"<a href='x'>\" }} {{ js \"it's\" }} {{ urlquery \"a b/c\" }}", "&lt;a href=&#39;x&#39;&gt; it\\'s a+b%2Fc"],
    ["{{ graphLink \"up == 0\" }}", "/graph?g0.expr=up+%3D%3D+0&g0.tab=0"],
    ["{{ index \"abc\" 1 }} {{ slice \"abcdef\" 1 3 }} {{ len \"héllo\" }}", "98 bc 6"],
  ];
  it.each(rows)("%j", (text, want) => {
    expect(render(text)).toEqual({ ok: true, text: want });
  });
});

describe("execution errors become ok:false (template.go Expand: \"<error expanding template: ...>\")", () => {
  // [template, Go's error text after "executing ... at <...>: ", offset of the
  // failing node in our text (Go's column minus the 112-byte defs prefix)]
  const rows: [string, string, number][] = [
    ["{{ printf \"%s\" (humanize \"abc\") }}", "error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax", 16],
    ["{{ if gt $value 0 }}x{{ end }}", "error calling gt: incompatible types for comparison", 6],
    ["{{ eq $value 1 }}", "error calling eq: incompatible types for comparison", 3],
    ["{{ .Nope }}", "can't evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }", 3],
    ["{{ $labels.instance.x }}", "can't evaluate field x in type string", 10],
    ["{{ toUpper $value }}", "wrong type for value; expected string; got float64", 11],
    ["{{ safeHtml \"x\" | toUpper }}", "wrong type for value; expected string; got template.HTML", 18],
    ["{{ humanize true }}", "error calling humanize: can't convert bool to float", 3],
    ["{{ reReplaceAll \"(\" \"\" \"x\" }}", "error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`", 3],
    ["{{ range $value }}{{ end }}", "range can't iterate over 0.75", 9],
    ["{{ externalURL }}", "error calling externalURL: runtime error: invalid memory address or nil pointer dereference", 3],
    ["{{ index $labels 1 }}", "error calling index: value has type int; should be string", 3],
    ["{{ 1 2 }}", "can't give argument to non-function 1", 3],
  ];
  it.each(rows)("%j", (text, message, offset) => {
    const r = render(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.offset).toBe(offset);
    if (!text.includes("reReplaceAll") && !text.includes("externalURL")) {
      expect(r.reason).toBe(`error executing template: ${message}`);
    }
  });
});

describe("functions needing a live Prometheus or missing in 2.42 (template.go funcMap)", () => {
  it.each([
    ["{{ query \"up\" }}", "query", 3],
    ["{{ with query \"up\" }}{{ . | first | value }}{{ end }}", "query", 8],
    ["x {{ range $i, $s := query \"up\" | sortByLabel \"instance\" }}{{ end }}", "query", 21],
    ["{{ $value | first }}", "first", 12],
    ["{{ label \"instance\" $value }}", "label", 3],
    ["{{ strvalue $value }}", "strvalue", 3],
  ])("%j uses %s", (text, fn, offset) => {
    expect(render(text)).toEqual({ ok: false, reason: `uses "${fn}", which needs a live Prometheus`, offset });
  });
  it("is only reported when executed, as in Go", () => {
    expect(render("{{ if false }}{{ query \"up\" }}{{ end }}ok")).toEqual({ ok: true, text: "ok" });
  });
  it("now and toDuration do not exist in 2.42: a parse error, as promtool reports", () => {
    expect(render("{{ now }}")).toEqual({ ok: false, reason: 'error parsing template: function "now" not defined', offset: 3 });
    expect(render("a {{ 1 | toDuration }}")).toEqual({
      ok: false,
      reason: 'error parsing template: function "toDuration" not defined',
      offset: 9,
    });
  });
  it("externalURL / pathPrefix fail under promtool (nil URL) but work with a server URL", () => {
    expect(render("{{ externalURL }}").ok).toBe(false);
    const opts = { serverExternalURL: "https://prom.example.com/prometheus" };
    expect(renderAlertTemplate("{{ externalURL }}|{{ pathPrefix }}", { labels, value: 1 }, opts)).toEqual({
      ok: true,
      text: "https://prom.example.com/prometheus|/prometheus",
    });
  });
  it("{{template}}, {{define}} and {{block}} are reported as unsupported", () => {
    expect(render('{{ template "x" }}')).toEqual({ ok: false, reason: "unsupported: {{template}} is not supported", offset: 3 });
    expect(render('{{ define "x" }}y{{ end }}')).toMatchObject({ ok: false, offset: 3 });
  });
});

describe("external labels and URL ($externalLabels, $externalURL)", () => {
  it("exposes the test group's external_labels and external_url", () => {
    const r = renderAlertTemplate("{{ $externalLabels.cluster }} {{ $externalURL }}/alerts {{ .ExternalLabels }}", {
      labels: {},
      externalLabels: { cluster: "eu-1", region: "eu" },
      externalURL: "http://prom:9090",
      value: 1,
    });
    expect(r).toEqual({ ok: true, text: "eu-1 http://prom:9090/alerts map[cluster:eu-1 region:eu]" });
  });
});

describe("parse errors: Go's message and our offset (text/template/parse parse.go, lex.go)", () => {
  // Messages are Go's, minus the "template: NAME:LINE: " prefix.
  const rows: [string, string, number][] = [
    ["{{ foo }}", 'function "foo" not defined', 3],
    ["{{ $value }", 'unexpected "}" in operand', 10],
    ["{{ }}", "missing value for command", 3],
    ["{{ end }}", "unexpected {{end}}", 7],
    ["{{ if true }}x", "unexpected EOF", 14],
    ['{{ "abc }}', "unterminated quoted string", 3],
    ["{{ $nope }}", 'undefined variable "$nope"', 3],
    ["{{ 3 | 4 }}", "non executable command in pipeline stage 2", 7],
    ["a {{ else }}", "unexpected {{else}}", 10],
    ["{{ if 1 }}{{ else }}{{ else }}{{ end }}", "expected end; found {{else}}", 28],
    ["{{ (1 }}", "unclosed left paren", 6],
    ["{{ 1) }}", 'unexpected ")" in command', 4],
    ["{{ # }}", 'unexpected "#" in command', 3],
    ["{{ $x := 1, 2 }}", 'unexpected "," in operand', 10],
    ["{{ range $a, $b, $c := . }}{{end}}", "too many declarations in range", 15],
    ["{{ break }}", "{{break}} outside {{range}}", 3],
    ['{{ .Labels."x" }}', "bad character U+0022 '\"'", 10],
    ["{{ 1.2.3 }}", 'unexpected ".3" in operand', 6],
    ["{{ 0x }}", 'illegal number syntax: "0x"', 3],
    ["{{ 99999999999999999999 }}", 'integer overflow: "99999999999999999999"', 3],
    ["{{ 'ab' }}", "malformed character constant: 'ab'", 3],
    ["{{/* x */ y }}", "comment ends before closing delimiter", 2],
    ["{{/* x ", "unclosed comment", 2],
    ["{{ with }}{{ end }}", "missing value for with", 8],
    ["{{ ` }}", "unterminated raw quoted string", 3],
    ['{{ humanize "\\q" }}', "invalid syntax", 12],
    ["{{ $labels.instance. }}", "unexpected <.> in operand", 19],
    ["{{ :x }}", "expected :=", 3],
    ["{{ $value", "unclosed action", 9],
  ];
  it.each(rows)("%j", (text, message, offset) => {
    const p = parseTemplate(text);
    expect(p.nodes).toEqual([]);
    expect(p.errors).toEqual([{ message, offset, kind: "syntax" }]);
    expect(render(text)).toEqual({ ok: false, reason: `error parsing template: ${message}`, offset });
  });
  it("never throws, whatever the input", () => {
    for (const text of ["{{", "}}", "{{{{", "{{-", "{{- -}}", "{{/*", "{{ ( ( ( }}", "{{ $ := 1 }}", "\u0000{{ . }}"]) {
      expect(() => parseTemplate(text)).not.toThrow();
      expect(() => render(text)).not.toThrow();
    }
  });
});

describe("AST (parse.go node types) with source offsets", () => {
  it("parses text, actions, pipelines and control structures", () => {
    const p = parseTemplate("Value {{ $value | humanize }}{{ if gt $value 1.0 }}!{{ end }}");
    expect(p.errors).toEqual([]);
    const [text, action, branch] = p.nodes;
    expect(text).toEqual({ type: "text", pos: 0, text: "Value " });
    expect(action).toMatchObject({
      type: "action",
      pos: 9,
      pipe: {
        cmds: [
          { args: [{ type: "variable", ident: ["$value"], pos: 9 }] },
          { args: [{ type: "identifier", name: "humanize", pos: 18 }] },
        ],
      },
    });
    expect(branch).toMatchObject({
      type: "if",
      pipe: { cmds: [{ args: [{ name: "gt" }, { ident: ["$value"] }, { type: "number", text: "1.0", isFloat: true }] }] },
      list: { nodes: [{ type: "text", text: "!" }] },
      elseList: undefined,
    });
  });
  it("chains fields on variables and fields", () => {
    const p = parseTemplate("{{ $labels.instance }}{{ .Labels.job }}");
    expect(p.nodes).toMatchObject([
      { pipe: { cmds: [{ args: [{ type: "variable", ident: ["$labels", "instance"] }] }] } },
      { pipe: { cmds: [{ args: [{ type: "field", ident: ["Labels", "job"] }] }] } },
    ]);
  });
});
