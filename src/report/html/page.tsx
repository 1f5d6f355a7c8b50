import type { ComponentChildren } from 'preact';
import { OUTCOMES, SEVERITIES } from '../../core/findings.js';
import type { Lang } from '../../core/lang.js';
import type { FileDigest } from '../manifest.js';
import type { FindingJson, Period, RuleJson } from '../model.js';
import { articleTitle, clausesText, OUTCOME_LABELS, remediationOf, showsWaivers, waivedFindings, whereText } from '../view.js';
import { roleLabel } from '../../core/roles.js';
import { L, MARKS, type Labels } from './labels.js';
import { STYLE } from './style.css.js';
import { BaselineBars, ClauseMap, FailureBars } from './svg.js';
import type { ClauseMark, ClauseRow, HtmlView } from './view-model.js';

/**
 * The HTML report's page, as Preact components rendered to a string: every string from the
 * evidence or the policies is a text child or an attribute value, which the renderer escapes.
 * The only raw text is the constant stylesheet.
 */
export function Page({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={`kitei ${model.tool.version}`} />
        <title>{`${t.kicker} — ${t.asOf} ${model.asOf}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <Cover view={view} />
        <nav>
          <strong>{t.contents}</strong>
          <ol>
            <li><a href="#summary">{t.summary}</a></li>
            <li><a href="#pictures">{t.pictures}</a></li>
            <li><a href="#clauses">{t.clauses}</a></li>
            <li><a href="#failures">{t.failures}</a></li>
            <li><a href="#errors">{t.errors}</a></li>
            {showsWaivers(model) ? <li><a href="#waivers">{t.waived}</a></li> : null}
            <li><a href="#rules">{t.applied(model.asOf)}</a></li>
            <li><a href="#manifest">{t.manifest}</a></li>
          </ol>
        </nav>
        <Summary view={view} />
        <Pictures view={view} />
        <ClauseTable view={view} />
        <Failures view={view} />
        <Errors view={view} />
        {showsWaivers(model) ? <Waivers view={view} /> : null}
        <Rules view={view} />
        <ManifestSection view={view} />
      </body>
    </html>
  );
}

function Cover({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  const regulation = model.catalog?.regulation;
  const total = model.summary.total;
  return (
    <header class="cover">
      <p class="kicker">{t.kicker}</p>
      <h1>{regulation ? (lang === 'ja' ? regulation.title : regulation.titleEn) : t.noRegulation}</h1>
      <dl>
        <dt>{t.asOf}</dt>
        <dd>{model.asOf}</dd>
        <dt>{t.verdict}</dt>
        <dd>
          <span class={`verdict verdict-${view.verdict}`}>{t.verdicts[view.verdict](model.failOn)}</span>
          <div>{t.exit(model.exitCode, total.fail, total.error)}</div>
        </dd>
        <dt>{t.evidence}</dt>
        <dd><code>{t.evidenceText(model.evidence.dir, model.evidence.files.length, model.evidence.records)}</code></dd>
        <dt>{t.policies}</dt>
        <dd><code>{t.policiesText(model.policies.dir, model.policies.files.length, model.policies.rules)}</code></dd>
        <dt>{t.madeBy}</dt>
        <dd>{t.madeByText(model.tool.version)}</dd>
        <dt>{t.digest}</dt>
        <dd><code>{model.manifest?.digest ?? t.none}</code></dd>
      </dl>
    </header>
  );
}

function Num({ n }: { n: number }) {
  return <td class={n === 0 ? 'num zero' : 'num'}>{String(n)}</td>;
}

function Summary({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  return (
    <section id="summary">
      <h2>{t.summary}</h2>
      <table class="summary">
        <thead>
          <tr>
            <th>{t.severity}</th>
            {OUTCOMES.map((o) => <th class="num">{OUTCOME_LABELS[lang][o]}</th>)}
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr data-severity={s}>
              <td>{s}</td>
              {OUTCOMES.map((o) => <Num n={model.summary.bySeverity[s][o]} />)}
            </tr>
          ))}
          <tr class="total" data-severity="total">
            <td>{t.total}</td>
            {OUTCOMES.map((o) => <Num n={model.summary.total[o]} />)}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function Pictures({ view }: { view: HtmlView }) {
  const { lang } = view;
  const t = L[lang];
  return (
    <section id="pictures">
      <h2>{t.pictures}</h2>
      <div class="figures">
        {view.clauses ? (
          <figure id="clause-map">
            <figcaption><strong>{t.map}</strong> — {t.mapCaption}</figcaption>
            <ClauseMap articles={view.clauses.articles} marks={view.clauses.marks} lang={lang} />
          </figure>
        ) : (
          <p class="muted">{t.noCatalog}</p>
        )}
        <figure id="failure-bars">
          <figcaption><strong>{t.bars}</strong> — {t.barsCaption}</figcaption>
          {view.bars.length > 0 ? <FailureBars bars={view.bars} lang={lang} /> : <p>{t.noFailureBar}</p>}
        </figure>
        {view.model.baseline ? (
          <figure id="baseline-bars">
            <figcaption><strong>{t.baselineBars}</strong> — {t.baselineCaption(view.model.baseline.file, view.model.baseline.asOf)}</figcaption>
            <BaselineBars counts={view.model.baseline.counts} lang={lang} />
          </figure>
        ) : null}
      </div>
    </section>
  );
}

export function Mark({ mark, lang }: { mark: ClauseMark; lang: Lang }) {
  return (
    <span class={`mark mark-${mark}`}>
      <span class="sym" aria-hidden="true">{MARKS[mark].symbol}</span>
      <span>{MARKS[mark].label[lang]}</span>
    </span>
  );
}

function ClauseTable({ view }: { view: HtmlView }) {
  const { lang } = view;
  const t = L[lang];
  if (!view.clauses) {
    return (
      <section id="clauses" class="page">
        <h2>{t.clauses}</h2>
        <p>{t.noCatalog}</p>
      </section>
    );
  }
  return (
    <section id="clauses" class="page">
      <h2>{t.clauses}</h2>
      <p>{t.clausesIntro(view.clauses.rows.length)}</p>
      <table class="clauses">
        <thead>
          <tr>
            <th>{t.clause}</th>
            <th>{t.text}</th>
            <th>{t.status}</th>
            <th>{t.rules}</th>
            {OUTCOMES.map((o) => <th class="num">{OUTCOME_LABELS[lang][o]}</th>)}
          </tr>
        </thead>
        <tbody>
          {view.clauses.articles.flatMap((a) => a.rows.map((row, i) => <ClauseTableRow row={row} first={i === 0} t={t} lang={lang} />))}
        </tbody>
      </table>
    </section>
  );
}

function ClauseTableRow({ row, first, t, lang }: { row: ClauseRow; first: boolean; t: Labels; lang: Lang }) {
  const automated = row.status === 'automated';
  return (
    <tr id={row.anchor} class={first ? 'article-start' : undefined} data-mark={row.mark} data-clause={row.clause.ja}>
      <td>
        <strong>{row.clause[lang]}</strong>
        {row.heading ? <span class="heading">{row.heading}</span> : null}
      </td>
      <td>{lang === 'ja' ? row.text : row.summary}</td>
      <td>
        <Mark mark={row.mark} lang={lang} />
        {automated && row.mark !== 'pass' ? <div class="small muted">{t.statuses[row.status]}</div> : null}
      </td>
      <td>
        {row.rules.length > 0 ? (
          <ul class="rules-list">
            {row.rules.map((r) => (
              <li>
                <code>{r.id}</code>
                {r.inherited ? <span title={t.inheritedTitle}>{` ${t.inherited}`}</span> : null}
              </li>
            ))}
          </ul>
        ) : automated ? (
          <span class="muted">{t.noRule}</span>
        ) : null}
        {row.reason ? <div class="reason">{`${t.reason}: ${row.reason[lang]}`}</div> : null}
      </td>
      {OUTCOMES.map((o) => (automated ? <Num n={row.counts[o]} /> : <td class="num zero">–</td>))}
    </tr>
  );
}

function Failures({ view }: { view: HtmlView }) {
  const { lang } = view;
  const t = L[lang];
  const { inputs, articles } = view.failures;
  const groups = [...(inputs.length ? [{ id: 'failures-inputs', title: t.inputs, findings: inputs }] : []), ...articles.map((g) => ({ id: `failures-${g.regulation !== undefined ? `${g.regulation}-` : ''}${g.article}`, title: articleTitle(g, lang), findings: g.findings }))];
  return (
    <section id="failures" class="page">
      <h2>{t.failures}</h2>
      {groups.length === 0 ? <p>{t.noFailures}</p> : null}
      {groups.map((g) => (
        <section class="article" id={g.id}>
          <h3>{`${g.title} — ${lang === 'ja' ? `${g.findings.length} 件` : `${g.findings.length}`}`}</h3>
          {g.findings.map((f) => <FindingBlock f={f} rule={view.rules.get(f.ruleId)} lang={lang} />)}
        </section>
      ))}
    </section>
  );
}

function FindingBlock({ f, rule, lang }: { f: FindingJson; rule: RuleJson | undefined; lang: Lang }) {
  const t = L[lang];
  const fix = remediationOf(f, rule, lang);
  const params = f.params && Object.keys(f.params).length ? Object.entries(f.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : undefined;
  return (
    <div class={f.outcome === 'error' ? 'finding error' : 'finding'}>
      <div class="head">
        {`${f.outcome === 'fail' ? '✗' : '!'} ${OUTCOME_LABELS[lang][f.outcome]} `}
        <span class="severity">{f.severity}</span>
        {f.clauses.length ? ` ${clausesText(f.clauses, lang)} ` : ' '}
        <code>{f.ruleId}</code>
        {f.assertion ? <code>{` / ${f.assertion}`}</code> : null}
      </div>
      <dl>
        <dt>{t.message}</dt>
        <dd class="message">{f.message[lang]}</dd>
        {f.recordId ? (
          <>
            <dt>{t.record}</dt>
            <dd><code>{f.recordId}</code></dd>
          </>
        ) : null}
        <dt>{t.where}</dt>
        <dd><code>{whereText(f)}</code></dd>
        {f.code ? (
          <>
            <dt>{t.code}</dt>
            <dd><code>{f.code}</code></dd>
          </>
        ) : null}
        {rule && f.outcome === 'fail' ? (
          <>
            <dt>{t.quote}</dt>
            <dd class="quote">{rule.quote}</dd>
          </>
        ) : null}
        {params && f.outcome === 'fail' ? (
          <>
            <dt>{t.params}</dt>
            <dd><code>{params}</code></dd>
          </>
        ) : null}
        {fix ? (
          <>
            <dt>{t.fix}</dt>
            <dd>{fix}</dd>
          </>
        ) : null}
        {f.waiver ? (
          <>
            <dt>{t.waived}</dt>
            <dd>
              {t.waiverOf(f.waiver.id, roleLabel(f.waiver.role, lang), f.waiver.approvedBy, f.waiver.approvedOn, f.waiver.expiresOn)}
              <div class="quote">{f.waiver.justification}</div>
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/** Failures a waiver accepts, each with its waiver; then every waiver read and what became of it. */
function Waivers({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  const waived = waivedFindings(model);
  return (
    <section id="waivers" class="page">
      <h2>{t.waived}</h2>
      <p class="small muted">{t.waivedIntro}</p>
      {waived.map((f) => <FindingBlock f={f} rule={view.rules.get(f.ruleId)} lang={lang} />)}
      {model.waivers ? (
        <>
          <h3>{`${t.waiverList} (${model.waivers.dir})`}</h3>
          <table class="waivers">
            <thead>
              <tr>
                {(['id', 'status', 'rule', 'scope', 'matched', 'expires', 'where'] as const).map((k) => <th>{t.waiverCols[k]}</th>)}
              </tr>
            </thead>
            <tbody>
              {model.waivers.list.map((w) => (
                <tr data-waiver={w.id}>
                  <td><code>{w.id}</code></td>
                  <td>{t.waiverStatus[w.status] ?? w.status}</td>
                  <td><code>{w.assertion ? `${w.rule} / ${w.assertion}` : w.rule}</code></td>
                  <td>{w.scope.records ? w.scope.records.join(', ') : t.wholeRegister(w.scope.register ?? '')}</td>
                  <Num n={w.matched} />
                  <td>{w.expiresOn}</td>
                  <td><code>{`${w.location.file}:${w.location.line}`}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function Errors({ view }: { view: HtmlView }) {
  const { lang } = view;
  const t = L[lang];
  return (
    <section id="errors" class="page">
      <h2>{t.errors}</h2>
      <p class="small muted">{t.errorsIntro}</p>
      {view.errors.length === 0 ? <p>{t.noErrors}</p> : view.errors.map((f) => <FindingBlock f={f} rule={view.rules.get(f.ruleId)} lang={lang} />)}
    </section>
  );
}

function periodText(p: Period, lang: Lang): string {
  if (!p.from && !p.until) return '–';
  return lang === 'ja' ? `${p.from ?? ''}〜${p.until ?? ''}` : p.from && p.until ? `${p.from} to ${p.until}` : p.from ? `from ${p.from}` : `until ${p.until}`;
}

function Rules({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  return (
    <section id="rules" class="page">
      <h2>{t.applied(model.asOf)}</h2>
      <table class="rules">
        <thead>
          <tr>
            <th>{t.rule}</th>
            <th>{t.clause}</th>
            <th>{t.severity}</th>
            <th>{t.version}</th>
            <th>{t.period}</th>
            <th>{t.params}</th>
            <th class="num">{t.evaluated}</th>
            {OUTCOMES.map((o) => <th class="num">{OUTCOME_LABELS[lang][o]}</th>)}
          </tr>
        </thead>
        <tbody>
          {model.rules.map((r) => (
            <tr data-rule={r.id}>
              <td>
                <code>{r.id}</code>
                <div class="small muted">{r.title[lang]}</div>
              </td>
              <td>{clausesText(r.clauses, lang)}</td>
              <td>{r.severity}</td>
              <td>{t.versionText(r.version)}</td>
              <td class="small">{periodText(r.effective, lang)}</td>
              <td>{Object.keys(r.params).length ? <code>{Object.entries(r.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}</code> : <span class="muted">{t.none}</span>}</td>
              <Num n={r.evaluated} />
              {OUTCOMES.map((o) => <Num n={r.outcomes[o]} />)}
            </tr>
          ))}
        </tbody>
      </table>
      {model.overrides?.length ? (
        <>
          <h3>{t.overridesTitle}</h3>
          <table class="overrides">
            <thead>
              <tr>{t.overrideCols.map((c) => <th>{c}</th>)}</tr>
            </thead>
            <tbody>
              {model.overrides.map((o) => (
                <tr>
                  <td><code>{`${o.rule}.${o.param}`}</code></td>
                  <td><code>{JSON.stringify(o.value)}</code></td>
                  <td><code>{JSON.stringify(o.default)}</code></td>
                  <td>{o.reason ?? <span class="muted">{t.none}</span>}</td>
                  <td>{o.decidedBy !== undefined ? `${o.decidedBy}${o.decidedOn ? ` ${o.decidedOn}` : ''}` : ''}</td>
                  <td>{t.overrideSource[o.source]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function ManifestSection({ view }: { view: HtmlView }) {
  const { model, lang } = view;
  const t = L[lang];
  const m = model.manifest;
  if (!m) {
    return (
      <section id="manifest" class="page">
        <h2>{t.manifest}</h2>
        <p>{t.noManifest}</p>
      </section>
    );
  }
  const files: [string, string, FileDigest][] = [
    ...m.evidence.files.map((f): [string, string, FileDigest] => [t.kinds.evidence, m.evidence.dir, f]),
    ...m.policies.files.map((f): [string, string, FileDigest] => [t.kinds.policy, m.policies.dir, f]),
    ...(m.catalog ? [[t.kinds.catalog, m.policies.dir, m.catalog] as [string, string, FileDigest]] : []),
    ...m.schemas.files.map((f): [string, string, FileDigest] => [t.kinds.schema, m.schemas.dir, f]),
  ];
  return (
    <section id="manifest" class="page">
      <h2>{t.manifest}</h2>
      <p class="small muted">{t.manifestIntro}</p>
      <table class="summary">
        <tbody>
          <Row k={t.digest}><code>{m.digest}</code></Row>
          <Row k={t.kitei}>{m.kitei}</Row>
          <Row k={t.asOf}>{m.asOf}</Row>
          <Row k={t.language}>{m.language}</Row>
          <Row k={t.failOn}>{m.failOn}</Row>
          <Row k={t.overrides}><code>{Object.keys(m.params).length ? JSON.stringify(m.params) : t.none}</code></Row>
        </tbody>
      </table>
      <table class="manifest">
        <thead>
          <tr>
            <th>{t.kind}</th>
            <th>{t.file}</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {files.map(([kind, dir, f]) => (
            <tr>
              <td>{kind}</td>
              <td><code>{`${dir}/${f.path}`}</code></td>
              <td><code>{f.sha256 ?? t.unreadable}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Row({ k, children }: { k: string; children: ComponentChildren }) {
  return (
    <tr>
      <th>{k}</th>
      <td>{children}</td>
    </tr>
  );
}
