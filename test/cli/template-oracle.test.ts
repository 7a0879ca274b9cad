// Strata's Go templates against the real thing: docker's CLI renders each template over its
// client version data (`docker version --format`, which prints even without a daemon, through a
// tabwriter of minwidth 20, padding 1), and strata's engine renders it over the same data.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { BUILTINS } from '../../source/cli/format/template/builtins.js';
import { DOCKER_FUNCTIONS } from '../../source/cli/format/template/docker-functions.js';
import { execute } from '../../source/cli/format/template/exec.js';
import { parseTemplate } from '../../source/cli/format/template/parse.js';
import { tabwrite } from '../../source/cli/format/template/tabwriter.js';

const hasDocker = spawnSync('docker', ['--version']).status === 0;

function docker(template: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('docker', ['version', '--format', template], { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } }, (_err, stdout, stderr) => {
      resolve({ stdout, stderr: stderr.split('\n').filter((l) => l && !l.startsWith('Cannot connect')).join('\n') });
    });
  });
}

// docker's answers, asked a few at a time: each is a process start of ~100 ms
async function dockerAll(templates: string[]): Promise<Map<string, { stdout: string; stderr: string }>> {
  const answers = new Map<string, { stdout: string; stderr: string }>();
  const queue = [...templates];
  const worker = async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) answers.set(t, await docker(t));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return answers;
}

const FUNCTIONS = { ...BUILTINS, ...DOCKER_FUNCTIONS };

// What docker prints: a parse error; or the rendering through its tabwriter and a newline, where
// an execution error (which `docker version` leaves unsaid when it has no daemon) cuts it short.
function strata(template: string, data: unknown): { stdout: string; stderr: string; failed: boolean } {
  let tree;
  try {
    tree = parseTemplate(template, 'version', (f) => f in FUNCTIONS);
  } catch (err) {
    return { stdout: '', stderr: `template parsing error: ${(err as Error).message}`, failed: true };
  }
  const out: string[] = [];
  let failed = false;
  try {
    execute(tree, data, FUNCTIONS, 'version', template, out);
  } catch {
    failed = true;
  }
  return { stdout: tabwrite(`${out.join('')}\n`, 20, 1), stderr: '', failed };
}

