import type * as vscode from 'vscode';

/**
 * Deactivation: stops the language client, then disposes what the extension registered, newest first (the output
 * channel, created first and logged to by everything else, goes last). A failure on the way is logged and does not
 * keep the rest alive: `stop()` rejects when the server never started or already died, and commands left registered
 * would make the next activation in the same window fail.
 */
export async function shutDown(
  client: { stop(): Promise<void> } | undefined,
  disposables: vscode.Disposable[],
  log: (message: string) => void,
): Promise<void> {
  try {
    await client?.stop();
  } catch (err) {
    log(`Stopping the language server failed: ${describe(err)}`);
  }
  for (const d of disposables.splice(0).reverse()) {
    try {
      d.dispose();
    } catch (err) {
      log(`Disposing failed: ${describe(err)}`);
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
