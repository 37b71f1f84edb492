/**
 * A small document printer in the manner of Wadler's "prettier printer", the algorithm Prettier
 * itself uses: code is described as a tree of text, groups, indentation and line breaks, and the
 * printer breaks a group's lines only when the group does not fit the print width. Only the
 * commands the revision renderer needs are here (no line suffixes, no alignment); their meaning
 * and the printer's choices follow Prettier's, so rendered code matches what Prettier prints.
 */

/** A document: text, a concatenation, or one of the commands below. */
export type Doc = string | readonly Doc[] | GroupDoc | IndentDoc | LineDoc | IfBreakDoc | IndentIfBreakDoc | FillDoc | BreakParentDoc;

/** Printed flat (on one line) when it fits, else broken. */
export interface GroupDoc {
  readonly type: 'group';
  readonly contents: Doc;
  /** Set when the group must break (given, or because it holds a hard line). */
  break: boolean;
  /** Prettier's conditional group: alternatives tried in order, the last printed broken. */
  readonly expandedStates?: readonly Doc[];
  readonly id?: symbol;
}

export interface IndentDoc {
  readonly type: 'indent';
  readonly contents: Doc;
}

/** A space (or nothing, when `soft`) when flat, a new line when broken; `hard` always breaks. */
export interface LineDoc {
  readonly type: 'line';
  readonly soft?: boolean;
  readonly hard?: boolean;
}

export interface IfBreakDoc {
  readonly type: 'if-break';
  readonly breakContents: Doc;
  readonly flatContents: Doc;
  /** The group whose mode decides; default: the enclosing one. */
  readonly groupId?: symbol;
}

export interface IndentIfBreakDoc {
  readonly type: 'indent-if-break';
  readonly contents: Doc;
  readonly groupId: symbol;
}

/** Content/separator pairs: each separator breaks only when the next content does not fit. */
export interface FillDoc {
  readonly type: 'fill';
  readonly parts: readonly Doc[];
}

/** Forces the enclosing group to break. */
export interface BreakParentDoc {
  readonly type: 'break-parent';
}

export const line: LineDoc = { type: 'line' };
export const softline: LineDoc = { type: 'line', soft: true };
export const breakParent: BreakParentDoc = { type: 'break-parent' };
export const hardline: Doc = [{ type: 'line', hard: true }, breakParent];

export function group(contents: Doc, options: { shouldBreak?: boolean; id?: symbol } = {}): GroupDoc {
  return { type: 'group', contents, break: options.shouldBreak ?? false, ...(options.id ? { id: options.id } : {}) };
}

export function conditionalGroup(states: readonly Doc[]): GroupDoc {
  return { type: 'group', contents: states[0] ?? '', break: false, expandedStates: states };
}

export function indent(contents: Doc): IndentDoc {
  return { type: 'indent', contents };
}

export function ifBreak(breakContents: Doc, flatContents: Doc = '', groupId?: symbol): IfBreakDoc {
  return { type: 'if-break', breakContents, flatContents, ...(groupId ? { groupId } : {}) };
}

export function indentIfBreak(contents: Doc, groupId: symbol): IndentIfBreakDoc {
  return { type: 'indent-if-break', contents, groupId };
}

export function fill(parts: readonly Doc[]): FillDoc {
  return { type: 'fill', parts };
}

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  return docs.flatMap((d, i) => (i === 0 ? [d] : [separator, d]));
}

function children(doc: Doc): readonly Doc[] {
  if (typeof doc === 'string') return [];
  if (Array.isArray(doc)) return doc as readonly Doc[];
  const d = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (d.type) {
    case 'group':
      return d.expandedStates ?? [d.contents];
    case 'indent':
    case 'indent-if-break':
      return [d.contents];
    case 'if-break':
      return [d.breakContents, d.flatContents];
    case 'fill':
      return d.parts;
    default:
      return [];
  }
}

/** Whether a doc holds a forced break: a broken group, a hard line or a break-parent (Prettier's `willBreak`). */
export function willBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (!Array.isArray(doc)) {
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    if (d.type === 'group' && d.break) return true;
    if (d.type === 'line' && d.hard) return true;
    if (d.type === 'break-parent') return true;
  }
  return children(doc).some(willBreak);
}

/**
 * Marks every group that holds a hard line (or a broken group) as broken, as Prettier does; a
 * conditional group is never broken this way (its alternatives decide). Returns whether `doc`
 * forces its enclosing group to break.
 */
function propagateBreaks(doc: Doc, visited = new Set<GroupDoc>()): boolean {
  if (typeof doc === 'string') return false;
  if (!Array.isArray(doc)) {
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    if (d.type === 'break-parent') return true;
    if (d.type === 'group') {
      if (!visited.has(d)) {
        visited.add(d);
        let breaks = false;
        for (const child of children(d)) if (propagateBreaks(child, visited)) breaks = true;
        if (breaks && !d.expandedStates) d.break = true;
      }
      return d.break;
    }
  }
  let breaks = false;
  for (const child of children(doc)) if (propagateBreaks(child, visited)) breaks = true;
  return breaks;
}

/**
 * The display width of text as Prettier measures it: wide East Asian characters and emoji count
 * 2, combining marks and control characters 0.
 */
export function stringWidth(text: string): number {
  if (!/[^\x20-\x7e]/.test(text)) return text.length;
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) continue;
    if (/[\p{Mn}\p{Me}]/u.test(ch)) continue;
    width += isWide(code) || /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

type Mode = 'break' | 'flat';
interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

