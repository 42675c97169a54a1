const https = require("https");
const axios = require("axios");

const client = axios.create({
  baseURL: "https://internal.example.com",
  httpsAgent: new https.Agent({ rejectUnauthorized: false }),
});

module.exports = client;
