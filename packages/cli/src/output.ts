import { maskSecrets, maskUrl, type RevisionInFlight } from '@multidb/core';

/** Where the CLI writes: results to stdout, progress to stderr (DESIGN §8). Every line is masked. */
export interface Output {
  /** A result line (stdout). */
  out(line: string): void;
  /** A progress or diagnostic line (stderr). */
  err(line: string): void;
  /** Text for stdout as it is, unmasked (an offline SQL script is data); absent: `out`, per line. */
  raw?(text: string): void;
  /**
   * Several result lines (stdout) at once, each masked as {@link out} masks it, in one write
   * (`history` prints thousands); absent: `out`, per line.
   */
  outLines?(lines: readonly string[]): void;
}

/**
 * Writes text to a stream until its reader goes away: once a write fails with `EPIPE` (stdout
 * piped into `head`, which has exited), later lines are dropped, so the command finishes quietly
 * (a run is never cut short half way because nobody reads its output) instead of dying on an
 * unhandled 'error' event with a stack trace.
 */
function streamWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  let listening = false;
  return (text) => {
    if (!listening) {
      listening = true;
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
        else throw error;
      });
    }
    if (closed || stream.destroyed) return;
    stream.write(text);
  };
}

const stdout = streamWriter(process.stdout);
const stderr = streamWriter(process.stderr);

/** The process's own streams. A closed stdout or stderr (EPIPE) drops later lines quietly. */
export const processOutput: Output = {
  out: (line) => stdout(`${maskUrl(line)}
`),
  err: (line) => stderr(`${maskUrl(line)}
`),
  raw: (text) => stdout(text),
  outLines: (lines) => {
    let text = '';
    for (const line of lines) text += `${maskUrl(line)}\n`;
    if (text) stdout(text);
  },
};

/**
 * An {@link Output} that masks every line before passing it on: every URL in it ({@link maskUrl})
 * and, once the config is loaded, the secrets of the binds' URLs wherever they appear
 * (`maskSecrets`: passwords, secret query parameters, a URL that does not parse, a password a
 * driver quotes on its own). `main` wraps its output in one, so no command can print a secret.
 *
 * @example
 * ```ts
 * const output = new MaskingOutput(processOutput);
 * output.addUrls(['postgres://app:s3cret@db/sales']);
 * output.err('login failed for s3cret'); // prints 'login failed for ***'
 * ```
 */
export class MaskingOutput implements Output {
  readonly #inner: Output;
  readonly #urls: string[] = [];

  constructor(inner: Output) {
    this.#inner = inner;
  }

  /** Masks the secrets of these URLs (the binds' URLs) in every later line. */
  addUrls(urls: Iterable<string | undefined>): void {
    for (const url of urls) if (url && !this.#urls.includes(url)) this.#urls.push(url);
  }

  /** The text masked as lines are. */
  mask(text: string): string {
    return maskSecrets(text, this.#urls);
  }

  /** Writes a result line (stdout), masked. */
  out(line: string): void {
    this.#inner.out(this.mask(line));
  }

  /** Writes a progress or diagnostic line (stderr), masked. */
  err(line: string): void {
    this.#inner.err(this.mask(line));
  }

  /** Writes result lines (stdout), each masked as {@link out} masks it, in one write where the inner output can. */
  outLines(lines: readonly string[]): void {
    const masked = lines.map((line) => this.mask(line));
    if (this.#inner.outLines) this.#inner.outLines(masked);
    else for (const line of masked) this.#inner.out(line);
  }

  /** Passes an offline SQL script on as it is (it is data, and holds no URL). */
  raw(text: string): void {
    if (this.#inner.raw) this.#inner.raw(text);
    else for (const line of text.replace(/\n$/, '').split('\n')) this.#inner.out(line);
  }
}

/** Shows a list of revision ids the Alembic way: `<base>` when empty. */
export function formatRevs(revs: readonly string[]): string {
  return revs.length ? revs.join(', ') : '<base>';
}

/**
 * A revision in flight the way `current` and `status` print it:
 * `ab0000000001 (in flight: upgrade stopped after 3 write(s), last: createTable t2)`.
 */
export function formatInFlight(f: RevisionInFlight): string {
  return `${f.revision} (in flight: ${f.direction === 'up' ? 'upgrade' : 'downgrade'} stopped after ${f.writes} write(s), last: ${f.last})`;
}
