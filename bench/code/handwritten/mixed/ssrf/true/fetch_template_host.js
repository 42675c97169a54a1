export default async function handler(req, res) {
  const region = req.query.region;
  const upstream = await fetch(`http://${region}.internal.example.com/metrics`);
  res.status(200).json(await upstream.json());
}
