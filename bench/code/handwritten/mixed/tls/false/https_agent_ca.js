const https = require("https");
const fs = require("fs");
const axios = require("axios");

const client = axios.create({
  baseURL: "https://internal.example.com",
  httpsAgent: new https.Agent({ ca: fs.readFileSync("/etc/ssl/internal-ca.pem"), rejectUnauthorized: true }),
});

module.exports = client;
