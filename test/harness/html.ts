import { parse } from 'parse5';

/**
 * The HTML report read back with a real HTML parser (parse5, the WHATWG algorithm browsers use):
 * elements by tag and attribute, and their text, for tests that count what a reader would see.
 */
export interface HtmlNode {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HtmlNode[];
  content?: HtmlNode;
  value?: string;
}

export function parseHtml(html: string): HtmlNode {
  return parse(html) as unknown as HtmlNode;
}

export function attr(node: HtmlNode, name: string): string | undefined {
  return node.attrs?.find((a) => a.name === name)?.value;
}

/** Every element below `root` (document order) that satisfies `test`. */
export function findAll(root: HtmlNode, test: (n: HtmlNode) => boolean): HtmlNode[] {
  const out: HtmlNode[] = [];
  const walk = (n: HtmlNode) => {
    if (n.tagName && test(n)) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(root);
  return out;
}

export function byTag(root: HtmlNode, tag: string): HtmlNode[] {
  return findAll(root, (n) => n.tagName === tag);
}

export function hasClass(n: HtmlNode, cls: string): boolean {
  return (attr(n, 'class') ?? '').split(/\s+/).includes(cls);
}

/** The text of a node as the DOM's textContent gives it. */
export function textOf(n: HtmlNode): string {
  if (n.nodeName === '#text') return n.value ?? '';
  return (n.childNodes ?? []).map(textOf).join('');
}
