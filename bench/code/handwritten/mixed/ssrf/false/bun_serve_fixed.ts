Bun.serve({
  port: 3000,
  async fetch(req) {
    const id = encodeURIComponent(new URL(req.url).searchParams.get("id") ?? "");
    const upstream = await fetch(`https://api.example.com/items/${id}`);
    return new Response(await upstream.text());
  },
});
