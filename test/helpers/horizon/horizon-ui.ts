// How a test acts on Horizon's AngularJS pages the way a user does, as JavaScript run in the page: type into
// and choose from fields found by their ng-model, click buttons, links and row actions found by their text.
// Angular reads a field on its `input` / `change` events (https://docs.angularjs.org/api/ng/directive/input).
import type { ChromiumPage } from '../chromium-page.ts';

const IN_PAGE = String.raw`
const visible = (e) => e.offsetParent !== null;
const text = (e) => e.textContent.replace(/\s+/g, ' ').trim();
const must = (found, what) => { if (!found) throw new Error('not on the page: ' + what); return found; };
const field = (model) => must([...document.querySelectorAll('.modal [ng-model]')]
  .find((e) => e.getAttribute('ng-model') === model && visible(e)), 'field ' + model);
const ui = {
  type(model, value) {
    const e = field(model);
    e.value = value;
    e.dispatchEvent(new Event('input', { bubbles: true }));
    e.dispatchEvent(new Event('change', { bubbles: true }));
    return e.value;
  },
  choose(model, label) {
    const e = field(model);
    const option = must([...e.options].find((o) => text(o) === label), model + ' option ' + label);
    e.value = option.value;
    e.dispatchEvent(new Event('change', { bubbles: true }));
    return text(option);
  },
  // Several fields at once, { ngModel: value }: a <select> by its option's label, any other by typing.
  fill(values) {
    for (const [model, value] of Object.entries(values)) {
      if (field(model).tagName === 'SELECT') ui.choose(model, value);
      else ui.type(model, value);
    }
    return true;
  },
  // octavia-dashboard's <filter-select>: open its drop-down, click the row with a cell reading 'cell'.
  filterSelect(model, cell) {
    const select = must([...document.querySelectorAll('.modal filter-select')]
      .find((e) => e.getAttribute('ng-model') === model), 'filter-select ' + model);
    select.querySelector('.dropdown-toggle').click();
    must([...select.querySelectorAll('tbody tr')].find((r) => [...r.cells].some((c) => text(c) === cell)),
      model + ' row ' + cell).click();
    return select.querySelector('input').value;
  },
  button(label) {
    const b = must([...document.querySelectorAll('.modal button')]
      .find((e) => text(e) === label && visible(e)), 'button ' + label);
    if (b.disabled) throw new Error('button ' + label + ' is disabled');
    b.click();
    return true;
  },
  // A button of the page itself (outside any modal), such as a table's 'Create Load Balancer'.
  pageButton(label) {
    must([...document.querySelectorAll('button')].find((e) => text(e) === label && visible(e) && !e.closest('.modal')),
      'page button ' + label).click();
    return true;
  },
  link(label) {
    must([...document.querySelectorAll('a')].find((a) => text(a) === label), 'link ' + label).click();
    return true;
  },
  // The visible rows of the page's table, each as its cells' text.
  rows: () => [...document.querySelectorAll('table tbody tr')].filter(visible)
    .map((r) => [...r.cells].map(text)),
  // A row action: its primary button, or an item of its drop-down.
  rowAction(rowText, label) {
    const row = must([...document.querySelectorAll('table tbody tr')]
      .find((r) => visible(r) && [...r.cells].some((c) => text(c) === rowText)), 'row ' + rowText);
    const toggle = row.querySelector('.dropdown-toggle');
    if (toggle) toggle.click();
    must([...row.querySelectorAll('a, button')].find((a) => text(a) === label), 'action ' + label).click();
    return true;
  },
  alerts: () => [...document.querySelectorAll('.alert')].filter(visible).map(text),
};
`;

/** Runs `expression` in the page with `ui` (the helpers above) in scope; returns its value. */
export function inPage<T>(page: ChromiumPage, expression: string): Promise<T> {
  return page.evaluate<T>(`(() => { ${IN_PAGE}; return (${expression}); })()`);
}

/** Fills the wizard step's fields ({ ngModel: value }), then presses its `button` (Next, Create …). */
export function fillStep(page: ChromiumPage, values: Record<string, string | number>, button: string) {
  return inPage(page, `ui.fill(${JSON.stringify(values)}) && ui.button(${JSON.stringify(button)})`);
}

/** Like ChromiumPage.waitFor, with `ui` in scope. */
export function waitInPage<T>(
  page: ChromiumPage,
  expression: string,
  what: string,
  timeoutMs?: number,
): Promise<T> {
  return page.waitFor<T>(`(() => { ${IN_PAGE}; return (${expression}); })()`, what, timeoutMs);
}
