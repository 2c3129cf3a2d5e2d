// bench:scale's three operator report loops, in a process of their own: in the bench's process their
// HTTP client would share one event loop with the purchases' load generator and slow it down, which is
// the client's cost, not the server's. Argument: JSON {url, paths, headers, seconds}. Prints "ready"
// once started, then, after `seconds`, the number of answers each loop got (JSON array) and exits.
const { url, paths, headers, seconds } = JSON.parse(process.argv[2]);
const counts = paths.map(() => 0);
const until = Date.now() + seconds * 1000;
process.stdout.write("ready\n");
await Promise.all(
  paths.map(async (path, i) => {
    while (Date.now() < until) {
      const res = await fetch(url + path, { headers });
      await res.arrayBuffer();
      if (res.ok) counts[i]++;
    }
  }),
);
process.stdout.write(`${JSON.stringify(counts)}\n`);
