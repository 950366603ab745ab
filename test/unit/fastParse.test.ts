import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitDocuments } from '../../server/src/document/chunks';
import { parseBlockYaml } from '../../server/src/document/fastParse';
import { parseFull } from '../../server/src/document/parse';

const REPO = join(__dirname, '..', '..', '..');
const identity = (o: number) => o;

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(name)) out.push(path);
  }
  return out.sort();
}

/** The fast path either declines or agrees with the `yaml` package exactly (values, styles, offsets, ends). */
function assertAgrees(text: string, label: string): boolean {
  const fast = parseBlockYaml(text, identity);
  if (!fast) return false;
  const full = parseFull(text);
  assert.equal(full.hasErrors, false, `${label}: the fast path accepted YAML with errors: ${JSON.stringify(text)}`);
  assert.deepEqual(fast.root, full.root, `${label}: ${JSON.stringify(text)}`);
  return true;
}

function chunksOf(text: string): string[] {
  return splitDocuments(text).map(({ start, end }) => text.slice(start, end));
}

const SOURCES = [join(REPO, 'examples'), join(REPO, 'test', 'fixtures'), join(REPO, '..', 'shared', 'corpus')];

test('fast YAML path: every document of the examples, fixtures and shared corpus parses as `yaml` parses it', () => {
  let fast = 0;
  let total = 0;
  for (const file of SOURCES.flatMap(yamlFiles)) {
    for (const chunk of chunksOf(readFileSync(file, 'utf8'))) {
      total++;
      if (assertAgrees(chunk, file)) fast++;
    }
  }
  assert.ok(total > 0);
  assert.ok(fast > total / 2, `the fast path handles most real documents (${fast} of ${total})`);
});

test('fast YAML path: comments, nulls, block scalars, flow collections, quoting and line breaks', () => {
  const cases = [
    'a: 1\nb:\nc: |\n  x\n  y\n\nd: >-\n  p\n  q\n# c\ne:\n  - x\n  - k: v\n    z: [1, "a"]\n',
    'a:   # c\n  b: 1\nx:\r\n  - |\r\n    l1\r\n    l2\r\n  - >\r\n    f1\r\n    f2\r\n\r\n    f3\r\n  - y\r\n',
    '---\nkind: A\nspec:\n  x: |\n    l1\n\n    l2\n\n\n  y: 1\n',
    'a:\n  - a: 1\n     # c\n    # d\n   # e\n  # f\n # g\nc: 2\n',
    'a:\n  b: 1\n  # c\n # d\n# e\n',
    'a:\n  b:\n\n    # c\n\nc: 2\n',
    'x:\n  a:\n    b:\n      c: 1\n      # x\n  d: 2\n',
    'x:\n  a:\n    b:\n    # c\n  d: 2\n',
    'a:\n  -\n  # c\nc: 2\n',
    'a:\n  - # x\n   # c\nc: 2\n',
    'resources:\n # - receiver-token.yaml\n',
    "a:\n- x\n-\n- - y\n  - z\nb: \"q\\tx\\u00e9\\x41\"\nc: 'it''s'\n",
    'a: [ ]\nb: {a: 1, b: [x]}  # c\nc: [a, ]\nd: {}\n',
    '---\n',
    '---\n# only a comment\n',
    '# only a comment\n',
    '',
    'k: v # comment\nurl: https://x/#frag\nn: a#b\n"q k": 1\n\'s k\': 2\nkey with spaces: 3\n',
    'a: |-\n  x\n\n  y\nb: >\n\n  lead\n  fold\n\n\n  more\nc: |\n  x',
    'list:\n  - name: a\n    value: "1"\n  - name: b\n    valueFrom:\n      secretKeyRef:\n        name: s\n',
  ];
  for (const text of cases) assertAgrees(text, 'case');
  // And these must be on the fast path (plain Kubernetes YAML).
  for (const text of cases.slice(0, 4)) assert.ok(parseBlockYaml(text, identity), JSON.stringify(text));
});

test('fast YAML path: plain scalars resolve with the YAML 1.1 schema, as `yaml` resolves them', () => {
  const values = [
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'n',
    'true',
    'False',
    'null',
    '~',
    'Null',
    '0',
    '-1',
    '+12',
    '0x1F',
    '017',
    '0b101',
    '1_000',
    '1.5',
    '.5',
    '-.inf',
    '.NaN',
    '1e3',
    'E122',
    'e5',
    '6.02E23',
    '190:20:30',
    '2024-01-01',
    '2001-12-14t21:59:43.10-05:00',
    'Yes please',
    'onion',
    'o',
    'x',
    'nan',
    'infinity',
    '<<',
    '- x',
    ':x',
    '?x',
    'azure',
    'v1.2.3',
    '1.2.3',
    '00',
    '08',
    '0o7',
    '1__2',
    '12e',
    '.',
    '-',
    '+',
    'TRUE',
    'tRue',
    'NULL',
    'NuLL',
  ];
  for (const v of values) {
    assertAgrees(`k: ${v}\n`, v);
    assertAgrees(`${v}: k\n`, `${v} as key`);
    assertAgrees(`- ${v}\n`, `${v} in a list`);
  }
});

test('fast YAML path: never disagrees with `yaml` on mutated documents', () => {
  let seed = 20261129;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = [
    ' ',
    '\n',
    ':',
    ': ',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '|',
    '>',
    '|-',
    '[',
    ']',
    '{',
    '}',
    ',',
    '  ',
    '\\',
    '\r\n',
    '---\n',
    '...',
    '&a',
    '*a',
    '!t',
    '? ',
    'yes',
    '1',
    '~',
    '\n  ',
    '\n- ',
    '\n    ',
    '\n# c',
    '\n  # c',
    ':\n',
    '\n  -\n',
    '|\n  x\n',
    '[a, {b: c}]',
    '{}',
    '\t',
    'e5',
  ];
  const samples = [
    ...yamlFiles(join(REPO, 'examples')).slice(0, 12),
    ...yamlFiles(join(REPO, 'test', 'fixtures')).slice(0, 4),
  ].flatMap((f) => chunksOf(readFileSync(f, 'utf8')));
  let accepted = 0;
  for (const sample of samples) {
    for (let k = 0; k < 60; k++) {
      let text = sample;
      for (let m = 1 + Math.floor(random() * 3); m > 0; m--) {
        const at = Math.floor(random() * (text.length + 1));
        const r = random();
        if (r < 0.45) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
        else if (r < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + text[Math.floor(random() * text.length)] + text.slice(at + 1);
      }
      if (assertAgrees(text, 'mutation')) accepted++;
    }
  }
  assert.ok(accepted > 0);
});
