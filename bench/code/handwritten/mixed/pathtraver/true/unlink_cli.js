const fs = require("fs");

const [, , victim] = process.argv;
fs.unlinkSync("./cache/" + victim);
console.log("removed", victim);
