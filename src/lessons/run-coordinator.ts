import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../ports.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 86_400_000;

/**
 * node-cron's RunCoordinator backed by the store: with several bot processes on one PostgreSQL, each scheduled
 * minute's tick runs in exactly one of them. The ledger would keep lessons exactly-once anyway; this keeps the
 * other processes from doing the same due-channel scan for nothing.
 */
export function storeRunCoordinator(store: Store, clock: Clock, instanceId: string): RunCoordinator {
  return {
    shouldRun(key: string) {
      const now = clock.now().getTime();
      return store.claimRun(key, instanceId, now, now - DAY_MS);
    },
  };
}
