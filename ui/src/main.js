// The UI's entry: a client-side router over the pages. The aggregator answers index.html for
// every page path, so links and reloads work.
import './style.css';
import { h } from './dom.js';
import { queryPage } from './query.js';
import { fleetPage } from './fleet.js';
import { alertsPage } from './alerts.js';
import { hostPage } from './host.js';

const ROUTES = [
  { page: 'query', re: /^\/(query)?$/, render: queryPage },
  { page: 'fleet', re: /^\/fleet$/, render: fleetPage },
  { page: 'alerts', re: /^\/alerts$/, render: alertsPage },
  { page: 'host', re: /^\/host(?:\/(.+))?$/, render: hostPage },
];

let dispose = () => {};

function render() {
  dispose();
  dispose = () => {};
  const app = document.getElementById('app');
  app.replaceChildren();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  for (const r of ROUTES) {
    const m = path.match(r.re);
    if (!m) continue;
    for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === r.page);
    document.title = `${r.page[0].toUpperCase()}${r.page.slice(1)} · Pharos`;
    dispose = r.render(app, m) || dispose;
    return;
  }
  app.append(h('p', { class: 'empty' }, `No page at ${location.pathname}. `, h('a', { href: '/query' }, 'Query')));
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.origin !== location.origin || a.target || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  if (a.pathname.startsWith('/api/') || a.pathname.startsWith('/assets/')) return;
  e.preventDefault();
  history.pushState(null, '', a.pathname + a.search);
  render();
});
window.addEventListener('popstate', render);
render();
