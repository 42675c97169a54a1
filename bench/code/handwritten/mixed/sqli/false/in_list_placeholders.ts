import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();

export async function byIds(req: Request, res: Response) {
  const ids: string[] = req.body.ids;
  const marks = ids.map((_, i) => `$${i + 1}`).join(", ");
  const result = await pool.query(`SELECT * FROM items WHERE id IN (${marks})`, ids);
  res.json(result.rows);
}
