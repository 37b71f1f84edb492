import { relative } from 'node:path';
import { fit, formatRevisions, textWidth, wrap } from '../../shared/format.js';
import { statementKind, type RevisionInFlight } from '@multidb/core';
import type { PreviewStatement, RevisionPreview } from '../../backend/tui-backend.js';

/** One line of the revision viewer, with how to show it. */
export interface PreviewLine {
  /** The line's text, at most the width asked for (in terminal cells). */
  readonly text: string;
  /**
   * How to show it: `heading` (section titles), `text` (the header fields), `sql` (a statement),
   * `dim` (a statement's parameters, cut lines), `note` (why the preview is incomplete), `code`
   * (the source, with line numbers).
   */
  readonly style: 'heading' | 'text' | 'sql' | 'dim' | 'note' | 'code';
}

/** Options of {@link previewLines}. */
export interface PreviewLinesOptions {
  /**
   * Show every statement whole, data statements too (the viewer's `a`). Default `false`: a long
   * data statement (a bulk INSERT, an UPDATE, a rebuild's copy) is cut to 8 lines; schema
   * statements are always whole.
   */
  readonly full?: boolean;
}

/** Most lines a data statement shows unless the preview is full (a bulk insert can be thousands of characters). */
const STATEMENT_LINES = 8;

function parameters(s: PreviewStatement): string {
  if (s.parameters.length === 0) return '';
  if (s.parameters.length > 12) return `${s.parameters.length} parameters`;
  const shown = s.parameters.map((p) => (typeof p === 'string' ? `'${p}'` : typeof p === 'bigint' ? String(p) : JSON.stringify(p) ?? String(p)));
  return `parameters: ${shown.join(', ')}`;
}

/**
 * Whether a long statement may be cut: one that reads or changes rows (a bulk INSERT, an UPDATE, a
 * rebuild's INSERT … SELECT copy), as core's {@link statementKind} tells. Schema statements (CREATE,
 * ALTER, DROP, RENAME, a rebuild's CREATE TABLE with its foreign keys and checks, anything else) and
 * procedural ones (`CALL`, a `DO` block: they may do anything) are what a reviewer must read whole.
 */
function cutWhenLong(sql: string): boolean {
  const kind = statementKind(sql);
  return kind === 'read' || kind === 'dml';
}

/** What a statement's progress says, after it (core's `PreviewStatement.progress`). */
const PROGRESS: Readonly<Record<NonNullable<PreviewStatement['progress']>, string>> = {
  applied: 'applied, skipped on resume',
  sent: 'sent, completion not recorded: judged on resume',
};

function statementLines(s: PreviewStatement, n: number, width: number, full: boolean): PreviewLine[] {
  const prefix = `${fit(String(n), 3, 'right')}  `;
  const indent = ' '.repeat(textWidth(prefix));
  const body = wrap(s.sql, width - textWidth(prefix));
  // One line more than the cut is shown rather than a marker of the same height hiding it.
  const shown = !full && body.length > STATEMENT_LINES + 1 && cutWhenLong(s.sql) ? STATEMENT_LINES : body.length;
  const out: PreviewLine[] = body.slice(0, shown).map((line, i) => ({ text: `${i === 0 ? prefix : indent}${line}`, style: 'sql' }));
  if (body.length > shown) out.push({ text: `${indent}… ${body.length - shown} more lines`, style: 'dim' });
  const extra = [s.progress ? PROGRESS[s.progress] : '', s.source === 'query-builder' ? 'op.db query' : '', parameters(s)].filter(Boolean).join(' · ');
  if (extra) out.push(...wrap(extra, width - textWidth(prefix)).map((line) => ({ text: `${indent}${line}`, style: 'dim' as const })));
  return out;
}

/**
 * The revision viewer's text: message, file, parents, the SQL the revision will run (compiled, with
 * the preview's notes), then its source with line numbers, wrapped to `width` (pure). Schema
 * statements (CREATE, ALTER, DROP, RENAME…: a SQLite rebuild's CREATE TABLE with every column,
 * foreign key and check) are shown whole; a data statement (INSERT, UPDATE, DELETE, a read) shows
 * at most 8 lines (9 when that is all of it) and `… N more lines`, unless `options.full`. Each
 * statement is followed by its parameters (their count beyond 12). Of a revision stopped part way
 * (MySQL/MariaDB), each statement is marked as core's preview found it in the bind's progress
 * (`PreviewStatement.progress`, counted per op as a run counts its writes, not per statement):
 * applied (skipped on resume), or sent with its completion not recorded (judged on resume).
 * @param preview - what {@link TuiBackend.preview} returned.
 * @param width - columns available (terminal cells).
 * @param cwd - folder the file path is shown relative to.
 * @param inFlight - the bind's revision in flight (the binds row's `inFlight`), if any: the heading
 *   says how far it got when it is this revision in this direction.
 * @param options - `full`: every statement whole, data statements too (default `false`).
 * @returns the lines, in order.
 * @example
 * ```ts
 * const preview = await backend.preview('db2', 'fd2415b8acac', 'up');
 * for (const line of previewLines(preview, 80, process.cwd())) console.log(line.text);
 * // Every statement whole, a bulk insert's thousands of VALUES too:
 * const all = previewLines(preview, 80, process.cwd(), undefined, { full: true });
 * ```
 */
export function previewLines(preview: RevisionPreview, width: number, cwd: string, inFlight?: RevisionInFlight, options: PreviewLinesOptions = {}): PreviewLine[] {
  const out: PreviewLine[] = [];
  const field = (label: string, value: string) => out.push(...wrap(`${fit(label, 11)}${value}`, width).map((text) => ({ text, style: 'text' as const })));
  field('message', preview.message || '(none)');
  field('file', relative(cwd, preview.file) || preview.file);
  field('revises', formatRevisions(preview.downRevisions));
  if (preview.dependsOn.length) field('depends on', preview.dependsOn.join(', '));
  out.push({ text: '', style: 'text' });
  const verb = preview.direction === 'up' ? 'upgrade' : 'downgrade';
  // Stopped part way: its first `writes` writes ran (recorded), and a resume skips them.
  const flight = inFlight && inFlight.revision === preview.revision && inFlight.direction === preview.direction ? inFlight : undefined;
  const ran = flight
    ? `stopped part way: ${flight.writes} ${flight.writes === 1 ? 'write' : 'writes'} ran (last: ${flight.last}), the ${verb} resumes after ${flight.writes === 1 ? 'it' : 'them'}`
    : 'nothing has run';
  out.push(...wrap(`SQL of the ${verb} on ${preview.bind} (${preview.dialect}), compiled; ${ran}:`, width).map((text) => ({ text, style: 'heading' as const })));
  if (preview.statements.length === 0) out.push({ text: '  (no statements)', style: 'dim' });
  preview.statements.forEach((s, i) => out.push(...statementLines(s, i + 1, width, options.full ?? false)));
  for (const note of preview.notes) out.push(...wrap(`note: ${note}`, width).map((text) => ({ text, style: 'note' as const })));
  out.push({ text: '', style: 'text' });
  out.push({ text: 'Source', style: 'heading' });
  const source = preview.source.replace(/\t/g, '  ').replace(/\n$/, '').split('\n');
  const digits = String(source.length).length;
  source.forEach((line, i) => {
    const prefix = `${fit(String(i + 1), digits + 1, 'right')}  `;
    const indent = ' '.repeat(textWidth(prefix));
    wrap(line, width - textWidth(prefix)).forEach((part, j) => out.push({ text: `${j === 0 ? prefix : indent}${part}`, style: 'code' }));
  });
  return out;
}
