import type * as Crypto from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from './fs-async.js';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, RevisionError, ScriptError } from '../errors.js';
import { codeUsesName } from './code-uses-name.js';
import { HeaderCache } from './header-cache.js';
import { parseRevisionHeader } from './header-parser.js';
import { REVISION_ID_PATTERN, type RevisionHeader, type RevisionScript } from './revision-script.js';
import { unusedTypesName } from './revision-types-name.js';

/** Name of the revision template in a migration repository. */
const TEMPLATE_FILE = 'script.ts.tmpl';
/** Longest slug in a revision file name. */
const SLUG_LENGTH = 40;
/** File names Windows reserves for devices, with any extension (`con.ts` cannot be created there). */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** `readFileSync` options as an object: a string is copied into a new options object on every call. */
const UTF8 = { encoding: 'utf8' } as const;
/** `statSync` options of a listing: a file gone since its folder was listed fails at its read instead. */
const STAT_OPTIONS = { throwIfNoEntry: false } as const;
/** Branch (folder) names: they double as branch labels and, by default, bind names. */
const BRANCH_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

/** Options of {@link ScriptDirectory.open}. */
export interface ScriptDirectoryOptions {
  /**
   * Keep the headers read from revision files in a cache file (default `true`): one file per
   * `versions/` folder, next to the module loader's transpile cache (`node_modules/.cache/multidb`,
   * else the OS temp folder). A file's cached header is used only while its size, modification
   * and change times and inode are those of the file it was read from, so an edited, replaced,
   * added, renamed or removed file is always seen; checking that takes one `stat` per file
   * instead of reading and parsing it. `false`: read every file every time.
   */
  readonly headerCache?: boolean | HeaderCache;
}

/** What {@link ScriptDirectory.writeRevision} renders into `script.ts.tmpl`. */
export interface RevisionInput {
  /** Branch (folder under `versions/`); created when new. */
  readonly branch: string;
  /** The new revision id (see {@link generateRevisionId}). */
  readonly revision: string;
  /** Parents: none for a branch root, one, or several for a merge. */
  readonly downRevisions: readonly string[];
  /** Branch labels (a branch root carries its branch's name). */
  readonly branchLabels: readonly string[];
  /** Revisions (full ids) it depends on, usually of other branches. */
  readonly dependsOn: readonly string[];
  /** The revision's message; the file name's slug is made from it. */
  readonly message: string;
  /** Creation time (default: now), written as ISO 8601 without milliseconds. */
  readonly createDate?: Date;
  /** Extra import lines (autogenerate); an empty value removes the placeholder's line. */
  readonly imports?: string;
  /** Body of `upgrade` (code lines); empty renders a body that does nothing. */
  readonly upgrades?: string;
  /** Body of `downgrade`; empty renders a body that does nothing. */
  readonly downgrades?: string;
  /**
   * The bind's generated database types (`binds.<bind>.types`), for a template with the
   * `${operationsType}` placeholder: it becomes `Operations<name>` and an
   * `import type { DB as name } from '<file, relative to the revision>'` line joins the imports.
   * Without it (or in a template without the placeholder) the revision takes plain `Operations`.
   */
  readonly types?: RevisionTypes;
}

/** A bind's generated types as a new revision imports them (see {@link RevisionInput.types}). */
export interface RevisionTypes {
  /** Absolute path of the types file (`.ts`; imported with the `.js` extension). */
  readonly file: string;
  /**
   * The local name of its `DB` interface in the revision, e.g. `Db2`; with `Db` appended
   * (`OperationsDb`) when the template or the imports already use it.
   */
  readonly name: string;
}

/**
 * Something in the repository that does not stop a command but that the user should know about:
 * - `NOT_A_REVISION`: a file in a branch folder that declares none of the six revision headers
 *   (a helper module): it is skipped;
 * - `FILE_NAME_MISMATCH`: a revision file whose name does not start with the revision id its
 *   header declares (`<revision>_<slug>.ts`): it is read by its header.
 */
