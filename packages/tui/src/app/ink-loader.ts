/**
 * Imports Ink for an interactive terminal. Ink decides once, when it loads, whether it runs under
 * CI (`CI` or `CONTINUOUS_INTEGRATION` set, through `is-in-ci`) and then draws only the final
 * frame. The TUI starts only when stdin and stdout are terminals, where a person is watching, so
 * those variables are hidden while Ink loads and restored right after (revisions and workers see
 * the environment unchanged).
 *
 * @returns Ink's module.
 * @example
 * ```ts
 * const { render } = await importInkForTerminal();
 * ```
 */
export async function importInkForTerminal(): Promise<typeof import('ink')> {
  const names = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = names.map((name) => [name, process.env[name]] as const);
  for (const name of names) delete process.env[name];
  try {
    return await import('ink');
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}
