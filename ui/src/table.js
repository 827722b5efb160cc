// A sortable, filterable table for the Fleet and Alerts pages.
import { h } from './dom.js';

/**
 * A table of `rows` (objects) with `columns` ({key, title, render(row) → node/text,
 * sort(row) → comparable, num}); clicking a header sorts by it, again reverses. `filter` is a
 * text every row's `search(row)` must contain. `detail(row)` adds a row under each (optional).
 * Returns {el, update(rows), setFilter(text)}.
 */
export function sortableTable({ id, columns, search, detail, initialSort }) {
  let rows = [];
  let sortKey = initialSort || columns[0].key;
  let reverse = false;
  let filter = '';
  const thead = h('thead');
  const tbody = h('tbody');
  const el = h('table', { class: 'data responsive', id }, thead, tbody);

  function header() {
    thead.replaceChildren(
      h(
        'tr',
        {},
        columns.map((c) =>
          h(
            'th',
            {
              class: `sortable${c.num ? ' num' : ''}`,
              dataset: { key: c.key },
              onclick: () => {
                reverse = sortKey === c.key ? !reverse : false;
                sortKey = c.key;
                draw();
              },
            },
            c.title,
            sortKey === c.key ? (reverse ? ' ▾' : ' ▴') : '',
          ),
        ),
      ),
    );
  }

  function draw() {
    header();
    const col = columns.find((c) => c.key === sortKey) || columns[0];
    const key = col.sort || ((r) => r[col.key]);
    const f = filter.toLowerCase();
    const shown = rows
      .filter((r) => !f || search(r).toLowerCase().includes(f))
      .sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const c = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : x < y ? -1 : 1;
        return reverse ? -c : c;
      });
    tbody.replaceChildren(
      ...shown.flatMap((r) => {
        const tr = h(
          'tr',
          { class: 'row', dataset: { name: r.name ?? '' } },
          columns.map((c) => h('td', { class: c.num ? 'num' : '', dataset: { label: c.title, key: c.key } }, c.render ? c.render(r) : String(r[c.key] ?? '–'))),
        );
        const more = detail && detail(r);
        return more ? [tr, h('tr', { class: 'detail' }, h('td', { colspan: columns.length }, more))] : [tr];
      }),
    );
  }

  return {
    el,
    update(next) {
      rows = next;
      draw();
    },
    setFilter(text) {
      filter = text;
      draw();
    },
  };
}
