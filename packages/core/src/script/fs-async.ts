import { mkdir as mkdirCallback, readdir as readdirCallback, readFile as readFileCallback, writeFile as writeFileCallback } from 'node:fs';
import { promisify } from 'node:util';

// Node's callback `fs` functions as promises, instead of `node:fs/promises`: that module is not in
// Node 20's start-up snapshot, and requiring it (with the streams and readline modules it loads)
// cost `migrate heads` ~3 ms of CPU when nothing else in the process needed it (the bin is
// CommonJS; tools/bench/RESULTS.md, 2026-12-05). Same calls, same errors.

/** `fs.mkdir` as a promise (`node:fs/promises`' `mkdir`). @internal */
export const mkdir = promisify(mkdirCallback);
/** `fs.readdir` as a promise (`node:fs/promises`' `readdir`). @internal */
export const readdir = promisify(readdirCallback);
/** `fs.readFile` as a promise (`node:fs/promises`' `readFile`). @internal */
export const readFile = promisify(readFileCallback);
/** `fs.writeFile` as a promise (`node:fs/promises`' `writeFile`). @internal */
export const writeFile = promisify(writeFileCallback);
