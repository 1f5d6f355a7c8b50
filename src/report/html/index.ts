import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Reporter } from '../model.js';
import { Page } from './page.js';
import { buildHtmlView } from './view-model.js';

/**
 * The HTML report for auditors: one self-contained file (inline CSS and SVG, no script, nothing
 * fetched), to read on screen or print on A4. Rendered by Preact, which escapes every text and
 * attribute value: nothing from the evidence or the policies can become markup.
 */
export const htmlReporter: Reporter = (model, ctx) => `<!DOCTYPE html>\n${renderToString(h(Page, { view: buildHtmlView(model, ctx.lang) }))}\n`;
