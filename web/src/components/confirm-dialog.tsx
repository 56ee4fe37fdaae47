import { createSignal, Show, type JSX } from 'solid-js';
import { t } from '../i18n';

/**
 * A modal question before a destructive action. It traps focus (showModal), Escape cancels, and
 * with `reasonLabel` it also asks why, since the run's record needs a reason.
 */
export function ConfirmButton(props: { label: string; question: string; reasonLabel?: string; danger?: boolean; onConfirm: (reason: string) => void | Promise<void>; children?: JSX.Element }) {
  let dialog: HTMLDialogElement | undefined;
  const [reason, setReason] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if ((e.submitter as HTMLButtonElement | null)?.value !== 'confirm') return dialog?.close();
    dialog?.close();
    await props.onConfirm(reason().trim());
    setReason('');
  };
  return (
    <>
      <button type="button" classList={{ danger: props.danger }} onClick={() => dialog?.showModal()}>{props.label}</button>
      <dialog ref={dialog} aria-label={props.label}>
        <form method="dialog" onSubmit={(e) => void submit(e)}>
          <p>{props.question}</p>
          {props.children}
          <Show when={props.reasonLabel}>
            <label>{props.reasonLabel}<textarea name="reason" required rows={3} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          </Show>
          <div class="row">
            <button type="submit" value="cancel" formnovalidate>{t('cancel')}</button>
            <button type="submit" value="confirm" classList={{ danger: props.danger }}>{t('confirm')}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
