const express = require("express");
const cors = require("cors");

const app = express();
const corsOptions = { origin: "*", credentials: true };
app.use(cors(corsOptions));
