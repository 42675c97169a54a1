const express = require("express");
const cors = require("cors");

const app = express();
const ALLOWED = ["https://app.example.com"];
app.use(
  cors({
    origin: (origin, callback) => callback(null, ALLOWED.includes(origin)),
    credentials: true,
  })
);
