// The YAML files a benchmark target stands for.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `path` itself when it is a file, else every .yaml / .yml file below it, sorted. */
export function yamlFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  const out = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(p);
  }
  return out.sort();
}
