/**
 * `vigil COMMAND --help` (and `vigil help COMMAND`): usage, options and exit codes of each
 * command and subcommand, printed on stdout with exit 0.
 */
import { PROBES_HELP } from "./probes.js";

const COLOR = `      --color | --no-color  colour the human report (default: when stderr is a terminal;
                            FORCE_COLOR=1 / FORCE_COLOR=0 and NO_COLOR=1 set the default)`;

const FORMAT = `      --format FORMAT       human (default, on stderr), json, github (workflow annotations)
                            or sarif (SARIF 2.1.0), on stdout`;

const SPECS = `Specs are monitoring.ts (default), monitoring.yaml or monitoring.json files; several specs
compile into one output (one rule file per service).`;

const COMPILE_OPTIONS = `  -o, --out DIR             output directory (required)
      --no-typecheck        skip the TypeScript type check (runtime checks still apply)
      --spec-timeout T      time limit for evaluating a TypeScript spec (default 10s)
      --cache-dir DIR       the compile cache (default node_modules/.cache/vigil)
      --no-cache            neither read nor fill the compile cache
${FORMAT}
      --quiet               print diagnostics only, no summary line
${COLOR}`;

const COMPILE = `Usage: vigil compile [specs...] --out DIR [options]

Compiles the specs and replaces DIR with their output in one step (DIR is left as it was
when a spec has errors). Prints one summary line: specs, files written and time.
${SPECS}

Options:
${COMPILE_OPTIONS}

Exit codes: 0 written, 1 spec errors (nothing written), 2 usage or internal error.
`;

const CHECK = `Usage: vigil check [specs...] --out DIR [options]

Compiles the specs in memory and compares the result with DIR, the committed output; writes
nothing. Each file that differs, is missing or is no longer generated is one VIG5002
diagnostic naming it (with --format github, one annotation on the committed file).
When the specs, every file they import or the type check reads, the options and Vigil are as
they were when compile or check last succeeded, the stored result (the compile cache) is
compared with DIR instead of compiling again; any difference in DIR is then compiled and
reported as without it.
${SPECS}

Options:
${COMPILE_OPTIONS}

Exit codes: 0 DIR is up to date, 1 spec errors or drift, 2 usage or internal error.
`;

const IMPORT = `Usage: vigil import KIND FILES... [--out FILE] [--force] [--service NAME] [--team NAME]

Writes a monitoring.ts (formatted TypeScript over vigil-monitoring) from monitoring you already
have, to FILE or, without --out, to stdout. Directories are read whole (every .yml/.yaml below).
Kinds:
  prometheus   Prometheus rule files and PrometheusRule resources (monitoring.coreos.com/v1):
               alerts, recording rules, and the metrics they read as declared signals
  sloth        Sloth SLO specs (version: prometheus/v1, and sloth.slok.dev/v1
               PrometheusServiceLevel): the service, its SLOs, events SLIs, alerting; one
               service per monitoring.ts (--service picks it)
  openslo      OpenSLO v1 documents (SLO, SLI, Service): ratio indicators over Prometheus
               become ratio SLIs, each objective an SLO
  pyrra        Pyrra ServiceLevelObjectives (pyrra.dev/v1alpha1): ratio, latency and
               bool_gauge indicators as ratio, latency and boolean SLIs
  alertmanager an alertmanager.yml: team routes as teams with their receivers and escalation,
               time intervals and routes' mute/active intervals, inhibit rules between named
               alerts as inhibitions; secrets become env()/file() references, never literals.
               Rule files after it (alertmanager.yml rules.yml...) are imported as by
               prometheus, so the inhibitions' alerts are declared

What a spec cannot say as the input did is a warning naming the rule (VIG6003 changed, VIG6004
not imported); nothing is left out silently.

Options:
  -o, --out FILE            where to write (refuses an existing file unless --force)
      --force               replace FILE
      --service NAME        the service name (default: from the first file or resource name);
                            for sloth, which service of the input to import (default: the first)
      --team NAME           the team of alerts without a team label (default: their one team
                            label, else <service>-team)
${FORMAT}
${COLOR}

Exit codes: 0 written (warnings printed), 1 input unreadable or not importable (nothing written),
2 usage or internal error.
`;

