import knexFactory from "knex";
import type { Request, Response } from "express";

const db = knexFactory({ client: "pg" });

export const byName = async (req: Request, res: Response) => {
  const { name } = req.params;
  const rows = await db("users").whereRaw(`lower(name) = lower('${name}')`);
  res.json(rows);
};
