import { relative } from 'node:path';
import { fit, formatRevisions, textWidth, wrap } from '../../shared/format.js';
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

/** Most lines one statement shows (a bulk insert can be thousands of characters). */
const STATEMENT_LINES = 8;

function parameters(s: PreviewStatement): string {
  if (s.parameters.length === 0) return '';
  if (s.parameters.length > 12) return `${s.parameters.length} parameters`;
  const shown = s.parameters.map((p) => (typeof p === 'string' ? `'${p}'` : typeof p === 'bigint' ? String(p) : JSON.stringify(p) ?? String(p)));
  return `parameters: ${shown.join(', ')}`;
}

function statementLines(s: PreviewStatement, n: number, width: number): PreviewLine[] {
  const prefix = `${fit(String(n), 3, 'right')}  `;
  const indent = ' '.repeat(textWidth(prefix));
  const body = wrap(s.sql, width - textWidth(prefix));
  const out: PreviewLine[] = body.slice(0, STATEMENT_LINES).map((line, i) => ({ text: `${i === 0 ? prefix : indent}${line}`, style: 'sql' }));
  if (body.length > STATEMENT_LINES) out.push({ text: `${indent}… ${body.length - STATEMENT_LINES} more lines`, style: 'dim' });
  const extra = [s.source === 'query-builder' ? 'op.db query' : '', parameters(s)].filter(Boolean).join(' · ');
  if (extra) out.push(...wrap(extra, width - textWidth(prefix)).map((line) => ({ text: `${indent}${line}`, style: 'dim' as const })));
  return out;
}

/**
 * The revision viewer's text: message, file, parents, the SQL the revision will run (compiled, with
 * the preview's notes), then its source with line numbers, wrapped to `width` (pure). A statement
 * shows at most 8 lines, and its parameters (their count beyond 12).
 * @param preview - what {@link TuiBackend.preview} returned.
 * @param width - columns available (terminal cells).
 * @param cwd - folder the file path is shown relative to.
 * @returns the lines, in order.
 * @example
 * ```ts
 * const preview = await backend.preview('db2', 'fd2415b8acac', 'up');
 * for (const line of previewLines(preview, 80, process.cwd())) console.log(line.text);
 * ```
 */
export function previewLines(preview: RevisionPreview, width: number, cwd: string): PreviewLine[] {
  const out: PreviewLine[] = [];
  const field = (label: string, value: string) => out.push(...wrap(`${fit(label, 11)}${value}`, width).map((text) => ({ text, style: 'text' as const })));
  field('message', preview.message || '(none)');
  field('file', relative(cwd, preview.file) || preview.file);
  field('revises', formatRevisions(preview.downRevisions));
  if (preview.dependsOn.length) field('depends on', preview.dependsOn.join(', '));
  out.push({ text: '', style: 'text' });
  const verb = preview.direction === 'up' ? 'upgrade' : 'downgrade';
  out.push(...wrap(`SQL of the ${verb} on ${preview.bind} (${preview.dialect}), compiled; nothing has run:`, width).map((text) => ({ text, style: 'heading' as const })));
  if (preview.statements.length === 0) out.push({ text: '  (no statements)', style: 'dim' });
  preview.statements.forEach((s, i) => out.push(...statementLines(s, i + 1, width)));
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
