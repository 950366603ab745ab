// yaml-language-server, the server of Red Hat's YAML extension (a pinned dev dependency), started from the test as
// a second YAML language client in this extension host: it registers its hovers, completions and diagnostics in
// VS Code the way Red Hat's extension would. Settings are those of a Red Hat YAML user offline: no schema store, no
// CRD store, one Kubernetes + Flux schema (the benchmark's, built from the Flux CRDs) for every YAML file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { extension } from './helpers';

export async function startYamlLanguageServer(): Promise<LanguageClient> {
  const repo = extension().extensionPath;
  const schema = pathToFileURL(join(repo, 'scripts', 'bench', 'schemas', 'all-ifthen.schema.json')).href;
  // Setup B of the benchmark (scripts/bench/yls-settings.json), with the schema mapped to every YAML file.
  const setupB = JSON.parse(readFileSync(join(repo, 'scripts', 'bench', 'yls-settings.json'), 'utf8')) as {
    yaml: Record<string, unknown>;
  };
  const settings: Record<string, unknown> = {
    ...setupB,
    yaml: { ...setupB.yaml, schemas: { [schema]: ['*.yaml', '*.yml'] } },
  };
  const module = join(repo, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  const client = new LanguageClient(
    'yamlLanguageServer',
    'yaml-language-server',
    { run: { module, transport: TransportKind.stdio }, debug: { module, transport: TransportKind.stdio } },
    {
      documentSelector: [{ scheme: 'file', language: 'yaml' }],
      synchronize: { configurationSection: ['yaml', 'http', '[yaml]', 'editor'] },
      middleware: {
        workspace: {
          configuration: (params) => params.items.map((item) => settings[item.section ?? ''] ?? null),
        },
      },
    },
  );
  await client.start();
  return client;
}
