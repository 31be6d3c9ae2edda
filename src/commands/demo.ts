import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 7 lands; the CLI lists it so the command surface is fixed.
export async function demo(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`demo` is not available in this build yet (tracked in issue 7)', 'ENOTYET');
}
