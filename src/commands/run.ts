import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 3 lands; the CLI lists it so the command surface is fixed.
export async function runCommand(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`run` is not available in this build yet (tracked in issue 3)', 'ENOTYET');
}
