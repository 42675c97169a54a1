// Nightly job: pulls exchange rates from a partner. axios has no timeout by default, so a
// partner that accepts the connection and never answers stalls the job forever.
const axios = require("axios");

async function syncRates(db) {
  const { data } = await axios.get("https://partner.example.net/v2/rates", {
    headers: { Accept: "application/json" },
  });
  await db.saveRates(data.rates);
}

module.exports = { syncRates };
