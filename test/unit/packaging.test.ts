// What `npm run package` publishes: vsce packs the built tree exactly as scripts/package.mjs does (without the
// production build, so this runs on the test build), and the .vsix holds exactly the allowed files, a manifest
// without placeholder metadata, and the Marketplace README with every image it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = join(__dirname, '..', '..', '..');

/** Every file the .vsix may carry (vsce's own manifest files included). */
const ALLOWED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/client/out/azure.js',
  'extension/client/out/extension.js',
  'extension/images/azure-view.svg',
  'extension/images/icon.png',
  'extension/images/screenshots/code-actions.png',
  'extension/images/screenshots/readiness.png',
  'extension/package.json',
  'extension/readme.md',
  'extension/schemas/flux-azure.schema.json',
  'extension/server/out/cli.js',
  'extension/server/out/cliAzure.js',
  'extension/server/out/server.js',
  'extension/server/out/session.js',
  'extension/server/out/shell.js',
  'extension/snippets/flux-azure.code-snippets',
  'extension/syntaxes/flux-azure.injection.tmLanguage.json',
  // The walkthrough's steps and the example fleet "Open Example Fleet…" copies.
  'extension/walkthrough/fleet/README.md',
  'extension/walkthrough/fleet/apps/kustomization.yaml',
  'extension/walkthrough/fleet/apps/podinfo.yaml',
  'extension/walkthrough/fleet/clusters/production/apps.yaml',
  'extension/walkthrough/fleet/clusters/production/flux-system/gotk-components.yaml',
  'extension/walkthrough/fleet/clusters/production/flux-system/gotk-sync.yaml',
  'extension/walkthrough/fleet/clusters/production/flux-system/kustomization.yaml',
  'extension/walkthrough/steps/ci.md',
  'extension/walkthrough/steps/controller-patch.md',
  'extension/walkthrough/steps/open-fleet.md',
  'extension/walkthrough/steps/quick-fix.md',
  'extension/walkthrough/steps/readiness.md',
];

interface ZipEntry {
  name: string;
  size: number;
  text(): string;
}
interface PackageScript {
  vsceArgs(out: string): string[];
  zipEntries(file: string): ZipEntry[];
}

let packed: Map<string, ZipEntry> | undefined;
async function vsix(): Promise<Map<string, ZipEntry>> {
  if (packed) return packed;
  const script = (await import(pathToFileURL(join(REPO, 'scripts', 'package.mjs')).href)) as PackageScript;
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-vsix-'));
  try {
    const out = join(dir, 'test.vsix');
    const r = spawnSync(process.execPath, script.vsceArgs(out), { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
    packed = new Map(script.zipEntries(out).map((e) => [e.name, e]));
    return packed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function text(entries: Map<string, ZipEntry>, name: string): string {
  const entry = entries.get(name);
  assert.ok(entry, `${name} is in the .vsix`);
  return entry.text();
}

test('the .vsix holds exactly the allowed files', async () => {
  const names = [...(await vsix()).keys()].sort();
  assert.deepEqual(names, [...ALLOWED].sort());
});

test('the packaged manifest has no placeholder metadata and says Flux CD on Azure', async () => {
  const manifest = JSON.parse(text(await vsix(), 'extension/package.json')) as Record<string, unknown>;
  const raw = JSON.stringify(manifest);
  assert.doesNotMatch(raw, /example\.(invalid|com|org)|TODO|lorem/i, 'no placeholder URL or text');
  for (const field of ['repository', 'homepage', 'bugs']) {
    assert.equal(manifest[field], undefined, `no ${field}: the project has no public home to link to`);
  }
  assert.equal(manifest.qna, false, 'no Q&A link to a place that does not exist');
  assert.match(String(manifest.displayName), /Flux CD/);
  assert.match(String(manifest.description), /Flux CD/);
  assert.match(String(manifest.description), /InfluxDB/, 'says it is not the InfluxDB Flux language');
  const keywords = manifest.keywords as string[];
  for (const k of ['fluxcd', 'gitops', 'azure', 'workload identity']) assert.ok(keywords.includes(k), k);
  assert.ok(!keywords.includes('flux'), 'no bare "flux" keyword (InfluxDB Flux owns that search)');
  assert.ok(keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  const banner = manifest.galleryBanner as { color?: string; theme?: string };
  assert.match(String(banner?.color), /^#[0-9a-f]{6}$/i);
  assert.ok(banner.theme === 'dark' || banner.theme === 'light');
});

test('the Marketplace README is the page, and every image it shows is inside the .vsix', async () => {
  const entries = await vsix();
  const readme = text(entries, 'extension/readme.md');
  assert.match(readme, /Flux CD/);
  assert.doesNotMatch(readme, /npm run try/, 'not the developer README');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  for (const src of images) {
    assert.doesNotMatch(src, /^[a-z]+:/i, `${src}: relative, so it resolves without a public URL`);
    assert.ok(entries.has(`extension/${src}`), `${src} is in the .vsix`);
  }
  assert.match(text(entries, 'extension/changelog.md'), /^## \[Unreleased\]/m, 'Keep a Changelog sections');
});

test("the walkthrough's step pages and the example fleet's files ship in the .vsix", async () => {
  const entries = await vsix();
  const manifest = JSON.parse(text(entries, 'extension/package.json')) as {
    contributes: { walkthroughs: { steps: { media: { markdown?: string; image?: string } }[] }[] };
  };
  const media = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? s.media.image));
  assert.ok(media.length >= 5, 'a step per part of the walkthrough');
  for (const path of media) assert.ok(entries.has(`extension/${path}`), `${path} is in the .vsix`);
  assert.ok(entries.has('extension/walkthrough/fleet/apps/podinfo.yaml'), 'the file of the deliberate mistake');
});
