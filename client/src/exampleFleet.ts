/**
 * "Open Example Fleet…" (the walkthrough's first step): copies the small fleet the extension ships
 * (`walkthrough/fleet/`) into a folder the user picks and opens it, with the file of its deliberate mistake in the
 * editor. A folder inside the open workspace is used in place; any other is opened as the window's folder, and the
 * mistake's file is opened once the extension starts there.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../shared/src/protocol';

/** The file of the fleet's deliberate mistake (README.md of the fleet explains it). */
const MISTAKE = join('apps', 'podinfo.yaml');
/** The folder created when the picked one is not empty. */
const FOLDER_NAME = 'flux-azure-example-fleet';
/** globalState key: a fleet copied into a folder the window is about to open. */
const PENDING = 'fluxAzure.exampleFleet.pending';

export interface ExampleFleetArgs {
  /** The folder to copy into (skips the folder prompt). */
  target?: string;
}

export class ExampleFleet {
  /**
   * @param created told of the files copied into an open workspace folder (the language server indexes them
   * without waiting for VS Code's file watcher, which does not always report files another process wrote).
   */
  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly created: (files: vscode.Uri[]) => Promise<void>,
  ) {}

  /** After a reload into a copied fleet: opens its mistake's file. */
  async resume(): Promise<void> {
    const pending = this.extension.globalState.get<string>(PENDING);
    if (!pending) return;
    if (!vscode.workspace.workspaceFolders?.some((f) => f.uri.fsPath === pending)) return;
    await this.extension.globalState.update(PENDING, undefined);
    await showMistake(pending);
  }

  commandTable(): Record<string, (...args: never[]) => unknown> {
    return { [Commands.openExampleFleet]: (args?: ExampleFleetArgs) => this.open(args) };
  }

  /** Copies the fleet; returns the folder it is in (undefined when the user cancelled). */
  async open(args: ExampleFleetArgs = {}): Promise<string | undefined> {
    const target = args.target ?? (await pickFolder());
    if (!target) return undefined;
    const dest = destination(target);
    try {
      cpSync(join(this.extension.extensionPath, 'walkthrough', 'fleet'), dest, { recursive: true, errorOnExist: true });
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Flux for Azure: could not copy the example fleet to ${dest}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    }
    const inWorkspace = vscode.workspace.workspaceFolders?.some((f) => !relative(f.uri.fsPath, dest).startsWith('..'));
    if (inWorkspace) {
      await this.created(listFiles(dest).map((f) => vscode.Uri.file(f)));
      await showMistake(dest);
    } else {
      await this.extension.globalState.update(PENDING, dest);
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dest));
    }
    return dest;
  }
}

async function pickFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: 'Flux for Azure: folder for the example fleet',
    openLabel: 'Copy Example Fleet Here',
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  return picked?.[0]?.fsPath;
}

/** The picked folder when it is empty, else a new folder in it. */
function destination(target: string): string {
  if (!existsSync(target) || readdirSync(target).length === 0) return target;
  let dest = join(target, FOLDER_NAME);
  for (let n = 2; existsSync(dest); n++) dest = join(target, `${FOLDER_NAME}-${n}`);
  return dest;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

async function showMistake(fleet: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(fleet, MISTAKE)));
  await vscode.window.showTextDocument(document);
}