export interface ScriptWarning {
  /** What was found (see above). */
  readonly code: 'NOT_A_REVISION' | 'FILE_NAME_MISMATCH';
  /** Absolute path of the file. */
  readonly file: string;
  /** One line that says what was found and what to do about it. */
  readonly message: string;
}

/** The six header names (DESIGN §5). */
const HEADER_NAMES = ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'message', 'createDate'] as const;
const EXPORTS_HEADER = new RegExp(
  `\\bexport\\s+(?:declare\\s+)?(?:const|let|var)\\s+(?:${HEADER_NAMES.join('|')})\\b|\\bexport\\s*\\{[^}]*\\b(?:${HEADER_NAMES.join('|')})\\b[^}]*\\}`,
);

/**
 * Whether a file's text exports any of the six header names (`export const revision`, …, or
 * `export { revision }`). Text is matched as written, comments and strings included, so a file
 * that only seems to is handed to the header parser, which then says what is wrong with it.
 */
function declaresAnyHeader(source: string): boolean {
  return EXPORTS_HEADER.test(source);
}

/**
 * The migration repository on disk (Alembic's ScriptDirectory): `script.ts.tmpl` and
 * `versions/<branch>/<rev>_<slug>.ts`, one folder per branch (DESIGN §1). It lists revision
 * scripts with their statically read headers and writes new ones; it never runs a script.
 *
 * @example
 * ```ts
 * const dir = await ScriptDirectory.open('migrations');
 * dir.branches(); // ['db2', 'default']
 * const scripts = await dir.scripts();
 * ```
 */
export class ScriptDirectory {
  /** Absolute path of the repository. */
  readonly directory: string;
  /** Absolute path of its `versions/` folder. */
  readonly versionsDirectory: string;
  #branches: readonly string[];
  #warnings: readonly ScriptWarning[] = [];
  readonly #headerCache: HeaderCache | undefined;

  private constructor(directory: string, branches: readonly string[], headerCache: HeaderCache | undefined) {
    this.directory = directory;
    this.versionsDirectory = join(directory, 'versions');
    this.#branches = branches;
    this.#headerCache = headerCache;
  }

  /**
   * Opens a migration repository.
   *
   * @param directory - the repository folder (relative paths resolve against the cwd).
   * @param options - see {@link ScriptDirectoryOptions}.
   * @returns the script directory, with its branch folders listed.
   * @throws {@link ConfigError} when the folder or its `versions/` folder is missing (pointing
   *   to `migrate init`).
   * @example
   * ```ts
   * const dir = await ScriptDirectory.open('/project/migrations');
   * ```
   */
  static async open(directory: string, options: ScriptDirectoryOptions = {}): Promise<ScriptDirectory> {
    const root = resolve(directory);
    if (!isDirectory(root)) {
      throw new ConfigError(`No migration repository at ${root}. Create one with 'migrate init' (or 'migrate init --multidb').`);
    }
    const versions = join(root, 'versions');
    if (!isDirectory(versions)) {
      throw new ConfigError(
        `${root} has no 'versions' folder, so it is not a migration repository. Create one with 'migrate init', or restore 'versions/'.`,
      );
    }
    const cache = options.headerCache ?? true;
    return new ScriptDirectory(root, branchNames(listFolder(versions)), cache === true ? new HeaderCache() : cache === false ? undefined : cache);
  }

