// overflow.mjs: the layout check of the language tests, shared by Chromium
// (layout.test.mjs, which evaluates it in the page) and Firefox (the test
// probe carries its source, firefox-harness.mjs: extension pages may not
// evaluate strings).

/**
 * overflowing lists the elements under root (a document or shadow root)
 * whose content is wider than their box, by tag.class and text.
 * Scrollable code blocks (<pre>) are meant to scroll. It runs in the page:
 * it must not use anything from this module's scope.
 */
export function overflowing(root) {
  const out = [];
  for (const node of root.querySelectorAll('*')) {
    if (['PRE', 'STYLE', 'SCRIPT', 'HTML', 'BODY'].includes(node.tagName) || node.closest('[hidden], .visually-hidden')) continue;
    if (node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 0 && node.ownerDocument.defaultView.getComputedStyle(node).overflowX !== 'auto') {
      out.push(`${node.tagName.toLowerCase()}.${node.className}: "${node.textContent.trim().slice(0, 60)}" ${node.scrollWidth}>${node.clientWidth}`);
    }
  }
  return out;
}

/**
 * selfCheck adds a deliberately clipped element to doc and returns how many
 * more elements overflowing finds with it: 1 when the check can see
 * clipping at all (a document without layout gives 0). It runs in the page.
 */
export function selfCheck(doc, overflowingFn) {
  const before = overflowingFn(doc).length;
  const d = doc.createElement('div');
  d.style.cssText = 'width: 10px; white-space: nowrap; overflow: hidden';
  d.textContent = 'clipped on purpose';
  doc.body.append(d);
  const n = overflowingFn(doc).length - before;
  d.remove();
  return n;
}
