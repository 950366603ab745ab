// A file changed on disk reaches the language server once per event VS Code reports: the server registers its own
// watcher for YAML files (dynamic registration of workspace/didChangeWatchedFiles) and the client adds none of its
// own. The didChangeWatchedFiles notifications the client sends are recorded and compared with what a watcher of
// the same files sees (VS Code may itself report a new file more than once: code-server 4.139 does).
import * as assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FileEvent } from 'vscode-languageclient/node';
import { runningExtension, waitFor } from '../helpers';

/** How long the test keeps listening after the first events: well past the client's 250 ms batching of events. */
const SETTLE_MS = 2_000;

describe('file watching in a real VS Code', () => {
  it('sends each file event VS Code reports to the server once', async () => {
    const client = (await runningExtension()).client;
    assert.ok(client, 'the extension has a language client');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const name = `flux-azure-watch-${process.pid}.yaml`;
    const file = join(folder.uri.fsPath, name);
    const uri = vscode.Uri.file(file);

    const sent: FileEvent[] = [];
    // The client sends the batched events through its public sendNotification: record what passes there.
    const send = client.sendNotification.bind(client) as (type: unknown, params?: unknown) => Promise<void>;
    const spy = (type: unknown, params?: unknown): Promise<void> => {
      const method = typeof type === 'string' ? type : (type as { method?: string }).method;
      if (method === 'workspace/didChangeWatchedFiles') sent.push(...(params as { changes: FileEvent[] }).changes);
      return send(type, params);
    };
    Object.assign(client, { sendNotification: spy });
    const reported: string[] = [];
    const reference = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    const note = (kind: string) => (u: vscode.Uri) => {
      if (u.toString() === uri.toString()) reported.push(kind);
    };
    reference.onDidCreate(note('created'));
    reference.onDidChange(note('changed'));
    reference.onDidDelete(note('deleted'));
    try {
      // Written elsewhere, then renamed: a new file on disk without the write's "changed" events.
      writeFileSync(`${file}.tmp`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n');
      renameSync(`${file}.tmp`, file);
      const ours = () => sent.filter((e) => e.uri === uri.toString());
      await waitFor('VS Code and the client to report the new file', async () =>
        reported.length > 0 && ours().length > 0 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const kinds = { 1: 'created', 2: 'changed', 3: 'deleted' } as const;
      assert.deepEqual(
        ours().map((e) => kinds[e.type]),
        reported,
        `the server was told about ${name} as often as VS Code reported it`,
      );
    } finally {
      reference.dispose();
      // The instance property shadowed the prototype's method: removing it restores the client.
      delete (client as unknown as { sendNotification?: unknown }).sendNotification;
      rmSync(file, { force: true });
      rmSync(`${file}.tmp`, { force: true });
    }
  });
});