  /** Branch names (folders under `versions/`), sorted, as of the last listing. */
  branches(): string[] {
    return [...this.#branches];
  }

  /**
   * What the last {@link scripts} call found worth a warning (see {@link ScriptWarning}), in file
   * order; `[]` before the first call.
   * @example
   * ```ts
   * await dir.scripts();
   * for (const w of dir.warnings) console.error(`WARNING: ${w.message}`);
   * ```
   */
  get warnings(): readonly ScriptWarning[] {
    return this.#warnings;
  }

  /** Absolute path of `script.ts.tmpl`. */
  get templatePath(): string {
    return join(this.directory, TEMPLATE_FILE);
  }

  /**
   * Lists every revision script: `*.ts`, `*.mts`, `*.js`, `*.mjs` files directly under
   * `versions/<branch>/` (not `*.d.ts`, `*.test.*`, `*.spec.*` or dotfiles), with headers read by
   * {@link parseRevisionHeader}. Also refreshes {@link branches} and {@link warnings}: a file
   * that exports none of the six header names (a helper module) is skipped with a
   * `NOT_A_REVISION` warning, and a revision whose file name does not start with its id gets a
   * `FILE_NAME_MISMATCH` warning. A file that exports some header names but breaks the header
   * rules (say, no `revision`) stays an error.
   *
   * @returns the scripts, sorted by branch, then file name.
   * @throws {@link ScriptError} when a header breaks the grammar, or when a script lies directly
   *   in `versions/` instead of a branch folder.
   * @example
   * ```ts
   * for (const s of await dir.scripts()) console.log(s.branch, s.revision, s.downRevisions);
   * ```
   */
  async scripts(): Promise<RevisionScript[]> {
    const versions = this.versionsDirectory;
    // The folders are checked and listed synchronously, as the headers are read below: a few
    // system calls, where each asynchronous one is a round trip through libuv's thread pool
    // (whose four threads a command such as `migrate heads` otherwise starts for nothing else).
    const entries = listFolder(versions);
    const stray = entries.find((e) => !e.isDirectory() && isScriptFileName(e.name));
    if (stray) {
      const file = join(versions, stray.name);
      throw new ScriptError(`${file}: revision scripts belong in versions/<branch>/; move it into its branch folder`, file);
    }
    this.#branches = branchNames(entries);
    const listings: { branch: string; folder: string; names: string[] }[] = [];
    for (const branch of this.#branches) {
      const folder = join(versions, branch);
      const names = listFolder(folder)
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && isScriptFileName(e.name))
        .map((e) => e.name)
        .sort();
      listings.push({ branch, folder, names });
    }
    const cache = this.#headerCache?.open(versions);
    // Synchronous reads on purpose: for thousands of small files they are ~10x faster than
    // async reads through libuv's 4-thread pool (tools/bench/many-revisions.mjs), and a command
    // has nothing else to do while the headers load.
    const warnings: ScriptWarning[] = [];
    const scripts: RevisionScript[] = [];
    for (const { branch, folder, names } of listings) {
      for (const name of names) {
        // `folder` is resolved and a listed name holds no separator: what join() would return.
        const path = `${folder}${sep}${name}`;
        // Stamped before it is read: a change after the stamp is seen by the next listing.
        const stamp = cache && statSync(path, STAT_OPTIONS);
        let script = stamp ? cache.get(branch, name, path, stamp) : undefined;
        if (script === undefined) {
          const source = readFileSync(path, UTF8);
          const header = declaresAnyHeader(source) ? parseRevisionHeader(source, path) : null;
          if (stamp) cache.set(branch, name, stamp, header);
          script = header && revisionScript(header, branch, path);
        }
        if (script === null) {
          warnings.push({
            code: 'NOT_A_REVISION',
            file: path,
            message: `${path} exports none of the revision headers (${HEADER_NAMES.join(', ')}), so it is not a revision: skipped. Move helper modules out of the versions folder.`,
          });
          continue;
        }
        if (!name.startsWith(script.revision) || (name.length > script.revision.length && !isIdEnd(name, script.revision.length))) {
          const mismatch = fileNameMismatch(script, name, path);
          if (mismatch) warnings.push(mismatch);
        }
        scripts.push(script);
      }
    }
    cache?.save(listings);
    this.#warnings = Object.freeze(warnings);
    return scripts;
  }

