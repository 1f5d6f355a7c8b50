import { Help, type Argument, type Command, type Option } from 'commander';
import type { Lang } from '../core/lang.js';
import { displayWidth } from '../core/width.js';

/**
 * The language of help and usage errors, known before anything is parsed: `--lang en` (or
 * `--lang=en`) on the command line, else the locale (LC_ALL, then LC_MESSAGES, then LANG, the
 * POSIX order) when it is English, else Japanese.
 */
export function uiLanguage(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  for (const [i, a] of argv.entries()) {
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    if (v === 'en' || v === 'ja') return v;
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en([_.@-]|$)/i.test(locale) ? 'en' : 'ja';
}

/**
 * Help texts are written "日本語 / English": the half in the language chosen. Split on the first
 * ' / ' only; a text without one is the same in both languages.
 */
export function inLanguage(text: string, lang: Lang): string {
  const i = text.indexOf(' / ');
  if (i < 0) return text;
  return lang === 'ja' ? text.slice(0, i) : text.slice(i + 3);
}

const TITLES: Record<string, string> = { 'Usage:': '使い方:', 'Options:': 'オプション:', 'Arguments:': '引数:', 'Commands:': 'コマンド:', 'Global Options:': '共通オプション:' };

/** Characters a line may not begin with (Japanese line breaking, 行頭禁則). */
const NO_LINE_START = /^[、。，．・：；？！ー）」』】〕〉》”’,.:;!?)\]}]/u;
/** Characters a line may not end with (行末禁則). */
const NO_LINE_END = /[（「『【〔〈《“‘([{]$/u;

/**
 * Splits a line into pieces a wrap may break between: runs of narrow text at spaces (the space
 * kept in front of its word), and every wide character on its own, since Japanese breaks between
 * any two characters.
 */
function breakable(line: string): string[] {
  const out: string[] = [];
  // Narrow runs end at a space or after a '|' (text|json|…), so a list of choices can wrap too.
  for (const m of line.matchAll(/\s*(?:[^\s|\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]*\||[^\s|\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+|[^\s])/gu)) {
    const piece = m[0];
    // Closing punctuation stays with what it closes, an opening bracket with what it opens.
    if (out.length > 0 && (NO_LINE_START.test(piece.trimStart()) || NO_LINE_END.test(out[out.length - 1]!))) out[out.length - 1] += piece;
    else out.push(piece);
  }
  return out;
}

/** Wraps text to a display width (a wide character counts two columns), keeping its own line breaks. */
export function wrapText(text: string, width: number, indent = 0): string {
  const pad = ' '.repeat(indent);
  return text
    .split(/\r?\n/)
    .map((line) => {
      const pieces = breakable(line);
      if (pieces.length === 0) return '';
      const lines: string[] = [];
      let current = pieces[0]!;
      for (const piece of pieces.slice(1)) {
        if (displayWidth(current + piece) <= width) current += piece;
        else {
          lines.push(current.trimEnd());
          current = piece.trimStart();
        }
      }
      lines.push(current.trimEnd());
      return lines.join(`\n${pad}`);
    })
    .join('\n');
}

function defaultShown(value: unknown, description: string | undefined): string | undefined {
  if (description) return description;
  if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) return undefined;
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? undefined : String(value);
}

/** commander's help in one language, wrapped by display width. */
class KiteiHelp extends Help {
  constructor(private readonly lang: Lang) {
    super();
  }
  override displayWidth(str: string): number {
    return displayWidth(str.replace(/\x1b\[\d*(;\d*)*m/g, ''));
  }
  override boxWrap(str: string, width: number): string {
    return width < this.minWidthToWrap ? str : wrapText(str, width);
  }
  override styleTitle(str: string): string {
    return this.lang === 'ja' ? (TITLES[str] ?? str) : str;
  }
  override commandUsage(cmd: Command): string {
    return this.placeholders(super.commandUsage(cmd));
  }
  override subcommandTerm(cmd: Command): string {
    return this.placeholders(super.subcommandTerm(cmd));
  }
  /** commander's `[options]` and `[command]` in the usage line and the command list. */
  private placeholders(usage: string): string {
    return this.lang === 'ja' ? usage.replace('[options]', '[オプション]').replace('[command]', '[コマンド]') : usage;
  }
  override commandDescription(cmd: Command): string {
    return inLanguage(super.commandDescription(cmd), this.lang);
  }
  override subcommandDescription(cmd: Command): string {
    return inLanguage(super.subcommandDescription(cmd), this.lang);
  }
  override optionDescription(option: Option): string {
    const d = inLanguage(option.description ?? '', this.lang);
    const shown = option.required || option.optional ? defaultShown(option.defaultValue, option.defaultValueDescription) : undefined;
    return shown === undefined ? d : `${d} ${this.defaultNote(shown)}`;
  }
  override argumentDescription(argument: Argument): string {
    const d = inLanguage(argument.description ?? '', this.lang);
    const shown = defaultShown(argument.defaultValue, argument.defaultValueDescription);
    return shown === undefined ? d : `${d} ${this.defaultNote(shown)}`;
  }
  private defaultNote(value: string): string {
    return this.lang === 'ja' ? `（既定: ${value}）` : `(default: ${value})`;
  }
}

/** commander's own error messages, in Japanese (English is commander's own). */
const ERRORS_JA: [RegExp, (...m: string[]) => string][] = [
  [/^error: unknown option '([^']*)'/, (o) => `エラー: 不明なオプション '${o}'`],
  [/^error: unknown command '([^']*)'/, (c) => `エラー: 不明なコマンド '${c}'`],
  [/^error: missing required argument '([^']*)'/, (a) => `エラー: 引数 '${a}' がありません`],
  [/^error: option '([^']*)' argument missing/, (o) => `エラー: オプション '${o}' の値がありません`],
  [/^error: required option '([^']*)' not specified/, (o) => `エラー: オプション '${o}' は必須です`],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\./, (o, v) => `エラー: オプション '${o}' の値 '${v}' は使えません。`],
  [/^error: command-argument value '([^']*)' is invalid for argument '([^']*)'\./, (v, a) => `エラー: 引数 '${a}' の値 '${v}' は使えません。`],
  [/^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, (c, n, got) => `エラー: ${c ? `'${c}' の` : ''}引数が多すぎます（${n} 個まで、${got} 個あり）。`],
  [/^error: (.*) cannot be used with (.*)$/m, (a, b) => `エラー: ${a} と ${b} は同時に使えません`],
  [/^\(Did you mean one of (.*)\?\)$/m, (s) => `（もしかして: ${s}）`],
  [/^\(Did you mean (.*)\?\)$/m, (s) => `（もしかして: ${s}）`],
];

