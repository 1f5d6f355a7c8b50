import type { Lang } from '../core/lang.js';
import type { OnProgress, Progress } from '../core/progress.js';

/** `--quiet`: no progress line and no summary line on standard error (errors are still written). */
let quiet = false;
export function setQuiet(value: boolean): void {
  quiet = value;
}
export function isQuiet(): boolean {
  return quiet;
}

const INTERVAL_MS = 100;

function progressText(p: Progress, lang: Lang): string {
  if (p.phase === 'read') return lang === 'ja' ? `証跡を読込中 ${p.files}/${p.of} ファイル、${p.records} レコード` : `reading evidence: ${p.files}/${p.of} files, ${p.records} records`;
  if (p.phase === 'evaluate') return lang === 'ja' ? `評価中 ${p.records} レコード × ${p.rules} ルール` : `evaluating ${p.records} records against ${p.rules} rules`;
  return lang === 'ja' ? `評価済み ${p.records} レコード` : `evaluated ${p.records} records`;
}

/**
 * Progress of a long run as one line on standard error, redrawn in place at most every 100 ms;
 * only when standard error is a terminal (never in a log, a pipe or a report) and not --quiet.
 * `end()` erases the line, so what follows starts on a clean line.
 */
export function terminalProgress(lang: Lang, stream: NodeJS.WriteStream = process.stderr): { onProgress?: OnProgress; end: () => void } {
  if (quiet || !stream.isTTY) return { end: () => undefined };
  let last = 0;
  let shown = false;
  const onProgress: OnProgress = (p) => {
    const now = Date.now();
    // 'evaluate' comes before a long synchronous step: always shown, the others throttled.
    if (p.phase !== 'evaluate' && now - last < INTERVAL_MS) return;
    last = now;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[K${progressText(p, lang).slice(0, width)}`);
    shown = true;
  };
  return {
    onProgress,
    end: () => {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
