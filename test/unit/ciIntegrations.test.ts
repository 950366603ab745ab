// The ways CI runs the checks, each run as a user's CI would: the CLI's npm package through npx from a temporary
// folder with an empty npm cache and no network, the pre-commit hook's entry on the files of a commit, and the
// GitHub Action's step script with the action's inputs.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'server', 'out', 'cli.js');

const work = mkdtempSync(join(tmpdir(), 'flux-azure-ci-'));
after(() => rmSync(work, { recursive: true, force: true }));
/** A fleet repository of the user's: a copy of examples/. */
const fleet = join(work, 'fleet');
cpSync(join(REPO, 'examples'), fleet, { recursive: true });

/** What the CLI of this build reports on the fleet (the reference every integration must reproduce). */
function direct(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: fleet, encoding: 'utf8' });
}

const load = async <T>(...path: string[]): Promise<T> => (await import(pathToFileURL(join(REPO, ...path)).href)) as T;

/** The toolchain's Node and npm-cli.js. */
let npm: [string, string];
before(async () => {
  const { ensureToolchain, npmCommand } = await load<{
    ensureToolchain(): unknown;
    npmCommand(t: unknown): [string, string];
  }>('scripts', 'lib', 'toolchain.mjs');
  npm = npmCommand(ensureToolchain());
});

/** `npm run pack:cli`'s tarball of this build (packed once). */
let packed: string | undefined;
async function cliTarball(): Promise<string> {
  const { packCli } = await load<{ packCli(o: { outDir: string; build: boolean }): string }>('scripts', 'pack-cli.mjs');
  packed ??= packCli({ outDir: join(work, 'pkg'), build: false });
  return packed;
}

test('npx runs the packed CLI package offline from a temporary folder, with the findings of the CLI', async () => {
  const tarball = await cliTarball();
  const tar = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  const manifest = JSON.parse(tar.stdout) as Record<string, unknown>;
  assert.deepEqual(manifest.bin, { 'flux-azure-check': 'cli.js' });
  assert.equal(manifest.dependencies, undefined, "the CLI package pulls none of the extension's dependencies");
  const listed = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
  assert.ok(listed.includes('package/cliAzure.js'), 'the package carries the Azure bundle `--azure` loads');
  const [node, npmCli] = npm;
  const cache = join(work, 'empty-npm-cache');
  const r = spawnSync(
    node,
    [npmCli, 'exec', '--yes', '--offline', `--cache=${cache}`, `--package=${tarball}`, '--', 'flux-azure-check', '.'],
    { cwd: fleet, encoding: 'utf8', env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' } },
  );
  const expected = direct('.');
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, expected.stdout);
  assert.equal(r.stdout.trim().split('\n').length, 8, 'the eight deliberate mistakes of the fleet');
});

test("the pre-commit hook's entry on a commit's YAML files reports their findings, judged with the whole fleet", () => {
  const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    types: string[];
    require_serial: boolean;
  }[];
  const hook = hooks.find((h) => h.id === 'flux-azure-check');
  assert.ok(hook);
  assert.equal(hook.language, 'node');
  assert.deepEqual(hook.types, ['yaml']);
  assert.equal(hook.require_serial, true, 'one process indexes the repository once');
  const [bin, ...args] = hook.entry.split(' ');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    scripts: Record<string, string>;
  };
  assert.ok(pkg.bin[bin!], `${bin} is a bin of the package pre-commit installs`);
  assert.match(pkg.scripts.prepack ?? '', /scripts\/build\.mjs/, 'npm pack (pre-commit install) builds it first');
  // What pre-commit's `npm pack` of this repository puts in the package (scripts skipped: the build exists here).
  const [node, npmCli] = npm;
  const dry = spawnSync(node, [npmCli, 'pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const packed = (JSON.parse(dry.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  assert.ok(packed.includes(pkg.bin[bin!]!.replace(/^\.\//, '')), 'npm pack ships the bin');
  assert.ok(!packed.some((f) => f.startsWith('client/') || f.startsWith('node_modules/')), packed.join(' '));
  // pre-commit runs the entry in the repository root with the staged files after it.
  const staged = ['infrastructure/storage/staging/fleet-config.yaml', 'apps/staging/kustomization.yaml'];
  const r = direct(...args, ...staged);
  assert.equal(r.status, 1, 'the commit is refused');
  assert.deepEqual(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(0, 3).join(' ')),
    ['infrastructure/storage/staging/fleet-config.yaml:33:23 error flux-azure/object-level-wi-unsupported-version'],
  );
  assert.equal(direct(...args, 'apps/staging/kustomization.yaml').status, 0, 'a clean file passes');
});

