import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

// The yaml package, loaded on first use: a start from the compiled catalog (src/catalog/compiled-catalog.ts) parses
// no YAML, and loading the parser was a tenth of a cold `orch ask`. Its Node build is CommonJS, so this is the same
// module instance an `import ... from 'yaml'` gets.
let loaded: Yaml | undefined;

/** The yaml package. */
export function yaml(): Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as Yaml;
  return loaded;
}
