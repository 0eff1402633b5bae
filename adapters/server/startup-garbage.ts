// A full garbage collection once the server is ready (start.ts runs two, 1 s and 6 s after ready). Starting leaves
// ~15-20 MB of garbage in V8's old generation (the landscape and catalog snapshots' JSON text and parse trees, the
// indexes' build-time word lists, module compilation), promoted there while it was still in use. An idle bot
// allocates next to nothing, so no major collection comes to free it: V8's memory reducer starts only after a major
// collection that happens late enough, which on some starts it does and on others not (npm run bench -- footprint
// measured 111 MB one start, 132 MB the next, same build). Collecting here makes idle memory the same on every start.
//
// `gc` exists only under --expose-gc; setting the flag at run time exposes it to contexts created afterwards, so one
// new context hands it over and the flag is cleared again (the way Jest's leak detector gets it). Each costs one
// pause; the server runs two, 1 s and 6 s after "orch is ready" (start.ts): 206 ms measured (--trace-gc) with both
// platforms and the landscape at a load average of 6.5 on 2 cores, about 30 ms on a quiet machine; an interaction
// arriving then is acked that much later, well inside Slack's 3 s and Discord's 3 s.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Runs a full collection now; false when this runtime gives no way to (then nothing happened). */
export function collectStartupGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    if (typeof gc !== 'function') return false;
    // Compacting moves the survivors out of half-empty pages so that those pages go back to the system: a plain
    // full collection frees the garbage but keeps the pages (heap total stays ~12 MB higher).
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    return true;
  } catch {
    return false;
  }
}
