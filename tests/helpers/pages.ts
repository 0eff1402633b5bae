// The pages' server as the page and browser tests start it, and the admin typing /orch calendar to get an address.
import { expect } from 'vitest';
import { command, type ServerRig, startServer } from './server-in-process.ts';
import { until } from './until.ts';

export const PUBLIC = 'https://orch.example.org';

export async function pagesServer(): Promise<ServerRig & { web: string }> {
  const rig = await startServer({ ORCH_PUBLIC_URL: PUBLIC, ORCH_WEB_PORT: '0' });
  const port = rig.server.pages?.port;
  if (!port) throw new Error('the pages did not start');
  return { ...rig, web: `http://127.0.0.1:${port}` };
}

/** Types `/orch <text>` as `user` and returns the text of the answer that came back. */
export async function say(rig: ServerRig, text: string, user = 'UADMIN'): Promise<string> {
  const before = rig.fake.responses.length;
  expect(await command(rig, text, user)).toBe(200);
  await until(() => rig.fake.responses.length > before, `an answer to ${text}`);
  return JSON.stringify(rig.fake.responses[before]?.body);
}

/** The calendar address in an answer, moved from the public address to the port the test can reach. */
export function feedAddress(answer: string, web: string): string {
  const url = new RegExp(`${PUBLIC.replaceAll('.', '\\.')}/c/[A-Za-z0-9_-]{32}/calendar\\.ics`).exec(
    answer,
  )?.[0];
  if (!url) throw new Error(`no calendar address in ${answer}`);
  return url.replace(PUBLIC, web);
}
