// make bench's driver: the side-by-side numbers of issue 6. For each size it
// generates a large Control Hub session (genhar, streamed), then times, in
// the same run on the same file, the native CLI against the baselines an
// admin would reach for: jq, and Node's JSON.parse of the whole file (what
// browser HAR analyzers do); the engine in WebAssembly under Node against the
// native CLI. Every analyzer must find exactly the failing users the
// generator wrote, or the bench fails. It prints a Markdown table and
// PASS/FAIL per target; absolute numbers are noisy on a shared machine, the
// ratios (same run, same file) are what count.
//
// Environment (all optional):
//   BENCH_SIZES       sizes to generate, in genhar's syntax ("50MB 200MB 500MB")
//   BENCH_TASKS       which comparisons to run: analyze, sanitize or both
//                     ("analyze sanitize")
//   BENCH_WASM_SIZES  which of them the wasm engine under Node also runs on
//                     ("50MB"; the extension's import in the browsers has
//                     its own figures: import.mjs)
//   BENCH_NODE_HEAP   --max-old-space-size of the Node baseline, MiB (8192)
//   BENCH_RUNS        runs of each tool on each file; the table gives the
//                     median time and the highest peak RSS (3)
//   BENCH_TIMEOUT     seconds before one run counts as failed (300)
//   BENCH_TMP         where the temporary directory goes (the OS default)
//   HUBDOCTOR         the CLI (dist/bin/hubdoctor)
//   HUBDOCTOR_BEFORE  another build of the CLI (an earlier release) whose
//                     sanitize is timed beside it, untimed checks included;
//                     none by default
//   WASM, WASM_EXEC   the engine and its wasm_exec.js
//                     (dist/chrome/extension/engine/{hubdoctor.wasm,wasm_exec.js})
//   GO                the go command that builds genhar (go)
//
// Exit status 1 when the tools disagree or the native CLI or the wasm engine
// fails; 2 when the bench cannot run at all. A missed target is a result: it
// is printed as FAIL, the exit status stays 0.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const env = process.env;
const words = (s) => s.split(/[\s,]+/).filter(Boolean);
const sizes = words(env.BENCH_SIZES ?? '50MB 200MB 500MB');
const wasmSizes = new Set(words(env.BENCH_WASM_SIZES ?? '50MB'));
const tasks = new Set(words(env.BENCH_TASKS ?? 'analyze sanitize'));
const nodeHeap = Number(env.BENCH_NODE_HEAP ?? 8192);
const timeout = Number(env.BENCH_TIMEOUT ?? 300);
const runs = Number(env.BENCH_RUNS ?? 3);
const hubdoctor = resolve(root, env.HUBDOCTOR ?? 'dist/bin/hubdoctor');
const engineDir = resolve(root, 'dist/chrome/extension/engine');
const wasm = resolve(root, env.WASM ?? join(engineDir, 'hubdoctor.wasm'));
const wasmExec = resolve(root, env.WASM_EXEC ?? join(engineDir, 'wasm_exec.js'));
const goCmd = env.GO ?? 'go';

// Targets of issue 6.
const SPEEDUP_VS_JQ = 10;
const MAX_RSS_MB = 100;
// Issue 12's throughputs on the machine's cores, for files of MIN_MB_FOR_RATE
// MB or more (at 50 MB the process start weighs too much to say).
const MIN_RATE = { analyze: 1500, sanitize: 450 };
const MIN_MB_FOR_RATE = 200;

