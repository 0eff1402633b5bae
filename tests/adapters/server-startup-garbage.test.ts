import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from '../../adapters/server/startup-garbage.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the full collection the server runs once ready', () => {
  it('frees what nothing refers to any more, and leaves gc unexposed to code that runs later', async () => {
    // Made in an earlier turn: a WeakRef's target is kept alive until the end of the turn that made it.
    const weak = (() => new WeakRef({ startup: 'x'.repeat(1024) }))();
    await nextTurn();
    expect(collectStartupGarbage()).toBe(true);
    expect(weak.deref()).toBeUndefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
