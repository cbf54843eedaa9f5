/**
 * kubectl-style tables: upper-case headers, no borders, columns left aligned and separated by
 * two spaces (kubectl's printers use a tabwriter; cli-table3 with every border blank gives the same shape).
 */
import Table from 'cli-table3';
import type { Writable } from 'node:stream';

/** TableCell is what a table cell may hold; undefined and null print as "<none>" like kubectl. */
export type TableCell = string | number | boolean | null | undefined;

const blankBorders = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

function cellText(cell: TableCell): string {
  return cell === undefined || cell === null || cell === '' ? '<none>' : String(cell);
}

/** renderTable returns the table as text: one header line, one line per row, each ending in "\n". */
export function renderTable(headers: readonly string[], rows: readonly (readonly TableCell[])[]): string {
  const table = new Table({
    head: headers.map((header) => header.toUpperCase()),
    chars: blankBorders,
    // No colour on headers or borders: kubectl's tables are plain, and colour codes would break `awk`.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  for (const row of rows) table.push(row.map(cellText));
  // cli-table3 pads the last column; kubectl's lines have no trailing blanks.
  const lines = table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
  return `${lines.join('\n')}\n`;
}

/** printTable writes {@link renderTable}'s output to `out`. */
export function printTable(out: Writable, headers: readonly string[], rows: readonly (readonly TableCell[])[]): void {
  out.write(renderTable(headers, rows));
}
