import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();

export async function byNames(req: Request, res: Response) {
  const names: string[] = req.body.names;
  const list = names.map((n) => `'${n}'`).join(", ");
  const result = await pool.query(`SELECT * FROM items WHERE name IN (${list})`);
  res.json(result.rows);
}
