'use strict';
// `npm start`: build if needed, then run the service (it starts its own Redis unless REDIS_URL is set).
const path = require('node:path');
const { ensureBuilt } = require('./ensure-built');
const root = path.resolve(__dirname, '..');
ensureBuilt(root);
require(path.join(root, 'dist', 'main.js'));
