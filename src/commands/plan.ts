import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 9 lands; the CLI lists it so the command surface is fixed.
export async function planCommand(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`plan` is not available in this build yet (tracked in issue 9)', 'ENOTYET');
}
