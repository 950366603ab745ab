import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseAllDocuments, parse } from 'yaml';
import { PatchCommands, type PatchCommandArgs } from '../../../shared/src/protocol';
import type { PatchCommandResult } from '../../../client/src/patchCommands';
import { closeAll, fluxInstanceYaml, problems, runningExtension, waitFor } from '../helpers';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';
const BARE = [
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '  - gotk-components.yaml',
  '  - gotk-sync.yaml',
  '',
].join('\n');

let untitledCount = 0;

/**
 * A new untitled YAML document with `content`. Each gets its own name: a reused `Untitled-1` could hand back the
 * previous test's document while it is being closed.
 */
async function untitled(content: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.parse(`untitled:flux-azure-patch-${process.pid}-${++untitledCount}.yaml`);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((edit) => {
    if (content.includes('\r\n')) edit.setEndOfLine(vscode.EndOfLine.CRLF);
    edit.insert(new vscode.Position(0, 0), content);
  });
  assert.equal(document.languageId, 'yaml');
  return document;
}

async function run(command: string, args: PatchCommandArgs): Promise<PatchCommandResult | undefined> {
  return vscode.commands.executeCommand<PatchCommandResult | undefined>(command, { quiet: true, ...args });
}

function assertParses(text: string): void {
  for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], 'the result is valid YAML');
}

const ACTIONS: { command: string; args: PatchCommandArgs; expect: RegExp }[] = [
  {
    command: PatchCommands.aksWorkloadIdentity,
    args: { controllers: ['source-controller', 'image-reflector-controller'], clientId: CLIENT, tenantId: TENANT },
    expect: /azure\.workload\.identity\/use: "true"/,
  },
  {
    command: PatchCommands.nonAksWorkloadIdentity,
    args: { controllers: ['kustomize-controller'], clientId: CLIENT, tenantId: TENANT, cloud: 'china' },
    expect: /https:\/\/login\.chinacloudapi\.cn\/[\s\S]*audience: api:\/\/AzureADTokenExchange/,
  },
  {
    command: PatchCommands.appCertificate,
    args: {
      controllers: ['source-controller', 'notification-controller'],
      clientId: CLIENT,
      tenantId: TENANT,
      certSecretName: 'flux-app-cert',
      withKeyPassword: true,
      sendCertificateChain: true,
    },
    expect: /secretName: flux-app-cert[\s\S]*key: key-password/,
  },
  {
    command: PatchCommands.objectLevelWorkloadIdentity,
    args: { controllers: ['source-controller', 'kustomize-controller'] },
    expect: /--feature-gates=ObjectLevelWorkloadIdentity=true/,
  },
  {
    command: PatchCommands.lockdown,
    args: {
      controllers: ['source-controller', 'kustomize-controller'],
      serviceAccount: 'tenant',
      decryptionServiceAccount: 'sops',
    },
    expect: /--default-service-account=tenant[\s\S]*--default-decryption-service-account=sops/,
  },
];

