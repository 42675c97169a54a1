process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";

export async function pull(url: string) {
  const res = await fetch(url);
  return res.json();
}
