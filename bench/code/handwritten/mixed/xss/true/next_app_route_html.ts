import { NextRequest } from "next/server";

export async function GET(req: NextRequest) {
  const name = req.nextUrl.searchParams.get("name") ?? "";
  return new Response(`<html><body>Hello ${name}</body></html>`, {
    headers: { "Content-Type": "text/html" },
  });
}
