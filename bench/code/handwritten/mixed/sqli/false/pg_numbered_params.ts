import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();

export async function getInvoice(req: Request, res: Response) {
  const text = "SELECT * FROM invoices WHERE id = $1 AND owner = $2";
  const result = await pool.query(text, [req.params.id, req.body.owner]);
  res.json(result.rows[0] ?? null);
}
