import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 5 lands; the CLI lists it so the command surface is fixed.
export async function doctor(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`doctor` is not available in this build yet (tracked in issue 5)', 'ENOTYET');
}
