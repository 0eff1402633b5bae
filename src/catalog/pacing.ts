import { setImmediate } from 'node:timers/promises';

/**
 * Lets pending I/O (members' requests, health probes) run before the caller goes on. One setImmediate is not enough:
 * called from an I/O callback it resolves in the same loop iteration, before the loop polls for I/O again; the second
 * one resolves only after that poll.
 */
export async function yieldToIo(): Promise<void> {
  await setImmediate();
  await setImmediate();
}

/**
 * A pause for long loops: yields to I/O once `sliceMs` of work have gone by since the last yield, so a reload of
 * 10,000 files runs in the process that answers members without making any answer wait for the whole reload.
 */
export function pacer(sliceMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToIo();
    since = performance.now();
  };
}
