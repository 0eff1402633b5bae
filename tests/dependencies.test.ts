/**
 * What the dependency tree must keep for the server's memory (issue 15 §3). discord.js and @discordjs/rest each
 * require undici; when npm nests a copy under each (it did while Socket Mode's undici 7 held the top level), the
 * process loads the same undici twice: two sets of modules and two HTTP parsers, about 2 MB of heap. package.json
 * therefore names undici 6 at the top level, where both find it; Socket Mode keeps its own undici 7, loaded only in
 * Socket Mode.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Where `request` resolves from the file `from`, as that file's own require would resolve it. */
const resolveFrom = (from: string, request: string): string => createRequire(from).resolve(request);

describe('the dependency tree', () => {
  it('gives discord.js and @discordjs/rest one shared undici', () => {
    const discord = resolveFrom(join(ROOT, 'package.json'), 'discord.js');
    const rest = resolveFrom(discord, '@discordjs/rest');
    expect(resolveFrom(discord, 'undici')).toBe(resolveFrom(rest, 'undici'));
  });
});