function fits(next: Command, rest: readonly Command[], width: number, modes: Map<symbol, Mode>, mustBeFlat: boolean): boolean {
  let restIndex = rest.length;
  const commands: { mode: Mode; doc: Doc }[] = [next];
  while (width >= 0) {
    if (commands.length === 0) {
      if (restIndex === 0) return true;
      commands.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc } = commands.pop()!;
    if (typeof doc === 'string') {
      width -= stringWidth(doc);
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) commands.push({ mode, doc: doc[i] as Doc });
      continue;
    }
    const d = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (d.type) {
      case 'indent':
      case 'indent-if-break':
        commands.push({ mode, doc: d.contents });
        break;
      case 'fill':
        for (let i = d.parts.length - 1; i >= 0; i--) commands.push({ mode, doc: d.parts[i]! });
        break;
      case 'group': {
        if (mustBeFlat && d.break) return false;
        const groupMode: Mode = d.break ? 'break' : mode;
        const contents = d.expandedStates && groupMode === 'break' ? d.expandedStates[d.expandedStates.length - 1]! : d.contents;
        commands.push({ mode: groupMode, doc: contents });
        break;
      }
      case 'if-break': {
        const groupMode = d.groupId ? (modes.get(d.groupId) ?? 'flat') : mode;
        commands.push({ mode, doc: groupMode === 'break' ? d.breakContents : d.flatContents });
        break;
      }
      case 'line':
        if (mode === 'break' || d.hard) return true;
        if (!d.soft) width -= 1;
        break;
      case 'break-parent':
        break;
    }
  }
  return false;
}

/**
 * Prints a document (Prettier's algorithm).
 *
 * @param doc - the document; its groups are marked broken where they hold hard lines.
 * @param width - the print width, in columns.
 * @returns the text, without trailing whitespace on any line.
 */
export function printDoc(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const modes = new Map<symbol, Mode>();
  const out: string[] = [];
  let pos = 0;
  let shouldRemeasure = false;
  const commands: Command[] = [{ indent: 0, mode: 'break', doc }];
  while (commands.length > 0) {
    const { indent: ind, mode, doc: current } = commands.pop()!;
    if (typeof current === 'string') {
      out.push(current);
      pos += stringWidth(current);
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) commands.push({ indent: ind, mode, doc: current[i] as Doc });
      continue;
    }
    const d = current as Exclude<Doc, string | readonly Doc[]>;
    switch (d.type) {
      case 'indent':
        commands.push({ indent: ind + 2, mode, doc: d.contents });
        break;
      case 'group': {
        let chosen: Command;
        if (mode === 'flat' && !shouldRemeasure) {
          chosen = { indent: ind, mode: d.break ? 'break' : 'flat', doc: d.contents };
        } else {
          shouldRemeasure = false;
          const flat: Command = { indent: ind, mode: 'flat', doc: d.contents };
          if (!d.break && fits(flat, commands, width - pos, modes, false)) chosen = flat;
          else if (!d.expandedStates) chosen = { indent: ind, mode: 'break', doc: d.contents };
          else {
            const states = d.expandedStates;
            chosen = { indent: ind, mode: 'break', doc: states[states.length - 1]! };
            if (!d.break) {
              for (let i = 1; i < states.length - 1; i++) {
                const state: Command = { indent: ind, mode: 'flat', doc: states[i]! };
                if (fits(state, commands, width - pos, modes, false)) {
                  chosen = state;
                  break;
                }
              }
            }
          }
        }
        commands.push(chosen);
        if (d.id) modes.set(d.id, chosen.mode);
        break;
      }
      case 'fill':
        printFill(d, ind, mode, commands, width - pos, modes);
        break;
      case 'if-break': {
        const groupMode = d.groupId ? modes.get(d.groupId) : mode;
        const contents = groupMode === 'break' ? d.breakContents : d.flatContents;
        commands.push({ indent: ind, mode, doc: contents });
        break;
      }
      case 'indent-if-break':
        commands.push({ indent: modes.get(d.groupId) === 'break' ? ind + 2 : ind, mode, doc: d.contents });
        break;
      case 'line':
        if (mode === 'flat' && !d.hard) {
          if (!d.soft) {
            out.push(' ');
            pos += 1;
          }
          break;
        }
        if (mode === 'flat') shouldRemeasure = true;
        trimTrailingSpaces(out);
        out.push('\n' + ' '.repeat(ind));
        pos = ind;
        break;
      case 'break-parent':
        break;
    }
  }
  trimTrailingSpaces(out);
  return out.join('');
}

function printFill(d: FillDoc, ind: number, mode: Mode, commands: Command[], remaining: number, modes: Map<symbol, Mode>): void {
  const [content, whitespace, secondContent] = d.parts;
  if (content === undefined) return;
  const contentFlat: Command = { indent: ind, mode: 'flat', doc: content };
  const contentBreak: Command = { indent: ind, mode: 'break', doc: content };
  const contentFits = fits(contentFlat, [], remaining, modes, true);
  if (whitespace === undefined) {
    commands.push(contentFits ? contentFlat : contentBreak);
    return;
  }
  const whitespaceFlat: Command = { indent: ind, mode: 'flat', doc: whitespace };
  const whitespaceBreak: Command = { indent: ind, mode: 'break', doc: whitespace };
  if (secondContent === undefined) {
    if (contentFits) commands.push(whitespaceFlat, contentFlat);
    else commands.push(whitespaceBreak, contentBreak);
    return;
  }
  const bothFit = fits({ indent: ind, mode: 'flat', doc: [content, whitespace, secondContent] }, [], remaining, modes, true);
  commands.push({ indent: ind, mode, doc: fill(d.parts.slice(2)) });
  if (bothFit) commands.push(whitespaceFlat, contentFlat);
  else if (contentFits) commands.push(whitespaceBreak, contentFlat);
  else commands.push(whitespaceBreak, contentBreak);
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const trimmed = last.replace(/[ \t]+$/, '');
    if (trimmed.length > 0 || last.length === 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}