const TEMPLATES = [
  // fields, dot, variables
  '{{.Client.Version}}',
  '{{ .Client.Os }}/{{ .Client.Arch }}',
  '{{with .Client}}{{.GoVersion}} {{.GitCommit}}{{end}}',
  '{{$c := .Client}}{{$c.GoVersion}}',
  '{{$x := 1}}{{$x = 2}}{{$x}}',
  '{{with $v := .Client.Version}}{{$v}}-{{$.Client.Os}}{{end}}',
  '{{$.Client.Context}}',
  // if / else if / else, truthiness
  '{{if .Client.Version}}yes{{else}}no{{end}}',
  '{{if ""}}a{{else if 0}}b{{else if false}}c{{else}}d{{end}}',
  '{{if 0.0}}a{{else if (split "" "")}}b{{else if "x"}}c{{end}}',
  '{{if and 1 "" 2}}t{{else}}f{{end}} {{and 1 "" 2}} {{or 0 "" "z"}} {{or 0 ""}} {{not 0}} {{not "a"}}',
  '{{if not .Client.Context}}off{{else}}on{{end}}',
  // range
  '{{range split .Client.Version "."}}[{{.}}]{{end}}',
  '{{range $i, $e := split "a,b,c" ","}}{{$i}}={{$e}};{{end}}',
  '{{range $e := split "x y" " "}}<{{$e}}>{{end}}',
  '{{range split "" ","}}{{.}}|{{else}}empty{{end}}',
  '{{range $i, $p := split "a:b:c" ":"}}{{if eq $i 1}}{{continue}}{{end}}{{$p}}{{end}}',
  '{{range split "a:b:c" ":"}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}',
  '{{range 3}}{{.}}{{end}}',
  '{{range $i := 4}}{{$i}},{{end}}',
  // comparisons
  '{{eq .Client.Os "linux"}} {{ne .Client.Os "linux"}} {{eq 1 2 3 1}}',
  '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{lt "abc" "abd"}}',
  // printf and friends
  '{{printf "%s|%d|%v|%q" "s" 42 true "q"}}',
  '{{printf "%5.2f|%-10s|%10s|%x|%X|%o|%b" 3.14159 "left" "right" 255 255 8 5}}',
  '{{printf "%05d|%+d|% d|%-5d|%.3d" 42 42 42 42 7}}',
  '{{printf "%e|%E|%g|%G|%.3g|%f" 1234.5678 0.000012 1e21 1e-7 3.14159 2.5}}',
  '{{printf "%c|%U|%q|%#x|%#o" 65 9731 97 255 8}}',
  '{{printf "%x|% x|%X|%.2s|%8.3s|" "hi!" "ab" "xyz" "hello" "world"}}',
  '{{printf "%v %v" (split "a b" " ") 1.5}}',
  '{{printf "%d" "str"}}|{{printf "%s" 5}}|{{printf "%d"}}|{{printf "%d" 1 2}}',
  '{{printf "%T %T %T %T" 1 1.5 "s" true}}',
  '{{printf "%[2]s %[1]s" "a" "b"}} {{printf "%*d|%-*d|" 5 1 4 2}} {{printf "100%%"}}',
  '{{printf "%q" "tab\\there \\"quoted\\" é ☃"}}',
  '{{printf "%t %v" false nil}}',
  '{{print 1 2 "a" "b" 3}} {{print "x" 1}}',
  '{{println "a" 1 true}}',
  '{{1000000.0}} {{123456.0}} {{1.0}} {{0.00001}} {{-0.5}} {{1e3}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{\'a\'}}',
  // len, index, slice
  '{{len .Client.Version}} {{len (split "a b c" " ")}} {{len "héllo"}}',
  '{{index (split "a b c" " ") 1}} {{index .Client.Version 0}}',
  '{{slice .Client.Version 1 3}} {{slice "abcdef" 2}} {{slice (split "a b c d" " ") 1 3}}',
  // html, js, urlquery
  '{{html "<a href=\\"x\\">&</a>"}} {{js "it\'s <b> & \\"q\\""}} {{urlquery "a b&c=d/é"}}',
  '{{"<x>" | html}} {{urlquery "a" "b"}}',
  // pipelines and parentheses
  '{{.Client.Os | upper}} {{.Client.Os | printf "%s-%s" "x"}} {{"A" | lower | printf "%q"}}',
  '{{(split .Client.Version ".") | len}} {{len (index (split "ab cd" " ") 1)}}',
  '{{printf "%s" (print (len "ab") "c")}}',
  '{{printf "%d" 1 | }}',
  // docker's functions
  '{{json .Client.Version}} {{json (split "a b" " ")}} {{json 1.5}} {{json true}} {{json "<&>"}}',
  '{{join (split "a b c" " ") ", "}} {{split "a,b" ","}}',
  '{{lower "ABC"}} {{upper "abc"}} {{title "hello wide-world foo_bar x.y"}}',
  '{{truncate .Client.GitCommit 3}}|{{truncate "ab" 5}}|{{pad "x" 2 3}}|{{pad "" 2 3}}|',
  // comments and trim markers
  '{{/* a comment */}}a {{- /* trimmed */ -}} b',
  'x  {{- "y" -}}  z',
  'a\n{{- " b " }}\n{{- "c"}}',
  '{{- if true -}}  yes  {{- end -}}',
  // printing of values
  '{{split "a b" " "}} {{split "" ","}} {{true}} {{nil | print}} {{print nil}}',
  // define, template, block
  '{{define "x"}}[{{.}}]{{end}}{{template "x" .Client.Os}}{{template "x" "y"}}',
  '{{block "b" .Client.Arch}}<{{.}}>{{end}}',
  // tabs go through docker's tabwriter (minwidth 20, padding 1)
  '{{.Client.Os}}\t{{.Client.Arch}}\n{{.Client.Version}}\t{{.Client.GoVersion}}\tx',
  // parse errors
  '{{foo}}',
  '{{.Client.Os',
  '{{if .Client}}x',
  '{{end}}',
  '{{else}}',
  '{{$x}}',
  '{{range .Client}}{{end}}{{break}}',
  '{{"a" | "b"}}',
  '{{(1}}',
  '{{/* unclosed',
  '{{3 .}}',
  // execution errors
  '{{index (split "a b" " ") 5}}',
  '{{len 3}}',
  '{{upper 3}}',
  '{{truncate "abc" "x"}}',
  '{{lt true false}}',
  '{{eq "a" 1}}',
  '{{printf}}',
  '{{nil}}',
  '{{slice "abc" 2 1}}',
  '{{template "nope"}}',
];

// templates that fail: at parsing (docker prints the error) or while running (it prints what came before)
const FAILING = new Set(TEMPLATES.slice(TEMPLATES.indexOf('{{foo}}')));
FAILING.add('{{split "a b" " "}} {{split "" ","}} {{true}} {{nil | print}} {{print nil}}');

describe('Go templates against docker version --format', { skip: !hasDocker && 'docker CLI not on PATH' }, () => {
  let data: unknown;
  let answers: Map<string, { stdout: string; stderr: string }>;
  before(async () => {
    data = { Client: JSON.parse((await docker('{{json .Client}}')).stdout) };
    answers = await dockerAll(TEMPLATES);
  });

  for (const template of TEMPLATES) {
    it(template, () => {
      const want = answers.get(template)!;
      const got = strata(template, data);
      assert.equal(got.stderr, want.stderr);
      assert.equal(got.stdout, want.stdout);
      assert.equal(got.failed, FAILING.has(template), got.failed ? 'strata failed' : 'strata did not fail');
    });
  }
});
