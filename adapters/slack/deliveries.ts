/**
 * How long a delivery is remembered. Slack retries an Events API delivery up to three times over about five
 * minutes, redelivers un-acked Socket Mode envelopes on the next socket, and Bolt accepts a signed request for five
 * minutes after its timestamp (one minute before it, see http-intake.ts); ten minutes covers all of them.
 */
export const DELIVERY_CLAIM_MS = 10 * 60_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The identity of one thing a member did, the same on every retry, replay and redelivery of it: an event's
 * `event_id`, or the `trigger_id` Slack gives each slash command and each interaction. Null for what has neither.
 */
export function deliveryKey(body: unknown): string | null {
  if (!isRecord(body)) return null;
  if (typeof body.event_id === 'string' && body.event_id !== '') return `slack:event:${body.event_id}`;
  if (typeof body.trigger_id === 'string' && body.trigger_id !== '')
    return `slack:trigger:${body.trigger_id}`;
  return null;
}