function die(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

for (const [what, path] of [['hubdoctor CLI (make cli)', hubdoctor], ['jq', '/usr/bin/jq'], ['GNU time (make deps)', '/usr/bin/time']]) {
  if (!existsSync(path)) die(`${what} is missing: ${path}`);
}
if (!Number.isFinite(nodeHeap) || nodeHeap <= 0) die(`BENCH_NODE_HEAP=${env.BENCH_NODE_HEAP}: want a size in MiB`);
if (!Number.isFinite(timeout) || timeout <= 0) die(`BENCH_TIMEOUT=${env.BENCH_TIMEOUT}: want seconds`);
if (!Number.isInteger(runs) || runs < 1) die(`BENCH_RUNS=${env.BENCH_RUNS}: want a count of runs`);
if (sizes.length === 0) die('BENCH_SIZES is empty');
if (tasks.size === 0 || [...tasks].some((t) => t !== 'analyze' && t !== 'sanitize')) die(`BENCH_TASKS=${env.BENCH_TASKS}: want analyze, sanitize or both`);

const tmp = mkdtempSync(join(env.BENCH_TMP ?? tmpdir(), 'hubdoctor-bench-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// measure runs argv under GNU time and coreutils timeout, with stdout to the
// file out (or discarded), and returns wall seconds (to the microsecond,
// from spawning to exit: the wrappers' few milliseconds count against every
// tool alike), peak RSS in MB (10^6 bytes: time reports KiB; on Linux the
// rusage of timeout includes the command it waits for), exit status and a
// one-line reason when it failed.
function measure(argv, { out = '/dev/null', okCodes = [0] } = {}) {
  const timeFile = join(tmp, 'time.txt');
  const fd = openSync(out, 'w');
  let r;
  const t0 = process.hrtime.bigint();
  try {
    r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, 'timeout', '-k', '5', String(timeout), ...argv],
      { stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 << 20 });
  } finally {
    closeSync(fd);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) die(`running ${argv[0]}: ${r.error.message}`);
  const stderr = r.stderr.toString();
  const timeLines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
  const kib = Number(timeLines.at(-1));
  const res = { seconds: secs, rssMB: (kib * 1024) / 1e6, code: r.status, stderr };
  if (r.status === 124 || r.status === 137) {
    res.failed = `timeout after ${timeout} s`;
  } else if (!okCodes.includes(r.status)) {
    const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
    const why = lines.find((l) => /FATAL ERROR|RangeError|out of memory/i.test(l)) ?? lines.at(-1) ?? `signal ${r.signal}`;
    res.failed = `exit ${r.status ?? r.signal}: ${why.slice(0, 160)}`;
  }
  return res;
}

// measureRuns measures argv times times (stopping at a failed run) and
// returns the last run with the median seconds, every run's seconds
// (runs) and the highest peak RSS; the last run's output stays in out for
// checking.
function measureRuns(argv, times, opts) {
  const all = [];
  for (let i = 0; i < times; i++) {
    const m = measure(argv, opts);
    all.push(m);
    if (m.failed) return m;
  }
  const secs = all.map((m) => m.seconds).sort((a, b) => a - b);
  return { ...all.at(-1), seconds: secs[(secs.length - 1) >> 1], runs: secs, rssMB: Math.max(...all.map((m) => m.rssMB)) };
}

// sameUsers compares what a tool found with what the generator wrote, as
// multisets, and says how they differ.
function sameUsers(found, want) {
  const a = [...found].sort();
  const b = [...want].sort();
  if (a.length === b.length && a.every((x, i) => x === b[i])) return null;
  const missing = b.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !b.includes(x));
  return `found ${a.length} failing users, the generator wrote ${b.length}` +
    (missing.length ? `; missing ${missing.slice(0, 5).join(' ')}` : '') +
    (extra.length ? `; extra ${extra.slice(0, 5).join(' ')}` : '');
}

// engineUsers reads the failing onboard users out of the engine's findings
// (the CLI's --json report or analyzeHAR's result): one finding per user
// whose own status in the batch is an error; a rule never reports a user twice.
function engineUsers(result) {
  return [...new Set((result.findings ?? []).filter((f) => f.email && f.userStatus >= 400).map((f) => f.email))];
}

const lines = (path) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const rows = [];
const problems = [];
const notes = [];

// run measures one tool, checks its answer with check(outPath) (which
// returns the users found, or throws), and records the row.
// native rows are the CLI's, held to the targets; mustWork rows (native and
// wasm) fail the bench when they fail to run, where a baseline's failure is a
// result to report.
function run(task, tool, size, argv, { check, native = false, mustWork = native, okCodes, out = join(tmp, 'out'), times = runs } = {}) {
  if (!tasks.has(task)) return null; // BENCH_TASKS leaves it out
  process.stderr.write(`bench: ${task} ${size.label} ${tool}${times > 1 ? ` (${times} runs)` : ''}…\n`);
  const m = measureRuns(argv, times, { out, okCodes });
  const row = { task, tool, size, native, ...m };
  if (!m.failed && check) {
    try {
      const why = check(out, m);
      if (why) row.failed = why;
    } catch (e) {
      row.failed = `unreadable output: ${e.message}`;
    }
    if (row.failed) problems.push(`${task} ${size.label}, ${tool}: ${row.failed}`);
  } else if (m.failed && mustWork) {
    problems.push(`${task} ${size.label}, ${tool}: ${m.failed}`);
  }
  rmSync(out, { force: true });
  rows.push(row);
  return row;
}

