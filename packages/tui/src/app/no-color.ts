/**
 * Applies `NO_COLOR` (https://no-color.org: present and not empty) by setting `FORCE_COLOR=0`,
 * which chalk reads when it loads. Ink 6's chalk ignores `NO_COLOR` on a TTY, so this must run
 * before Ink is first imported; {@link runTui} calls it before its dynamic import of Ink.
 *
 * @param env - the environment to read and change (default `process.env`).
 * @returns whether colour is off.
 * @example
 * ```ts
 * applyNoColor({ NO_COLOR: '1' }); // true, and FORCE_COLOR is now '0'
 * ```
 */
export function applyNoColor(env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  if (noColor) env.FORCE_COLOR = '0';
  return noColor || env.FORCE_COLOR === '0';
}
