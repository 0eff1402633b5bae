// Which code the bins (adapters/*/bin.mjs) run: the compiled dist/ when it is current, else the TypeScript sources
// through tsx. `npm ci` builds dist/ (package.json's prepare script), so `npm start`, `npm run start:slack` and
// `npx orch` start from compiled JavaScript: no compiler in the process, which took seconds and ~100 MB at each start.
// After an edit to src/ or adapters/, the sources run until the next `npm run build`: never stale code.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether every .ts file under `folder` has its compiled .js in dist/, written after the source's last change. */
function compiled(folder) {
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!compiled(path)) return false;
    } else if (entry.name.endsWith('.ts')) {
      const built = statSync(join(ROOT, 'dist', path.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
      if (!built || built.mtimeMs < statSync(join(ROOT, path)).mtimeMs) return false;
    }
  }
  return true;
}

/** dist/ holds a build of the sources as they are now (a few hundred stat calls, about a millisecond). */
export function distIsCurrent() {
  try {
    return compiled('src') && compiled('adapters');
  } catch {
    return false;
  }
}

/** The adapter module `name` (e.g. 'console/cli'): dist/adapters/<name>.js when current, else adapters/<name>.ts. */
export async function importAdapter(name) {
  if (distIsCurrent()) return import(pathToFileURL(join(ROOT, 'dist/adapters', `${name}.js`)).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, 'adapters', `${name}.ts`)).href);
}
