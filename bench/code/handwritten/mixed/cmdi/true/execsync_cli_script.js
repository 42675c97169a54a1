#!/usr/bin/env node
const cp = require("child_process");

const branch = process.argv[2];
const out = cp.execSync("git log --oneline " + branch + " | head -n 5");
console.log(out.toString());
