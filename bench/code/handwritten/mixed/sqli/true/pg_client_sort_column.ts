import { Request, Response } from "express";
import { Pool } from "pg";

const pool = new Pool();

export async function listProducts(req: Request, res: Response) {
  const column = (req.query.sort as string) ?? "name";
  const direction = req.query.dir === "desc" ? "DESC" : "ASC";
  const text = "SELECT id, name, price FROM products ORDER BY " + column + " " + direction;
  const result = await pool.query(text);
  res.json(result.rows);
}
