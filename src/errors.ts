/**
 * The few error classes the program throws on purpose. The CLI's single top-level catch
 * maps them to exit codes; anything else is an internal error (stack + how to report).
 */
export const ExitCode = {
  ok: 0,
  belowThreshold: 1,
  usage: 2,
  unreachable: 3,
  internal: 70,
} as const;

export class RespondAuditError extends Error {
  readonly exitCode: number = ExitCode.internal;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, a missing file, a lock held by another run. Exit 2. */
export class UsageError extends RespondAuditError {
  override readonly exitCode: number = ExitCode.usage;
  constructor(message: string, code = 'EUSAGE') {
    super(message, code);
  }
}

export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatIssue(i: ConfigIssue): string {
  const where = `${i.file}:${i.line}:${i.col}`;
  const tag = i.severity === 'warning' ? 'warning: ' : '';
  return i.path ? `${where} ${tag}${i.path}: ${i.message}` : `${where} ${tag}${i.message}`;
}

/** The config (or an inquiry template) is invalid. Carries every issue at once. Exit 2. */
export class ConfigError extends RespondAuditError {
  override readonly exitCode: number = ExitCode.usage;
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n'), 'ECONFIG');
  }
}

/** IMAP, SMTP, Twilio or the browser could not be reached. Exit 3. */
export class DependencyError extends RespondAuditError {
  override readonly exitCode: number = ExitCode.unreachable;
  constructor(
    message: string,
    code = 'EUNREACHABLE',
    readonly dependency?: string,
  ) {
    super(message, code);
  }
}

/** The audit ran and something is below its threshold. Exit 1. */
export class BelowThresholdError extends RespondAuditError {
  override readonly exitCode: number = ExitCode.belowThreshold;
  constructor(message: string) {
    super(message, 'EBELOWTHRESHOLD');
  }
}

export function isRespondAuditError(e: unknown): e is RespondAuditError {
  return e instanceof RespondAuditError;
}
