// Credentials never leak out of the real extension in a real VS Code, with `fluxAzure.trace.server: verbose`: the
// Azure views load from the local ARM / Entra stand-in with a client secret, then a client certificate, whose values
// (and every token the stand-in issues) carry LEAK_MARKER; servers echo the request's Authorization header back; a
// wrong secret makes sign-in fail. Nothing written to the "Flux for Azure" output channel (the Azure log lines and
// the language client's verbose trace), no notification, no console line of the extension host and no tree item
// (label, description, tooltip) may contain the marker, the secret or a line of the certificate's private key.
import * as assert from 'node:assert/strict';
import { format } from 'node:util';
import * as vscode from 'vscode';
import type { AzureNode } from '../../../client/src/views/azureNodes';
import type { AzureController } from '../../../client/src/views/azureViews';
import { startStandIn, type StandIn } from '../../azure/standIn';
import { LEAK_MARKER, OPERATOR, SUB_PROD, SUB_STAGING } from '../../azure/world';
import { AZURE_SETTINGS, resetAzureSettings, useStandInCloud } from '../azureSettings';
import { extension } from '../helpers';

let standIn: StandIn;
let azure: AzureController;
const seen: { where: string; text: string }[] = [];
const restore: (() => void)[] = [];

/** Replaces `obj[key]` (a function) with one that records its arguments, then calls the original. */
function record<T extends object>(obj: T, key: keyof T & string, where: string): void {
  const original = obj[key] as unknown as (...args: unknown[]) => unknown;
  try {
    (obj as Record<string, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      seen.push({ where, text: args.map((a) => (typeof a === 'string' ? a : format(a))).join(' ') });
      return original.apply(this, args);
    };
    restore.push(() => ((obj as Record<string, unknown>)[key] = original));
  } catch {
    console.warn(`cannot watch ${where}`);
  }
}

function text(provider: vscode.TreeDataProvider<AzureNode>, node: AzureNode): string {
  const item = provider.getTreeItem(node) as vscode.TreeItem;
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return [label, item.description ?? '', tooltip].join('\n');
}

/** Every item of both views (as the workbench asks for them), recorded; the items' texts, for assertions. */
async function showTrees(where: string): Promise<string[]> {
  const texts: string[] = [];
  for (const provider of [azure.access, azure.readiness]) {
    const visit = async (node: AzureNode | undefined) => {
      for (const child of (await provider.getChildren(node)) ?? []) {
        const t = text(provider, child);
        texts.push(t.replace(/\n.*/s, '') + ' — ' + t.split('\n')[1]);
        seen.push({ where: `${where}: tree item`, text: t });
        await visit(child);
      }
    };
    await visit(undefined);
  }
  return texts;
}

function assertNoLeaks(): void {
  for (const { where, text: t } of seen.splice(0)) {
    const key = standIn.clientKeyLines.find((line) => t.includes(line.slice(8, 48)));
    assert.ok(!t.includes(LEAK_MARKER), `${LEAK_MARKER} in ${where}: ${t.slice(0, 400)}`);
    assert.ok(!t.includes(OPERATOR.secret), `the client secret in ${where}`);
    assert.equal(key, undefined, `a line of the client key in ${where}`);
  }
}

