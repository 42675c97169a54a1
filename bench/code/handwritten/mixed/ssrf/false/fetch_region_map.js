const REGIONS = { eu: "https://eu.metrics.example.com", us: "https://us.metrics.example.com" };

export default async function handler(req, res) {
  const base = REGIONS[req.query.region === "us" ? "us" : "eu"];
  const upstream = await fetch(`${base}/metrics`);
  res.status(200).json(await upstream.json());
}
