import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The lazily loaded Azure chunk (client/out/azure.js, built from client/src/azure/index.ts). */
export type AzureChunk = typeof import('../../../azure/src/index');

let chunk: AzureChunk | undefined;

/** Loads the Azure SDK on first use of the Azure view; activation never pays for it. */
export function loadAzureChunk(): AzureChunk {
  // A runtime require of a computed path: esbuild leaves it alone, so the chunk stays out of the main bundle.
  chunk ??= createRequire(__filename)(join(__dirname, 'azure.js')) as AzureChunk;
  return chunk;
}
