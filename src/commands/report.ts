import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

// Placeholder until issue 6 lands; the CLI lists it so the command surface is fixed.
export async function reportCommand(_ctx: CommandContext, _opts: object): Promise<number> {
  throw new UsageError('`report` is not available in this build yet (tracked in issue 6)', 'ENOTYET');
}
