import type { NextApiRequest, NextApiResponse } from "next";
import { Sequelize, QueryTypes } from "sequelize";

const sequelize = new Sequelize(process.env.DB_URL as string);

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const email = req.query.email;
  const users = await sequelize.query(`SELECT id FROM users WHERE email = '${email}'`, {
    type: QueryTypes.SELECT,
  });
  res.status(200).json(users);
}