const started = Date.now();
const loadStart = loadavg().map((l) => l.toFixed(1)).join(' ');
process.stderr.write(`bench: building genhar into ${tmp}\n`);
const genhar = join(tmp, 'genhar');
const built = spawnSync(goCmd, ['build', '-o', genhar, './scripts/bench/genhar'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (built.status !== 0) die('cannot build scripts/bench/genhar');
const nodeArgs = [process.execPath, `--max-old-space-size=${nodeHeap}`, join(here, 'node-baseline.mjs')];

for (const sizeArg of sizes) {
  const file = join(tmp, `session-${sizeArg}.har`);
  process.stderr.write(`bench: generating ${sizeArg}…\n`);
  const gen = measure([genhar, '-size', sizeArg, '-o', file], { out: join(tmp, 'summary.json') });
  if (gen.failed) die(`genhar -size ${sizeArg}: ${gen.failed}`);
  const summary = JSON.parse(readFileSync(join(tmp, 'summary.json'), 'utf8'));
  const want = summary.failingUsers;
  const size = { arg: sizeArg, bytes: statSync(file).size, label: `${(statSync(file).size / 1e6).toFixed(1)} MB` };
  notes.push(`${size.label}: ${summary.entries} entries, ${summary.onboards} onboard batches, ${want.length} failing users ` +
    `(genhar: ${gen.seconds.toFixed(1)} s, peak RSS ${gen.rssMB.toFixed(0)} MB)`);
  const check = (users) => (out) => sameUsers(users(out), want);

  run('analyze', 'hubdoctor analyze --json', size, [hubdoctor, 'analyze', '--json', file],
    { native: true, okCodes: [0, 1], check: check((out) => engineUsers(JSON.parse(readFileSync(out, 'utf8')))) });
  run('analyze', 'jq -f onboard.jq', size, ['/usr/bin/jq', '-r', '-f', join(here, 'onboard.jq'), file], { check: check(lines) });
  run('analyze', 'node JSON.parse + filter', size, [...nodeArgs, 'analyze', file], { check: check(lines) });
  if (wasmSizes.has(sizeArg)) {
    if (!existsSync(wasm)) {
      notes.push(`wasm: ${wasm} is missing (make chrome builds it); not measured`);
    } else {
      run('analyze', 'wasm analyzeHAR (Node)', size, [process.execPath, join(here, 'wasm.mjs'), wasm, wasmExec, file], {
        mustWork: true,
        check: (out, m) => {
          const call = /analyzeHAR ([\d.]+)/.exec(m.stderr);
          if (call) notes.push(`wasm at ${size.label}: the analyzeHAR call alone took ${call[1]} s (the rest is Node and engine start-up)`);
          const res = JSON.parse(readFileSync(out, 'utf8'));
          return res.error ? `analyzeHAR: ${res.error}` : sameUsers(engineUsers(res), want);
        },
      });
    }
  }

  const sanitized = join(tmp, 'sanitized.har');
  run('sanitize', 'hubdoctor sanitize', size, [hubdoctor, 'sanitize', file, '-o', sanitized], {
    native: true,
    // Untimed: the evidence must survive sanitizing.
    check: () => {
      const again = measure([hubdoctor, 'analyze', '--json', sanitized], { out: join(tmp, 'again.json'), okCodes: [0, 1] });
      rmSync(sanitized, { force: true });
      if (again.failed) return `analyzing the sanitized file: ${again.failed}`;
      const why = sameUsers(engineUsers(JSON.parse(readFileSync(join(tmp, 'again.json'), 'utf8'))), want);
      return why && `sanitized file: ${why}`;
    },
  });
  const nonEmpty = (out) => (statSync(out).size > 0 ? null : 'empty output');
  if (env.HUBDOCTOR_BEFORE) {
    const before = join(tmp, 'before.har');
    run('sanitize', 'hubdoctor sanitize, HUBDOCTOR_BEFORE', size, [resolve(env.HUBDOCTOR_BEFORE), 'sanitize', file, '-o', before], {
      check: () => {
        const why = nonEmpty(before);
        rmSync(before, { force: true });
        return why;
      },
    });
  }
  run('sanitize', 'jq . (re-encode)', size, ['/usr/bin/jq', '.', file], { check: nonEmpty });
  run('sanitize', 'node parse + stringify', size, [...nodeArgs, 'reencode', file, '/dev/stdout'], { check: nonEmpty });
  rmSync(file, { force: true });
}

// The table: ratios are how many times faster than the baseline on the same
// task and file (baseline seconds / tool seconds).
const baseline = (task, size, prefix) => rows.find((r) => r.task === task && r.size === size && r.tool.startsWith(prefix));
const ratio = (r, b) => (!b || b.failed || r.failed ? 'n/a' : `${(b.seconds / r.seconds).toFixed(1)}×`);
const cells = (r) => {
  const jq = baseline(r.task, r.size, 'jq');
  const node = baseline(r.task, r.size, 'node');
  // The whole reason is listed under the table when it is a disagreement.
  const why = r.failed && (r.failed.length > 60 ? `${r.failed.slice(0, 59)}…` : r.failed);
  if (r.failed) return [r.task, r.tool, r.size.label, `fails: ${why}`, '', Number.isFinite(r.rssMB) ? r.rssMB.toFixed(0) : '', '', ''];
  return [r.task, r.tool, r.size.label, r.seconds.toFixed(3), (r.size.bytes / 1e6 / r.seconds).toFixed(0), r.rssMB.toFixed(0), ratio(r, jq), ratio(r, node)];
};
const header = ['task', 'tool', 'size', 'seconds', 'MB/s', 'peak RSS MB', '× vs jq', '× vs node'];
const table = [header, header.map(() => '---'), ...rows.map(cells)];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
const out = [];
out.push(`Hub Doctor bench: ${availableParallelism()} cores, Node ${process.version}, ${spawnSync('/usr/bin/jq', ['--version']).stdout.toString().trim()}, ${new Date().toISOString().slice(0, 16)}Z, ` +
  `load average ${loadStart} at the start, ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
out.push('');
for (const row of table) out.push(`| ${row.map((c, i) => (row[1] === '---' ? '-'.repeat(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`);
out.push('');
out.push('× = how many times faster than the baseline on the same task and file in this run (the jq and node sanitize baselines only re-encode, they redact nothing). MB = 10^6 bytes.');
for (const n of notes) out.push(`- ${n}`);
// The spread: every run's MB/s, fastest first, and the ratio to jq run by run
// (the i-th fastest of each), since one median hides how much the machine moved.
for (const r of rows.filter((r) => r.runs?.length > 1 && !r.failed)) {
  const jq = baseline(r.task, r.size, 'jq');
  const vsJq = jq?.runs?.length === r.runs.length && r.tool !== jq.tool ? `; × jq ${r.runs.map((s, i) => (jq.runs[i] / s).toFixed(1)).join(', ')}` : '';
  out.push(`- runs of ${r.tool} at ${r.size.label}: ${r.runs.map((s) => (r.size.bytes / 1e6 / s).toFixed(0)).join(', ')} MB/s${vsJq}`);
}

out.push('');
out.push('Targets:');
let missed = 0;
let targets = 0;
const target = (ok, text) => {
  targets++;
  if (!ok) missed++;
  out.push(`- ${ok ? 'PASS' : 'FAIL'}  ${text}`);
};
for (const r of rows.filter((r) => r.native)) {
  const jq = baseline(r.task, r.size, 'jq');
  if (r.failed) {
    target(false, `${r.tool} at ${r.size.label}: ${r.failed}`);
    continue;
  }
  if (jq && !jq.failed) {
    const x = jq.seconds / r.seconds;
    target(x >= SPEEDUP_VS_JQ, `${r.tool} ≥ ${SPEEDUP_VS_JQ}× faster than jq at ${r.size.label}: ${x.toFixed(1)}×`);
  }
  target(r.rssMB < MAX_RSS_MB, `${r.tool} peak RSS < ${MAX_RSS_MB} MB at ${r.size.label}: ${r.rssMB.toFixed(0)} MB`);
  if (r.size.bytes >= MIN_MB_FOR_RATE * 1e6 * 0.99) {
    const rate = r.size.bytes / 1e6 / r.seconds;
    target(rate >= MIN_RATE[r.task], `${r.tool} ≥ ${MIN_RATE[r.task]} MB/s on ${availableParallelism()} cores at ${r.size.label}: ${rate.toFixed(0)} MB/s median`);
  }
}
for (const w of rows.filter((r) => r.tool.startsWith('wasm') && !r.failed)) {
  const cli = baseline('analyze', w.size, 'hubdoctor');
  if (cli && !cli.failed) {
    out.push(`- info  wasm under Node vs native CLI at ${w.size.label}: ${(w.seconds / cli.seconds).toFixed(1)}× the time, ${w.rssMB.toFixed(0)} vs ${cli.rssMB.toFixed(0)} MB peak RSS`);
  }
}
if (problems.length) {
  out.push('');
  out.push('The tools disagree or the native CLI failed:');
  for (const p of problems) out.push(`- ${p}`);
}
out.push('');
out.push(`${targets - missed} of ${targets} targets met. Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
process.stdout.write(out.join('\n') + '\n');
if (problems.length) {
  process.stderr.write(`bench: FAILED: ${problems.length} disagreement(s) or engine failure(s), listed above\n`);
  process.exit(1);
}
