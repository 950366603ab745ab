import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, fileUri, LspClient, REPO } from './lspClient';

const client = new LspClient();
after(() => client.dispose());

test('the CLI and the language server report the same diagnostics on the same files', async () => {
  await client.initialize(EXAMPLES);
  const r = spawnSync(process.execPath, [join(REPO, 'server', 'out', 'cli.js'), '.', '--format', 'json', '--hints'], {
    cwd: EXAMPLES,
    encoding: 'utf8',
  });
  const fromCli = (
    JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; message: string }[]
  )
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)
    .sort();
  const files = [...new Set(fromCli.map((l) => l.split(':')[0]))];
  const fromServer: string[] = [];
  for (const file of files) {
    const uri = fileUri(join(EXAMPLES, file));
    client.open(uri, readFileSync(join(EXAMPLES, file), 'utf8'));
    for (const d of await client.waitForDiagnostics(uri)) {
      fromServer.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    }
  }
  assert.ok(fromCli.length >= 8);
  assert.deepEqual(fromServer.sort(), fromCli);
});
