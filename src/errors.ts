/**
 * The two errors a run ends with instead of a report: both are one line on stderr and
 * exit code 2, never a stack trace.
 */

/** The invocation cannot be carried out: an unknown option, a path that does not exist. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration file is missing, unreadable or invalid (the message names the file and key). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
