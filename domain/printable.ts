/** Shared by the printable reports (incident, drill, yearly examination) and their CSV exports. */

/** Quote always and double inner quotes (RFC 4180); a leading = + - @ is defused for spreadsheets. */
export const csvCell = (v: unknown): string => {
  const text = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

export const escapeHtml = (text: unknown): string => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Table rows from cells already escaped (or deliberately HTML). */
export const htmlRows = (cells: unknown[][]): string => cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
