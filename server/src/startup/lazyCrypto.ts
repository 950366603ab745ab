import type * as Crypto from 'node:crypto';

/**
 * Stands in for `crypto` in the server bundle (see scripts/build.mjs): vscode-jsonrpc requires it at load for one
 * function (random pipe names, unused over stdio and IPC), and loading node's crypto module costs startup time.
 * Server code that needs crypto imports `node:crypto`, which the alias leaves alone.
 */
export function randomBytes(size: number): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (require('node:crypto') as typeof Crypto).randomBytes(size);
}