const LINT = `Usage: vigil lint [files...] [options]

Lints specs and plain Prometheus rule files (PrometheusRule resources too); rule files are
linted with the signals of the specs given alongside. Default: monitoring.ts.

Options:
${FORMAT}
      --max-warnings N      fail when there are more than N warnings
      --no-typecheck        skip the TypeScript type check of TypeScript specs
      --spec-timeout T      time limit for evaluating a TypeScript spec (default 10s)
${COLOR}

Exit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 usage or internal error.
`;

const DEPLOY = `Usage: vigil deploy [specs...] [--prometheus-dir DIR --prometheus-url URL]
                    [--alertmanager-dir DIR --alertmanager-url URL] [--apply] [options]

Compiles the specs as vigil check does and refuses them (exit 1, nothing written) on any error,
or on drift when the project has an output directory (--out or out in vigil.config.ts). Then
puts the output where the servers read it: prometheus.yml and rules/ in the Prometheus
directory, alertmanager.yml in the Alertmanager one (each server runs with --config.file there
and --web.enable-lifecycle), each file written beside itself and renamed into place. Rule files
Vigil put there before and the specs no longer produce are removed (.vigil-deploy.json lists
them); other files are left alone. It then POSTs /-/reload to each server and checks the reload
took: Prometheus' prometheus_config_last_reload_successful is 1 and /api/v1/rules runs exactly
the deployed rule groups from the files Vigil manages; Alertmanager's last reload succeeded and
alertmanager_config_hash is that of the deployed file. If not, the previous files are put back
and the servers reloaded again (VIG5010).
Prints the files added (+), changed (~) and removed (-) and what that means (alerts, rules,
routes, receivers, as vigil diff does). Without --apply (the default, in CI too) it is a dry
run: it prints the same and writes nothing. deploy.prometheus / deploy.alertmanager ({ dir,
url }) in vigil.config.ts give the servers when the flags do not.

Options:
      --apply               write and reload (default: a dry run)
  -o, --out DIR             the committed output; deploy refuses when it has drifted
      --timeout T           bound on each request and on a reload showing (default 10s)
      --no-typecheck        skip the TypeScript type check (runtime checks still apply)
      --spec-timeout T      time limit for evaluating a TypeScript spec (default 10s)
      --quiet               no summary line
${COLOR}

Exit codes: 0 deployed (or, dry run, nothing wrong), 1 spec errors, drift, or a deploy that did
not take (the previous files are back), 2 usage or internal error.
`;

const ROUTES = `Usage: vigil routes test [DIR] [--all]

Checks every routing case of DIR/alertmanager/routing-tests.yml (DIR: a vigil output
directory, default out) against DIR's alertmanager.yml. Each case is routed by Vigil's port of
Alertmanager's route matching (dispatch/route.go), and in the same run amtool config routes
test routes every case that misroutes (a failure is always amtool's verdict) and one case for
each distinct set of routes the cases end at (at most 100, spread over the tree). If amtool
disagrees with the port on any of them, every case goes through amtool.

Options:
      --all                 amtool config routes test on every case (one process each)

Exit codes: 0 every case reaches its receivers, 1 a case misroutes or DIR has no routing
cases, 2 usage error or amtool missing (Debian package prometheus-alertmanager).
`;

const PROBES = `${PROBES_HELP}
Exit codes: 0 ok (--check: probes.json is valid), 1 --once saw a failure or no probes.json,
2 usage error, invalid probes.json or the listen address is taken.
`;

const TARGET = `      --target VERSION      check as Prometheus VERSION would (default 2.42; e.g. 3.1)`;

const PROMQL_CHECK = `Usage: vigil promql check [--target VERSION] (EXPR | -)

Parses and type-checks a PromQL expression; prints its type (instant vector, range vector,
scalar, string) or the errors with a caret under them. With -, reads one JSON string per
line from stdin and prints one JSON result per line ({"valid":true} or the errors, with
positions in characters).

Options:
${TARGET}

Exit codes: 0 valid, 1 invalid, 2 usage error.
`;

const PROMQL_FMT = `Usage: vigil promql fmt [--target VERSION] EXPR

Prints EXPR in canonical form.

Options:
${TARGET}

Exit codes: 0 printed, 1 EXPR is invalid, 2 usage error.
`;

