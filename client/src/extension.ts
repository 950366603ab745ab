import type { ExtensionContext } from 'vscode';
import { FluxAzureContext } from './context';

let ctx: FluxAzureContext | undefined;

/** Entry point: everything the extension owns hangs off one context object. */
export async function activate(context: ExtensionContext): Promise<FluxAzureContext> {
  ctx = new FluxAzureContext(context);
  await ctx.start();
  return ctx;
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