/** A new session (new credential from the environment): the settings change, as a user's edit would. */
async function newSession(portal: string): Promise<void> {
  await vscode.workspace
    .getConfiguration(AZURE_SETTINGS)
    .update('customCloud.portalUrl', portal, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('fluxAzure.azure.refresh');
}

const ASSIGNMENTS_OF = (sub: string) =>
  new RegExp(`^/subscriptions/${sub}/providers/Microsoft\\.Authorization/roleAssignments$`);

describe('No credential leaks from the Azure views in a real VS Code (trace verbose)', () => {
  before(async function () {
    this.timeout(120_000);
    standIn = await startStandIn();
    const ext = extension();
    const api = ext.isActive ? ext.exports : await ext.activate();
    azure = api.azure;
    // Everything the extension writes to its output channel (Azure log lines, language client trace).
    for (const key of ['append', 'appendLine', 'replace'] as const) record(api.output, key, `output channel ${key}`);
    for (const key of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const)
      record(vscode.window, key, `notification ${key}`);
    for (const key of ['log', 'info', 'warn', 'error', 'debug'] as const) record(console, key, `console.${key}`);
    const global = vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('fluxAzure').update('trace.server', 'verbose', global);
    await useStandInCloud(standIn);
    await vscode.commands.executeCommand('workbench.view.extension.fluxAzure');
    await vscode.commands.executeCommand('fluxAzure.azure.refresh');
  });

  afterEach(() => {
    standIn.clearFaults();
  });

  after(async () => {
    for (const undo of restore.splice(0).reverse()) undo();
    const global = vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('fluxAzure').update('trace.server', undefined, global);
    await resetAzureSettings();
    await standIn?.stop();
  });

  it('client secret: healthy trees and echoing servers show no credential', async () => {
    const healthy = await showTrees('secret, healthy');
    assert.ok(
      healthy.some((t) => /^Contoso Fleet Production — 4 role assignments/.test(t)),
      healthy.join('\n'),
    );
    standIn.fault(ASSIGNMENTS_OF(SUB_PROD), { kind: 'echoAuthorization', status: 500 });
    standIn.fault(ASSIGNMENTS_OF(SUB_STAGING), { kind: 'echoAuthorization', status: 502, html: true });
    // Errors that are not retried (4xx) where many requests go, so the test stays short.
    standIn.fault(/^\/subscriptions\/[^/]+\/resources$/, { kind: 'echoAuthorization', status: 400, html: true });
    standIn.fault(/\/userAssignedIdentities$/, { kind: 'echoAuthorization', status: 400 });
    await vscode.commands.executeCommand('fluxAzure.azure.refresh');
    const echoed = await showTrees('secret, echoing servers');
    assert.ok(
      echoed.some((t) => /^Contoso Fleet Production — Azure answered 500 GatewayError: .*\[redacted\]/.test(t)),
      echoed.join('\n'),
    );
    assert.ok(seen.some((s) => s.where.startsWith('output channel') && /\[azure\] GET \/tenants/.test(s.text)));
    assert.ok(
      seen.some((s) => s.where.startsWith('output channel') && /fluxAzure\/integrations/.test(s.text)),
      'the language client traces its requests',
    );
    assertNoLeaks();
  });

  it('a wrong secret: sign-in fails with a notification that does not quote it', async () => {
    process.env.AZURE_CLIENT_SECRET = `wrong-${LEAK_MARKER}-secret-value`;
    await newSession('https://portal.contoso-private.test/wrong-secret');
    await vscode.commands.executeCommand('fluxAzure.azure.signIn');
    const shown = seen.filter((s) => s.where === 'notification showErrorMessage').map((s) => s.text);
    assert.ok(
      shown.some((t) => /sign-in failed: AADSTS7000215/.test(t)),
      shown.join('\n') || 'no error shown',
    );
    const texts = await showTrees('wrong secret');
    assert.ok(
      texts.some((t) => /^Sign in to Azure… — AADSTS7000215/.test(t)),
      texts.join('\n'),
    );
    assertNoLeaks();
  });

  it('client certificate: healthy trees and echoing servers show no credential', async () => {
    delete process.env.AZURE_CLIENT_SECRET;
    process.env.AZURE_CLIENT_CERTIFICATE_PATH = standIn.clientCertificateFile;
    await newSession('https://portal.contoso-private.test/certificate');
    const healthy = await showTrees('certificate, healthy');
    assert.ok(
      healthy.some((t) => /^Contoso Fleet Production — 4 role assignments/.test(t)),
      healthy.join('\n'),
    );
    standIn.fault(/^\/tenants$/, { kind: 'echoAuthorization', status: 403, html: true });
    await vscode.commands.executeCommand('fluxAzure.azure.refresh');
    const echoed = await showTrees('certificate, echoing tenant list');
    assert.ok(
      echoed.some((t) => /^No permission \(403\): 403 Forbidden .*Authorization: \[redacted\]/.test(t)),
      echoed.join('\n'),
    );
    assertNoLeaks();
  });
});
