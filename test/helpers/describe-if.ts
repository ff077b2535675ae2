// Suites that need something a machine may lack (a PostgreSQL or Redis server, Chromium, Debian's
// sqlite3 shell). Without it jest registers them as skipped, so the summary counts their tests as
// skipped rather than passed, and one line on stderr says what would run them.

/** `describe`, as the suites here call it. */
export type SuiteFn = (name: string, fn: () => void) => void;

/**
 * `describe` when `ready`; otherwise `describe.skip`, after one line naming the suite and `hint`
 * (which variable to set, or what to install).
 */
export function describeIf(ready: boolean, hint: string): SuiteFn {
  const register = ready ? describe : describe.skip;
  return (name, fn) => {
    if (!ready) process.stderr.write(`skipped "${name}": ${hint}\n`);
    register(name, fn);
  };
}
