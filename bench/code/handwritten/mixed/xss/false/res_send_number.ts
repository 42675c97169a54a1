import express, { Request, Response } from "express";

const router = express.Router();

router.get("/users/:id", (req: Request, res: Response) => {
  const id = Number(req.params.id);
  res.status(404).send(`<p>User #${id} was not found</p>`);
});

export default router;
