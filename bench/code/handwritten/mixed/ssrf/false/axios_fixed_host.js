const express = require("express");
const axios = require("axios");

const app = express();

app.get("/weather", async (req, res) => {
  const city = encodeURIComponent(req.query.city);
  const response = await axios.get(`https://api.weather.example.com/v1/current?city=${city}`);
  res.json(response.data);
});
