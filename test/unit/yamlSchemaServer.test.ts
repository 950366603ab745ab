// `fluxAzure.yamlSchemaServer: auto` as the client decides it (client/src/yamlSchemaServer.ts): on exactly when VS Code
// reports Red Hat's YAML extension installed. The real VS Code test (test/e2e/suite/yamlSchemaServer.test.ts) checks
// the same decision against the extension list a real VS Code reports, and what `on` / `off` change for the user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RED_HAT_YAML, resolveSettings } from '../../client/src/yamlSchemaServer';

const settings = (yamlSchemaServer: string) => ({ fluxVersion: '', diagnostics: { enable: true }, yamlSchemaServer });

test('auto is on when Red Hat YAML is installed and off when it is not; the other settings pass unchanged', () => {
  const asked: string[] = [];
  const withRedHat = (id: string) => (asked.push(id), id === 'redhat.vscode-yaml');
  assert.deepEqual(resolveSettings(settings('auto'), withRedHat), settings('on'));
  assert.deepEqual(asked, [RED_HAT_YAML], 'only Red Hat YAML is looked up');
  assert.equal(RED_HAT_YAML, 'redhat.vscode-yaml');
  assert.deepEqual(
    resolveSettings(settings('auto'), () => false),
    settings('off'),
  );
  // Another YAML extension (not Red Hat's) does not turn it on.
  assert.deepEqual(
    resolveSettings(settings('auto'), (id) => id === 'someone.yaml'),
    settings('off'),
  );
});

test('on and off are the user’s choice whatever is installed; no settings stay no settings', () => {
  for (const value of ['on', 'off']) {
    assert.deepEqual(
      resolveSettings(settings(value), () => true),
      settings(value),
    );
    assert.deepEqual(
      resolveSettings(settings(value), () => false),
      settings(value),
    );
  }
  assert.equal(
    resolveSettings(null, () => true),
    null,
  );
  const untouched = settings('off');
  assert.equal(
    resolveSettings(untouched, () => true),
    untouched,
    'not copied when nothing is resolved',
  );
});
