// handover.js: how the views hand the admin what they made: the clipboard
// and downloads (the panel, the triage page, the toolbar popup).

import { el } from './dom.js';

/** stamp is the local time as YYYYMMDD-HHMM, for file names. */
export function stamp() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/** downloadText saves text as a file named name, through a Blob URL and an <a download>. */
export function downloadText(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** copyText puts text on the clipboard and resolves with whether it could. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // DevTools panels may be denied the async clipboard by permissions
    // policy; within the click, the older command still works.
    const area = el('textarea', { class: 'visually-hidden' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
