import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();
const SORTABLE = ["name", "price", "created_at"];

export async function listProducts(req: Request, res: Response) {
  let column = String(req.query.sort);
  if (!SORTABLE.includes(column)) {
    column = "name";
  }
  const result = await pool.query("SELECT id, name FROM products ORDER BY " + column);
  res.json(result.rows);
}
