import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { problemText } from '../api';
import { cityTimeToIso, t } from '../i18n';

export interface Field {
  name: string;
  label: string;
  /** `list` is comma-separated; `city-time` is typed in the city's time zone. */
  kind?: 'text' | 'number' | 'select' | 'list' | 'checkbox' | 'city-time';
  options?: readonly string[];
  required?: boolean;
  hint?: string;
}

/** The body the API expects from the form: empty optional fields are left out, so the API's defaults apply. */
function values(form: HTMLFormElement, fields: Field[]): Record<string, unknown> {
  const data = new FormData(form);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = String(data.get(f.name) ?? '').trim();
    if (f.kind === 'checkbox') out[f.name] = data.get(f.name) === 'on';
    else if (raw === '') continue;
    else if (f.kind === 'number') out[f.name] = Number(raw);
    else if (f.kind === 'list') out[f.name] = raw.split(/[,，\s]+/).filter(Boolean);
    else if (f.kind === 'city-time') out[f.name] = cityTimeToIso(raw);
    else out[f.name] = raw;
  }
  return out;
}

/** A small create form over an API route; a refusal shows the API's own words, which name the field. */
export function CreateForm(props: { title: string; fields: Field[]; onSubmit: (body: Record<string, unknown>) => Promise<unknown> }) {
  const [error, setError] = createSignal('');
  const [saved, setSaved] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    try {
      await props.onSubmit(values(form, props.fields));
      setError('');
      setSaved(true);
      form.reset();
    } catch (err) {
      setSaved(false);
      setError(problemText(err));
    }
  };
  return (
    <details class="panel">
      <summary>{props.title}</summary>
      <form class="grid-form" onSubmit={(e) => void submit(e)}>
        <For each={props.fields}>
          {(f) => (
            <label classList={{ inline: f.kind === 'checkbox' }}>
              {f.label}{f.required ? ' *' : ''}
              <Switch fallback={<input name={f.name} required={f.required} type={f.kind === 'number' ? 'number' : 'text'} step={f.kind === 'number' ? 'any' : undefined} placeholder={f.hint} />}>
                <Match when={f.kind === 'select'}><select name={f.name} required={f.required}><Show when={!f.required}><option value="">—</option></Show><For each={f.options ?? []}>{(o) => <option value={o}>{o}</option>}</For></select></Match>
                <Match when={f.kind === 'checkbox'}><input name={f.name} type="checkbox" /></Match>
                <Match when={f.kind === 'city-time'}><input name={f.name} type="datetime-local" required={f.required} /></Match>
              </Switch>
            </label>
          )}
        </For>
        <button type="submit">{t('save')}</button>
        <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
        <Show when={saved()}><p role="status">✓</p></Show>
      </form>
    </details>
  );
}
