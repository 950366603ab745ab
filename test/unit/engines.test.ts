// Engines that agree: the oldest VS Code package.json admits must carry a Node.js that every package the .vsix
// bundles supports (taken from esbuild's metafiles, transitive packages included), and the development toolchain's
// Node must satisfy every installed package (no EBADENGINE from `npm ci`). The VS Code -> Node table lives in
// scripts/vscode-node.json, nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';

const REPO = join(__dirname, '..', '..', '..');

interface Release {
  vscode: string;
  electron: string;
  node: string;
}
interface Manifest {
  engines: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface Metafile {
  inputs: Record<string, unknown>;
}
interface EngineProblem {
  pkg: string;
  requires: string;
  bundle: string;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
const table = JSON.parse(readFileSync(join(REPO, 'scripts', 'vscode-node.json'), 'utf8')) as {
  sources: string[];
  releases: Release[];
};

function oldestVscode(): semver.SemVer {
  const min = semver.minVersion(manifest.engines.vscode);
  assert.ok(min, `engines.vscode ${manifest.engines.vscode} is not a range`);
  return min;
}

function releaseRow(version: semver.SemVer): Release | undefined {
  return table.releases.find((r) => r.vscode === `${version.major}.${version.minor}`);
}

/** The package directory (relative to `base`) an esbuild input path belongs to, or undefined for our own sources. */
function packageDirOf(input: string): string | undefined {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  return `${input.slice(0, at)}node_modules/${name}`;
}

/**
 * Every package the metafiles in `metaDir` took code from, with its engines, checked against `node` (and the
 * `vscode` engine against `vscode`). Returns the packages looked at and those that do not fit.
 */
function checkBundledEngines(
  base: string,
  metaDir: string,
  node: string,
  vscode: semver.SemVer,
): { packages: Map<string, string>; problems: EngineProblem[] } {
  const packages = new Map<string, string>();
  const problems: EngineProblem[] = [];
  for (const file of readdirSync(metaDir).filter((f) => f.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(metaDir, file), 'utf8')) as Metafile;
    const dirs = new Set(
      Object.keys(meta.inputs)
        .map(packageDirOf)
        .filter((d): d is string => d !== undefined),
    );
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(join(base, dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        engines?: Record<string, string>;
      };
      const id = `${pkg.name}@${pkg.version}`;
      packages.set(id, pkg.engines?.node ?? '*');
      const nodeRange = pkg.engines?.node;
      if (nodeRange && !semver.satisfies(node, nodeRange, { includePrerelease: true })) {
        problems.push({ pkg: id, requires: `node ${nodeRange}`, bundle: file });
      }
      const vscodeRange = pkg.engines?.vscode;
      if (vscodeRange && !semver.satisfies(vscode, vscodeRange)) {
        problems.push({ pkg: id, requires: `vscode ${vscodeRange}`, bundle: file });
      }
    }
  }
  return { packages, problems };
}

test('engines.vscode names a VS Code listed in scripts/vscode-node.json, with its sources', () => {
  assert.ok(table.sources.length > 0);
  const row = releaseRow(oldestVscode());
  assert.ok(row, `no row for VS Code ${oldestVscode().format()} in scripts/vscode-node.json`);
  assert.ok(semver.valid(row.node), `node ${row.node} is not a version`);
  // Our own engines.node (the CLI's Node) admits the Node our bundles run on inside that VS Code.
  assert.ok(
    semver.satisfies(row.node, manifest.engines.node!),
    `engines.node ${manifest.engines.node} excludes VS Code ${row.vscode}'s Node ${row.node}`,
  );
});

test('every package the .vsix bundles runs on the Node.js of the oldest VS Code engines.vscode admits', () => {
  const vscode = oldestVscode();
  const row = releaseRow(vscode)!;
  const { packages, problems } = checkBundledEngines(REPO, join(REPO, 'build', 'meta'), row.node, vscode);
  // The metafiles were read: the Azure SDK (devDependencies, bundled into client/out/azure.js) and the protocol
  // libraries are among the packages checked.
  const names = [...packages.keys()].map((id) => id.replace(/@[^@]+$/, ''));
  for (const expected of ['@azure/identity', '@azure/arm-authorization', 'vscode-languageclient', 'yaml']) {
    assert.ok(names.includes(expected), `${expected} missing from build/meta (${names.join(', ')})`);
  }
  assert.deepEqual(
    problems,
    [],
    `VS Code ${vscode.format()} runs Node ${row.node}; raise engines.vscode or pin older packages`,
  );
});

test('the engines check reports a bundled package that needs a newer Node or VS Code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-engines-'));
  try {
    for (const [name, engines] of [
      ['@scope/needs-new-node', { node: '>=24.0.0' }],
      ['fine', { node: '>=18' }],
      ['needs-new-vscode', { vscode: '^1.200.0' }],
    ] as const) {
      mkdirSync(join(dir, 'node_modules', name, 'lib'), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version: '1.0.0', engines }),
      );
    }
    mkdirSync(join(dir, 'meta'));
    const inputs = {
      'src/own.ts': {},
      'node_modules/@scope/needs-new-node/lib/a.js': {},
      'node_modules/fine/lib/index.js': {},
      'node_modules/fine/node_modules/needs-new-vscode/lib/x.js': {},
    };
    mkdirSync(join(dir, 'node_modules', 'fine', 'node_modules', 'needs-new-vscode'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'fine', 'node_modules', 'needs-new-vscode', 'package.json'),
      JSON.stringify({ name: 'needs-new-vscode', version: '2.0.0', engines: { vscode: '^1.200.0' } }),
    );
    writeFileSync(join(dir, 'meta', 'bundle.json'), JSON.stringify({ inputs }));
    const { packages, problems } = checkBundledEngines(dir, join(dir, 'meta'), '22.15.1', semver.parse('1.101.0')!);
    assert.deepEqual([...packages.keys()].sort(), [
      '@scope/needs-new-node@1.0.0',
      'fine@1.0.0',
      'needs-new-vscode@2.0.0',
    ]);
    assert.deepEqual(problems, [
      { pkg: '@scope/needs-new-node@1.0.0', requires: 'node >=24.0.0', bundle: 'bundle.json' },
      { pkg: 'needs-new-vscode@2.0.0', requires: 'vscode ^1.200.0', bundle: 'bundle.json' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('engines.vscode is at most the VS Code of the test code-server, and @types/vscode follows it', async () => {
  const ensure = (await import(pathToFileURL(join(REPO, 'scripts', 'ensure-vscode.mjs')).href)) as {
    VSCODE_VERSION: string;
  };
  const oldest = oldestVscode();
  assert.ok(
    semver.lte(oldest, ensure.VSCODE_VERSION),
    `engines.vscode ${manifest.engines.vscode} is newer than the tested VS Code ${ensure.VSCODE_VERSION}`,
  );
  const types = semver.minVersion(manifest.devDependencies['@types/vscode']!)!;
  assert.equal(
    `${types.major}.${types.minor}`,
    `${oldest.major}.${oldest.minor}`,
    '@types/vscode must follow engines.vscode',
  );
});

test('the development toolchain Node satisfies every installed package (npm ci prints no EBADENGINE)', async () => {
  const toolchain = (await import(pathToFileURL(join(REPO, 'scripts', 'lib', 'toolchain.mjs')).href)) as {
    NODE_VERSION: string;
  };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: Record<string, string> | string[]; optional?: boolean }>;
  };
  const unfit: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!path || !range) continue;
    checked++;
    if (!semver.satisfies(toolchain.NODE_VERSION, range, { includePrerelease: true })) {
      unfit.push(`${path}@${entry.version} needs node ${range}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} packages with engines.node in package-lock.json`);
  assert.deepEqual(unfit, [], `Node ${toolchain.NODE_VERSION} (scripts/lib/toolchain.mjs)`);
});
