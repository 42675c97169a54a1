const express = require("express");
const cors = require("cors");

const app = express();
app.use(
  cors({
    origin: (origin, callback) => callback(null, true),
    credentials: true,
  })
);
