import type * as vscode from 'vscode';
import { redact } from '../../azure/src/redact';

/**
 * The language client's trace output, minus what must never be logged: document text (`didOpen`/`didChange`
 * carry whole manifests, Secrets included) is replaced by its length, and credentials are redacted from the rest.
 * Protocol tracing (`fluxAzure.trace.server: verbose`) stays useful for timings and message flow.
 */
export function redactingChannel(target: vscode.OutputChannel): vscode.OutputChannel {
  const clean = (value: string) =>
    redact(
      value.replace(
        /("(?:text|newText)"\s*:\s*")((?:[^"\\]|\\.)*)"/g,
        (_m, key: string, body: string) => `${key}<${body.length} chars not logged>"`,
      ),
    );
  return new Proxy(target, {
    get(channel, prop, receiver) {
      if (prop === 'append' || prop === 'appendLine') return (value: string) => channel[prop](clean(value));
      if (prop === 'replace') return (value: string) => channel.replace(clean(value));
      const member = Reflect.get(channel, prop, receiver) as unknown;
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(channel) : member;
    },
  });
}