describe('controller patch actions in a real VS Code', () => {
  before(runningExtension);
  afterEach(closeAll);

  it('offers the patch actions as refactorings in a flux-system kustomization.yaml', async () => {
    const [uri] = await vscode.workspace.findFiles('**/flux-system/kustomization.yaml', '**/node_modules/**', 1);
    assert.ok(uri, 'the examples have a flux-system kustomization.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const commands = await waitFor('our refactorings', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(6, 0, 6, 0),
        vscode.CodeActionKind.RefactorRewrite.value,
      );
      const ours = (actions ?? []).filter((a) => a.command?.command.startsWith('fluxAzure.'));
      return ours.length > 0 ? ours.map((a) => a.command!.command) : undefined;
    });
    for (const id of [PatchCommands.aksWorkloadIdentity, PatchCommands.objectLevelWorkloadIdentity])
      assert.ok(commands.includes(id), `${id} is offered`);
  });

  it('offers the gate on a Flux object whose ServiceAccount needs it', async () => {
    const files = await vscode.workspace.findFiles('apps/production/image-automation.yaml', undefined, 1);
    assert.ok(files[0], 'examples/apps/production/image-automation.yaml exists');
    const document = await vscode.workspace.openTextDocument(files[0]);
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('serviceAccountName: podinfo-source'));
    const actions = await waitFor('the gate refactoring', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        new vscode.Range(line, 4, line, 4),
        vscode.CodeActionKind.RefactorRewrite.value,
      );
      const ours = (all ?? []).filter((a) => a.command?.command === PatchCommands.objectLevelWorkloadIdentity);
      return ours.length > 0 ? ours : undefined;
    });
    const args = actions[0]!.command!.arguments![0] as PatchCommandArgs;
    assert.deepEqual(args.preselect, ['image-reflector-controller']);
  });

  for (const { command, args, expect } of ACTIONS) {
    it(`${command} edits a kustomization.yaml into YAML our server accepts, and twice changes nothing`, async () => {
      const document = await untitled(BARE);
      const first = await run(command, { uri: document.uri.toString(), ...args });
      assert.equal(first?.error, undefined, first?.error);
      assert.equal(first?.applied, true, `applied: ${JSON.stringify(first)}`);
      const text = document.getText();
      assert.ok(text.startsWith(BARE), 'the original text is kept');
      assert.match(text, expect);
      assertParses(text);
      assert.deepEqual(await problems(document), []);
      const second = await run(command, { uri: document.uri.toString(), ...args });
      assert.equal(second?.applied, false, 'nothing left to change');
      assert.equal(document.getText(), text, 'idempotent');
    });
  }

  it('extends an existing target regex instead of adding a second patch, keeping comments', async () => {
    const [uri] = await vscode.workspace.findFiles('clusters/production/flux-system/kustomization.yaml', undefined, 1);
    const original = Buffer.from(await vscode.workspace.fs.readFile(uri!)).toString('utf8');
    const document = await untitled(original);
    const before = (parse(original) as { patches: unknown[] }).patches.length;
    const result = await run(PatchCommands.aksWorkloadIdentity, {
      uri: document.uri.toString(),
      controllers: ['notification-controller'],
      clientId: '9a93935d-67a2-478c-94e4-41e9199e7e43',
      tenantId: '437100c6-90c1-4b18-9071-f6d664f91f2f',
    });
    assert.equal(result?.applied, true, JSON.stringify(result));
    const text = document.getText();
    assert.equal((parse(text) as { patches: unknown[] }).patches.length, before, 'no new patch');
    assert.equal(text.split('(source-controller|image-reflector-controller|notification-controller)').length - 1, 2);
    for (const comment of original.split('\n').filter((l) => l.trim().startsWith('#')))
      assert.ok(text.includes(comment));
  });

  it('keeps CRLF line endings', async () => {
    const document = await untitled(BARE.replace(/\n/g, '\r\n'));
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    const result = await run(PatchCommands.objectLevelWorkloadIdentity, {
      uri: document.uri.toString(),
      controllers: ['source-controller'],
    });
    assert.equal(result?.applied, true, JSON.stringify(result));
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    assert.match(document.getText(), /\r\npatches:\r\n {2}- patch: \|\r\n/);
  });

  it('sets the FluxInstance field instead of a gate patch, and puts identity patches in spec.kustomize.patches', async () => {
    const document = await untitled(fluxInstanceYaml({ type: 'azure' }));
    const gate = await run(PatchCommands.objectLevelWorkloadIdentity, { uri: document.uri.toString() });
    assert.equal(gate?.applied, true, JSON.stringify(gate));
    const identity = await run(PatchCommands.aksWorkloadIdentity, {
      uri: document.uri.toString(),
      controllers: ['source-controller'],
      clientId: CLIENT,
      tenantId: TENANT,
    });
    assert.equal(identity?.applied, true, JSON.stringify(identity));
    const text = document.getText();
    assertParses(text);
    const spec = (parse(text) as { spec: { cluster: Record<string, unknown>; kustomize: { patches: unknown[] } } })
      .spec;
    assert.equal(spec.cluster.objectLevelWorkloadIdentity, true);
    assert.equal(spec.kustomize.patches.length, 2);
    assert.deepEqual(await problems(document), []);
  });

  it('creates kustomization.yaml next to a gotk-components.yaml that has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-azure-e2e-'));
    try {
      mkdirSync(join(dir, 'flux-system'));
      const components = join(dir, 'flux-system', 'gotk-components.yaml');
      writeFileSync(
        components,
        '# Flux Version: v2.7.0\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
      );
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(components));
      await vscode.window.showTextDocument(document);
      const result = await run(PatchCommands.objectLevelWorkloadIdentity, {
        uri: document.uri.toString(),
        controllers: ['source-controller'],
      });
      assert.equal(result?.applied, true, JSON.stringify(result));
      const created = vscode.Uri.file(join(dir, 'flux-system', 'kustomization.yaml'));
      assert.equal(result?.uri, created.toString());
      const kustomization = await vscode.workspace.openTextDocument(created);
      const parsed = parse(kustomization.getText()) as { resources: string[]; patches: unknown[] };
      assert.deepEqual(parsed.resources, ['gotk-components.yaml']);
      assert.equal(parsed.patches.length, 1);
      await kustomization.save();
      assert.ok(existsSync(created.fsPath));
    } finally {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a client ID that is not a GUID, with the reason', async () => {
    const document = await untitled(BARE);
    const result = await run(PatchCommands.aksWorkloadIdentity, {
      uri: document.uri.toString(),
      controllers: ['source-controller'],
      clientId: 'CLIENT_ID',
      tenantId: TENANT,
    });
    assert.match(result?.error ?? '', /not a GUID/);
    assert.equal(document.getText(), BARE);
  });
});
