// One signed Slack request as the platform sends it, timed from the send to the end of the answer: the slash
// commands and interactions of the Slack, latency and ack benches all go out through here.
import { type Agent, request } from 'node:http';
import { signSlackRequest } from '../fakes/slack.ts';

/** Resolves with the HTTP status (0 when the request failed or timed out) and the milliseconds until the answer ended. */
export function postSigned(
  url: string | URL,
  agent: Agent,
  secret: string,
  body: string,
  timeoutMs = 10_000,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const done = (status: number) => resolve({ status, ms: performance.now() - t0 });
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...signSlackRequest(secret, body), 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.on('error', () => done(0));
        res.on('end', () => done(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', () => done(0));
    req.end(body);
  });
}
