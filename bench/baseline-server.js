'use strict';
// The baseline of `npm run bench`: a bare express app with the same JSON body parser and a JSON answer, nothing
// else. Vigil's numbers are read as a share of this one's, measured in the same run on the same machine.
const http = require('node:http');
const express = require('express');

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));
app.post('/echo', (req, res) => {
  res.status(201).json({ ok: true, length: typeof req.body?.body === 'string' ? req.body.body.length : 0 });
});
const server = http.createServer(app);
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
