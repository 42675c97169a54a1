process.env["NODE_EXTRA_CA_CERTS"] = "/etc/ssl/internal-ca.pem";

export async function pull(url: string) {
  const res = await fetch(url);
  return res.json();
}
