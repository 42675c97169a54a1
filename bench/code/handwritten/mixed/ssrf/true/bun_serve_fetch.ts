Bun.serve({
  port: 3000,
  async fetch(req) {
    const target = new URL(req.url).searchParams.get("target") ?? "";
    const upstream = await fetch(target);
    return new Response(await upstream.text());
  },
});
