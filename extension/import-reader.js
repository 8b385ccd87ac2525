// import-reader.js: the worker that reads a HAR file for import-worker.js,
// on a thread of its own. The browser hands a File's bytes to the thread
// that reads them, so a read started by the import worker would wait for it
// to finish pushing the current chunk through the engine: here the next
// chunks are read while the engine works. The file is read as a stream (the
// fastest way both browsers give a File's bytes), cut into chunks of the
// size asked, and each chunk's buffer is transferred, not copied. At most
// `ahead` chunks are read beyond those the import worker has taken, so
// memory stays bounded whatever the file size. The contract:
//
//   import worker → reader  {op: 'read', job, file, chunk, ahead}
//                           {op: 'take', job}   (a chunk was taken: read one more)
//                           {op: 'stop', job}   (cancelled, or the engine stopped)
//   reader → import worker  {job, bytes}        (an ArrayBuffer, transferred, in order)
//                           {job, end: true}    (after the last chunk)
//                           {job, error}        (one line; nothing more for this job)

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

/** read sends file to the import worker in chunks, ahead of its takes by at most ahead chunks. */
async function read({ job, file, chunk, ahead }) {
  const j = { credit: ahead, wake: null, stopped: false };
  jobs.set(job, j);
  const stream = file.stream().getReader();
  try {
    let sent = 0;
    let buf = null;
    let n = 0;
    while (sent < file.size) {
      const { done, value } = await stream.read();
      if (j.stopped) return;
      if (done) throw new Error(`the file ended after ${sent + n} of its ${file.size} bytes`);
      // Bytes beyond the size the File had when chosen (changed on disk since) are left out.
      for (let v = value; v.length > 0 && sent < file.size; ) {
        buf ??= new Uint8Array(Math.min(chunk, file.size - sent));
        const m = Math.min(v.length, buf.length - n);
        buf.set(v.subarray(0, m), n);
        n += m;
        v = v.subarray(m);
        if (n < buf.length) continue;
        while (j.credit === 0 && !j.stopped) await new Promise((wake) => (j.wake = wake));
        if (j.stopped) return;
        j.credit--;
        self.postMessage({ job, bytes: buf.buffer }, [buf.buffer]);
        sent += n;
        buf = null;
        n = 0;
      }
    }
    self.postMessage({ job, end: true });
  } catch (err) {
    self.postMessage({ job, error: String(err?.message ?? err).split('\n')[0] });
  } finally {
    jobs.delete(job);
    stream.cancel().catch(() => {});
  }
}
