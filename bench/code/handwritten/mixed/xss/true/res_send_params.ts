import express, { Request, Response } from "express";

const router = express.Router();

router.get("/users/:name", (req: Request, res: Response) => {
  const { name } = req.params;
  res.status(404).send(`<p>User ${name} was not found</p>`);
});

export default router;
