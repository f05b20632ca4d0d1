#!/usr/bin/env node
// Committed launcher, so npm links the `recd` command before the TypeScript is built.
require('../dist/bin.js');