const PROMQL_CHECK_RULES = `Usage: vigil promql check-rules [--target VERSION] FILE...

Checks every expression of Prometheus rule files, with diagnostics at their file positions.

Options:
${TARGET}
${COLOR}

Exit codes: 0 all valid, 1 an invalid expression or an unreadable file, 2 usage error.
`;

const PROMQL = `Usage: vigil promql (check | fmt | check-rules) [--target VERSION] ...

  vigil promql check [--target VERSION] (EXPR | -)    check PromQL (vigil promql check --help)
  vigil promql fmt [--target VERSION] EXPR            print EXPR in canonical form
  vigil promql check-rules [--target VERSION] FILE... check the expressions of rule files

Exit codes: 0 ok, 1 invalid, 2 usage error.
`;

const TEST = `Usage: vigil test [DIR]

Runs every check of a compiled output directory (default out) with the real tools, and
prints a table of each check, its result and its time:
  promtool check rules     each prometheus/rules/*.yml
  promtool test rules      each prometheus/tests/*.yml (the generated alert tests)
  promtool check config    prometheus/prometheus.yml
  amtool check-config      alertmanager/alertmanager.yml
  routing cases            alertmanager/routing-tests.yml as vigil routes test checks them
  probes --check           probes/probes.json with the probe runtime of this package
A check whose file is not in DIR is left out of the table. promtool comes with Debian's prometheus
package, amtool with prometheus-alertmanager.

Options:
${COLOR}

Exit codes: 0 every check passed, 1 a check failed or DIR is not a vigil output,
2 usage error or promtool/amtool not on PATH.
`;

const DIFF = `Usage: vigil diff [specs...] [--base REV] [options]
       vigil diff --trees OLD_DIR NEW_DIR [options]

Prints what a change means for monitoring: alerts added or removed, thresholds, for,
severities, burn-rate tiers, SLO objectives and windows, which team and receivers each alert
reaches, inhibitions, time intervals and maintenance, dashboards and panels, checks and
journeys, log categories and retention. Writes nothing.

With specs (default: as vigil compile finds them), compiles them at the git revision REV
(the whole commit is extracted to a temporary directory) and in the working tree, and
compares the two models. Default REV: the merge base of HEAD and origin/main when origin/main
exists, else HEAD. A reformatted spec, or one refactored to mean the same, has no changes.
With --trees, compares two directories vigil compile wrote.

Options:
      --base REV            the git revision to compare the working tree with
      --trees               compare two compiled output directories
      --format FORMAT       text (default), json (schema vigil-diff/1) or markdown (for a
                            pull-request comment), on stdout
      --exit-code           exit 1 when there are semantic changes
      --spec-timeout T      time limit for evaluating a TypeScript spec (default 10s)

Exit codes: 0 compared (with or without changes), 1 changes with --exit-code, spec errors
(VIG6021 when the base revision does not compile) or an unreadable revision or directory
(VIG6020, VIG6022, VIG6023), 2 usage or internal error.
`;

/** Help by command path: the first words of the command line. */
const HELP: Readonly<Record<string, string>> = {
  compile: COMPILE,
  check: CHECK,
  lint: LINT,
  diff: DIFF,
  import: IMPORT,
  deploy: DEPLOY,
  routes: ROUTES,
  "routes test": ROUTES,
  probes: PROBES,
  "probes run": PROBES,
  promql: PROMQL,
  "promql check": PROMQL_CHECK,
  "promql fmt": PROMQL_FMT,
  "promql check-rules": PROMQL_CHECK_RULES,
  test: TEST,
};

const isHelpFlag = (arg: string) => arg === "--help" || arg === "-h";

/**
 * The help to print for this command line, if it asks for a command's help: `vigil lint
 * --help`, `vigil promql check -h`, `vigil help routes test`. Undefined otherwise (including
 * `vigil --help`, the general usage, which main prints).
 */
export function commandHelp(argv: readonly string[]): string | undefined {
  const end = argv.indexOf("--");
  const args = end === -1 ? argv : argv.slice(0, end);
  if (args[0] === "help") return helpOf(args.slice(1));
  if (!args.some(isHelpFlag)) return undefined;
  return helpOf(args.filter((a) => !isHelpFlag(a)));
}

function helpOf(words: readonly string[]): string | undefined {
  const [command, sub] = words;
  if (command === undefined || !(command in HELP)) return undefined;
  return (sub !== undefined && HELP[`${command} ${sub}`]) || HELP[command];
}
