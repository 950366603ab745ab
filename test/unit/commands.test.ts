// The commands package.json contributes: each is one the extension registers, and each can be run by name from the
// command palette (a keyboard user's way to everything the menus and tree rows offer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, PatchCommands } from '../../shared/src/protocol';

const REPO = join(__dirname, '..', '..', '..');

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
    walkthroughs?: { steps: { description: string }[] }[];
  };
}
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands;

/**
 * Context keys a palette entry may depend on: states a user reaches on purpose (a YAML editor, one of the
 * Flux on Azure views open). A key such as `false`, or one only a tree row sets, hides the command for good.
 */
const REACHABLE = [/^editorLangId == yaml$/, /^view\.fluxAzure\.(access|readiness)\.visible$/];

test('every contributed command is one the extension registers (shared/src/protocol.ts), and vice versa', () => {
  const registered = [...Object.values(Commands), ...Object.values(PatchCommands)].sort();
  assert.deepEqual(contributed.map((c) => c.command).sort(), registered);
  for (const c of contributed) {
    assert.equal(c.category, 'Flux for Azure', `${c.command}: the palette groups it under Flux for Azure`);
    assert.ok(c.title.length > 3, c.command);
  }
});

test('every command can be run from the command palette; item commands while a Flux on Azure view is open', () => {
  const palette = manifest.contributes.menus.commandPalette ?? [];
  const known = new Set(contributed.map((c) => c.command));
  for (const entry of palette) {
    assert.ok(known.has(entry.command), `${entry.command} is a contributed command`);
    const when = entry.when ?? 'true';
    for (const term of when.split('||').map((t) => t.trim()))
      assert.ok(
        REACHABLE.some((re) => re.test(term)),
        `${entry.command}: "${term}" would keep it out of the command palette`,
      );
  }
  // Whatever a tree row's context menu offers, the palette offers too (acting on the row last selected).
  const rowCommands = new Set((manifest.contributes.menus['view/item/context'] ?? []).map((m) => m.command));
  for (const command of rowCommands)
    assert.ok(
      palette.some((p) => p.command === command && /view\.fluxAzure\./.test(p.when ?? '')),
      `${command}: offered in the palette while the views are open`,
    );
});

test('every command a welcome view or walkthrough links to is a contributed command', () => {
  const texts = [
    ...(manifest.contributes.viewsWelcome ?? []).map((w) => w.contents),
    ...(manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.description)),
  ];
  assert.ok(texts.length > 0, 'there is welcome content');
  const views = Object.values(
    (manifest.contributes as unknown as { views: Record<string, { id: string }[]> }).views,
  ).flat();
  const known = new Set([...contributed.map((c) => c.command), ...views.map((v) => `${v.id}.focus`)]);
  const linked = texts.flatMap((t) => [...t.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!));
  assert.ok(linked.length > 0);
  for (const id of linked)
    assert.ok(known.has(id) || /^workbench\.|^vscode\./.test(id), `${id}: a command that exists`);
});