test(
  "README's local pre-commit hook (the packed CLI in the fleet repository) refuses a commit with a finding",
  // `npm test` installs Debian's pre-commit first; in CI its absence is a failure, not a skip.
  {
    skip: spawnSync('pre-commit', ['--version']).status === 0 || process.env.CI ? false : 'pre-commit is not installed',
  },
  async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const block = /```yaml\n((?:[ \t]*\n|[ \t]+.*\n)*?)\s*```/g;
    const config = [...readme.matchAll(block)].map((m) => m[1]!).find((y) => /repo: local/.test(y));
    assert.ok(config, 'README shows a `repo: local` pre-commit configuration');
    const hook = (parse(config) as { repos: { hooks: { entry: string }[] }[] }).repos[0]!.hooks[0]!;
    const tarballPath = /--package=(\S+)/.exec(hook.entry)?.[1];
    assert.ok(tarballPath, 'the hook runs a packed CLI');
    const repo = join(work, 'local-hook');
    cpSync(fleet, repo, { recursive: true });
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.ok(tarballPath.endsWith(`-${version}.tgz`), "README's tarball is this version's");
    mkdirSync(dirname(join(repo, tarballPath)), { recursive: true });
    cpSync(await cliTarball(), join(repo, tarballPath));
    writeFileSync(join(repo, '.pre-commit-config.yaml'), config);
    const env = {
      ...process.env,
      HOME: join(work, 'home'),
      PRE_COMMIT_HOME: join(work, 'pre-commit-home'),
      npm_config_cache: join(work, 'hook-npm-cache'),
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      PATH: `${dirname(npm[0])}:${process.env.PATH ?? ''}`,
    };
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8', env });
    git('init', '-q');
    git('add', '.pre-commit-config.yaml', 'tools', 'clusters', 'infrastructure/storage');
    const r = spawnSync('pre-commit', ['run'], { cwd: repo, encoding: 'utf8', env });
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stdout,
      /infrastructure\/storage\/staging\/fleet-config\.yaml:33:23 error flux-azure\/object-level-wi-unsupported-version/,
    );
    assert.doesNotMatch(r.stdout, /apps\//, 'only the staged files are reported');
  },
);

test("the GitHub Action's step script writes the SARIF report and fails on the threshold", () => {
  const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: { run?: string; uses?: string; env?: Record<string, string> }[] };
  };
  assert.equal(action.runs.using, 'composite');
  for (const name of ['paths', 'format', 'fail-on', 'upload-sarif']) assert.ok(action.inputs[name], name);
  const step = action.runs.steps.find((s) => s.run?.includes('scripts/ci/action.mjs'));
  assert.ok(step?.env, 'the check step passes the inputs as INPUT_* variables');
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
  const script = join(REPO, 'scripts', 'ci', 'action.mjs');
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [script], { cwd: fleet, encoding: 'utf8', env: { ...process.env, ...env } });

  const sarifFile = join(work, 'out.sarif');
  const output = join(work, 'github-output');
  const failing = run({
    INPUT_PATHS: 'clusters apps infrastructure',
    INPUT_SARIF_FILE: sarifFile,
    GITHUB_OUTPUT: output,
  });
  assert.equal(failing.status, 1, 'errors fail the step by default');
  assert.equal(failing.stdout, direct('clusters', 'apps', 'infrastructure').stdout, 'the log shows the findings');
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
  assert.equal(sarif.version, '2.1.0');
  const expected = JSON.parse(direct('clusters', 'apps', 'infrastructure', '--format', 'sarif').stdout) as typeof sarif;
  assert.equal(sarif.runs[0]!.results.length, expected.runs[0]!.results.length);
  assert.ok(sarif.runs[0]!.results.length > 0);
  assert.equal(readFileSync(output, 'utf8'), `sarif-file=${sarifFile}\n`);

  const staging = run({ INPUT_PATHS: 'apps/production', INPUT_FAIL_ON: 'never', INPUT_FORMAT: 'json' });
  assert.equal(staging.status, 0, 'fail-on never passes');
  assert.ok(Array.isArray(JSON.parse(staging.stdout)), 'format json in the log');
  assert.equal(run({ INPUT_FAIL_ON: 'sometimes' }).status, 2, 'a bad input is a usage error');
  assert.ok(!existsSync(join(fleet, 'flux-azure.sarif')), 'no SARIF unless asked');
});
