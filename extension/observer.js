// observer.js: the page observer. It runs in Control Hub's own page (the
// MAIN world, https://admin.webex.com/* only, at document_start) so that a
// failed onboarding is caught with DevTools closed. It wraps fetch and
// XMLHttpRequest the observer way: the page's call goes to the browser
// unchanged and first, and its result is read on the side, only for
// - the few calls a rule reads (SCOPES), and
// - the calls to a Webex host (HOSTS) that fail: their status (≥ 400) is
//   looked at when the answer comes, and only a failed one is read further,
//   so that a failure no rule knows is listed for TAC too.
// Both lists are written from the engine at build time by scripts/scopes. A
// record goes to the extension's content script as a JSON string in one
// CustomEvent (EVENT for a call a rule reads, FAILED_EVENT for another
// failed call); a call to any other host is left alone, with no work beyond
// a method comparison and a look at its host.
//
// Never break the page: natives are saved in the first lines, before any
// page script (zone.js, which Angular uses, patches the same functions later
// and must find writable properties); the XHR prototype is patched, never
// the constructor; fetch returns the browser's own promise; nothing async
// stands on the page's path; every step is guarded, and anything odd falls
// through to the native call. Facts and sources:
// docs/without-devtools.md.

(() => {
  'use strict';
  const g = globalThis;
  const XHR = g.XMLHttpRequest;
  const proto = XHR?.prototype;
  const nativeFetch = g.fetch;
  const natives = {
    open: proto?.open,
    send: proto?.send,
    setRequestHeader: proto?.setRequestHeader,
    getAllResponseHeaders: proto?.getAllResponseHeaders,
    addEventListener: g.EventTarget?.prototype.addEventListener,
    dispatchEvent: g.EventTarget?.prototype.dispatchEvent,
    // The then of the browser's own promises (an async function returns
    // one), which fetch returns: window.Promise is zone.js's
    // ZoneAwarePromise when the observer comes late (an extension installed
    // or updated while Control Hub is open, in Firefox), and its then does
    // nothing useful on a browser promise.
    then: Object.getPrototypeOf((async () => {})()).then,
    responseClone: g.Response?.prototype.clone,
    requestClone: g.Request?.prototype.clone,
    requestText: g.Request?.prototype.text,
    readerRead: g.ReadableStreamDefaultReader?.prototype.read,
    readerCancel: g.ReadableStreamDefaultReader?.prototype.cancel,
    getReader: g.ReadableStream?.prototype.getReader,
    headersForEach: g.Headers?.prototype.forEach,
    Headers: g.Headers,
    Request: g.Request,
    URL: g.URL,
    CustomEvent: g.CustomEvent,
    TextDecoder: g.TextDecoder,
    stringify: JSON.stringify,
    now: Date.now,
    perfNow: g.performance?.now.bind(g.performance),
    toISOString: Date.prototype.toISOString,
    WeakMap: g.WeakMap,
    setTimeout: g.setTimeout,
    isArray: Array.isArray,
    getPrototypeOf: Object.getPrototypeOf,
    ObjectPrototype: Object.prototype,
  };
  const call = Function.prototype.call.bind(Function.prototype.call);
  const apply = Reflect.apply;

  /** SCOPES: {method, hint} pairs; a call is recorded when its method is one and its lower-cased URL contains the hint. */
  const SCOPES = /*@scopes:requests@*/[];
  const METHODS = SCOPES.map((s) => s.method);
  /** HOSTS: lower-case domains; a call to one of them or to a name under it is read when its status is 400 or more. */
  const HOSTS = /*@scopes:hosts@*/[];
  /** FAILED is the status from which a call to a Webex host is read: the engine's (engine.FailedStatus, the list's one number). */
  const FAILED_STATUS = /*@scopes:failed@*/[];
  const FAILED = FAILED_STATUS[0];
  /**
   * EVENT and FAILED_EVENT are the channels to the content script (one
   * record schema; the version changes with it): a call a rule reads goes on
   * the first, another failed call on the second, so that a burst of failing
   * calls never takes the rate the rules' calls get.
   */
  const EVENT = 'hubdoctor:record:v1';
  const FAILED_EVENT = 'hubdoctor:failed:v1';
  /** MAX_BODY caps what is read of a body (the rest is counted, not kept). */
  const MAX_BODY = 1 << 20;
  /** HEADERS are the only headers a record carries: the tracking ID TAC asks for and the media type. */
  const HEADERS = ['trackingid', 'content-type'];

  if (!proto || !nativeFetch || !natives.open || !natives.CustomEvent || !SCOPES.length || !HOSTS.length || !FAILED) return;
  const noop = () => {};
  /** PAGE_HOST is the host of Control Hub's page, which a path names. */
  const PAGE_HOST = String(g.location?.hostname ?? '').toLowerCase();

  /** inScope tells whether a call is one a rule reads. Most calls are GETs and end at the first test. */
  function inScope(method, url) {
    const m = typeof method === 'string' ? method.toUpperCase() : 'GET';
    if (!METHODS.includes(m)) return false;
    const u = String(url).toLowerCase();
    return SCOPES.some((s) => s.method === m && u.includes(s.hint));
  }

  /**
   * webexHost tells whether a call goes to a Webex host (HOSTS), from its
   * URL as the page gave it. An absolute https URL is read by hand (a URL
   * object costs more than the rest of the wrapper); a path is the page's
   * own host (Control Hub's pages are admin.webex.com only); anything else
   * is parsed.
   */
  function webexHost(url) {
    const u = String(url);
    let host;
    if (u.startsWith('https://')) {
      let end = 8;
      while (end < u.length) {
        const c = u.charCodeAt(end);
        if (c === 47 || c === 63 || c === 35 || c === 92) break; // / ? # \
        end++;
      }
      host = u.slice(8, end);
      const at = host.lastIndexOf('@');
      if (at >= 0) host = host.slice(at + 1);
      const colon = host.indexOf(':');
      if (colon >= 0) host = host.slice(0, colon);
      host = host.toLowerCase();
    } else if (u.startsWith('/') && !u.startsWith('//')) {
      host = PAGE_HOST;
    } else {
      host = new natives.URL(u, document.baseURI).hostname;
    }
    for (const d of HOSTS) {
      if (host === d || (host.endsWith(d) && host.charCodeAt(host.length - d.length - 1) === 46)) return true;
    }
    return false;
  }

  function absolute(url) {
    return new natives.URL(String(url), document.baseURI).href;
  }

  /** pick keeps the allowed headers of a Headers object or of header pairs. */
  function pick(headers) {
    const out = [];
    const keep = (value, name) => {
      if (HEADERS.includes(String(name).toLowerCase()) && out.length < 8) out.push([String(name), String(value).slice(0, 1024)]);
    };
    if (headers instanceof natives.Headers) call(natives.headersForEach, headers, keep);
    else for (const [name, value] of headers) keep(value, name);
    return out;
  }

  /** pickRaw keeps the allowed headers of getAllResponseHeaders' text. */
  function pickRaw(text) {
    const pairs = [];
    for (const line of String(text ?? '').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) pairs.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
    return pick(pairs);
  }

  function mediaType(headers) {
    const ct = headers.find(([n]) => n.toLowerCase() === 'content-type');
    return ct ? ct[1] : '';
  }

  /** textOf returns a request body when it is text (what Control Hub sends), else null. */
  function textOf(body) {
    return typeof body === 'string' ? body.slice(0, MAX_BODY) : null;
  }

  function emit(rec, status, statusText, responseHeaders, body) {
    const record = {
      v: 1,
      via: rec.via,
      method: rec.method,
      url: rec.url,
      started: call(natives.toISOString, new Date(rec.started)),
      time: Math.max(0, Math.round((natives.perfNow() - rec.t0) * 1000) / 1000),
      status,
      statusText: String(statusText ?? '').slice(0, 128),
      requestHeaders: rec.headers,
      requestBody: rec.body,
      responseHeaders,
      mimeType: mediaType(responseHeaders).slice(0, 256),
      responseBody: body.text,
      bodySize: body.size,
      bodyTruncated: body.truncated,
    };
    const event = new natives.CustomEvent(rec.failedOnly ? FAILED_EVENT : EVENT, { detail: natives.stringify(record) });
    call(natives.dispatchEvent, document, event);
  }

  // ---- fetch ----

  /**
   * initHeaders reads init.headers without using them up: only a Headers
   * object, an array of pairs or a plain object are read again by the
   * browser unchanged. Any other iterable (a Map's entries(), a generator)
   * may be one-shot: reading it first would send the call without its
   * headers, so its headers are not recorded.
   */
  function initHeaders(headers) {
    if (headers instanceof natives.Headers) return headers;
    if (natives.isArray(headers)) return new natives.Headers(headers);
    const proto = headers !== null && typeof headers === 'object' ? natives.getPrototypeOf(headers) : undefined;
    return proto === natives.ObjectPrototype || proto === null ? new natives.Headers(headers) : [];
  }

  /**
   * startFetch returns the call's record when a rule reads the call; for
   * another call to a Webex host, a lighter one (failedOnly) that holds only
   * the call's arguments and times, filled in (describeFetch) if the call
   * fails; else null.
   */
  function startFetch(input, init) {
    const isRequest = input instanceof natives.Request;
    const method = init?.method ?? (isRequest ? input.method : 'GET');
    const url = isRequest ? input.url : input instanceof natives.URL ? input.href : input;
    if (inScope(method, url)) {
      const rec = describeFetch({ via: 'fetch', method, url, input, init, isRequest, started: natives.now(), t0: natives.perfNow() });
      // A Request's body can be read only once: clone it before the browser does.
      if (init?.body === undefined && isRequest && rec.method !== 'GET' && rec.method !== 'HEAD') rec.bodyFrom = call(natives.requestClone, input);
      return rec;
    }
    if (!webexHost(url)) return null;
    return { via: 'fetch', failedOnly: true, method, url, input, init, isRequest, started: natives.now(), t0: natives.perfNow() };
  }

  /**
   * describeFetch reads what a record keeps of the call from its arguments:
   * at once for a call a rule reads, only once it failed for another (the
   * headers were sent by then; a page that changes its init object after
   * the call could at most change a failed call's TrackingID). A failed
   * call's Request body is not read: the browser used it up, and cloning
   * every Webex call's Request in advance would tee every body.
   */
  function describeFetch(rec) {
    const { input, init, isRequest } = rec;
    rec.method = String(rec.method).toUpperCase();
    rec.url = absolute(rec.url);
    rec.headers = pick(init?.headers !== undefined ? initHeaders(init.headers) : isRequest ? input.headers : []);
    rec.body = textOf(init?.body);
    rec.input = rec.init = undefined;
    return rec;
  }

  /** readCapped reads at most MAX_BODY bytes of a body stream, as text. */
  async function readCapped(stream) {
    const reader = call(natives.getReader, stream);
    const decoder = new natives.TextDecoder();
    let text = '';
    let size = 0;
    for (;;) {
      const { done, value } = await call(natives.readerRead, reader);
      if (done) return { text, size, truncated: false };
      size += value.byteLength;
      if (size > MAX_BODY) {
        text += decoder.decode(value.subarray(0, value.byteLength - (size - MAX_BODY)));
        call(natives.then, call(natives.readerCancel, reader), noop, noop);
        return { text, size, truncated: true };
      }
      text += decoder.decode(value, { stream: true });
    }
  }

  async function finishFetch(rec, response) {
    if (response.type === 'opaque' || response.type === 'opaqueredirect') return;
    const headers = pick(response.headers);
    const clone = call(natives.responseClone, response);
    if (rec.bodyFrom) rec.body = textOf(await call(natives.requestText, rec.bodyFrom));
    delete rec.bodyFrom;
    const body = clone.body ? await readCapped(clone.body) : { text: null, size: 0, truncated: false };
    emit(rec, response.status, response.statusText, headers, body);
  }

  /**
   * tap reads the response on the side: every response of a call a rule
   * reads, only a failed one (status ≥ 400) of another. It never throws and
   * never rejects.
   */
  function tap(rec) {
    return (response) => {
      try {
        if (rec.failedOnly) {
          if (response.status < FAILED) return;
          describeFetch(rec);
        }
        // The clone is taken in this first callback, before the page's own
        // .then can use the body.
        const p = finishFetch(rec, response);
        call(natives.then, p, noop, noop);
      } catch {
        // Leave the page alone.
      }
    };
  }

  // ---- XMLHttpRequest ----

  /** calls maps an XHR whose open was in scope, or to a Webex host (failedOnly), to its record. */
  const calls = new natives.WeakMap();

  function onLoadEnd() {
    try {
      const rec = calls.get(this);
      if (!rec || !rec.sent || this.status === 0) return;
      calls.delete(this);
      if (rec.failedOnly) {
        if (this.status < FAILED) return;
        rec.method = String(rec.method).toUpperCase();
        rec.url = absolute(rec.url);
      }
      const rawHeaders = call(natives.getAllResponseHeaders, this);
      const { status, statusText } = this;
      let text = null;
      const type = this.responseType;
      // responseText throws for other types; json is stringified as the page
      // got it; blobs, buffers and documents are not read.
      if (type === '' || type === 'text') text = this.responseText;
      else if (type === 'json') text = this.response === null ? null : natives.stringify(this.response);
      // What the page may change later is read now; the record is built and
      // sent in a task of the observer's own (the browser's setTimeout, saved
      // before zone.js wraps it, so no change detection runs for it), so the
      // page's own loadend listeners do not wait for it.
      call(natives.setTimeout, g, () => {
        try {
          const size = text === null ? 0 : text.length;
          const body = { text: text === null ? null : text.slice(0, MAX_BODY), size, truncated: size > MAX_BODY };
          emit(rec, status, statusText, pickRaw(rawHeaders), body);
        } catch {
          // Leave the page alone.
        }
      }, 0);
    } catch {
      // Leave the page alone.
    }
  }

  // The wrappers are methods, so that like the browser's functions they have
  // no prototype property and are not constructors; their names and
  // parameter counts are the browser's too (fetch.length is 1, open's 2,
  // setRequestHeader's 2, send's 0).
  const wrappers = {
    fetch(input) {
      let rec = null;
      try {
        rec = startFetch(input, arguments[1]);
      } catch {
        rec = null;
      }
      const p = apply(nativeFetch, this, arguments);
      if (rec) {
        try {
          call(natives.then, p, tap(rec), noop);
        } catch {
          // A page that replaced Promise.prototype.then: record nothing.
        }
      }
      return p;
    },

    open(method, url) {
      try {
        calls.delete(this); // a new open starts a new call
        if (inScope(method, url)) calls.set(this, { via: 'xhr', method: String(method).toUpperCase(), url: absolute(url), headers: [] });
        // Its method and URL are made whole only if it fails (onLoadEnd).
        else if (webexHost(url)) calls.set(this, { via: 'xhr', failedOnly: true, method, url, headers: [] });
      } catch {
        // Leave the page alone.
      }
      return apply(natives.open, this, arguments);
    },

    setRequestHeader(name, value) {
      try {
        const rec = calls.get(this);
        if (rec && HEADERS.includes(String(name).toLowerCase()) && rec.headers.length < 8) rec.headers.push([String(name), String(value).slice(0, 1024)]);
      } catch {
        // Leave the page alone.
      }
      return apply(natives.setRequestHeader, this, arguments);
    },

    send() {
      try {
        const rec = calls.get(this);
        if (rec) {
          rec.body = textOf(arguments[0]);
          rec.started = natives.now();
          rec.t0 = natives.perfNow();
          rec.sent = true;
          // One listener per XHR whatever its reuse: the browser ignores the
          // same listener added again (DOM "add an event listener"), which
          // costs less than remembering the XHRs in a WeakMap.
          call(natives.addEventListener, this, 'loadend', onLoadEnd);
        }
      } catch {
        // Leave the page alone.
      }
      return apply(natives.send, this, arguments);
    },
  };

  proto.open = wrappers.open;
  proto.setRequestHeader = wrappers.setRequestHeader;
  proto.send = wrappers.send;
  g.fetch = wrappers.fetch;
})();
