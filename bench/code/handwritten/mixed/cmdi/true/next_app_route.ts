import { exec } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(exec);

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const host = searchParams.get("host") ?? "localhost";
  const { stdout } = await run(`dig +short ${host}`);
  return Response.json({ stdout });
}
