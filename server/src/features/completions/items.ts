import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  type CompletionItem,
} from 'vscode-languageserver-types';
import type { CompletionCursor } from '../completionCursor';

/** Re-opens the suggest widget after an item is accepted, so the value's own completions show at once. */
const TRIGGER_SUGGEST = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };

/** Escapes literal text for an LSP snippet. */
export function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER_LIKE = /^[-+]?(\.?[0-9][0-9_.:eE+-]*|\.inf|\.nan)$/i;

/** YAML for a string value: plain when YAML (1.1, as Kubernetes reads it) gives the same string back, else quoted. */
export function yamlString(value: string): string {
  const quote =
    value === '' ||
    value !== value.trim() ||
    RESERVED.test(value) ||
    NUMBER_LIKE.test(value) ||
    (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) && !/^[-?:][^\s,[\]{}]/.test(value)) ||
    /:\s|\s#|:$/.test(value);
  return quote ? JSON.stringify(value) : value;
}

/** What value and key choices may say about themselves beyond what they insert. */
interface ChoiceParts {
  readonly label?: string;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly kind?: CompletionItemKind;
  readonly deprecated?: boolean;
}

export interface ValueChoice extends ChoiceParts {
  /** The value as a string (what the YAML must read back). */
  readonly value: string;
  /** YAML to insert outside quotes (default: `yamlString(value)`). */
  readonly yaml?: string;
  /** A snippet to insert instead (outside quotes); `$1`... tab stops. */
  readonly snippet?: string;
  readonly preselect?: boolean;
  readonly filterText?: string;
}

/** Items that replace the value being typed. Order is kept (sortText follows the array). */
export function valueItems(cursor: CompletionCursor, choices: readonly ValueChoice[], group = 0): CompletionItem[] {
  return choices.map((choice, i) => {
    const inQuotes = cursor.quote !== undefined;
    const snippet = !inQuotes && choice.snippet !== undefined;
    const body = inQuotes ? choice.value : snippet ? choice.snippet! : (choice.yaml ?? yamlString(choice.value));
    // A value that starts on the next line (a map) needs no space after the colon.
    const newText = (cursor.needsSpace && !body.startsWith('\n') ? ' ' : '') + body;
    return finish(
      {
        label: choice.label ?? choice.value,
        kind: choice.kind ?? CompletionItemKind.Value,
        ...optionalParts(choice),
        filterText: choice.filterText ?? choice.value,
        sortText: sortKey(group, i),
        textEdit: { range: cursor.range, newText },
        ...(snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      },
      snippet && body.includes('\n'),
    );
  });
}

export interface KeyChoice extends ChoiceParts {
  readonly key: string;
  /** Snippet after `key:` (default `' $0'`); may span lines, indented relative to the key. */
  readonly tail?: string;
  /** Open the value's completions after inserting. */
  readonly suggestValue?: boolean;
}

/** Items that insert a key (and a value template) where a key is being typed. */
export function keyItems(cursor: CompletionCursor, choices: readonly KeyChoice[], group = 0): CompletionItem[] {
  return choices.map((choice, i) => {
    const onlyKey = cursor.keyHasColon;
    const newText = onlyKey ? choice.key : `${snippetText(choice.key)}:${choice.tail ?? ' $0'}`;
    return finish(
      {
        label: choice.label ?? choice.key,
        kind: choice.kind ?? CompletionItemKind.Property,
        ...optionalParts(choice),
        filterText: choice.key,
        sortText: sortKey(group, i),
        textEdit: { range: cursor.range, newText },
        ...(onlyKey ? {} : { insertTextFormat: InsertTextFormat.Snippet }),
        ...(!onlyKey && choice.suggestValue ? { command: TRIGGER_SUGGEST } : {}),
      },
      newText.includes('\n'),
    );
  });
}

export interface TemplateChoice {
  readonly label: string;
  /** Snippet replacing the typed word; continuation lines are relative to the cursor line's indentation. */
  readonly snippet: string;
  readonly detail?: string;
  readonly documentation?: string;
  readonly filterText?: string;
}

/** Multi-line templates (a whole patch operation, a credential set) inserted where a key would be typed. */
export function templateItems(
  cursor: CompletionCursor,
  choices: readonly TemplateChoice[],
  group = 5,
): CompletionItem[] {
  return choices.map((choice, i) =>
    finish(
      {
        label: choice.label,
        kind: CompletionItemKind.Snippet,
        ...optionalParts(choice),
        filterText: choice.filterText ?? choice.label,
        sortText: sortKey(group, i),
        textEdit: { range: cursor.range, newText: choice.snippet },
        insertTextFormat: InsertTextFormat.Snippet,
      },
      true,
    ),
  );
}

/** The parts of an item that only some choices have, in the order every kind of item writes them. */
function optionalParts(choice: ChoiceParts & { readonly preselect?: boolean }): Partial<CompletionItem> {
  return {
    ...(choice.detail ? { detail: choice.detail } : {}),
    ...(choice.documentation ? { documentation: { kind: 'markdown', value: choice.documentation } } : {}),
    ...(choice.preselect ? { preselect: true } : {}),
    ...(choice.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
  };
}

function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}

function finish(item: CompletionItem, multiline: boolean): CompletionItem {
  return multiline ? { ...item, insertTextMode: InsertTextMode.adjustIndentation } : item;
}
