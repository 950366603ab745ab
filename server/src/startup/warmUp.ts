import { PassThrough } from 'node:stream';
import {
  createConnection,
  createMessageConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { parseManifest } from '../document/manifest';
import { provideCompletion } from '../features/completion';
import type { FeatureContext } from '../features/context';
import { computeDiagnostics } from '../features/diagnostics';
import { provideHover } from '../features/hover';

/** Flux-on-Azure documents that exercise the parser, the rules, completion and hover. */
const SAMPLE = [
  'apiVersion: source.toolkit.fluxcd.io/v1',
  'kind: OCIRepository',
  'metadata:',
  '  name: app',
  '  namespace: flux-system',
  'spec:',
  '  interval: 5m',
  '  url: oci://contoso.azurecr.io/manifests/app',
  '  provider: azure',
  '  serviceAccountName: app',
  '  ref:',
  '    tag: latest',
  '  ',
  '---',
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  name: app',
  '  namespace: flux-system',
  '  annotations:',
  '    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000000',
  '---',
  'apiVersion: kustomize.toolkit.fluxcd.io/v1',
  'kind: Kustomization',
  'metadata:',
  '  name: apps',
  'spec:',
  '  interval: 10m',
  '  path: ./apps',
  '  sourceRef:',
  '    kind: OCIRepository',
  '    name: app',
  '  decryption:',
  '    provider: sops',
  '',
].join('\n');

/**
 * Runs each feature once on a sample, off the request path (after the first workspace scan), so that the first real
 * completion, hover and analysis do not pay for compiling their code. Results are discarded.
 */
export function warmUp(ctx: FeatureContext): void {
  const file = parseManifest('untitled:flux-azure-warm-up.yaml', 1, SAMPLE);
  computeDiagnostics(file, ctx);
  const line = (text: string) => SAMPLE.split('\n').indexOf(text);
  provideCompletion(file, { line: line('  provider: azure'), character: 12 }, ctx);
  provideCompletion(file, { line: line('  ref:') + 2, character: 2 }, ctx);
  provideCompletion(file, { line: line('  serviceAccountName: app'), character: 22 }, ctx);
  provideHover(file, { line: line('  provider: azure'), character: 4 }, ctx);
  provideHover(file, { line: line('  interval: 10m'), character: 4 }, ctx);
  provideHover(
    file,
    { line: line('    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000000'), character: 8 },
    ctx,
  );
}

/**
 * Sends a hover and a completion request through a throwaway connection in memory, so that the first request of the
 * real client does not pay for compiling the request path (reading, dispatch, the LSP feature wrappers, replying):
 * about 4 ms otherwise. The throwaway connection reads and writes message objects, never the process's streams.
 */
export async function warmUpRequests(ctx: FeatureContext): Promise<void> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(toServer),
    new StreamMessageWriter(toClient),
  );
  const file = parseManifest('untitled:flux-azure-warm-up.yaml', 1, SAMPLE);
  server.onHover((params) => provideHover(file, params.position, ctx));
  server.onCompletion((params) => provideCompletion(file, params.position, ctx));
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  try {
    const textDocument = { uri: file.uri };
    await client.sendRequest('textDocument/hover', { textDocument, position: { line: 8, character: 4 } });
    await client.sendRequest('textDocument/completion', { textDocument, position: { line: 8, character: 12 } });
  } finally {
    client.dispose();
    server.dispose();
  }
}
