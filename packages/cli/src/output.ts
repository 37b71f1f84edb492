import { writeSync } from 'node:fs';
import { maskUrl, secretsMasker, type RevisionInFlight } from '@multidb/core';

/** Where the CLI writes: results to stdout, progress to stderr (DESIGN §8). Every line is masked. */
export interface Output {
  /** A result line (stdout). */
  out(line: string): void;
  /** A progress or diagnostic line (stderr). */
  err(line: string): void;
  /**
   * Text for stdout as it is, unmasked (an offline SQL script is data); absent: `out`, per line.
   * It may return a promise (the process's own output does: resolved once stdout has taken the
   * text, or its reader went away), which the CLI awaits before writing more.
   */
  raw?(text: string): void;
  /**
   * Several result lines (stdout) at once, each masked as {@link out} masks it, in one write
   * (`history` prints thousands); absent: `out`, per line.
   */
  outLines?(lines: readonly string[]): void;
}

/**
 * Writes text to one of the process's output descriptors (1: stdout, 2: stderr) until its reader
 * goes away: once a write fails with `EPIPE` (stdout piped into `head`, which has exited), later
 * lines are dropped, so the command finishes quietly (a run is never cut short half way because
 * nobody reads its output) instead of dying on an unhandled 'error' event with a stack trace.
 *
 * Straight to the descriptor (`fs.writeSync`) while it takes each text whole: what Node's stream
 * does on Linux anyway for files, pipes and terminals (they are synchronous there), without making
 * the stream, which on a pipe is a socket whose modules (`net`, `stream`) cost a short command
 * ~7 ms at start-up (tools/bench/RESULTS.md, 2026-12-05). From the first write the descriptor does
 * not take whole (a non-blocking pipe that is full: `EAGAIN`, or a part written) or fails
 * otherwise, the rest and everything after go through Node's stream (`streamOf`), which waits for
 * the reader; the order of the output is kept. The same once Node's stream, made by anyone (a
 * config's or revision's `console.log`), holds text it has not written yet: a line written straight
 * to the descriptor would overtake it. On Windows always the stream (its console needs Node's
 * conversion).
 */
function outputWriter(fd: 1 | 2, streamOf: () => NodeJS.WriteStream, madeStream: () => NodeJS.WriteStream | undefined): (text: string) => boolean {
  let direct = process.platform !== 'win32';
  let closed = false;
  let stream: NodeJS.WriteStream | undefined;
  const viaStream = (text: string | Uint8Array): boolean => {
    if (stream === undefined) {
      stream = streamOf();
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
        else throw error;
      });
    }
    if (closed || stream.destroyed) return true;
    return stream.write(text);
  };
  return (text) => {
    if (closed) return true;
    if (direct && (madeStream()?.writableLength ?? 0) > 0) direct = false;
    if (!direct) return viaStream(text);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      written = writeSync(fd, bytes);
      if (written === bytes.length) return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
        closed = true;
        return true;
      }
    }
    direct = false;
    return viaStream(written === 0 ? text : bytes.subarray(written));
  };
}

/** Characters per write of {@link sliceWriter}. */
const SLICE = 64 * 1024;

/**
 * Writes a long text to a stream in slices of 64 Ki characters (never between the two halves of a
 * surrogate pair), each after the stream has drained the one before, until its reader goes away
 * (as {@link outputWriter}). One `write` of a whole offline script (3 MB for 5,000 revisions)
 * made Node hold three copies of it as buffers while a slower reader took it (9 MB at the run's
 * peak RSS, tools/bench/RESULTS.md, 2026-12-05); a slice of a string is a view, not a copy.
 *
 * @param stream - where `write` writes (its `drain`, `error` and `close` events are awaited).
 * @param write - writes one slice; returns `false` when the caller should wait for `drain`.
 * @returns the writer; its promise resolves once the last slice is written (never rejects).
 * @internal
 */
export function sliceWriter(stream: NodeJS.WritableStream, write: (text: string) => boolean): (text: string) => Promise<void> {
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  return async (text) => {
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + SLICE, text.length);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      const state = stream as { destroyed?: boolean; writableEnded?: boolean };
      if (!write(text.slice(start, end))) {
        if (state.destroyed !== true && state.writableEnded !== true) await drained();
        if (state.destroyed === true || state.writableEnded === true) return;
      }
      start = end;
    }
  };
}

/**
 * Node's stream `process[name]` once anything has read that property (Node makes the stream then),
 * else `undefined`, without making it: Node's getter of the property is wrapped to see that. When
 * the property is not such a getter (replaced by a test), its value. Called at the first write of
 * {@link processOutput}; when the stream may have been made before (see {@link streamMayBeMade}: a
 * preload, `node -r dotenv/config`, a config that logged, or a program embedding `main` that
 * logged), it is taken at once: what keeps it since (the global console, once it logged) never
 * reads the property again.
 */
function madeStream(name: 'stdout' | 'stderr'): () => NodeJS.WriteStream | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(process, name);
  const get = descriptor?.get;
  if (get === undefined || descriptor?.configurable !== true) return () => process[name];
  let made: NodeJS.WriteStream | undefined;
  Object.defineProperty(process, name, { ...descriptor, get: () => (made = get.call(process) as NodeJS.WriteStream) });
  if (streamMayBeMade()) made = process[name];
  return () => made;
}

