// Co-process of bench/server_bench.py: hook POSTs as Node's http client (the stack under Claude
// Code's axios http hooks) sends them, over one kept-alive connection. Per line read on stdin:
//   (empty)       one POST; prints "MS STATUS" (request to the end of the response, process.hrtime)
//   burst N GAP   N POSTs, GAP ms apart (a tool loop's pace); prints "MS STATUS" for each, one line
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
function post(done) {
  const t0 = process.hrtime.bigint();
  const req = http.request({ host: '127.0.0.1', port, path: '/hook/claude-code', method: 'POST', agent, headers }, (res) => {
    res.on('data', () => {});
    res.on('end', () => done((Number(process.hrtime.bigint() - t0) / 1e6).toFixed(3) + ' ' + res.statusCode));
  });
  req.on('error', (e) => done('-1 ' + e.code));
  req.end(body);
}
const queue = [];
let busy = false;
function next() {
  if (busy || queue.length === 0) return;
  busy = true;
  const [n, gap] = queue.shift();
  const out = [];
  const one = () => post((r) => {
    out.push(r);
    if (out.length < n) {
      setTimeout(one, gap);
    } else {
      process.stdout.write(out.join(' ') + '\n');
      busy = false;
      next();
    }
  });
  one();
}
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = /^burst (\d+) (\d+)$/.exec(line.trim());
  queue.push(m ? [+m[1], +m[2]] : [1, 0]);
  next();
}).on('close', () => agent.destroy());
