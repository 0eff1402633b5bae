/** The unsigned-body flood against a bot process's Slack request URL, and its memory, for the proof and the bench. */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';

export const MB = 1024 * 1024;
/** The Slack pod's memory limit in deploy/. */
export const POD_LIMIT_BYTES = 384 * MB;

/** The resident memory of a process, from /proc (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/**
 * Samples `pid`'s resident memory every 20 ms from now on (a sample from a process that has gone counts as 0):
 * `before` is the first sample, and `stop` ends the sampling and resolves with the highest one.
 */
export async function sampleRss(pid: number): Promise<{ before: number; stop: () => Promise<number> }> {
  const before = await rssOf(pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssOf(pid).catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    before,
    stop: async () => {
      sampling = false;
      await sampler;
      return peak;
    },
  };
}

/**
 * `count` concurrent unsigned POSTs of `size` bytes each to `url` over kept-alive sockets, half with a Content-Length and
 * half chunked (so both the declared and the streamed paths are hit). Resolves with the statuses and, for each
 * socket, a promise that settles when the socket closes.
 */
export async function unsignedFlood(
  url: string,
  count: number,
  size: number,
): Promise<{ statuses: (number | string)[]; closed: Promise<void>[] }> {
  const bytes = Math.floor(size);
  const target = new URL(url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const closed: Promise<void>[] = [];
  const statuses = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<number | string>((resolve) => {
          const chunked = i % 2 === 1;
          const req = request({
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            // A kept-alive socket of its own: it closes only if the server closes it (or says Connection: close).
            agent: new Agent({ keepAlive: true, maxSockets: 1 }),
            headers: {
              'Content-Type': 'application/json',
              Connection: 'keep-alive',
              ...(chunked ? {} : { 'Content-Length': String(bytes) }),
            },
          });
          req.on('socket', (socket) =>
            closed.push(new Promise((done) => socket.once('close', () => done()))),
          );
          req.on('response', (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          let sent = 0;
          const pump = (): void => {
            while (sent < bytes) {
              const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
              sent += piece.length;
              if (!req.write(piece)) {
                req.once('drain', pump);
                return;
              }
            }
            req.end();
          };
          pump();
        }),
    ),
  );
  return { statuses, closed };
}
