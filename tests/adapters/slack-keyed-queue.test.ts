import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../adapters/slack/keyed-queue.ts';

/** A job that records its start and end and finishes only when released. */
function gate() {
  let release = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the keyed answer queue', () => {
  it('runs the jobs of one key one after another, in the order they came', async () => {
    const queue = new KeyedQueue({ concurrency: 8, maxWaiting: 100 });
    const events: string[] = [];
    const gates = [gate(), gate(), gate()];
    gates.forEach((g, i) => {
      queue.push('C1/U1', async () => {
        events.push(`start ${i}`);
        await g.done;
        events.push(`end ${i}`);
      });
    });
    await settle();
    // Before (a shared pool of 2 workers): job 1 started beside job 0, and could finish first.
    expect(events).toEqual(['start 0']);
    gates[1]?.release();
    gates[2]?.release();
    await settle();
    expect(events).toEqual(['start 0']);
    gates[0]?.release();
    await settle();
    await settle();
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('runs jobs of different keys side by side, up to the concurrency, then the rest as slots free up', async () => {
    const queue = new KeyedQueue({ concurrency: 3, maxWaiting: 100 });
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    gates.forEach((g, i) => {
      queue.push(`C1/U${i}`, async () => {
        started.push(i);
        await g.done;
      });
    });
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(queue.active).toBe(3);
    expect(queue.waiting).toBe(2);
    gates[1]?.release();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.release();
    await settle();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.active).toBe(0);
    expect(queue.waiting).toBe(0);
  });

  it('does not let one busy key hold up the others', async () => {
    const queue = new KeyedQueue({ concurrency: 2, maxWaiting: 100 });
    const started: string[] = [];
    const slow = gate();
    for (let i = 0; i < 3; i++)
      queue.push('hot', async () => {
        started.push(`hot ${i}`);
        await slow.done;
      });
    queue.push('other', async () => {
      started.push('other');
    });
    await settle();
    // The hot key takes one slot; its later jobs wait behind it, not in front of the other key's.
    expect(started).toEqual(['hot 0', 'other']);
    slow.release();
    await settle();
    await settle();
    expect(started).toEqual(['hot 0', 'other', 'hot 1', 'hot 2']);
  });

  it('refuses jobs past its bound of waiting ones, and takes them again once it drains', async () => {
    const queue = new KeyedQueue({ concurrency: 1, maxWaiting: 2 });
    const g = gate();
    const ran: number[] = [];
    const push = (i: number) =>
      queue.push(`k${i}`, async () => {
        ran.push(i);
        await g.done;
      });
    expect(push(0)).toBe(true); // starts: no longer waiting
    expect(push(1)).toBe(true);
    expect(push(2)).toBe(true);
    expect(push(3)).toBe(false);
    expect(queue.waiting).toBe(2);
    g.release();
    await settle();
    await settle();
    expect(ran).toEqual([0, 1, 2]);
    expect(push(4)).toBe(true);
    await settle();
    expect(ran).toEqual([0, 1, 2, 4]);
  });

  it('goes on with the next job of a key after one throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const queue = new KeyedQueue({ concurrency: 4, maxWaiting: 10, onError: (e) => errors.push(e) });
    const ran: string[] = [];
    queue.push('k', async () => {
      throw new Error('boom');
    });
    queue.push('k', () => {
      throw new Error('sync boom');
    });
    queue.push('k', async () => {
      ran.push('after');
    });
    await settle();
    await settle();
    await settle();
    expect(ran).toEqual(['after']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'sync boom']);
  });

  it('hands each job over through `schedule`', async () => {
    const handed: (() => void)[] = [];
    const queue = new KeyedQueue({ concurrency: 4, maxWaiting: 10, schedule: (start) => handed.push(start) });
    let ran = false;
    queue.push('k', async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(handed).toHaveLength(1);
    handed[0]?.();
    expect(ran).toBe(true);
  });
});
