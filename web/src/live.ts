import { createSignal, onCleanup } from 'solid-js';
import type { RunSummary } from './api';

/**
 * The board's live view of the open runs, from the API's event stream: a snapshot on connect,
 * then one event per changed run. EventSource reconnects by itself and gets a fresh snapshot.
 */
export function createLiveRuns() {
  const [runs, setRuns] = createSignal<RunSummary[]>([]);
  const [connected, setConnected] = createSignal(false);
  const [lastChange, setLastChange] = createSignal<RunSummary | undefined>();
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => setConnected(true));
  source.addEventListener('error', () => setConnected(false));
  source.addEventListener('snapshot', (e) => {
    setConnected(true);
    setRuns((JSON.parse((e as MessageEvent<string>).data) as { runs: RunSummary[] }).runs);
  });
  source.addEventListener('run', (e) => {
    const run = JSON.parse((e as MessageEvent<string>).data) as RunSummary;
    setRuns((list) => {
      const others = list.filter((r) => r.id !== run.id);
      return run.status === 'open' ? [run, ...others].sort((a, b) => b.startedAt.localeCompare(a.startedAt)) : others;
    });
    setLastChange(run);
  });
  onCleanup(() => source.close());
  return { runs, connected, lastChange };
}

export type LiveRuns = ReturnType<typeof createLiveRuns>;
