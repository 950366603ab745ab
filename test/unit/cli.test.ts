import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'server', 'out', 'cli.js');
const CORPUS = join(REPO, '..', 'shared', 'corpus');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('text output over examples/: the deliberate mistakes, compiler style, exit 1', () => {
  const r = cli('examples');
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 8);
  for (const line of lines)
    assert.match(line, /^examples\/\S+\.yaml:\d+:\d+ (error|warning) flux-azure\/[a-z0-9-]+ \S/);
  assert.ok(!r.out.includes(String.fromCharCode(27)), 'no colors when piped');
  assert.equal(r.err, '', 'nothing but the report when piped');
});

test('--fail-on, --rule and --no-rule select what fails', () => {
  assert.equal(cli('examples', '--fail-on', 'never').code, 0);
  const only = cli('examples', '--rule', 'gate-missing', '--format', 'json');
  assert.deepEqual(
    JSON.parse(only.out).map((d: { code: string }) => d.code),
    ['flux-azure/gate-missing'],
  );
  const without = JSON.parse(cli('examples', '--no-rule', 'flux-azure/gate-missing', '--format', 'json').out) as {
    code: string;
  }[];
  assert.equal(without.length, 7);
  assert.ok(!without.some((d) => d.code === 'flux-azure/gate-missing'));
});

test('usage errors exit 2 with a message; --help documents the exit codes', () => {
  for (const args of [['--format', 'xml'], ['--rule', 'no-such-rule'], ['--bogus'], ['does/not/exist']]) {
    const r = cli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^flux-azure-check: /);
  }
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /Exit codes:[\s\S]*0 [\s\S]*1 [\s\S]*2 [\s\S]*3 /);
});

test("--version and SARIF's tool version are package.json's version (put in at build time)", () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  const r = cli('--version');
  assert.equal(r.code, 0);
  assert.equal(r.out, `${version}\n`);
  const sarif = JSON.parse(cli('examples', '--format', 'sarif').out) as {
    runs: { tool: { driver: { version: string } } }[];
  };
  assert.equal(sarif.runs[0]!.tool.driver.version, version);
});

test("the walkthrough's example fleet has exactly its one deliberate mistake", () => {
  const r = cli('walkthrough/fleet', '--format', 'json');
  assert.equal(r.code, 1);
  const findings = JSON.parse(r.out) as { file: string; line: number; code: string; fixes?: unknown[] }[];
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line} ${f.code}`),
    ['walkthrough/fleet/apps/podinfo.yaml:28 flux-azure/gate-missing'],
  );
});

test('JSON output carries positions and related locations', () => {
  const r = JSON.parse(cli('examples', '--format', 'json').out) as {
    file: string;
    line: number;
    code: string;
    related: { file: string }[];
  }[];
  const gate = r.find((d) => d.code === 'flux-azure/gate-missing')!;
  assert.equal(gate.file, 'examples/apps/production/image-automation.yaml');
  assert.equal(gate.line, 12);
  assert.equal(gate.related[0].file, 'examples/clusters/production/flux-system/kustomization.yaml');
});

test('SARIF output validates against the SARIF 2.1.0 schema and names rules with help', () => {
  const r = cli('examples', '--format', 'sarif');
  const log = JSON.parse(r.out);
  const schema = JSON.parse(
    readFileSync(
      join(REPO, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
      'utf8',
    ),
  );
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const valid = validate(JSON.parse(r.out));
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 3)));
  const run = log.runs[0];
  assert.equal(run.results.length, 8);
  for (const result of run.results) {
    const rule = run.tool.driver.rules[result.ruleIndex];
    assert.equal(rule.id, result.ruleId);
    assert.ok(rule.help.text.length > 20 && rule.helpUri.startsWith('https://'));
    assert.match(result.locations[0].physicalLocation.artifactLocation.uri, /^examples\//);
  }
  assert.ok(run.results.some((x: { relatedLocations?: unknown[] }) => x.relatedLocations?.length));
});

test('suppression comments are honoured by the CLI too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-cli-'));
  const file = join(dir, 's.yaml');
  writeFileSync(
    file,
    'apiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData:\n  clientCertificateSendChain: true\n',
  );
  assert.equal(cli(file).code, 1);
  writeFileSync(
    file,
    '# flux-azure-disable-file send-chain-quoting\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData:\n  clientCertificateSendChain: true\n',
  );
  assert.equal(cli(file).code, 0);
});

test(
  'over the shared corpus only the reviewed allow-list fails',
  { skip: !existsSync(CORPUS) && 'corpus not present' },
  () => {
    const allow = JSON.parse(readFileSync(join(REPO, 'test', 'corpus-allowlist.json'), 'utf8')) as Record<
      string,
      string
    >;
    const r = cli(CORPUS, '--format', 'json', '--fail-on', 'warning');
    const failing = (JSON.parse(r.out) as { file: string; line: number; code: string; severity: string }[]).filter(
      (d) => d.severity === 'error' || d.severity === 'warning',
    );
    assert.equal(r.code, failing.length > 0 ? 1 : 0);
    for (const d of failing) {
      const key = `${d.file.replace(/^.*?corpus\//, '')}:${d.line} ${d.code}`;
      assert.ok(key in allow, `${key} is reviewed`);
    }
  },
);

test('--workspace judges the files given with the whole repository (a pre-commit hook passes changed files)', () => {
  const file = 'examples/infrastructure/storage/staging/fleet-config.yaml';
  // Alone, the file's folder has no cluster: the version check cannot know staging runs Flux 2.6.
  assert.equal(cli(file).out, '');
  const r = cli('--workspace', 'examples', file, 'examples/apps/production/kustomization.yaml');
  assert.equal(r.code, 1);
  assert.deepEqual(
    r.out
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(0, 3).join(' ')),
    [`${file}:33:23 error flux-azure/object-level-wi-unsupported-version`],
    'only the files given are reported',
  );
  assert.equal(cli('--workspace', 'no-such-folder', file).code, 2);
});
