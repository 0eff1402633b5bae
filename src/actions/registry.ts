import { UserError } from '../errors.ts';
import type { Lang } from '../i18n/messages.ts';
import type { Reply } from '../reply/model.ts';
import { type Action, type ActionContext, splitPressed } from './action.ts';
import * as listed from './index.ts';

/** Every action listed in src/actions/index.ts. */
export const ACTIONS: readonly Action<unknown>[] = Object.values(listed);

const BY_ID = new Map(ACTIONS.map((action) => [action.id, action]));

/** The action a pressed button names, or undefined for an id the bot does not make (any more). */
export function findAction(id: string): Action<unknown> | undefined {
  return BY_ID.get(id);
}

/** True when the press's receipt tells the member something was kept (see `keptBeforeAck`). */
export function isKeptBeforeAck(actionId: string): boolean {
  return findAction(actionId)?.keptBeforeAck === true;
}

/** The language a pressed value was posted in, or null on buttons older than the suffix. */
export function pressLang(pressed: string): Lang | null {
  return splitPressed(pressed).lang;
}

/**
 * Runs a button press; `ctx.lang` is already the language the value carries. An unknown action is "no longer
 * active"; a value its action does not read (forged, damaged) is refused before anything runs.
 */
export async function runPress(ctx: ActionContext, actionId: string, pressed: string): Promise<Reply[]> {
  const action = findAction(actionId);
  if (!action) throw new UserError('error.unknownChoice');
  const payload = action.decode(splitPressed(pressed).value);
  if (payload === null) throw new UserError('action.malformed');
  return action.run(ctx, payload);
}
