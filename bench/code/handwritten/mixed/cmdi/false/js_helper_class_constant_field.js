const { exec } = require("child_process");
const express = require("express");

const app = express();

class Job {
  constructor(target) {
    this.target = target;
    this.tool = "uptime";
  }

  command() {
    return this.tool;
  }
}

app.get("/lookup", (req, res) => {
  const job = new Job(req.query.domain);
  exec(job.command(), (err, out) => res.type("text/plain").send(out));
});
