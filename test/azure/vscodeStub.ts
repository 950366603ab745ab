/**
 * Just enough of the `vscode` module for the Azure tree providers (client/src/views/azureTree.ts, azureNodes.ts) to
 * run under node:test: tree items, icons, markdown, an event emitter and `window.withProgress`. Importing this file
 * first makes `require('vscode')` return it (the test bundles keep `vscode` external). Notifications shown through
 * `window.show*Message` are kept in `shownMessages`.
 */
import Module from 'node:module';

export const shownMessages: string[] = [];

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class TreeItem {
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  command?: { command: string; title: string; arguments?: unknown[] };
  contextValue?: string;
  id?: string;
  constructor(
    public label: string,
    public collapsibleState = 0,
  ) {}
}

class MarkdownString {
  constructor(public value = '') {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

const message = async (text: string) => {
  shownMessages.push(text);
  return undefined;
};

export const vscodeStub = {
  EventEmitter,
  TreeItem,
  MarkdownString,
  ThemeIcon,
  ThemeColor,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  window: {
    withProgress: <R>(_options: unknown, task: (progress: { report(): void }) => Promise<R>) =>
      task({ report: () => undefined }),
    showErrorMessage: message,
    showWarningMessage: message,
    showInformationMessage: message,
  },
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Load };
const load = moduleWithLoad._load;
moduleWithLoad._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
  return request === 'vscode' ? vscodeStub : load.call(this, request, parent, isMain);
};
