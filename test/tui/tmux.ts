// Drives a program in a detached tmux session of a fixed size, for end-to-end tests of the TUI.
import { execFileSync } from 'node:child_process';
import { MIGRATE_BIN } from '../support/project.js';

/** Options of {@link TmuxSession.start}. */
export interface TmuxOptions {
  readonly cwd: string;
  /** The command line, run by `sh -c`. */
  readonly command: string;
  /** Variables set for the command (`undefined` removes one). */
  readonly env?: NodeJS.ProcessEnv;
  readonly columns?: number;
  readonly rows?: number;
}

/** Whether the `tmux` binary is on the PATH. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A tmux server of its own (`-L <unique socket>`, no user config, `escape-time 0` so Esc
 * arrives at once) with one session running the command. When the command ends, its exit code
 * is printed as `EXIT:<code>` and the pane stays open to be read.
 */
export class TmuxSession {
  readonly socket: string;

  private constructor(socket: string) {
    this.socket = socket;
  }

  static start(options: TmuxOptions): TmuxSession {
    const socket = `multidb-tui-${process.pid}-${Date.now().toString(36)}`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v;
    const session = new TmuxSession(socket);
    const script = `${options.command}; echo "EXIT:$?"; sleep 600`;
    execFileSync(
      'tmux',
      ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), '-c', options.cwd, 'sh', '-c', script, ';', 'set', '-g', 'escape-time', '0'],
      { env },
    );
    return session;
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen, one string per row (`escapes`: with colour and attribute sequences). */
  screen(escapes = false): string {
    return this.#tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []));
  }

  /** Sends keys by tmux name (`Enter`, `Escape`, `Down`) or as literal text. */
  send(...keys: string[]): void {
    this.#tmux('send-keys', ...keys);
  }

  /**
   * Waits until the screen matches, then a little longer (a screen subscribes to keys just
   * after its first frame). @returns the screen. @throws with the last screen on timeout.
   */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) {
        await sleep(150);
        return this.screen();
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${String(pattern)}; the screen:\n${screen}`);
      await sleep(50);
    }
  }

  /** Sends keys, then waits for the screen to match. */
  async press(keys: string | string[], expect: string | RegExp): Promise<string> {
    this.send(...(Array.isArray(keys) ? keys : [keys]));
    return this.waitFor(expect);
  }

  kill(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Runs `migrate tui ARGS` (the built bin) in `cwd` in a new tmux session, without colours, on an
 * xterm-256color terminal; `env` is added to (or, with `undefined`, removed from) the environment.
 */
export function startMigrateTui(cwd: string, args: readonly string[] = [], env: Readonly<Record<string, string | undefined>> = {}): TmuxSession {
  return TmuxSession.start({
    cwd,
    command: [process.execPath, MIGRATE_BIN, 'tui', ...args].map((arg) => JSON.stringify(arg)).join(' '),
    env: { NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm-256color', ...env },
  });
}
