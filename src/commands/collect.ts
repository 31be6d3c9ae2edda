import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 4 lands; the CLI lists it so the command surface is fixed.
export async function collectCommand(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`collect` is not available in this build yet (tracked in issue 4)', 'ENOTYET');
}
