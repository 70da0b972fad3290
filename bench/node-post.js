// Co-process of bench/server_bench.py: one hook POST per line read on stdin, as Node's http client
// (the stack under Claude Code's axios http hooks) sends it over one kept-alive connection; prints
// the round trip in ms (request to the end of the response, process.hrtime) and the status.
// Usage: node bench/node-post.js PORT TOKEN_FILE PAYLOAD_FILE
'use strict';
const fs = require('fs');
const http = require('http');
const readline = require('readline');
const [port, tokenFile, payloadFile] = process.argv.slice(2);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const body = fs.readFileSync(payloadFile);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = {
  'Accept': 'application/json, text/plain, */*',
  'Content-Type': 'application/json',
  'Authorization': 'Bearer ' + token,
  'Content-Length': body.length,
};
const queue = [];
let busy = false;
function next() {
  if (busy || queue.length === 0) return;
  busy = true;
  queue.shift();
  const t0 = process.hrtime.bigint();
  const req = http.request({ host: '127.0.0.1', port, path: '/hook/claude-code', method: 'POST', agent, headers }, (res) => {
    res.on('data', () => {});
    res.on('end', () => {
      process.stdout.write((Number(process.hrtime.bigint() - t0) / 1e6).toFixed(3) + ' ' + res.statusCode + '\n');
      busy = false;
      next();
    });
  });
  req.on('error', (e) => { process.stdout.write('-1 ' + e.code + '\n'); busy = false; next(); });
  req.end(body);
}
readline.createInterface({ input: process.stdin }).on('line', () => { queue.push(1); next(); })
  .on('close', () => agent.destroy());
