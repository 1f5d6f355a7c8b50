import type { Localized } from './lang.js';

/**
 * Files are UTF-8. Many Japanese offices still export Shift_JIS (CP932) or UTF-16 from Excel, and
 * a lenient decoder would turn those bytes into U+FFFD and judge the garbage; so decoding is
 * strict, and a failure says where the first bad byte is and what the bytes look like instead.
 */
export type Decoded = { ok: true; text: string } | { ok: false; offset: number; line: number; column: number; bytes: string; hint: Localized };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(buf: Uint8Array): Decoded {
  try {
    // A BOM is stripped (ignoreBOM is false): positions count from the first real character.
    return { ok: true, text: UTF8.decode(buf) };
  } catch {
    const offset = firstInvalidUtf8(buf);
    const { line, column } = bytePosition(buf, offset);
    const bytes = [...buf.subarray(offset, Math.min(buf.length, offset + 2))].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    return { ok: false, offset, line, column, bytes, hint: encodingHint(buf) };
  }
}

/** Byte offset of the first byte that does not begin a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // no overlong forms
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return buf.length;
}

/** 1-based line and column (in UTF-16 code units, as every other position) of a byte offset. */
function bytePosition(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(buf.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

/** What the bytes look like, and how to convert them. */
export function encodingHint(buf: Uint8Array): Localized {
  const named = guessEncoding(buf);
  if (named === undefined) return { ja: 'ファイルは UTF-8 で保存してください。', en: 'Save the file as UTF-8.' };
  const { label, iconv } = named;
  return {
    ja: `${label}で保存されているようです。UTF-8 で保存し直してください（例: iconv -f ${iconv} -t UTF-8 元のファイル > 新しいファイル）。`,
    en: `It looks like ${label}; save it as UTF-8 (e.g. iconv -f ${iconv} -t UTF-8 old-file > new-file).`,
  };
}

function guessEncoding(buf: Uint8Array): { label: string; iconv: string } | undefined {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return { label: 'UTF-16', iconv: 'UTF-16' };
  // UTF-16 without a BOM: ASCII text has a zero in every other byte.
  const sample = buf.subarray(0, 4096);
  let zeros = 0;
  for (const b of sample) if (b === 0) zeros++;
  if (sample.length >= 4 && zeros * 3 >= sample.length) return { label: 'UTF-16', iconv: 'UTF-16' };
  for (const [encoding, label, iconv] of [['shift_jis', 'Shift_JIS（CP932）', 'CP932'], ['euc-jp', 'EUC-JP', 'EUC-JP']] as const) {
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(buf);
      if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(text)) return { label, iconv };
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/**
 * The first character YAML does not allow (outside its printable set: C0 controls other than
 * tab, LF and CR; DEL; C1 controls other than NEL; U+FFFE and U+FFFF), or undefined.
 */
export function firstForbiddenCharacter(text: string): { index: number; char: string } | undefined {
  const m = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/.exec(text);
  if (!m) return undefined;
  return { index: m.index, char: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

/** Index of the first carriage return not followed by a line feed, or -1. */
export function firstBareCarriageReturn(text: string): number {
  let i = text.indexOf('\r');
  while (i >= 0 && text[i + 1] === '\n') i = text.indexOf('\r', i + 1);
  return i;
}
