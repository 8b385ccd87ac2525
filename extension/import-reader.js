// import-reader.js: the worker that reads a HAR file for import-worker.js,
// on a thread of its own. The browser hands a File's bytes to the thread
// that reads them, so a read started by the import worker would wait for it
// to finish pushing the current chunk through the engine: here the next
// chunks are read while the engine works. Chunks are read with
// File.slice().arrayBuffer(), PARALLEL at a time (one read after the other
// leaves the browser's file reading idle in between; reading the file as a
// stream cost this thread about nine times the CPU, copying its small
// pieces into chunks), and each chunk's buffer is transferred, not
// copied. At most `ahead` chunks are read or being read beyond those the
// import worker has taken, so memory stays bounded whatever the file size.
// The contract:
//
//   import worker → reader  {op: 'read', job, file, from, chunk, ahead}  (from: the first byte, 0 when absent)
//                           {op: 'take', job}   (a chunk was taken: read one more)
//                           {op: 'stop', job}   (cancelled, or the engine stopped)
//   reader → import worker  {job, bytes}        (an ArrayBuffer, transferred, in order)
//                           {job, end: true}    (after the last chunk)
//                           {job, error}        (one line; nothing more for this job)

/** PARALLEL is how many chunks are being read at once. */
const PARALLEL = 2;

const jobs = new Map(); // job → {credit, wake, stopped}

self.onmessage = ({ data }) => {
  if (data.op === 'read') {
    read(data);
    return;
  }
  const j = jobs.get(data.job);
  if (!j) return; // ended already
  if (data.op === 'take') j.credit++;
  else if (data.op === 'stop') j.stopped = true;
  j.wake?.();
};

/** read sends file from byte from to the import worker in chunks, ahead of its takes by at most ahead chunks. */
async function read({ job, file, from = 0, chunk, ahead }) {
  const j = { credit: ahead, wake: null, stopped: false };
  jobs.set(job, j);
  const reads = []; // the chunks being read, in file order
  let next = from; // where the next read starts
  try {
    while (next < file.size || reads.length > 0) {
      while (next < file.size && j.credit > 0 && reads.length < PARALLEL) {
        j.credit--;
        reads.push(file.slice(next, next + chunk).arrayBuffer());
        next += chunk;
      }
      if (reads.length === 0) {
        await new Promise((wake) => (j.wake = wake)); // a take or a stop
      } else {
        const bytes = await reads.shift();
        if (!j.stopped) self.postMessage({ job, bytes }, [bytes]);
      }
      if (j.stopped) return;
    }
    self.postMessage({ job, end: true });
  } catch (err) {
    if (!j.stopped) self.postMessage({ job, error: String(err?.message ?? err).split('\n')[0] });
  } finally {
    jobs.delete(job);
    for (const r of reads) r.catch(() => {}); // reads left behind by a stop or an error
  }
}