/** Node's modules, one of which Node loads to make `process.stdout` or `process.stderr` (a terminal, a pipe or socket, a file). */
const STREAM_MODULES = ['NativeModule tty', 'NativeModule net', 'NativeModule internal/fs/sync_write_stream'];

/**
 * Whether `process.stdout` or `process.stderr` may have been made already: Node has loaded one of
 * the modules it makes them with (its list of loaded modules; when it has none, assume so). False
 * in the bin unless a preload wrote or loaded those: the stream is then not made for nothing.
 */
function streamMayBeMade(): boolean {
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  return loaded === undefined || STREAM_MODULES.some((name) => loaded.includes(name));
}

// Node makes `process.stdout` and `process.stderr` when they are first read: only if a write needs them.
// The writers (and the watch on those properties, see madeStream) are made at the first write, not
// when this module loads: an app that imports `@multidb/cli` (for `exitCodeOf`, or `main` with an
// output of its own) keeps its `process` untouched.
let writers: { readonly out: (text: string) => boolean; readonly err: (text: string) => boolean } | undefined;
const processWriters = () => (writers ??= { out: outputWriter(1, () => process.stdout, madeStream('stdout')), err: outputWriter(2, () => process.stderr, madeStream('stderr')) });
const stdout = (text: string): boolean => processWriters().out(text);
const stderr = (text: string): boolean => processWriters().err(text);
let rawStdout: ((text: string) => Promise<void>) | undefined;

/** The process's own streams. A closed stdout or stderr (EPIPE) drops later lines quietly. */
export const processOutput: Output = {
  out: (line) => stdout(`${maskUrl(line)}
`),
  err: (line) => stderr(`${maskUrl(line)}
`),
  raw: (text) => (rawStdout ??= sliceWriter(process.stdout, stdout))(text),
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
  readonly #urls = new Set<string>();
  /** The masking of {@link #urls}, each URL parsed once (made again when URLs are added). */
  #mask: (text: string) => string = secretsMasker([]);

  constructor(inner: Output) {
    this.#inner = inner;
  }

  /** Masks the secrets of these URLs (the binds' URLs) in every later line. */
  addUrls(urls: Iterable<string | undefined>): void {
    const before = this.#urls.size;
    for (const url of urls) if (url) this.#urls.add(url);
    if (this.#urls.size !== before) this.#mask = secretsMasker([...this.#urls]);
  }

  /** The text masked as lines are. */
  mask(text: string): string {
    return this.#mask(text);
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
    // The inner output's promise, if it returns one, is passed on (see Output.raw).
    if (this.#inner.raw) return this.#inner.raw(text);
    for (const line of text.replace(/\n$/, '').split('\n')) this.#inner.out(line);
  }
}

/** Shows a list of revision ids the Alembic way: `<base>` when empty. */
export function formatRevs(revs: readonly string[]): string {
  return revs.length ? revs.join(', ') : '<base>';
}

/**
 * The line `current`, `status` and `history -i` print for a bind they could not read:
 * `unreachable: <reason>`, the reason without the `[bind] ` it starts with when it is the bind's
 * own error (`[db2] cannot connect to …`), since the line already names the bind.
 * @example
 * ```ts
 * formatUnreachable('db2', '[db2] cannot connect to postgres://app:***@h/db: refused'); // 'unreachable: cannot connect to postgres://app:***@h/db: refused'
 * ```
 */
export function formatUnreachable(bind: string, reason: string): string {
  const prefix = `[${bind}] `;
  return `unreachable: ${reason.startsWith(prefix) ? reason.slice(prefix.length) : reason}`;
}

/**
 * The line `current`, `status` and `history -i` print for a bind whose configuration was refused
 * before connecting (core's `misconfigured`: `schema` on MySQL/MariaDB, a URL no dialect takes): `misconfigured: <reason>`,
 * the reason without the `Bind 'db2': ` (or `[db2] `) it starts with, since the line already names
 * the bind.
 * @example
 * ```ts
 * formatMisconfigured('db2', "Bind 'db2': binds.db2.schema is not supported by mysql. Remove it."); // 'misconfigured: binds.db2.schema is not supported by mysql. Remove it.'
 * ```
 */
export function formatMisconfigured(bind: string, reason: string): string {
  const prefix = [`[${bind}] `, `Bind '${bind}': `].find((p) => reason.startsWith(p));
  return `misconfigured: ${prefix ? reason.slice(prefix.length) : reason}`;
}

/**
 * What is known of a revision in flight, as the mark after its id says it:
 * `in flight: upgrade stopped after 3 write(s), last: createTable t2`.
 */
export function inFlightNote(f: RevisionInFlight): string {
  return `in flight: ${f.direction === 'up' ? 'upgrade' : 'downgrade'} stopped after ${f.writes} write(s), last: ${f.last}`;
}

/**
 * A revision in flight the way `current` and `status` print it:
 * `ab0000000001 (in flight: upgrade stopped after 3 write(s), last: createTable t2)`.
 */
export function formatInFlight(f: RevisionInFlight): string {
  return `${f.revision} (${inFlightNote(f)})`;
}
