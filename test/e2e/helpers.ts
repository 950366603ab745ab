import * as vscode from 'vscode';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { FluxAzureContext } from '../../client/src/context';

export const EXTENSION_ID = 'flux-azure-tools.flux-azure';

export function extension(): vscode.Extension<FluxAzureContext> {
  const ext = vscode.extensions.getExtension<FluxAzureContext>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** The extension, activated, once its language client runs. */
export async function runningExtension(): Promise<FluxAzureContext> {
  const ext = extension();
  const api = ext.isActive ? ext.exports : await ext.activate();
  await waitFor('the language client', async () => (api.client?.isRunning() ? true : undefined));
  return api;
}

/** A Flux Operator FluxInstance (Flux 2.7 from ghcr.io/fluxcd) with the given `spec.cluster`, as YAML text. */
export function fluxInstanceYaml(cluster: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
    metadata: { name: 'flux', namespace: 'flux-system' },
    spec: { distribution: { version: '2.7.x', registry: 'ghcr.io/fluxcd' }, cluster },
  });
}

/** Polls `probe` until it returns a value other than undefined; no fixed sleeps, just a short back-off. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

export interface KeyLocation {
  uri: vscode.Uri;
  position: vscode.Position;
}

/**
 * Finds `key:` inside the spec of a manifest of the given kind: first in the open workspace (examples/), else in the
 * fallback fixture shipped with the tests.
 */
export async function findKeyInKind(kind: string, key: string, fallbackFixture: string): Promise<KeyLocation> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', 500);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  for (const uri of files) {
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const position = findKeyPosition(text, kind, key);
    if (position) return { uri, position };
  }
  const uri = vscode.Uri.file(join(extension().extensionPath, 'test', 'fixtures', 'e2e', fallbackFixture));
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const position = findKeyPosition(text, kind, key);
  if (!position) throw new Error(`fixture ${uri.fsPath} has no ${kind} with ${key}`);
  return { uri, position };
}

function findKeyPosition(text: string, kind: string, key: string): vscode.Position | undefined {
  const lines = text.split(/\r?\n/);
  let inKind = false;
  let inSpec = false;
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line];
    if (/^---/.test(content)) {
      inKind = inSpec = false;
    } else if (/^kind:\s*/.test(content)) {
      inKind = content.replace(/^kind:\s*/, '').trim() === kind;
    } else if (/^\S/.test(content)) {
      inSpec = /^spec:\s*$/.test(content);
    } else if (inKind && inSpec) {
      const match = new RegExp(`^(\\s{2})${key}:`).exec(content);
      // Middle of the key, as a user's mouse would be.
      if (match) return new vscode.Position(line, match[1].length + Math.floor(key.length / 2));
    }
  }
  return undefined;
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Error and warning diagnostics of our server on a document, once they are stable for a second. */
export async function problems(document: vscode.TextDocument): Promise<string[]> {
  // A code action request is answered after the server has seen the latest text (LSP keeps the order).
  await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, new vscode.Range(0, 0, 0, 0));
  const read = () =>
    vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.source === 'flux-azure')
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning)
      .map(
        (d) => `${d.range.start.line + 1}: ${String(typeof d.code === 'object' ? d.code.value : d.code)} ${d.message}`,
      );
  let last = JSON.stringify(read());
  let stableSince = Date.now();
  const deadline = Date.now() + 10_000;
  while (Date.now() - stableSince < 1_000 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = JSON.stringify(read());
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
  return JSON.parse(last) as string[];
}

/** Closes every editor without a save prompt (untitled test documents are reverted). */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length > 0; i++)
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** test-results/ (beside the results file the launcher reads). */
export function resultsDir(): string {
  return process.env.FLUX_AZURE_TEST_RESULTS
    ? dirname(process.env.FLUX_AZURE_TEST_RESULTS)
    : join(extension().extensionPath, 'test-results');
}

/**
 * Asks the launcher (which drives the browser) for a screenshot `test-results/<name>` and waits until it is
 * written; answers the text the workbench showed then, or undefined from a launcher without screenshots.
 */
export async function screenshot(name: string): Promise<string | undefined> {
  const path = join(resultsDir(), name);
  const shown = path.replace(/\.png$/, '.txt');
  rmSync(path, { force: true });
  rmSync(shown, { force: true });
  console.log(`[flux-azure-screenshot] ${path}`);
  try {
    await waitFor('the screenshot', async () => (existsSync(path) ? true : undefined), 15_000);
    return existsSync(shown) ? readFileSync(shown, 'utf8') : '';
  } catch {
    return undefined;
  }
}
