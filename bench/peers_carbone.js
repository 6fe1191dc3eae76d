// Times Carbone converting one DOCX to PDF: run by bench/peers.py with node, Carbone installed
// in a scratch folder (NODE_PATH). It imports nothing of the service.
//
//     node peers_carbone.js DOCX RUNS CLIENTS REQUESTS FACTORIES
//
// Prints one JSON line: the one-at-a-time samples (ms) and the concurrent run's latencies (ms)
// and wall time (s); Carbone runs FACTORIES LibreOffice processes, as the service runs workers.
const fs = require('fs');
const carbone = require('carbone');

const [path, runs, clients, requests, factories] = process.argv.slice(2).map(
  (value, index) => (index ? Number(value) : value));
const data = fs.readFileSync(path);

function convert () {
  return new Promise((resolve, reject) => {
    carbone.convert(data, { convertTo: 'pdf', extension: 'docx' },
      (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function timed () {
  const started = process.hrtime.bigint();
  await convert();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main () {
  carbone.set({ factories, startFactory: true });
  for (let i = 0; i < 2 * factories; i++) await convert(); // warm every factory
  const alone = [];
  for (let i = 0; i < runs; i++) alone.push(await timed());
  const latencies = [];
  let left = requests;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (left > 0) {
      left -= 1;
      latencies.push(await timed());
    }
  }));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ alone, latencies, wall }));
  process.exit(0);
}

main().catch((error) => { console.error(error); process.exit(1); });
