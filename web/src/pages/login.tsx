import { createSignal, Show } from 'solid-js';
import { login, problemText, type Me } from '../api';
import { t } from '../i18n';

export function LoginPage(props: { onIn: (me: Me) => void }) {
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      props.onIn(await login(String(form.get('username')), String(form.get('password'))));
    } catch (err) {
      setError(`${t('signInFailed')}: ${problemText(err)}`);
    }
  };
  return (
    <main class="login" id="main">
      <h1>{t('appName')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>{t('username')} <input name="username" autocomplete="username" required autofocus /></label>
        <label>{t('password')} <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit">{t('signIn')}</button>
        <Show when={error()}><p role="alert" class="error">{error()}</p></Show>
      </form>
    </main>
  );
}
