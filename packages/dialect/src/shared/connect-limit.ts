import { closeSync, openSync } from 'node:fs';

/**
 * What a connect error means when it is about a limit on connections or files rather than the
 * database itself: the process ran out of file descriptors (`EMFILE`, `ENFILE`: `ulimit -n`),
 * PostgreSQL refused a session (SQLSTATE `53300`, "sorry, too many clients already",
 * "remaining connection slots are reserved"), MySQL/MariaDB too (`ER_CON_COUNT_ERROR`, errno
 * 1040, "Too many connections"). The hint says so, and what to do, instead of advice about the
 * database (a folder to create, a URL to check) that would send the reader the wrong way.
 * Looks at the error and its `cause` chain.
 * @returns a hint (a sentence that follows the error's reason), or `undefined` for any other error.
 */
export function connectLimitHint(error: unknown): string | undefined {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, errno, message } = e as { code?: unknown; errno?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (code === 'EMFILE' || code === 'ENFILE' || /\bE[MN]FILE\b|too many open files/i.test(text)) {
      return code === 'ENFILE' || /\bENFILE\b/.test(text)
        ? 'ENFILE, the system has too many files open: close some, or raise its limit (fs.file-max)'
        : 'EMFILE, this process has too many files open: raise its limit, ulimit -n, or have fewer binds open at once';
    }
    if (code === '53300' || /too many clients|remaining connection slots are reserved/i.test(text)) {
      return "the PostgreSQL server refused the connection: too many connections already (its max_connections, or the role's or the database's CONNECTION LIMIT); try again once fewer are connected, or raise the limit";
    }
    if (code === 'ER_CON_COUNT_ERROR' || errno === 1040 || /too many connections/i.test(text)) {
      return 'the server refused the connection: it has too many connections already (max_connections); try again once fewer are connected, or raise max_connections';
    }
  }
  return undefined;
}

/**
 * Whether this process cannot open one more file now (`EMFILE`/`ENFILE`): SQLite reports only
 * `SQLITE_CANTOPEN` when it runs out of descriptors, so a failed open is told apart from a
 * missing or unwritable folder by trying to open `path` (a folder or file that exists) once.
 * @returns the error's code (`'EMFILE'`, `'ENFILE'`), or `undefined` when a file could be opened (or failed otherwise).
 */
export function outOfFileDescriptors(path: string): 'EMFILE' | 'ENFILE' | undefined {
  try {
    closeSync(openSync(path, 'r'));
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'EMFILE' || code === 'ENFILE' ? code : undefined;
  }
}
