// The Node baselines of make bench, doing what browser HAR analyzers do:
// read the whole file into one string and JSON.parse it.
//
//   node node-baseline.mjs analyze FILE       prints the e-mails of the users
//                                            an onboard batch rejected (the
//                                            same selection as onboard.jq)
//   node node-baseline.mjs reencode FILE OUT  JSON.stringify of the parse to OUT
//
// Exit status 2 with a one-line message when the file cannot be read or parsed
// (a 500 MB file may exceed V8's string or heap limits: that is a result).
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, file, out] = process.argv.slice(2);

function fail(msg) {
  process.stderr.write(`node-baseline: ${msg}\n`);
  process.exit(2);
}

function load(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`reading ${path}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`parsing ${path}: ${e.message}`);
  }
}

// failingUsers mirrors onboard.jq line by line.
function failingUsers(har) {
  const emails = [];
  for (const e of har?.log?.entries ?? []) {
    if (e?.request?.method !== 'POST') continue;
    if (!/\/users\/onboard\/?$/.test(String(e.request.url ?? '').split('?')[0])) continue;
    const c = e.response?.content ?? {};
    let text = c.text ?? '';
    if (c.encoding === 'base64') text = Buffer.from(text, 'base64').toString('utf8');
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      continue;
    }
    const users = Array.isArray(body) ? body : (body && typeof body === 'object' ? body.userResponse ?? [] : []);
    for (const u of users) {
      if (u && typeof u === 'object' && Number(u.status ?? u.httpStatus ?? 0) >= 400) emails.push(u.email);
    }
  }
  return emails;
}

switch (mode) {
  case 'analyze':
    if (!file) fail('usage: node-baseline.mjs analyze FILE');
    process.stdout.write(failingUsers(load(file)).map((m) => `${m}\n`).join(''));
    break;
  case 'reencode': {
    if (!file || !out) fail('usage: node-baseline.mjs reencode FILE OUT');
    const har = load(file);
    let text;
    try {
      text = JSON.stringify(har);
    } catch (e) {
      fail(`encoding ${file}: ${e.message}`);
    }
    writeFileSync(out, text);
    break;
  }
  default:
    fail(`unknown mode ${JSON.stringify(mode)}: want analyze or reencode`);
}
