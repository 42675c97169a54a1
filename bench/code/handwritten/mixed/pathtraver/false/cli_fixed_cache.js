const fs = require("fs");

const verbose = process.argv.includes("--verbose");
fs.rmSync("./cache/build-output", { recursive: true, force: true });
if (verbose) console.log("cache cleared");