/**
 * A usage error in the language chosen: commander's template translated, and the reason (our own
 * argument parsers say "日本語 / English") reduced to its half.
 */
export function usageErrorText(message: string, lang: Lang): string {
  return message
    .split('\n')
    .map((line) => {
      // commander's template, then the reason our own argument parsers give ("日本語 / English").
      for (const [re, ja] of ERRORS_JA) {
        const m = re.exec(line);
        if (!m) continue;
        const rest = line.slice(m[0].length);
        return (lang === 'ja' ? ja(...m.slice(1).map((x) => x ?? '')) : m[0]) + /^\s*/.exec(rest)![0] + inLanguage(rest.trimStart(), lang);
      }
      return inLanguage(line, lang);
    })
    .join('\n');
}

/**
 * Help and usage errors of a command and its subcommands in one language: titles, option and
 * command descriptions, defaults, the help option and help command, and commander's messages.
 */
export function localizeCommands(program: Command, lang: Lang, writeErr: (text: string) => void): void {
  const ja = lang === 'ja';
  helpLang = lang;
  const visit = (cmd: Command): void => {
    cmd
      .createHelp = () => Object.assign(new KiteiHelp(lang), cmd.configureHelp());
    cmd.helpOption('-h, --help', ja ? 'ヘルプを表示する' : 'display help for command');
    cmd.configureOutput({ writeErr, outputError: (str, write) => write(usageErrorText(str, lang)) });
    for (const sub of cmd.commands) visit(sub);
  };
  program.helpCommand('help [command]', ja ? 'コマンドのヘルプを表示する' : 'display help for command');
  visit(program);
}

/** The language help is shown in, set once per run by localizeCommands (help texts added after the options). */
let helpLang: Lang = 'ja';

/**
 * Text after a command's help (exit codes, examples), written one "日本語 / English" line at a
 * time: each line in the language chosen, wrapped to the help's width with its indent kept.
 */
export function afterHelp(text: string): () => string {
  return () =>
    text
      .split('\n')
      .map((line) => {
        // "終了コード / exit codes:" — the colon ends the line, not the English half.
        const shown = inLanguage(line, helpLang) + (line.endsWith(':') && !inLanguage(line, helpLang).endsWith(':') ? ':' : '');
        const indent = /^(\s*(?:\d+\s{2,})?)/.exec(shown)![1]!.length;
        return wrapText(shown, 80, indent);
      })
      .join('\n');
}
