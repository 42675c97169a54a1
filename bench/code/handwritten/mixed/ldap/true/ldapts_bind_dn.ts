import { Client } from "ldapts";
import type { Request, Response } from "express";

export async function login(req: Request, res: Response) {
  const client = new Client({ url: "ldaps://directory.internal" });
  const { searchEntries } = await client.search("dc=example,dc=com", {
    filter: `(&(objectClass=person)(mail=${req.body.email}))`,
  });
  res.json({ found: searchEntries.length });
}
