// hints.js: the devtools page's shortcut before it asks the engine whether a
// rule reads a request's body. Every URL a rule wants contains one of the
// engine's scope hints (hubdoctor.scopeHints, lower-case) once lower-cased,
// unless it is percent-encoded, which only the engine can read. So a URL
// with neither is answered here, without crossing into the engine.
// internal/engine's TestScopeHints runs this very function on the rules'
// samples.

/** hinted reports whether url may be one a rule wants, given the engine's scope hints. */
export function hinted(url, hints) {
  const u = url.toLowerCase();
  return u.includes('%') || hints.some((h) => u.includes(h));
}