  /**
   * The file {@link writeRevision} writes a revision to: `versions/<branch>/<rev>_<slug>.ts`, the
   * slug made from the message by {@link slugify} (`versions/<branch>/<rev>.ts` when it has none;
   * `<rev>_.ts` for an id that is a device name on Windows, such as `con` or `nul`).
   *
   * @param input - the revision's branch, id and message.
   * @returns the absolute path (nothing is read or written).
   * @example
   * ```ts
   * dir.revisionPath({ branch: 'db2', revision: '3f2a9c1d7b40', message: 'add invoice currency' }); // …/versions/db2/3f2a9c1d7b40_add_invoice_currency.ts
   * ```
   */
  revisionPath(input: Pick<RevisionInput, 'branch' | 'revision' | 'message'>): string {
    const slug = slugify(input.message);
    // Without a slug, an id that is a device name on Windows (`con`, `nul`, `com1`…) would name
    // a file Windows cannot create, whatever its extension: `con_.ts` instead.
    const stem = slug ? `${input.revision}_${slug}` : WINDOWS_DEVICE_NAME.test(input.revision) ? `${input.revision}_` : input.revision;
    return join(this.versionsDirectory, input.branch, `${stem}.ts`);
  }

  /**
   * Writes a new revision script from `script.ts.tmpl` to `versions/<branch>/<rev>_<slug>.ts`.
   *
   * Placeholders (DESIGN §5) are filled with TypeScript literals: `${revision}` → `'3f2a…'`,
   * `${downRevision}` → `null`, `'id'` or `['a', 'b']`, `${branchLabels}` and `${dependsOn}` →
   * arrays, `${message}` → an escaped string, `${createDate}` → `'2026-11-23T10:04:00Z'`.
   * `${imports}`, `${upgrades}` and `${downgrades}` are code: continuation lines get the
   * placeholder's indentation, an empty `${imports}` alone on its line removes the line, and an
   * empty upgrade or downgrade renders a comment (a body that does nothing). A body that does not
   * use its function's parameter (`op` in the template's `upgrade(op: …)`: an empty body, or a
   * downgrade that only throws) starts with `void op;`, so that the file compiles under
   * `noUnusedParameters` and `op` is there to fill the body in with. Other `${…}` text in
   * the template is left as it is. The rendered header is checked with {@link parseRevisionHeader}
   * before anything is written.
   *
   * @param input - see {@link RevisionInput}.
   * @returns the absolute path of the new file.
   * @throws {@link RevisionError} for an invalid revision id, down revision or branch name, or when
   *   the file already exists (never overwritten); {@link ConfigError} when `script.ts.tmpl` is
   *   missing or renders a header that does not parse.
   * @example
   * ```ts
   * const path = await dir.writeRevision({
   *   branch: 'db2', revision: generateRevisionId(), downRevisions: ['1bc594146bb5'],
   *   branchLabels: [], dependsOn: [], message: 'add invoice currency',
   * });
   * ```
   */
  async writeRevision(input: RevisionInput): Promise<string> {
    if (!isValidBranchName(input.branch)) {
      throw new RevisionError(`Invalid branch name '${input.branch}': use letters, digits, _ and -, starting with a letter or _ (at most 63).`);
    }
    checkId(input.revision, 'revision id');
    for (const down of input.downRevisions) checkId(down, 'down revision');

    let template: string;
    try {
      template = await readFile(this.templatePath, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Cannot read the revision template ${this.templatePath}; restore it (the default is the one 'migrate init' writes).`,
        this.templatePath,
        { cause: error },
      );
    }

    const folder = join(this.versionsDirectory, input.branch);
    const path = this.revisionPath(input);
    const source = renderTemplate(template, input, folder);
    try {
      parseRevisionHeader(source, path);
    } catch (error) {
      throw new ConfigError(
        `${this.templatePath} renders an invalid revision header: ${error instanceof Error ? error.message : String(error)}`,
        this.templatePath,
        { cause: error },
      );
    }

    await mkdir(folder, { recursive: true });
    try {
      await writeFile(path, source, { encoding: 'utf8', flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RevisionError(`${path} already exists; it is not overwritten. Choose another revision id or message.`);
      }
      throw error;
    }
    if (!this.#branches.includes(input.branch)) this.#branches = [...this.#branches, input.branch].sort();
    return path;
  }
}

/** Whether `name`, after a revision id of `length` characters, goes on with `_` or ends with the extension. */
function isIdEnd(name: string, length: number): boolean {
  const c = name.charCodeAt(length);
  return c === 95 /* _ */ || (c === 46 /* . */ && name.indexOf('.', length + 1) < 0);
}

/** The warning for a revision whose file name does not start with its id (`<revision>_<slug>.ts`), if so. */
function fileNameMismatch(script: RevisionScript, name: string, path: string): ScriptWarning | undefined {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  if (stem === script.revision || stem.startsWith(`${script.revision}_`)) return undefined;
  const slug = stem.includes('_') ? stem.slice(stem.indexOf('_')) : '';
  return {
    code: 'FILE_NAME_MISMATCH',
    file: path,
    message:
      `${path} declares revision '${script.revision}', but its name says '${stem.split('_')[0]}'; ` +
      `rename it to ${script.revision}${slug}${ext} (or fix its header) so that the file and the revision agree.`,
  };
}

/** A revision's script: its header, branch and file, frozen (fields in the header's order). */
function revisionScript(header: RevisionHeader, branch: string, path: string): RevisionScript {
  const { revision, downRevisions, branchLabels, dependsOn, message, createDate } = header;
  // Two literals rather than a spread: createDate, when written, sits after message.
  return Object.freeze(
    createDate === undefined
      ? { revision, downRevisions, branchLabels, dependsOn, message, branch, path }
      : { revision, downRevisions, branchLabels, dependsOn, message, createDate, branch, path },
  );
}

/**
 * Generates a revision id: 12 lower-case hex characters from a cryptographic random source.
 *
 * @returns e.g. `'3f2a9c1d7b40'`.
 * @example
 * ```ts
 * generateRevisionId(); // '3f2a9c1d7b40'
 * ```
 */
export function generateRevisionId(): string {
  // node:crypto is loaded here, on the first id: most commands make none.
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.randomBytes(6).toString('hex');
}

let crypto: typeof Crypto | undefined;

/**
 * Turns a revision message into the file-name slug: lower case, every run of characters other
 * than ASCII letters and digits becomes one `_`, no `_` at either end, at most 40 characters.
 *
 * @param message - the revision message.
 * @returns the slug; `''` when the message has no letter or digit.
 * @example
 * ```ts
 * slugify('Add invoice currency!'); // 'add_invoice_currency'
 * ```
 */
export function slugify(message: string): string {
  return message
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, SLUG_LENGTH)
    .replace(/_+$/, '');
}

/**
 * Whether a name can be a branch: a folder under `versions/` and a branch label. The rule is
 * the one for bind names: letters, digits, `_` and `-`, starting with a letter or `_`, 1 to 63
 * characters.
 *
 * @param name - the candidate name.
 * @returns `true` when valid.
 * @example
 * ```ts
 * isValidBranchName('db2'); // true
 * isValidBranchName('../x'); // false
 * ```
 */
export function isValidBranchName(name: string): boolean {
  return BRANCH_NAME_PATTERN.test(name);
}

/**
 * Renders a string as a single-quoted TypeScript literal, escaping `\`, `'`, line breaks and
 * other control characters.
 *
 * @param value - any string.
 * @returns the literal, e.g. `'it\'s'`.
 * @example
 * ```ts
 * renderStringLiteral("it's"); // "'it\\'s'"
 * ```
 */
export function renderStringLiteral(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    } else out += ch;
  }
  return out + "'";
}

function renderStringArray(values: readonly string[]): string {
  return `[${values.map(renderStringLiteral).join(', ')}]`;
}

function renderDownRevision(values: readonly string[]): string {
  if (values.length === 0) return 'null';
  if (values.length === 1) return renderStringLiteral(values[0]!);
  return renderStringArray(values);
}

/** ISO 8601, UTC, seconds precision: `2026-11-23T10:04:00Z`. */
function renderDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const EMPTY_BODY = '// Nothing to do.';

/**
 * `code` as the body of the template's function `fn` (`upgrade`, `downgrade`): `// Nothing to
 * do.` when empty; and when the function's parameter (`op` in `upgrade(op: …)`) is not used in
 * it, a first statement `void op;` that uses it, so that the file compiles under TypeScript's
 * `noUnusedParameters` and the body can be filled in with `op` as it is named.
 */
function functionBody(template: string, fn: 'upgrade' | 'downgrade', code: string): string {
  const body = code.trim();
  const parameter = new RegExp(`(?:\\bfunction\\s+${fn}|\\b${fn}\\s*=\\s*(?:async\\s*)?)\\s*\\(\\s*([A-Za-z_$][\\w$]*)`).exec(template)?.[1];
  if (parameter === undefined || codeUsesName(body, parameter)) return body || EMPTY_BODY;
  return body ? `void ${parameter};\n${body}` : `void ${parameter}; ${EMPTY_BODY}`;
}

/** How a revision in `folder` imports a types file: relative, POSIX separators, `.ts` → `.js`. */
function typesSpecifier(folder: string, file: string): string {
  const path = relative(folder, file).split(sep).join('/').replace(/\.([mc]?)tsx?$/, '.$1js');
  return path.startsWith('.') ? path : `./${path}`;
}

function renderTemplate(template: string, input: RevisionInput, folder: string): string {
  const typed = input.types !== undefined && template.includes('${operationsType}');
  // The name, unless the template or the imports already use it (a bind named `operations`).
  const typesName = typed ? unusedTypesName(input.types!.name, `${template}\n${input.imports ?? ''}`) : '';
  const typesImport = typed ? `import type { DB as ${typesName} } from ${renderStringLiteral(typesSpecifier(folder, input.types!.file))};` : '';
  const literals: Readonly<Record<string, string>> = {
    operationsType: typed ? `Operations<${typesName}>` : 'Operations',
    revision: renderStringLiteral(input.revision),
    downRevision: renderDownRevision(input.downRevisions),
    branchLabels: renderStringArray(input.branchLabels),
    dependsOn: renderStringArray(input.dependsOn),
    message: renderStringLiteral(input.message),
    createDate: renderStringLiteral(renderDate(input.createDate ?? new Date())),
  };
  const code: Readonly<Record<string, string>> = {
    imports: [typesImport, (input.imports ?? '').trim()].filter(Boolean).join('\n'),
    upgrades: functionBody(template, 'upgrade', input.upgrades ?? ''),
    downgrades: functionBody(template, 'downgrade', input.downgrades ?? ''),
  };
  // Line by line, so a code value can be indented like its placeholder and an empty one can
  // drop its line. Values are inserted in one pass: text they contain is never re-scanned.
  const out: string[] = [];
  for (const line of template.split('\n')) {
    const alone = /^([ \t]*)\$\{(\w+)\}[ \t]*\r?$/.exec(line);
    if (alone && alone[2]! in code && code[alone[2]!] === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    out.push(
      line.replace(/\$\{(\w+)\}/g, (placeholder, name: string) => {
        if (name in literals) return literals[name]!;
        if (name in code) return code[name]!.split('\n').map((l, i) => (i === 0 || l.trim() === '' ? l.trimEnd() : indent + l)).join('\n');
        return placeholder;
      }),
    );
  }
  return out.join('\n');
}

function checkId(id: string, what: string): void {
  if (!REVISION_ID_PATTERN.test(id)) {
    throw new RevisionError(`Invalid ${what} '${id}': use 1 to 32 letters, digits or _.`);
  }
}

/** Revision script file names: `.ts`, `.mts`, `.js`, `.mjs`; not declarations, tests or dotfiles. */
function isScriptFileName(name: string): boolean {
  return (
    !name.startsWith('.') &&
    /\.(?:ts|mts|js|mjs)$/.test(name) &&
    !/\.d\.m?ts$/.test(name) &&
    !/\.(?:test|spec)\.m?[jt]s$/.test(name)
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function listFolder(folder: string): Dirent[] {
  return readdirSync(folder, { withFileTypes: true });
}

function branchNames(entries: readonly Dirent[]): string[] {
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
