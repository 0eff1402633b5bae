import { UserError } from '../errors.ts';

/**
 * A command line the bot could not read (a bad argument, an unknown option): nothing was done, and the message names
 * what was wrong. Other UserErrors are refusals of a well-formed request (not an admin, a round already running).
 */
export class UsageError extends UserError {
  override name = 'UsageError';
}
