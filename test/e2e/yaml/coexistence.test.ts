// Living beside Red Hat's YAML extension, in a real VS Code: yaml-language-server (its server, from npm) runs as a
// second YAML language server on examples/, offline, with a Kubernetes + Flux schema for every file
// (test/e2e/yamlServer.ts). Both servers are asked the same questions at every key and value of the examples, each through
// its own language client, and compared field by field: where both answer a hover, ours says something about Azure
// that theirs does not and repeats none of their text; no completion item is offered by both; both sets of
// diagnostics stand side by side on one file. With `fluxAzure.yamlSchemaServer` on, as `auto` sets it when Red Hat's
// YAML extension is installed.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { closeAll, runningExtension, waitFor } from '../helpers';
import { startYamlLanguageServer } from '../yamlServer';

interface Hover {
  contents: unknown;
}

let ours: LanguageClient;
let theirs: LanguageClient;
let folder: string;

/** A hover's text, whatever shape of MarkupContent / MarkedString it comes in. */
function text(contents: unknown): string {
  if (contents === null || contents === undefined) return '';
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(text).join('\n');
  return String((contents as { value?: string }).value ?? '');
}

/** The lines of a hover worth comparing: sentences, not headings, links or separators. */
function sentences(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((l) =>
      l
        .replace(/[*_`#>]/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l.length >= 25 && !/^(\[.*\]\(.*\)|Source: .*)$/.test(l));
}

/** Where a user would hover: the middle of each key and of the value after it, with the field's path. */
function positions(source: string): { line: number; character: number; field: string }[] {
  const out: { line: number; character: number; field: string }[] = [];
  const stack: { indent: number; key: string }[] = [];
  let kind = '';
  source.split('\n').forEach((line, n) => {
    if (/^---/.test(line)) {
      stack.length = 0;
      kind = '';
      return;
    }
    const m = /^(\s*(?:- )?)([\w./-]+):(\s*)(\S.*)?$/.exec(line);
    if (!m) return;
    const indent = m[1]!.length;
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    stack.push({ indent, key: m[2]! });
    if (indent === 0 && m[2] === 'kind') kind = (m[4] ?? '').trim();
    const field = `${kind || '?'} ${stack.map((s) => s.key).join('.')}`;
    out.push({ line: n, character: indent + Math.floor(m[2]!.length / 2), field });
    const value = m[4];
    if (value && !/^[|>]/.test(value)) {
      const start = indent + m[2]!.length + 1 + m[3]!.length;
      out.push({ line: n, character: start + Math.min(2, value.length - 1), field: `${field} (value)` });
    }
  });
  return out;
}

function yamlFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
}

async function hover(client: LanguageClient, uri: string, position: vscode.Position): Promise<string> {
  const answer = await client.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line: position.line, character: position.character },
  });
  return text(answer?.contents);
}

describe('Beside yaml-language-server (Red Hat YAML) in a real VS Code', () => {
  before(async function () {
    this.timeout(120_000);
    ours = (await runningExtension()).client!;
    folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    theirs = await startYamlLanguageServer();
    // What `auto` resolves to when Red Hat's YAML extension is installed (its id is not installed here).
    await vscode.workspace
      .getConfiguration('fluxAzure')
      .update('yamlSchemaServer', 'on', vscode.ConfigurationTarget.Global);
    await waitFor('the setting to reach our server', async () => {
      const uri = vscode.Uri.file(join(folder, 'apps', 'base', 'podinfo', 'source.yaml'));
      await vscode.workspace.openTextDocument(uri);
      const line = readFileSync(uri.fsPath, 'utf8')
        .split('\n')
        .findIndex((l) => /^\s+interval:/.test(l));
      return (await hover(ours, uri.toString(), new vscode.Position(line, 4))) === '' ? true : undefined;
    });
  });

  after(async () => {
    await closeAll();
    await vscode.workspace
      .getConfiguration('fluxAzure')
      .update('yamlSchemaServer', undefined, vscode.ConfigurationTarget.Global);
    await theirs?.stop();
  });

  it('hovers: where both answer, ours adds Azure meaning theirs lacks and repeats none of their text', async function () {
    this.timeout(300_000);
    let both = 0;
    let theirsOnly = 0;
    const problems: string[] = [];
    for (const rel of yamlFiles(folder)) {
      const uri = vscode.Uri.file(join(folder, rel));
      await vscode.workspace.openTextDocument(uri); // both clients send didOpen
      const source = readFileSync(uri.fsPath, 'utf8');
      // Their server validates after opening: the first hover waits for their schema to load.
      for (const at of positions(source)) {
        const position = new vscode.Position(at.line, at.character);
        const [mine, yours] = await Promise.all([
          hover(ours, uri.toString(), position),
          hover(theirs, uri.toString(), position),
        ]);
        if (!yours) continue;
        if (!mine) {
          theirsOnly++;
          continue;
        }
        both++;
        const where = `${rel}:${at.line + 1} ${at.field}`;
        const mineSentences = sentences(mine);
        const repeated = sentences(yours).filter((s) => mineSentences.some((m) => m.includes(s) || s.includes(m)));
        if (repeated.length) problems.push(`${where}: both say "${repeated[0]}"`);
        const added = mineSentences.filter((m) => !yours.includes(m));
        if (!added.some((m) => /azure|entra|workload ?identity|\bAKS\b|\bACR\b|key vault|event hubs/i.test(m)))
          problems.push(`${where}: ours adds no Azure meaning to theirs:\n  ours: ${mine.slice(0, 200)}`);
      }
    }
    console.log(`hover positions answered by both: ${both}; by theirs alone: ${theirsOnly}`);
    assert.ok(theirsOnly > 50, 'their server answered with the Kubernetes + Flux schema (the comparison is real)');
    assert.ok(both > 5, 'some fields both servers explain');
    assert.deepEqual(problems, []);
  });

  it('completions: no item is offered by both servers', async function () {
    this.timeout(120_000);
    const problems: string[] = [];
    let compared = 0;
    const answered = { ours: 0, theirs: 0 };
    for (const rel of yamlFiles(folder)) {
      const uri = vscode.Uri.file(join(folder, rel));
      const source = readFileSync(uri.fsPath, 'utf8');
      for (const at of positions(source).filter((p) => p.field.endsWith('(value)'))) {
        // The cursor after `key: ` (value completions), as a user typing the value would have it.
        const line = source.split('\n')[at.line]!;
        const character = line.indexOf(':') + 2;
        const ask = (client: LanguageClient) =>
          client.sendRequest<{ items?: { label: string }[] } | { label: string }[] | null>('textDocument/completion', {
            textDocument: { uri: uri.toString() },
            position: { line: at.line, character },
          });
        const [mine, yours] = await Promise.all([ask(ours), ask(theirs)]);
        const labels = (r: Awaited<ReturnType<typeof ask>>) =>
          new Set((Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label.replace(/^["']|["']$/g, '')));
        const a = labels(mine);
        const b = labels(yours);
        if (a.size) answered.ours++;
        if (b.size) answered.theirs++;
        if (a.size && b.size) compared++;
        const shared = [...a].filter((l) => b.has(l));
        if (shared.length) problems.push(`${rel}:${at.line + 1} ${at.field}: both offer ${shared.join(', ')}`);
      }
    }
    console.log(`value positions completed by ours: ${answered.ours}, theirs: ${answered.theirs}, both: ${compared}`);
    assert.ok(answered.theirs > 10, 'their server completes the schema values (the comparison is real)');
    assert.ok(answered.ours > 0, 'ours still completes what only it knows (ServiceAccounts, Secrets)');
    assert.deepEqual(problems, []);
  });

  it('key completions: on a new line in spec, no key is offered by both servers', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'flux-azure-coexist-keys-'));
    try {
      const objects = [
        ['source.toolkit.fluxcd.io/v1', 'OCIRepository', '  url: oci://contosofleet.azurecr.io/app'],
        ['source.toolkit.fluxcd.io/v1', 'Bucket', '  endpoint: https://acct.blob.core.windows.net'],
        ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization', '  path: ./apps'],
      ];
      const problems: string[] = [];
      let theirsAnswered = 0;
      for (const [apiVersion, kind, field] of objects) {
        const file = join(dir, `${kind!.toLowerCase()}.yaml`);
        const lines = [
          `apiVersion: ${apiVersion}`,
          `kind: ${kind}`,
          'metadata:',
          '  name: x',
          'spec:',
          field!,
          '  ',
          '',
        ];
        writeFileSync(file, lines.join('\n'));
        const uri = vscode.Uri.file(file);
        await vscode.workspace.openTextDocument(uri);
        const position = { line: 6, character: 2 };
        const ask = (client: LanguageClient) =>
          client.sendRequest<{ items?: { label: string }[] } | { label: string }[] | null>('textDocument/completion', {
            textDocument: { uri: uri.toString() },
            position,
          });
        const [mine, yours] = await Promise.all([ask(ours), ask(theirs)]);
        const labels = (r: Awaited<ReturnType<typeof ask>>) =>
          (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
        const b = new Set(labels(yours));
        if (b.size) theirsAnswered++;
        const shared = labels(mine).filter((l) => b.has(l));
        if (shared.length) problems.push(`${kind} spec: both offer ${shared.join(', ')}`);
      }
      assert.equal(theirsAnswered, objects.length, 'their server offers the spec keys of every kind');
      assert.deepEqual(problems, []);
    } finally {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('diagnostics: their schema findings and our Azure findings stand side by side on one file', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'flux-azure-coexist-'));
    try {
      // One Azure mistake (SSH URL with provider azure) and one schema mistake (interval is a duration string).
      const file = join(dir, 'git.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: source.toolkit.fluxcd.io/v1',
          'kind: GitRepository',
          'metadata:',
          '  name: fleet',
          '  namespace: flux-system',
          'spec:',
          '  interval: 5',
          '  provider: azure',
          '  url: ssh://git@ssh.dev.azure.com/v3/contoso/fleet/fleet',
          '  ref:',
          '    branch: main',
          '',
        ].join('\n'),
      );
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const sources = await waitFor('both servers to report', async () => {
        const list = vscode.languages.getDiagnostics(uri);
        const ourLines = list.filter((d) => d.source === 'flux-azure').map((d) => d.range.start.line);
        const theirLines = list.filter((d) => d.source !== 'flux-azure').map((d) => d.range.start.line);
        return ourLines.includes(8) && theirLines.includes(6) ? list : undefined;
      });
      const ourCodes = sources
        .filter((d) => d.source === 'flux-azure')
        .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
      assert.ok(ourCodes.includes('flux-azure/ado-url-format'), ourCodes.join(', '));
      // Neither server reports the other's finding: ours says nothing of the interval's type.
      assert.ok(!sources.some((d) => d.source === 'flux-azure' && d.range.start.line === 6));
    } finally {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
