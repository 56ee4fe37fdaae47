import { Show, createMemo } from 'solid-js';
import { formatTime } from '../i18n';

/** A small line chart of a sensor's readings, with its range and latest value in words too. */
export function LineChart(props: { points: { time: string; value: number }[]; unit: string; label: string }) {
  const W = 480, H = 140, PAD = 6;
  const shape = createMemo(() => {
    const pts = props.points;
    if (pts.length === 0) return undefined;
    const times = pts.map((p) => Date.parse(p.time));
    const values = pts.map((p) => p.value);
    const t0 = Math.min(...times), t1 = Math.max(...times), v0 = Math.min(...values), v1 = Math.max(...values);
    const x = (t: number) => PAD + ((t - t0) / Math.max(t1 - t0, 1)) * (W - 2 * PAD);
    const y = (v: number) => H - PAD - ((v - v0) / Math.max(v1 - v0, 1e-9)) * (H - 2 * PAD);
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(times[i] ?? 0).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
    return { d, v0, v1, last: pts[pts.length - 1] };
  });
  return (
    <Show when={shape()} fallback={<p>—</p>}>
      {(s) => (
        <figure class="chart">
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.label}: ${s().v0}–${s().v1} ${props.unit}`}>
            <rect x="0" y="0" width={W} height={H} class="chart-bg" />
            <path d={s().d} class="chart-line" />
          </svg>
          <figcaption>{s().v0}–{s().v1} {props.unit} · {s().last?.value} {props.unit} @ {formatTime(s().last?.time)}</figcaption>
        </figure>
      )}
    </Show>
  );
}
