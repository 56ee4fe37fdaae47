import { For, Show, type JSX } from 'solid-js';
import { t } from '../i18n';

export interface Column<T> { label: string; cell: (row: T) => JSX.Element }

/** A plain table with a caption; screen readers and tired eyes both read it row by row. */
export function DataTable<T>(props: { caption: string; rows: T[] | undefined; columns: Column<T>[] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead><tr><For each={props.columns}>{(c) => <th scope="col">{c.label}</th>}</For></tr></thead>
      <tbody>
        <Show when={props.rows} fallback={<tr><td colSpan={props.columns.length}>{t('loading')}</td></tr>}>
          <For each={props.rows} fallback={<tr><td colSpan={props.columns.length}>{t('none')}</td></tr>}>
            {(row) => <tr><For each={props.columns}>{(c) => <td>{c.cell(row)}</td>}</For></tr>}
          </For>
        </Show>
      </tbody>
    </table>
  );
}
