import { Client } from "ldapts";
import type { Request, Response } from "express";

export async function admins(req: Request, res: Response) {
  const client = new Client({ url: "ldaps://directory.internal" });
  const { searchEntries } = await client.search("dc=example,dc=com", {
    filter: "(&(objectClass=person)(memberOf=cn=admins,dc=example,dc=com))",
  });
  res.json({ found: searchEntries.length, page: Number(req.query.page) });
}
