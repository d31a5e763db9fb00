// The metrics page's one script (allowed by the page's CSP through its SHA-256): a filter box
// over each long table and sortable columns. The page reads fully without it; the controls
// exist only when it runs. Nothing is fetched, stored or sent.
(() => {
  'use strict';
  document.documentElement.setAttribute('data-enhanced', '');
  const missing = (text) => text === '' || text === '\u2014';
  // Numbers first ("153.96 d", "63.0%", "65 < 70", "12 / 20"); dates and weeks stay text.
  const key = (cell) => {
    const text = cell ? cell.textContent.trim() : '';
    if (missing(text)) return null;
    const number = /^-?\d+(?:\.\d+)?(?![\d.-])/.exec(text);
    return number ? parseFloat(number[0]) : text;
  };
  const compare = (a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { numeric: true });
  document.querySelectorAll('.rows').forEach((group, index) => {
    const bodies = [...group.querySelectorAll('tbody')];
    if (bodies.length === 0) return;
    const rows = () => bodies.flatMap((body) => [...body.rows]);
    const top = bodies[0].rows.length;
    const total = rows().length;
    const details = group.querySelector('details');
    const name = group.getAttribute('data-name') || 'rows';
    if (total > 10) {
      const box = document.createElement('p');
      box.className = 'filter no-print';
      const label = document.createElement('label');
      label.textContent = 'Filter ' + name.charAt(0).toLowerCase() + name.slice(1);
      const input = document.createElement('input');
      input.type = 'search';
      input.id = 'filter-' + index;
      const count = document.createElement('span');
      count.className = 'count';
      count.setAttribute('aria-live', 'polite');
      label.append(' ', input);
      box.append(label, count);
      group.prepend(box);
      let wasOpen = null;
      input.addEventListener('input', () => {
        const query = input.value.trim().toLowerCase();
        let shown = 0;
        for (const row of rows()) {
          const hit = !query || row.textContent.toLowerCase().includes(query);
          row.hidden = !hit;
          if (hit) shown += 1;
        }
        if (details && query && wasOpen === null) {
          wasOpen = details.open;
          details.open = true;
        } else if (details && !query && wasOpen !== null) {
          details.open = wasOpen;
          wasOpen = null;
        }
        count.textContent = query ? shown + ' of ' + total + ' rows' : '';
      });
    }
    let sorted = { column: -1, direction: 1 };
    const sortBy = (column) => {
      const direction = sorted.column === column ? -sorted.direction : 1;
      sorted = { column, direction };
      const keyed = rows().map((row, at) => ({ row, at, key: key(row.cells[column]) }));
      // Missing values last either way; ties keep their order.
      keyed.sort((a, b) => {
        if (a.key === null || b.key === null) {
          return (a.key === null) - (b.key === null) || a.at - b.at;
        }
        return compare(a.key, b.key) * direction || a.at - b.at;
      });
      keyed.forEach(({ row }, at) => bodies[at < top ? 0 : bodies.length - 1].append(row));
      for (const head of group.querySelectorAll('thead tr')) {
        [...head.cells].forEach((th, at) => {
          if (at === column) {
            th.setAttribute('aria-sort', direction > 0 ? 'ascending' : 'descending');
          } else {
            th.removeAttribute('aria-sort');
          }
        });
      }
    };
    for (const head of group.querySelectorAll('thead tr')) {
      [...head.cells].forEach((th, column) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.append(...th.childNodes);
        button.addEventListener('click', () => sortBy(column));
        th.append(button);
      });
    }
  });
})();
