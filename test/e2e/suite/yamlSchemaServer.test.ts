// `fluxAzure.yamlSchemaServer` in a real VS Code, as a user meets it: `auto` (the default) decided from the
// extensions this VS Code really reports, `on` (what `auto` means beside Red Hat's YAML extension) hovering only where
// Azure adds meaning and leaving the schema's enum values to the other server, `off` explaining every field.
// Red Hat's YAML extension itself is not installed here (it cannot be had offline): `auto` with it present is
// covered by the decision's unit test (test/unit/yamlSchemaServer.test.ts) and by `on`, what it resolves to.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, hoverText, runningExtension, waitFor } from '../helpers';

const OCI = [
  'apiVersion: source.toolkit.fluxcd.io/v1',
  'kind: OCIRepository',
  'metadata:',
  '  name: app',
  '  namespace: flux-system',
  'spec:',
  '  interval: 5m',
  '  url: oci://contosofleet.azurecr.io/app',
  '  provider: ',
  '',
].join('\n');
const INTERVAL = new vscode.Position(6, 4);
const PROVIDER_KEY = new vscode.Position(8, 4);
const PROVIDER_VALUE = new vscode.Position(8, 12);

let document: vscode.TextDocument;

async function hover(position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    position,
  );
  return hoverText(hovers ?? []);
}

/** The `provider` values offered (our enum values; VS Code's word-based suggestions left out). */
async function providerValues(): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    PROVIDER_VALUE,
  );
  return list.items
    .filter((i) => i.kind === vscode.CompletionItemKind.EnumMember)
    .map((i) => (typeof i.label === 'string' ? i.label : i.label.label))
    .sort();
}

async function setMode(value: 'auto' | 'on' | 'off' | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('fluxAzure')
    .update('yamlSchemaServer', value, vscode.ConfigurationTarget.Global);
}

/** Waits until our server answers as a mode says: every field explained (alone) or only the Azure ones (beside). */
async function expectAnswers(mode: 'alone' | 'beside'): Promise<void> {
  await waitFor(
    `hovers and completions as ${mode === 'alone' ? 'the only YAML server' : 'beside a schema server'}`,
    async () => {
      const interval = await hover(INTERVAL);
      const values = await providerValues();
      if (mode === 'alone') return /interval/i.test(interval) && values.includes('azure') ? true : undefined;
      return interval === '' && !values.includes('azure') ? true : undefined;
    },
  );
  // Either way the Azure meaning of spec.provider stays ours.
  assert.match(await hover(PROVIDER_KEY), /AcrPull/);
}

describe('fluxAzure.yamlSchemaServer (auto / on / off) in a real VS Code', () => {
  before(async function () {
    this.timeout(60_000);
    await runningExtension();
    await setMode(undefined);
    document = await vscode.workspace.openTextDocument({ language: 'yaml', content: OCI });
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await setMode(undefined);
    await closeAll();
  });

  it('auto (the default) without Red Hat YAML among the installed extensions: every field explained', async function () {
    this.timeout(60_000);
    const setting = vscode.workspace.getConfiguration('fluxAzure').inspect<string>('yamlSchemaServer');
    assert.equal(setting?.defaultValue, 'auto');
    assert.equal(setting?.globalValue, undefined);
    // The decision's input, as this VS Code reports it: no extension with Red Hat YAML's id.
    const ids = vscode.extensions.all.map((e) => e.id.toLowerCase());
    assert.ok(ids.length > 10, `VS Code lists its extensions (${ids.length})`);
    assert.ok(!ids.includes('redhat.vscode-yaml'), 'Red Hat YAML is not installed in this VS Code');
    await expectAnswers('alone');
  });

  it('on: generic hovers and enum values left to the schema server, the Azure hover kept', async function () {
    this.timeout(60_000);
    await setMode('on');
    await expectAnswers('beside');
  });

  it('off, then auto again: every field explained again', async function () {
    this.timeout(60_000);
    await setMode('off');
    await expectAnswers('alone');
    await setMode('on');
    await expectAnswers('beside');
    await setMode('auto');
    await expectAnswers('alone');
  });
});
