import { Schema } from 'yaml';
import type { ScalarNode } from './nodes';

/**
 * The value of a plain (unquoted) scalar as Kubernetes reads it: the `yaml` package's own YAML 1.1 tags decide, so
 * `yes`, `0x1F`, `1_000` or `2024-01-01` resolve exactly as a full parse resolves them. The fast parser
 * (fastParse.ts) resolves every plain scalar here; it is a question of its own (what YAML 1.1 makes of a word), not
 * of parsing structure.
 */

interface ResolvingTag {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}

const TAGS = (new Schema({ schema: 'yaml-1.1' }).tags as unknown as ResolvingTag[]).filter(
  (t) => t.test !== undefined && t.default !== false,
);
const RESOLVE_OPTIONS = { intAsBigInt: false };

/** Letters that can start a non-string: booleans and null (`yes`, `No`, `TRUE`, `off`, `null`...), `e5` floats. */
const WORD_STARTS = new Set('yYnNtTfFoOeE'.split('').map((c) => c.charCodeAt(0)));
/** Non-letter first characters of YAML 1.1 numbers, timestamps, null (`~`) and merge keys (`<<`). */
const CAN_START_NON_STRING = new Set('0123456789+-.~<'.split('').map((c) => c.charCodeAt(0)));
/** Resolved values of plain scalars that may not be strings, for values and for keys (`<<` is special there). */
const resolved = new Map<string, ScalarNode['value']>();
const resolvedKeys = new Map<string, ScalarNode['value']>();

/**
 * The value of plain scalar `text` (a key when `atKey`), or undefined where `yaml` gives it more than a value: a `<<`
 * merge key, or text a tag matches but rejects.
 */
export function resolvePlain(text: string, atKey: boolean): ScalarNode['value'] | undefined {
  const c = text.charCodeAt(0);
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (letter ? !WORD_STARTS.has(c) : c > 127 || !CAN_START_NON_STRING.has(c)) return text;
  const cache = atKey ? resolvedKeys : resolved;
  const cached = cache.get(text);
  if (cached !== undefined || cache.has(text)) return cached ?? null;
  let value: ScalarNode['value'] = text;
  for (const tag of TAGS) {
    if (tag.default === 'key' ? !atKey : tag.default !== true) continue;
    if (!tag.test!.test(text)) continue;
    if (tag.default === 'key') return undefined; // `<<` merge keys
    let failed = false;
    const result = tag.resolve(text, () => (failed = true), RESOLVE_OPTIONS) as
      { value?: unknown } | ScalarNode['value'];
    if (failed) return undefined;
    value = (
      result !== null && typeof result === 'object' && 'value' in result ? result.value : result
    ) as ScalarNode['value'];
    // A timestamp resolves to a Date: its text, as the full parse keeps it (see parse.ts).
    if (value !== null && typeof value === 'object') value = text;
    break;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(text, value);
  return value;
}
