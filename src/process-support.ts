import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem } from './catalog/yaml-source.ts';
import type { RuntimeFailure } from './runtime.ts';

/** The project folder: the nearest parent of `moduleUrl` with a package.json, wherever the code runs from. */
export function projectRootOf(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** What to print when the core cannot start, one line each. */
export function describeRuntimeFailure(
  failure: RuntimeFailure,
  relativeTo: (file: string) => string = (f) => f,
): string[] {
  if (failure.kind === 'store') return [`orch: cannot open the store: ${failure.message}`];
  return [
    'orch: the catalog is invalid, so the bot will not start. Fix these and try again:',
    ...failure.problems.map((p) => formatProblem({ ...p, file: relativeTo(p.file) })),
    ...(failure.omitted > 0 ? [`… and ${failure.omitted} more`] : []),
  ];
}

/** What to print when the environment does not configure the bot, every problem on its own line. */
export function describeConfigProblems(problems: readonly string[]): string {
  return `orch: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`;
}
